"""`kinerja-events`: the event stream for analysts — docs, schemas, tail, export, topics.

Reading never joins the services' consumer groups: without --group it assigns partitions
directly and commits nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_fixed

from kinerja_shared import kafka_access
from kinerja_shared.events.catalogue import CATALOGUE, TYPE_PREFIX
from kinerja_shared.events.topics import SERVICE_TOPICS, new_admin
from kinerja_shared.relay import KAFKA_DOWN
from kinerja_shared.settings import REPO_ROOT, KafkaSettings
from kinerja_shared.stream import compatibility, schemas, topic_admin
from kinerja_shared.stream.export import Writer
from kinerja_shared.stream.reader import TopicReader, as_json_line

app = typer.Typer(help=__doc__, no_args_is_help=True)
console = Console(stderr=True)
DOCS = REPO_ROOT / "docs" / "events"

TopicsOpt = Annotated[list[str] | None, typer.Option("--topic", "-t", help="repeatable")]
TypesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--type", help="event type, e.g. feedback.submitted or feedback.submitted.v1; repeatable"
    ),
]


def _full_types(types: list[str] | None) -> set[str]:
    """Expand short names (feedback.submitted) to every registered version."""
    if not types:
        return {e.type for e in CATALOGUE}
    wanted: set[str] = set()
    for name in types:
        full = name if name.startswith(TYPE_PREFIX) else TYPE_PREFIX + name
        matches = {e.type for e in CATALOGUE if e.type == full or e.type.startswith(full + ".v")}
        if not matches:
            raise typer.BadParameter(f"unknown event type {name}")
        wanted |= matches
    return wanted


def _topics(topics: list[str] | None) -> list[str]:
    namespace = KafkaSettings().namespace
    return [namespace + t for t in (topics or list(SERVICE_TOPICS))]


@app.command()
def docs(check: Annotated[bool, typer.Option(help="fail if the files are stale")] = False) -> None:
    """Generate JSON Schemas and the AsyncAPI document under docs/events/."""
    if check:
        stale = schemas.stale_files(DOCS)
        if stale:
            console.print(f"stale: {', '.join(stale)} — run `make docs`")
            raise typer.Exit(1)
        console.print("event docs are up to date")
        return
    changed = schemas.write_docs(DOCS)
    console.print(f"{len(changed)} file(s) written" if changed else "nothing changed")


@app.command("release-schemas")
def release_schemas() -> None:
    """Record the current schemas of new event types as released (the compatibility base)."""
    written = compatibility.release(DOCS / "released")
    console.print(f"released: {', '.join(written) or 'nothing new'}")


@app.command("check-compat")
def check_compat() -> None:
    """Fail on a breaking change to a released event schema within its version."""
    report = compatibility.check_released(DOCS / "released")
    for name, problems in report.items():
        for problem in problems:
            console.print(f"{name}: {problem}")
    if report:
        raise typer.Exit(1)
    console.print("compatible with every released schema")


@app.command()
def tail(
    topic: TopicsOpt = None,
    event_type: TypesOpt = None,
    from_beginning: bool = False,
    group: Annotated[str | None, typer.Option(help="your own group; default none")] = None,
) -> None:
    """Print events as JSON Lines as they arrive (Ctrl-C to stop)."""
    wanted = _full_types(event_type)

    async def run() -> None:
        async with TopicReader(KafkaSettings(), _topics(topic), group) as reader:
            async for record in reader.follow(from_beginning):
                if record.event.type in wanted:
                    print(as_json_line(record), flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", "-o")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet")] = "jsonl",
    topic: TopicsOpt = None,
    event_type: TypesOpt = None,
    since: Annotated[datetime | None, typer.Option(help="from this time (Kafka timestamp)")] = None,
    until: Annotated[datetime | None, typer.Option(help="up to this time, exclusive")] = None,
) -> None:
    """Export a time range, or the whole history, of the stream to a file, each event once
    (a repeat of a source and id already written is dropped)."""
    wanted = _full_types(event_type)

    async def run() -> Writer:
        async with TopicReader(KafkaSettings(), _topics(topic)) as reader:
            start, stop = await reader.range_bounds(since, until)
            total = sum(max(0, stop[tp] - start[tp]) for tp in reader.partitions)
            writer = Writer(out, fmt, wanted)
            try:
                with Progress(console=console, transient=not sys.stderr.isatty()) as progress:
                    task = progress.add_task("exporting", total=total)
                    async for record in reader.read_range(start, stop):
                        progress.advance(task)
                        if record.event.type in wanted:
                            writer.write(record)
            finally:
                writer.close()
            return writer

    writer = asyncio.run(run())
    console.print(f"{writer.count} event(s) written to {out}")
    if writer.repeats:
        console.print(f"{writer.repeats} repeated event(s) dropped (same source and id)")


@app.command()
def topics(apply: Annotated[bool, typer.Option(help="apply the plan")] = False) -> None:
    """Show how the cluster's topics differ from settings; --apply changes them."""
    settings = KafkaSettings()
    specs = topic_admin.desired_topics(settings)

    async def run() -> list[topic_admin.TopicChange]:
        admin = new_admin(settings)
        await admin.start()
        try:
            changes = await topic_admin.plan(admin, specs)
            if apply and changes:
                await topic_admin.apply(admin, specs, changes)
            return changes
        finally:
            await admin.close()

    changes = asyncio.run(run())
    if not changes:
        console.print("topics match the settings")
        return
    for change in changes:
        print(change.describe())
    console.print("applied" if apply else "dry run: pass --apply to change the cluster")


@app.command()
def acls(
    namespace: Annotated[
        str | None, typer.Option(help="topic namespace; default KINERJA_TOPIC_NAMESPACE")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="only print them")] = False,
    quiet: Annotated[bool, typer.Option(help="print only what was created")] = False,
) -> None:
    """Grant the services' and analytics' ACLs for a topic namespace (as the admin)."""
    settings = KafkaSettings()
    wanted = kafka_access.acls_for(settings.namespace if namespace is None else namespace)
    if not quiet or dry_run:
        for acl in wanted:
            print(acl.describe())
    if dry_run:
        return

    async def run() -> list[kafka_access.Acl]:
        # Right after a broker starts its listener may answer before it authenticates.
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(KAFKA_DOWN),
            wait=wait_fixed(0.5),
            stop=stop_after_delay(60),
            reraise=True,
        ):
            with attempt:
                return await kafka_access.grant(settings, wanted)
        raise AssertionError("unreachable")

    created = asyncio.run(run())
    for acl in created if quiet else ():
        print(acl.describe())
    console.print(f"{len(created)} ACL(s) created, {len(wanted) - len(created)} already there")
