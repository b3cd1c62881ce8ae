"""Property-style checks: incremental totals always equal recomputation from scratch."""

import random

import pytest

from kinerja_reporting.domain.feedback_summary import StaffFeedbackTotals, StaffResponse
from kinerja_reporting.domain.ikm import ElementTotals, compute_ikm
from kinerja_shared.law.skm import Unsur


def random_answers(rng: random.Random) -> dict[str, int]:
    chosen = rng.sample(list(Unsur), rng.randint(1, len(Unsur)))
    return {u.value: rng.randint(1, 4) for u in chosen}


def random_response(rng: random.Random) -> StaffResponse:
    answers = random_answers(rng) if rng.random() < 0.8 else {}
    rating = rng.randint(1, 5) if not answers or rng.random() < 0.5 else None
    return StaffResponse(answers=answers, overall_rating=rating)


@pytest.mark.parametrize("seed", range(20))
def test_incremental_ikm_totals_equal_recomputation(seed: int) -> None:
    rng = random.Random(seed)
    live: list[dict[str, int]] = []
    totals = ElementTotals()
    for step in range(200):
        if live and rng.random() < 0.35:
            withdrawn = live.pop(rng.randrange(len(live)))
            totals = totals.subtract(withdrawn)
        else:
            answers = random_answers(rng)
            live.append(answers)
            totals = totals.add(answers)
        if step % 10 == 0:
            assert totals == ElementTotals.from_answers(live)
    assert totals == ElementTotals.from_answers(live)
    assert compute_ikm(totals) == compute_ikm(ElementTotals.from_answers(live))


@pytest.mark.parametrize("seed", range(10))
def test_merging_random_partitions_equals_the_whole(seed: int) -> None:
    rng = random.Random(seed)
    everything = [random_answers(rng) for _ in range(60)]
    parts: list[list[dict[str, int]]] = [[] for _ in range(rng.randint(1, 5))]
    for answers in everything:
        rng.choice(parts).append(answers)
    merged = ElementTotals.combine(ElementTotals.from_answers(p) for p in parts)
    assert merged == ElementTotals.from_answers(everything)


@pytest.mark.parametrize("seed", range(10))
def test_incremental_staff_totals_equal_recomputation(seed: int) -> None:
    rng = random.Random(1000 + seed)
    live: list[StaffResponse] = []
    totals = StaffFeedbackTotals()
    for step in range(150):
        if live and rng.random() < 0.35:
            totals = totals.subtract(live.pop(rng.randrange(len(live))))
        else:
            response = random_response(rng)
            live.append(response)
            totals = totals.add(response)
        if step % 10 == 0:
            assert totals == StaffFeedbackTotals.from_responses(live)
    assert totals == StaffFeedbackTotals.from_responses(live)
