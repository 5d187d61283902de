"""The typeface: Atkinson Hyperlegible, installed from PyPI with fontpkg (never downloaded)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg

FAMILY = "Atkinson Hyperlegible"
STYLES = ((400, "normal"), (400, "italic"), (700, "normal"), (700, "italic"))


@cache
def font_files() -> tuple[Path, ...]:
    return tuple(Path(fontpkg.path(FAMILY, weight=w, style=s)).resolve() for w, s in STYLES)


def font_face_css() -> str:
    """@font-face rules for the four styles, pointing at the installed files."""
    rules = []
    for (weight, style), path in zip(STYLES, font_files()):
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def font_dirs() -> tuple[Path, ...]:
    return tuple(sorted({path.parent for path in font_files()}))
