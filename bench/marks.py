"""The figures of issue 17 against their marks, from the result files of one `make bench` run.

    .venv/bin/python bench/marks.py [--run BENCH_RUN]

Reads the newest bench/results/<name>-*.json of each scenario whose "run" is --run (default:
BENCH_RUN, else the newest file of each scenario whatever its run) and prints one line per
figure: value, mark, whether it is met, the load average when its result was written, and the
result file. Every figure is a same-run ratio or a figure measured in that run. Writes
bench/results/marks-<time>.json with the same lines.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from common import RESULTS, ROOT, write_result

SERVICES = ("appraisal", "feedback", "reporting", "gateway", "webhooks")
LAG_RATE = 300.0


@dataclass
class Line:
    figure: str
    value: float | None
    mark: str
    met: str
    load_average: str
    result: str
    note: str = ""


def latest(name: str, run: str | None) -> tuple[Path, dict[str, Any]] | None:
    """The newest result of scenario `name` (of `run` when given)."""
    for path in sorted(RESULTS.glob(f"{name}-*.json"), reverse=True):
        data = json.loads(path.read_text())
        if data.get("benchmark") == name and (run is None or data.get("run") == run):
            return path, data
    return None


def line(
    figure: str,
    found: tuple[Path, dict[str, Any]] | None,
    value: Callable[[dict[str, Any]], float | None],
    mark: str,
    limit: float,
    compare: Callable[[float, float], bool],
    note: Callable[[dict[str, Any]], str] = lambda _: "",
    valid: Callable[[dict[str, Any]], bool] = lambda _: True,
    held: Callable[[dict[str, Any]], bool] = lambda _: True,
) -> Line:
    """One figure; `valid`: the run measured what the mark is about (else "invalid");
    `held`: what else the mark needs besides the value (e.g. the requests were accepted)."""
    if found is None:
        return Line(figure, None, mark, "not run", "", "")
    path, data = found
    figures = data["figures"]
    try:
        v = value(figures)
    except (KeyError, TypeError):
        v = None
    if v is None:
        met = "not measured"
    elif not valid(figures):
        met = "invalid"
    else:
        met = "met" if compare(v, limit) and held(figures) else "NOT met"
    load = " ".join(f"{x:.2f}" for x in data["machine"]["load_average"])
    return Line(figure, v, mark, met, load, str(path.relative_to(ROOT)), note(figures))


def lag_note(figures: dict[str, Any]) -> str:
    parts = [
        f"offered {figures['offered_rate_per_second']:g}/s, "
        f"achieved {figures['achieved_rate_per_second']:g}/s"
    ]
    if figures.get("generator_fell_behind"):
        parts.append("GENERATOR FELL BEHIND: not the lag at the offered rate")
    if figures["offered_rate_per_second"] != LAG_RATE:
        parts.append(f"the mark is at {LAG_RATE:g}/s")
    accepted = figures["accepted"] / max(figures["requests"], 1)
    if accepted < 0.95:
        parts.append(f"only {accepted:.0%} of the requests accepted")
    if figures.get("never_applied"):
        parts.append(f"{figures['never_applied']} never applied")
    if "lag_not_measured" in figures:
        parts.append(figures["lag_not_measured"])
    return "; ".join(parts)


def lag_valid(figures: dict[str, Any]) -> bool:
    """The generator kept up with the mark's offered rate."""
    return (
        not figures.get("generator_fell_behind") and figures["offered_rate_per_second"] == LAG_RATE
    )


def lag_held(figures: dict[str, Any]) -> bool:
    """The system took the rate: 95 % accepted, every accepted one applied."""
    return not figures.get("never_applied") and figures["accepted"] >= 0.95 * figures["requests"]


def layout_lines(run: str | None, suffix: str, title: str) -> list[Line]:
    ingestion = latest("ingestion" + suffix, run)
    lag = latest("event_lag" + suffix, run)
    footprint = latest("footprint" + suffix, run)
    workers = ""
    if ingestion:
        w = ingestion[1]["figures"].get("layout", {}).get("feedback_workers", 1)
        workers = f", {w} worker{'s' if w != 1 else ''}"
    lines = [
        line(
            f"{title}{workers}: ingestion gateway / bare",
            ingestion,
            lambda f: f["ratio_to_baseline"],
            ">= 0.5",
            0.5,
            operator.ge,
            lambda f: (
                f"{f['gateway_to_feedback']['ok_per_second']:g} / "
                f"{f['baseline_bare_fastapi']['requests_per_second']:g} req/s, "
                f"{f['connections']} connections"
            ),
        ),
        line(
            f"{title}: ingestion gateway p99 ms",
            ingestion,
            lambda f: f["gateway_to_feedback"]["latency_ms"]["p99"],
            "<= 20 ms",
            20,
            operator.le,
        ),
        line(
            f"{title}: lag accepted -> applied p99 ms",
            lag,
            lambda f: f["lag_ms"]["p99"],
            f"<= 250 ms at {LAG_RATE:g}/s",
            250,
            operator.le,
            lag_note,
            lag_valid,
            lag_held,
        ),
    ]
    for service in SERVICES:
        lines.append(
            line(
                f"{title}: idle RSS MiB, {service}",
                footprint,
                lambda f, s=service: f["idle"].get(s),
                "<= 120 MB (114.4 MiB)",
                120e6 / 2**20,
                operator.le,
            )
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default=os.environ.get("BENCH_RUN"))
    args = parser.parse_args()
    lines = layout_lines(args.run, "", "SQLite")
    lines.insert(
        3,
        line(
            "rebuild / plain consume + decode",
            latest("replay", args.run),
            lambda f: f["ratio_to_baseline"],
            ">= 1/3",
            1 / 3,
            operator.ge,
            lambda f: (
                f"{f['reporting_rebuild']['events_per_second']:g} / "
                f"{f['baseline_plain_consume']['events_per_second']:g} events/s"
            ),
        ),
    )
    if latest("ingestion_postgres", args.run):
        lines += layout_lines(args.run, "_postgres", "PostgreSQL")
    print(f"\nissue 17 marks (run {args.run or 'latest of each'})")
    print(f"{'figure':<50}{'value':>9}  {'mark':<24}{'':<14}{'load average':<17}result")
    for x in lines:
        value = "-" if x.value is None else f"{x.value:g}"
        print(f"{x.figure:<50}{value:>9}  {x.mark:<24}{x.met:<14}{x.load_average:<17}{x.result}")
        if x.note:
            print(f"{'':<52}{x.note}")
    path = write_result("marks", {"run": args.run, "lines": [asdict(x) for x in lines]})
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
