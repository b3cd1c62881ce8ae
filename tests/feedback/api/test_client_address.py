"""The address used for per-address limits is the one the gateway appended, not a forged one."""

from kinerja_feedback.submissions.endpoints import client_address


def test_the_last_forwarded_entry_is_the_client_address() -> None:
    assert client_address("6.6.6.6, 10.0.0.7") == "10.0.0.7"


def test_a_single_entry_is_taken_as_it_is() -> None:
    assert client_address(" 192.0.2.10 ") == "192.0.2.10"


def test_no_header_means_no_address() -> None:
    assert client_address(None) is None
    assert client_address("") is None
