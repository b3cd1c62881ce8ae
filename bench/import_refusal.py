"""How long an oversized employee import takes to be refused, and how long the event loop
stalls meanwhile.

    .venv/bin/python bench/import_refusal.py [--rows 300000] [--probe-ms 10]
        [--max-expanded-bytes N]

Builds (once, cached under var/bench/) an XLSX of --rows identical employee rows: a small
file that expands to a huge sheet, the shape of a zip bomb. The appraisal app runs in process
(httpx ASGITransport on `create_app`, a fresh SQLite database, bkpsdm_admin token, relay and
consumers off) and receives the file on POST /imports/employees while a probe asks
GET /health every --probe-ms on the same event loop. Reported: the seconds until the refusal
(its status), and the longest gap between two health answers (the event loop's stall).
Nothing is asserted. The service refuses such a file before parsing when it expands past
APPRAISAL_MAX_IMPORT_EXPANDED_BYTES; --max-expanded-bytes raises that bound to measure the
row cap, which stops the reading at APPRAISAL_MAX_IMPORT_ROWS.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time
import zipfile
from pathlib import Path

import httpx
from common import ROOT, Stopwatch, gateway_auth, write_result
from openpyxl import Workbook

from kinerja_appraisal.main import create_app
from kinerja_appraisal.settings import PREFIX, AppraisalSettings
from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.auth import issue_token

WORK = ROOT / "var" / "bench"
ALEMBIC_INI = ROOT / "services" / "appraisal" / "alembic.ini"


HEADER = ["nip", "name", "kind", "position", "unit_code", "supervisor_nip", "is_head"]
ROW = ["198001012005011001", "Pegawai", "pns", "Staf", "UNIT", "", ""]


def _row_xml(values: list[str]) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f"<row>{cells}</row>"


def bomb(rows: int) -> Path:
    """An XLSX with a header and `rows` identical employee rows (built once): a workbook
    openpyxl writes, its sheet replaced by rows without cell references (as a spreadsheet
    may write them) and deflated at level 9, so identical rows compress about 300 to 1."""
    path = WORK / f"employees-{rows}.xlsx"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    template = io.BytesIO()
    book = Workbook()
    book.save(template)
    sheet_name = "xl/worksheets/sheet1.xml"
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename != sheet_name:
                target.writestr(item.filename, source.read(item.filename))
        with target.open(sheet_name, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>" + _row_xml(HEADER).encode()
            )
            line = _row_xml(ROW).encode()
            for _ in range(rows):
                sheet.write(line)
            sheet.write(b"</sheetData></worksheet>")
    return path


async def measure(
    name: str, content: bytes, url: str, probe_seconds: float, max_expanded_bytes: int | None
) -> dict[str, float | int | str]:
    """POST the file while probing /health; the refusal's time and the longest probe gap."""
    bound = {} if max_expanded_bytes is None else {"max_import_expanded_bytes": max_expanded_bytes}
    settings = AppraisalSettings(
        **bound,
        database_url=url,
        run_relay=False,
        run_consumers=False,
        log_level="WARNING",
        kafka={"bootstrap_servers": "127.0.0.1:1"},
    )
    app = create_app(settings)
    token = issue_token(settings.auth, subject="bench", roles=("bkpsdm_admin",))
    gaps: list[float] = []
    done = asyncio.Event()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app),
        base_url="http://appraisal",
        auth=gateway_auth("appraisal"),
        timeout=None,
    ) as client:

        async def probe() -> int:
            answered = 0
            last = time.perf_counter()
            while not done.is_set():
                await client.get("/health")
                now = time.perf_counter()
                gaps.append(now - last)
                last = now
                answered += 1
                await asyncio.sleep(probe_seconds)
            return answered

        prober = asyncio.create_task(probe())
        await asyncio.sleep(0.2)
        with Stopwatch() as watch:
            response = await client.post(
                f"{PREFIX}/imports/employees",
                files={"file": (name, content)},
                headers={"Authorization": f"Bearer {token}"},
            )
        done.set()
        answered = await prober
    await app.state.runtime.engine.dispose()
    return {
        "file_bytes": len(content),
        "status": response.status_code,
        "detail": str(response.json().get("detail", ""))[:120],
        "refused_after_s": round(watch.seconds, 3),
        "health_answers": answered,
        "longest_health_gap_s": round(max(gaps), 3),
        "median_health_gap_s": round(statistics.median(gaps), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--probe-ms", type=float, default=10)
    parser.add_argument("--max-expanded-bytes", type=int, default=None)
    args = parser.parse_args()
    file = bomb(args.rows)
    database = WORK / "import-refusal.db"
    database.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{database}"
    upgrade_head(str(ALEMBIC_INI), url)  # before the event loop: Alembic runs its own
    figures = {
        "rows": args.rows,
        "max_expanded_bytes": args.max_expanded_bytes or "default",
        **asyncio.run(
            measure(
                file.name, file.read_bytes(), url, args.probe_ms / 1000, args.max_expanded_bytes
            )
        ),
    }
    path = write_result("import-refusal", figures)
    for name, value in figures.items():
        print(f"{name:24} {value}")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
