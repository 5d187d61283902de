"""External tools (Ghostscript, Java) run bounded: a timeout, resource limits in the child, its
own process group killed whole on timeout, and only files that start as a PDF handed to them.

A PDF from a shared project is untrusted input to these tools too: a 1.2 KB file of huge pages
can cost Ghostscript gigabytes, a Flate bomb can cost Java as much, and a PostScript program
named .pdf would be run as PostScript.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ldnpub.base.errors import BuildError, Problem

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True, slots=True)
class Bounds:
    timeout_s: float
    memory_bytes: int | None  # the child's address space (RLIMIT_AS); None where the tool sets its own
    cpu_s: int


GHOSTSCRIPT_BOUNDS = Bounds(timeout_s=300, memory_bytes=2 * 2**30, cpu_s=300)
# Java reserves far more address space than it uses, so its heap is limited with -Xmx instead.
JAVA_BOUNDS = Bounds(timeout_s=600, memory_bytes=None, cpu_s=1200)
JAVA_HEAP = "-Xmx1g"


def run_bounded(command: Sequence[str], bounds: Bounds, what: str, env: dict | None = None,
                text: bool = True) -> subprocess.CompletedProcess:
    """Run a tool within its bounds; a tool that cannot start or does not finish is a BuildError."""
    def limit() -> None:  # in the child, before the tool starts
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (bounds.cpu_s, bounds.cpu_s))
        if bounds.memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (bounds.memory_bytes, bounds.memory_bytes))

    try:
        process = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text,
                                   env=env, preexec_fn=limit, start_new_session=True)
    except OSError as exc:
        raise BuildError("tool failed", (Problem(None, None, None, f"{what}: cannot start {command[0]}: "
                                                 f"{exc.strerror or exc}"),)) from None
    try:
        stdout, stderr = process.communicate(timeout=bounds.timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise BuildError("tool timed out", (Problem(None, None, None,
                         f"{what}: {Path(command[0]).name} did not finish in {bounds.timeout_s:.0f} s"),)) from None
    except BaseException:  # Ctrl+C: the tool goes too
        _kill_group(process)
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.communicate()


def require_pdf(data: bytes, path: Path | str) -> None:
    """Only a file that starts as a PDF is handed to a tool: %!PS would run as PostScript."""
    if not data.startswith(PDF_MAGIC):
        raise BuildError("not a PDF", (Problem(Path(path), None, None, "not a PDF file: it does not start "
                                               "with %PDF-", "give the PDF that ldnpub built"),))
