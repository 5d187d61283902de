"""Finding files: the project's own first, the shipped defaults second.

One search path serves sources/, layouts/ and styles/, so a clinic overrides one file
without copying the rest.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_FOLDERS = ("sources", "layouts", "styles", "translations")


def shipped_root() -> Path:
    """The default sources, layouts and styles: inside the installed package, or the checkout."""
    packaged = PACKAGE_DIR / "shipped"
    if (packaged / "sources").is_dir():
        return packaged
    return PACKAGE_DIR.parent


def read_file(path: Path, max_bytes: int, inside: Path | None = None, display: str | None = None) -> bytes:
    """A regular file's bytes, at most max_bytes, refused before reading when larger.

    With `inside`, the file that was actually opened must lie inside that folder, symlinks
    followed: checked on the open file (its path from /proc/self/fd), so a file swapped for a
    link between a check and the read cannot lead outside. O_NONBLOCK: a FIFO planted under a
    content file's name is refused instead of blocking the build.
    """
    from .errors import ContentError, Problem

    name = Path(display or path)

    def refuse(message: str, hint: str = "") -> ContentError:
        return ContentError("unreadable input", (Problem(name, None, None, message, hint),))

    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise refuse("not a regular file", "replace it with a text file")
        if inside is not None:
            real = _opened_path(descriptor, path)
            if not real.is_relative_to(inside.resolve()):
                raise refuse(f"leads outside the project (to {real})", "replace the link with the file itself")
        if status.st_size > max_bytes:
            raise refuse(f"the file is larger than {max_bytes:,} bytes", "split it into several files")
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise refuse(f"the file is larger than {max_bytes:,} bytes", "split it into several files")
    return data


def _opened_path(descriptor: int, path: Path) -> Path:
    """The real path of an open file: where the kernel says it is (Linux), else resolved."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        return path.resolve()


@dataclass(frozen=True, slots=True)
class SearchPath:
    """Where files are found: the project's own folder first, the shipped defaults second."""

    roots: tuple[Path, ...]

    @classmethod
    def for_project(cls, project_dir: Path) -> SearchPath:
        roots = [project_dir.resolve()]
        shipped = shipped_root()
        if shipped != roots[0]:
            roots.append(shipped)
        return cls(tuple(roots))

    def find(self, relative: str) -> Path | None:
        for root in self.roots:
            candidate = root / relative
            if candidate.is_file():
                self.require_inside(root, candidate)
                return candidate
        return None

    @staticmethod
    def contains(root: Path, path: Path) -> bool:
        """The file, symlinks followed, is inside the root."""
        return path.resolve().is_relative_to(root.resolve())

    def require_inside(self, root: Path, path: Path) -> None:
        """A shared project cannot make the build read /etc/passwd by linking to it."""
        if not self.contains(root, path):
            from .errors import ContentError, Problem

            raise ContentError("outside the project", (Problem(
                Path(self.display(path)), None, None, f"leads outside the project (to {path.resolve()})",
                "replace the link with the file itself"),))

    def glob(self, folder: str, pattern: str) -> dict[str, Path]:
        """Files by name in a folder across the roots; a project's file overrides a shipped one."""
        found: dict[str, Path] = {}
        for root in reversed(self.roots):
            for path in sorted((root / folder).glob(pattern)):
                if path.is_file():
                    self.require_inside(root, path)
                    found[path.name] = path
        return dict(sorted(found.items()))

    def root_of(self, path: Path) -> Path | None:
        """The root a path was found under (by name, before links are followed)."""
        return next((root for root in self.roots if path.is_relative_to(root)), None)

    def display(self, path: Path) -> str:
        """A short name for messages: relative to the project, or marked as shipped."""
        for index, root in enumerate(self.roots):
            if path.is_relative_to(root):
                relative = str(path.relative_to(root))
                return relative if index == 0 else str(path)
        return str(path)


def init_project(target: Path) -> list[Path]:
    """Copy the shipped sources, layouts and styles into a new folder, ready to edit, with JSON
    Schemas that editors use for completion, hover help and error marks (see schema.py)."""
    from .errors import UsageError, Problem
    from .schema import add_editor_support

    if target.exists() and any(target.iterdir()):
        raise UsageError("folder not empty", (Problem(target, None, None, "the folder is not empty",
                                                      "choose a new folder; nothing was written"),))
    shipped = shipped_root()
    target.mkdir(parents=True, exist_ok=True)
    for folder in CONTENT_FOLDERS:
        shutil.copytree(shipped / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    from .settings import COMMENTED, FILE_NAME

    (target / FILE_NAME).write_text(COMMENTED, encoding="utf-8")
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return ([target / folder for folder in CONTENT_FOLDERS] + [target / FILE_NAME, target / ".gitignore"]
            + add_editor_support(target))


# What a project's repository should not keep: the built files and the Python environment.
GITIGNORE = """\
# Built by ldnpub: rebuild with `ldnpub build`.
/dist/
# The Python environment ldnpub is installed in.
/.venv/
__pycache__/
"""
