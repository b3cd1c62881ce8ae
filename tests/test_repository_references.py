"""Nothing in the repository points outside it: no tracked file names the design notes kept
beside the repository, and every relative link of a tracked Markdown file leads to a file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

from support.common import ROOT

#: Built from parts, so that this file does not name them itself.
OUTSIDE = ("../" + "shared", "shared/" + "design", "DOMAIN" + ".md")
LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def tracked_files() -> list[Path]:
    """The files git tracks (binary ones left out)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    files = [ROOT / name for name in listed.split("\0") if name]
    return [f for f in files if f.is_file() and b"\0" not in f.read_bytes()[:8192]]


def test_no_tracked_file_refers_to_files_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in tracked_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if any(name in line for name in OUTSIDE)
    ]
    assert not found, "\n".join(found)


def test_every_relative_link_of_a_markdown_file_leads_to_a_file() -> None:
    broken = []
    for path in tracked_files():
        if path.suffix != ".md":
            continue
        for target in LINK.findall(path.read_text(errors="replace")):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
                continue  # a URL (http:, mailto:) or a place in the same page
            relative = unquote(target.split("#", 1)[0])
            if not (path.parent / relative).exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, "\n".join(broken)
