"""Caching: what a build can skip.

A target's fingerprint hashes what decides its PDF before rendering: the HTML (which holds the
content, the layout and the brand), the CSS given as text, the stylesheets' paths, the options
that change the PDF and ldnpub's version. Rendering then records every file WeasyPrint actually
read (stylesheets and what they @import, fonts, images) with its sha256, as Lektor records
dependencies. An output is left as it is when its fingerprint matches the manifest's record,
its bytes match, and every recorded input is unchanged. Only this module knows how.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ._version import __version__
from .finish import PrintSpec
from .render import HtmlPage


def fingerprint(page: HtmlPage, spec: PrintSpec) -> str:
    digest = hashlib.sha256()
    for part in (__version__, spec.identifier, spec.pdf_variant, str(spec.page_multiple), str(spec.max_pages),
                 page.html, page.extra_css, page.final_css, *(str(path) for path in page.stylesheets)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def previous_outputs(manifest_path: Path) -> dict[str, dict]:
    """The manifest's entries by path, or nothing when there is no readable manifest."""
    try:
        files = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        # A hand-edited or foreign manifest: entries that are not ours are dropped, never trusted.
        return {entry["path"]: entry for entry in files
                if isinstance(entry, dict) and isinstance(entry.get("path"), str) and _plain_relative(entry["path"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _plain_relative(path: str) -> bool:
    """A file name inside the output folder: a manifest cannot point the build at ../../etc."""
    return bool(path) and not Path(path).is_absolute() and ".." not in Path(path).parts


def unchanged(entry: dict | None, out_dir: Path, fingerprint_now: str, roots: tuple[Path, ...]) -> bool:
    """The recorded output exists as recorded, from the same inputs: the same fingerprint, and
    every file WeasyPrint read for it last time (a stylesheet's @import, a url() in CSS, a font)
    unchanged."""
    if not entry or entry.get("fingerprint") != fingerprint_now:
        return False
    path = out_dir / entry["path"]
    if not (path.is_file() and _sha256(path) == entry.get("sha256")):
        return False
    return inputs_unchanged(entry.get("inputs"), roots)


def inputs_unchanged(inputs: object, roots: tuple[Path, ...]) -> bool:
    """The recorded inputs are all still as recorded. The manifest is not trusted: a path it
    names outside the project's folders is never read, and counts as changed."""
    if not isinstance(inputs, dict):
        return False
    resolved = [root.resolve() for root in roots]
    for name, digest in inputs.items():
        path = Path(name)
        if not (path.is_absolute() and any(path.resolve().is_relative_to(root) for root in resolved)
                and path.is_file() and _sha256(path) == digest):
            return False
    return True


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
