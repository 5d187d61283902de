"""Watching: rebuild what changed each time a file of the project is saved (watchfiles).

A content error is reported and the watch goes on: the next save may fix it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from .build import BuildOptions, BuildReport, build
from .errors import LdnpubError
from .validate import load_project

WATCHED = ("sources", "layouts", "styles")


def build_once(project_dir: Path, options: BuildOptions, out_dir: Path) -> BuildReport | LdnpubError:
    try:
        return build(load_project(project_dir), options, out_dir)
    except LdnpubError as exc:
        return exc


def watch(project_dir: Path, options: BuildOptions, out_dir: Path,
          on_build: Callable[[BuildReport | LdnpubError], None],
          stop: threading.Event | None = None) -> None:
    """Build now, then after every change, until stop is set (or forever)."""
    import watchfiles

    paths = [project_dir / name for name in WATCHED if (project_dir / name).is_dir()] or [project_dir]
    if options.brand and Path(options.brand).is_file():
        paths.append(Path(options.brand).resolve().parent)
    out = out_dir.resolve()
    built = False
    # The first (empty) yield comes once the watcher runs: building only then, no save is missed.
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=300, step=50, rust_timeout=200,
                                    yield_on_timeout=True,
                                    watch_filter=lambda change, path: not Path(path).is_relative_to(out)):
        if changes or not built:
            built = True
            on_build(build_once(project_dir, options, out_dir))
