"""Errors and problems: every message names the file, the line and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located in a file when we know where."""

    path: Path | None
    line: int | None
    column: int | None
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class LdnpubError(Exception):
    """Base of the errors the CLI reports without a traceback."""

    exit_code = 2

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        if not self.problems:
            return self.args[0]
        return "\n".join(str(p) for p in self.problems)


class ContentError(LdnpubError):
    """The content (YAML, brand, catalog) is invalid: bad input, exit code 2."""


class UsageError(LdnpubError):
    """The command asked for something that does not exist: bad usage, exit code 2."""


class BuildError(LdnpubError):
    """Rendering or writing a document failed: exit code 1."""

    exit_code = 1
