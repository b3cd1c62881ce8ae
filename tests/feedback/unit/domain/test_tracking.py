"""Tracking codes are unambiguous, round-trip, and reveal typos."""

import math
import random
import re

import pytest

from kinerja_feedback.domain.tracking import (
    ALPHABET,
    DATA_LENGTH,
    InvalidTrackingCode,
    check_character,
    is_canonical_tracking_code,
    is_valid_tracking_code,
    new_tracking_code,
    normalise_tracking_code,
    tracking_digest,
)

CANONICAL = re.compile(r"KNJ(-[2-9A-HJ-NP-Z]{4}){7}")
CODES = [new_tracking_code(random.Random(seed)) for seed in range(200)]
SAMPLE = CODES[0]


def test_the_alphabet_has_no_ambiguous_characters() -> None:
    assert not set(ALPHABET) & set("0O1IU")
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


@pytest.mark.parametrize("code", CODES[:50])
def test_a_new_code_has_the_canonical_shape(code: str) -> None:
    assert CANONICAL.fullmatch(code)


@pytest.mark.parametrize("code", CODES)
def test_a_new_code_is_valid_and_normalises_to_itself(code: str) -> None:
    assert is_valid_tracking_code(code)
    assert is_canonical_tracking_code(code)
    assert normalise_tracking_code(code) == code


def test_codes_from_the_system_random_source_are_valid_and_differ() -> None:
    codes = {new_tracking_code() for _ in range(100)}
    assert len(codes) == 100
    assert all(is_valid_tracking_code(code) for code in codes)


def test_a_code_carries_at_least_128_random_bits() -> None:
    assert DATA_LENGTH * math.log2(len(ALPHABET)) >= 128


def test_a_code_issued_before_the_long_format_is_still_read() -> None:
    data = "ABCD2EF"
    legacy = f"KNJ-{data[:4]}-{data[4:]}{check_character(data)}"
    assert normalise_tracking_code(legacy.lower().replace("-", " ")) == legacy


def test_only_a_digest_of_the_code_is_stored_and_it_reveals_nothing_of_it() -> None:
    digest = tracking_digest(SAMPLE)
    assert len(digest) == 64
    assert SAMPLE not in digest
    assert digest == tracking_digest(normalise_tracking_code(SAMPLE.lower()))


def test_a_seeded_rng_gives_a_reproducible_code() -> None:
    assert new_tracking_code(random.Random(7)) == new_tracking_code(random.Random(7))


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: f"  {code.lower()}  ",
        lambda code: code[4:],
        lambda code: code[4:].replace("-", "").lower(),
        lambda code: code.replace("-", " - "),
    ],
)
def test_case_spaces_dashes_and_a_missing_prefix_are_normalised(typed: object) -> None:
    assert callable(typed)
    assert normalise_tracking_code(typed(SAMPLE)) == SAMPLE


@pytest.mark.parametrize("code", CODES[:20])
def test_every_single_character_typo_is_detected(code: str) -> None:
    body = code.replace("KNJ-", "").replace("-", "")
    for position in range(len(body)):
        for symbol in ALPHABET:
            if symbol == body[position]:
                continue
            typo = body[:position] + symbol + body[position + 1 :]
            assert not is_valid_tracking_code(typo), typo


@pytest.mark.parametrize("code", CODES[:20])
def test_every_swap_of_two_different_characters_is_detected(code: str) -> None:
    body = code.replace("KNJ-", "").replace("-", "")
    for first in range(len(body)):
        for second in range(first + 1, len(body)):
            if body[first] == body[second]:
                continue
            swapped = list(body)
            swapped[first], swapped[second] = swapped[second], swapped[first]
            assert not is_valid_tracking_code("".join(swapped))


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "KNJ",
        "KNJ-ABCD-EFG",
        "KNJ-ABCD-EFGHJ",
        "XYZ-ABCD-EFGH",
        "KNJ-ABCD-EFG0",
        "KNJ-ABCD-EFGO",
        "KNJ-ABCD-EFG1",
        "KNJ-ABCD-EFGI",
        "KNJ-ABCD-EFGU",
        "KNJ-ABCD-EF#H",
    ],
)
def test_malformed_codes_are_refused(bad: str) -> None:
    assert not is_valid_tracking_code(bad)
    with pytest.raises(InvalidTrackingCode):
        normalise_tracking_code(bad)


def test_a_lowercase_code_is_valid_but_not_canonical() -> None:
    assert is_valid_tracking_code(SAMPLE.lower())
    assert not is_canonical_tracking_code(SAMPLE.lower())


def test_the_check_character_needs_seven_alphabet_characters() -> None:
    with pytest.raises(InvalidTrackingCode):
        check_character("ABC")
    with pytest.raises(InvalidTrackingCode):
        check_character("ABCDEF0")
