"""The files a build writes and the manifest that lists them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ldnpub._version import __version__
from ldnpub.build.cache import (previous_outputs, sealed)
from ldnpub.base.targets import BuildTarget
from ldnpub.base.files import write_atomic


MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Output:
    target: BuildTarget
    path: Path
    pages: int
    sha256: str
    fingerprint: str = ""
    imposed: bool = False
    press: bool = False  # the PDF/X-4 file for the print shop
    inputs: tuple[tuple[str, str], ...] = ()  # the files WeasyPrint read, with their sha256

    def manifest_entry(self, out_dir: Path) -> dict:
        t = self.target
        return {"document": t.document, "condition": t.condition, "variant": t.variant, "paper": t.paper, "trim": t.trim_name,
                "language": t.language,
                "brand": t.brand, "bleed": t.bleed, "crop_marks": t.crop_marks, "pdf_standard": t.pdf_standard,
                "path": self.path.relative_to(out_dir).as_posix(),
                "pages": self.pages, "sha256": self.sha256, "imposed": self.imposed, "press": self.press,
                "fingerprint": self.fingerprint, "inputs": dict(self.inputs)}


def forget_in_manifest(out_dir: Path, names: Sequence[str]) -> None:
    """Drop the entries of files about to be replaced, before replacing them: a build killed
    between the two leaves a manifest that lists only files that match it."""
    manifest_path = out_dir / MANIFEST
    entries = previous_outputs(manifest_path)
    if not any(name in entries for name in names):
        return
    _save_manifest(out_dir, {p: e for p, e in entries.items() if p not in names})


def write_manifest(out_dir: Path, outputs: Sequence[Output]) -> None:
    """Record the new outputs, keeping the entries of earlier builds into the same folder."""
    manifest_path = out_dir / MANIFEST
    entries = previous_outputs(manifest_path)
    for output in outputs:
        entry = sealed(output.manifest_entry(out_dir))
        entries[entry["path"]] = entry
    _save_manifest(out_dir, {p: e for p, e in entries.items() if (out_dir / p).is_file()})


def _save_manifest(out_dir: Path, entries: dict[str, dict]) -> None:
    """Write the manifest, unless it already says exactly this: a build with nothing to do
    touches no file."""
    manifest = {"generator": f"ldnpub {__version__}", "files": [entries[p] for p in sorted(entries)]}
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    path = out_dir / MANIFEST
    try:
        if path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
