"""Writing events to JSON Lines, CSV or Parquet for analysts (CSV cells are spreadsheet-safe:
`kinerja_shared.spreadsheet_cells`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from kinerja_shared.events.catalogue import CATALOGUE
from kinerja_shared.spreadsheet_cells import CsvDictWriter
from kinerja_shared.stream.reader import StreamRecord, as_json_line
from kinerja_shared.stream.schemas import event_schema

ENVELOPE_COLUMNS = [
    "id",
    "source",
    "type",
    "subject",
    "time",
    "topic",
    "partition",
    "offset",
    "key",
]


def data_columns(types: Iterable[str]) -> dict[str, str]:
    """The `data.*` columns of the given event types, with a JSON type each."""
    columns: dict[str, str] = {}
    for entry in CATALOGUE:
        if entry.type not in types:
            continue
        for name, prop in event_schema(entry)["properties"].items():
            kind = prop.get("type", "string")
            column = f"data.{name}"
            columns[column] = kind if columns.get(column, kind) == kind else "string"
    return dict(sorted(columns.items()))


def flat_row(record: StreamRecord, columns: dict[str, str]) -> dict[str, Any]:
    """One row: envelope fields and the event's data spread over columns."""
    event = record.event
    row: dict[str, Any] = {
        "id": event.id,
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": event.time.isoformat(),
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key,
    }
    for column, kind in columns.items():
        value = event.data.get(column[5:])
        plain = kind in ("integer", "number", "boolean") or (
            kind == "string" and isinstance(value, str)
        )
        if value is not None and not plain:
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[column] = value
    return row


class Writer:
    """A sink for records in one of the supported formats, each event once.

    An event can be on a topic twice (docs/events.md, "Guarantees"): a repeat of an event
    already written — the same CloudEvents `source` and `id` — is dropped and counted in
    `repeats`. The ids written are remembered for the whole export (about 120 bytes each).
    """

    def __init__(self, path: Path, fmt: str, types: Iterable[str]) -> None:
        self.path, self.fmt = path, fmt
        self.columns = data_columns(types)
        self.count = 0
        self.repeats = 0
        self._written: dict[str, set[str]] = {}  # source -> ids
        self._file: IO[str] | None = None
        self._csv: CsvDictWriter | None = None
        self._rows: list[dict[str, Any]] = []
        self._parquet: Any = None
        if fmt in ("jsonl", "csv"):
            self._file = path.open("w", newline="", encoding="utf-8")
        if fmt == "csv":
            assert self._file is not None
            self._csv = CsvDictWriter(self._file, ENVELOPE_COLUMNS + list(self.columns))
            self._csv.writeheader()
        elif fmt not in ("jsonl", "parquet"):
            raise ValueError(f"unknown format {fmt}")

    def write(self, record: StreamRecord) -> None:
        """Add one record, unless its event was written already."""
        written = self._written.setdefault(record.event.source, set())
        if record.event.id in written:
            self.repeats += 1
            return
        written.add(record.event.id)
        self.count += 1
        if self.fmt == "jsonl":
            assert self._file is not None
            self._file.write(as_json_line(record) + "\n")
        elif self._csv is not None:
            self._csv.writerow(flat_row(record, self.columns))
        else:
            self._rows.append(flat_row(record, self.columns))
            if len(self._rows) >= 10_000:
                self._flush_parquet()

    def _arrow_schema(self) -> Any:
        import pyarrow as pa

        kinds = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
        fields = [
            pa.field(c, pa.int64() if c in ("partition", "offset") else pa.string())
            for c in ENVELOPE_COLUMNS
        ]
        fields += [pa.field(c, kinds.get(k, pa.string())) for c, k in self.columns.items()]
        return pa.schema(fields)

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = self._arrow_schema()
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, schema)
        if self._rows:
            self._parquet.write_table(pa.Table.from_pylist(self._rows, schema=schema))
            self._rows.clear()

    def close(self) -> None:
        """Finish the file."""
        if self.fmt == "parquet":
            self._flush_parquet()
            self._parquet.close()
        elif self._file is not None:
            self._file.close()
