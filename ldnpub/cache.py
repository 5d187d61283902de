"""Caching: what a build can skip. A target's fingerprint hashes everything its PDF depends on.

The fingerprint covers the HTML (which holds the content, the layout and the brand), every
stylesheet, every local file the page refers to (fonts, images, logos), the options that change
the PDF and ldnpub's version. An output whose fingerprint and bytes match the manifest's record
is left as it is. Only this module knows how.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import __version__
from .render import HtmlPage

FILE_URL = re.compile(r"file://[^\"')\s]+")


def fingerprint(page: HtmlPage) -> str:
    digest = hashlib.sha256()
    for part in (__version__, page.identifier, str(page.page_multiple), str(page.max_pages),
                 page.html, page.extra_css, page.final_css):
        digest.update(part.encode())
        digest.update(b"\0")
    for path in page.stylesheets:
        digest.update(path.read_bytes())
    roots = [root.resolve() for root in page.allowed_roots]
    for url in sorted(set(FILE_URL.findall(page.html + page.extra_css))):
        path = Path(unquote(urlparse(url).path)).resolve()
        digest.update(url.encode())
        # Text that merely names a file: URL elsewhere (file:///proc/self/mem) is never read.
        readable = path.is_file() and any(path.is_relative_to(root) for root in roots)
        digest.update(path.read_bytes() if readable else b"not read")
    return digest.hexdigest()


def previous_outputs(manifest_path: Path) -> dict[str, dict]:
    """The manifest's entries by path, or nothing when there is no readable manifest."""
    try:
        return {entry["path"]: entry for entry in json.loads(manifest_path.read_text())["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def unchanged(entry: dict | None, out_dir: Path, fingerprint_now: str) -> bool:
    """The recorded output exists as recorded, from the same inputs."""
    if not entry or entry.get("fingerprint") != fingerprint_now:
        return False
    path = out_dir / entry["path"]
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")
