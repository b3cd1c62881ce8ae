"""Which events a subscription takes (docs/domain.md, Webhooks)."""

from __future__ import annotations

import pytest

from kinerja_webhooks.domain.event_types import EventName, in_units, unknown_patterns, wanted

SKP = EventName("skp.approved", "appraisal", "id.denpasar.kinerja.skp.approved.v1")
FEEDBACK = EventName("feedback.submitted", "feedback", "id.denpasar.kinerja.feedback.submitted.v1")


@pytest.mark.parametrize(
    "pattern",
    ["*", "appraisal.*", "skp.*", "skp.approved", "appraisal.skp.approved", SKP.cloudevents_type],
)
def test_a_pattern_names_an_event_by_any_of_its_names(pattern: str) -> None:
    assert wanted([pattern], SKP)


@pytest.mark.parametrize("pattern", ["feedback.*", "skp", "appraisal.skp", "*.rejected"])
def test_a_pattern_naming_something_else_does_not_take_the_event(pattern: str) -> None:
    assert not wanted([pattern], SKP)


def test_a_dot_in_a_pattern_is_a_dot_not_any_character() -> None:
    assert not wanted(["skpxapproved"], SKP)
    assert not wanted(["skp.approve."], SKP)


def test_patterns_naming_no_event_type_are_reported() -> None:
    assert unknown_patterns(["appraisal.*", "apraisal.*"], [SKP, FEEDBACK]) == ["apraisal.*"]


def test_without_a_unit_filter_every_event_is_taken() -> None:
    assert in_units(None, {"unit_id": "u1"})
    assert in_units(None, {"feedback_id": "f1"})


def test_a_unit_filter_takes_only_events_about_its_units() -> None:
    assert in_units(["u1"], {"unit_id": "u1"})
    assert not in_units(["u1"], {"unit_id": "u2"})
    assert not in_units(["u1"], {"employee_id": "e1"})
