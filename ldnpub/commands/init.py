"""`ldnpub init`: a new project folder, ready to edit."""

from __future__ import annotations

import shutil
from pathlib import Path
from ldnpub.content.search import CONTENT_FOLDERS, shipped_root


def init_project(target: Path) -> list[Path]:
    """Copy the shipped sources, layouts and styles into a new folder, ready to edit, with JSON
    Schemas that editors use for completion, hover help and error marks (see schema.py)."""
    from ldnpub.base.errors import UsageError, Problem
    from ldnpub.content.schema import add_editor_support

    if target.exists() and any(target.iterdir()):
        raise UsageError("folder not empty", (Problem(target, None, None, "the folder is not empty",
                                                      "choose a new folder; nothing was written"),))
    shipped = shipped_root()
    target.mkdir(parents=True, exist_ok=True)
    for folder in CONTENT_FOLDERS:
        shutil.copytree(shipped / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    from ldnpub.build.settings import COMMENTED, FILE_NAME

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
