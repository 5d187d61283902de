"""Watching: rebuild what changed each time a file of the project is saved (watchfiles).

A content error is reported and the watch goes on: the next save may fix it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ldnpub.build.options import BuildOptions
from ldnpub.build.run import BuildReport, Reporter, build
from ldnpub.build.dispatch import WarmPool
from ldnpub.base.errors import BuildError, LdnpubError, Problem
from ldnpub.content.search import CONTENT_FOLDERS
from ldnpub.content.load import load_project

WATCHED = CONTENT_FOLDERS  # translations too: a translator sees their edit


def build_once(project_dir: Path, options: BuildOptions, out_dir: Path, warm: WarmPool | None = None,
               first: str | None = None, reporter: Reporter | None = None) -> BuildReport | LdnpubError:
    try:
        return build(load_project(project_dir), options, out_dir, reporter, warm=warm, first=first)
    except LdnpubError as exc:
        return exc
    except OSError as exc:  # a file renamed or deleted while it was read: the next event rebuilds
        return BuildError("file changed while read", (Problem(
            Path(exc.filename) if exc.filename else None, None, None, exc.strerror or str(exc)),))


def watch(project_dir: Path, options: BuildOptions, out_dir: Path,
          on_build: Callable[[BuildReport | LdnpubError], None],
          stop: threading.Event | None = None, first: Callable[[], str | None] = lambda: None,
          reporter: Reporter | None = None) -> None:
    """Build now, then after every change, until stop is set (or forever). The PDFs render on
    warm workers that live as long as the watch; first() names the file to render before the
    others (the preview's page on screen); reporter hears of each file as it is written."""
    import watchfiles

    paths = [project_dir / name for name in WATCHED if (project_dir / name).is_dir()] or [project_dir]
    paths += [Path(brand).resolve().parent for brand in options.brands if Path(brand).is_file()]
    out = out_dir.resolve()
    built = False

    def is_source(change, path: str) -> bool:
        return not is_output(Path(path), out, paths)

    with WarmPool(options.jobs) as warm:
        if not options.scheduler:
            warm.start()
        # The first (empty) yield comes once the watcher runs: building only then, no save is missed.
        for changes in watchfiles.watch(*paths, stop_event=stop, debounce=300, step=20, rust_timeout=200,
                                        yield_on_timeout=True, watch_filter=is_source):
            if changes or not built:
                built = True
                on_build(build_once(project_dir, options, out_dir, None if options.scheduler else warm,
                                    first(), reporter))


def is_output(path: Path, out: Path, watched: list[Path]) -> bool:
    """A file the build itself wrote, whose change must not trigger another build. When the
    output folder holds the sources (--out .), only the files directly in it are outputs."""
    if not path.is_relative_to(out):
        return False
    if any(root.resolve().is_relative_to(out) for root in watched):
        return path.parent == out
    return True
