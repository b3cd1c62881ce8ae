"""The README's "Try it" commands, read from README.md and run as written in one shell.

A command is a complete shell statement (lines joined while a quote is open or a line ends
with a backslash). Lines `# → <output>` right after a command give what it prints: the
whole output must match, `…` standing for any text. Each command's exit status and output
are recorded separately, in one bash process, so variables carry over as in a terminal.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SHOWN = "# → "


@dataclass
class Command:
    """One command of the README, with the output it shows (if any)."""

    text: str
    shown: list[str] = field(default_factory=list)

    def matches(self, output: str) -> bool:
        """Whether the output is what the README shows (`…` is any text)."""
        pattern = ".*".join(re.escape(part) for part in "\n".join(self.shown).split("…"))
        return re.fullmatch(pattern, output.strip(), flags=re.DOTALL) is not None


@dataclass
class Ran:
    """What one command did."""

    command: Command
    status: int
    stdout: str
    stderr: str


def try_it_block(readme: Path, heading: str = "### Try it with curl") -> str:
    """The first ```bash block under the heading."""
    text = readme.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    return section.split("```bash\n", 1)[1].split("\n```", 1)[0]


def _complete(text: str) -> bool:
    if text.endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # a quote still open
        return False
    return True


def commands(block: str) -> list[Command]:
    """The commands of a block, each with the output lines shown after it."""
    found: list[Command] = []
    pending: list[str] = []
    for line in block.splitlines():
        if not pending and line.startswith(SHOWN.rstrip()):
            found[-1].shown.append(line[len(SHOWN) :])
            continue
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending.append(line)
        if _complete("\n".join(pending)):
            found.append(Command("\n".join(pending)))
            pending = []
    if pending:
        raise ValueError(f"an unfinished command at the end: {pending}")
    return found


def run(found: list[Command], *, cwd: Path, work: Path, timeout: float) -> list[Ran]:
    """Run the commands in order in one bash; each one's status and output, separately."""
    script = []
    for n, command in enumerate(found):
        script.append(f"{{ {command.text}\n}} >{work}/{n}.out 2>{work}/{n}.err </dev/null")
        script.append(f"echo $? >{work}/{n}.status")
    subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=cwd, timeout=timeout, check=False, text=True
    )
    ran = []
    for n, command in enumerate(found):
        status = work / f"{n}.status"
        ran.append(
            Ran(
                command,
                int(status.read_text()) if status.exists() else -1,
                (work / f"{n}.out").read_text(errors="replace"),
                (work / f"{n}.err").read_text(errors="replace"),
            )
        )
    return ran
