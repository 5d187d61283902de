"""Finding files: the project's own first, the shipped defaults second.

One search path serves sources/, layouts/ and styles/, so a clinic overrides one file
without copying the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # ldnpub/
CONTENT_FOLDERS = ("sources", "layouts", "styles", "translations")


def shipped_root() -> Path:
    """The default sources, layouts and styles: inside the installed package, or the checkout."""
    packaged = PACKAGE_DIR / "shipped"
    if (packaged / "sources").is_dir():
        return packaged
    return PACKAGE_DIR.parent


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
            from ldnpub.base.errors import ContentError, Problem

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
