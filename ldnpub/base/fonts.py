"""The typefaces: Atkinson Hyperlegible, and the fallback fonts a publication names for other
scripts, each installed from PyPI as a font package (fontpkg), never downloaded at run time.

Fallback fonts follow Atkinson in the font-family of the whole document, under their own names:
WeasyPrint merges faces that share a family name into one embedded font, so a fallback declared
as part of Atkinson's family (with unicode-range) prints the wrong glyphs. What no font in use can
draw is found before rendering (glyphs.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg

FAMILY = "Atkinson Hyperlegible"
STYLES = ((400, "normal"), (400, "italic"), (700, "normal"), (700, "italic"))


@cache
def font_files() -> tuple[Path, ...]:
    return tuple(Path(fontpkg.path(FAMILY, weight=w, style=s)).resolve() for w, s in STYLES)


class FontNotInstalled(LookupError):
    def __init__(self, family: str) -> None:
        super().__init__(family)
        self.family = family
        self.package = "fontpkg-" + fontpkg.slugify(family)


@cache
def fallback_file(family: str) -> Path:
    """The regular face of an installed font package's family (a variable font covers every weight)."""
    try:
        return Path(fontpkg.path(family, nearest=True)).resolve()
    except fontpkg.FontpkgError:
        raise FontNotInstalled(family) from None


@cache
def codepoints(path: Path) -> frozenset[int]:
    """The characters a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def covered(fallbacks: tuple[str, ...] = ()) -> frozenset[int]:
    """Every character the fonts in use can draw (Atkinson's regular face stands for all four)."""
    found = set(codepoints(font_files()[0]))
    for family in fallbacks:
        found |= codepoints(fallback_file(family))
    return frozenset(found)


def font_face_css(fallbacks: tuple[str, ...] = ()) -> str:
    """@font-face rules for Atkinson's four styles, then each fallback font (its one file for all)."""
    rules = [_face(FAMILY, weight, style, path) for (weight, style), path in zip(STYLES, font_files())]
    rules += [_face(family, weight, style, fallback_file(family)) for family in fallbacks for weight, style in STYLES]
    return "\n".join(rules)


def family_css(fallbacks: tuple[str, ...]) -> str:
    """The document's font-family with the fallbacks after Atkinson; applied after every stylesheet."""
    if not fallbacks:
        return ""
    names = ", ".join(f'"{name}"' for name in (FAMILY, *fallbacks))
    return f"html {{ font-family: {names}, sans-serif; }}\n"


def font_dirs(fallbacks: tuple[str, ...] = ()) -> tuple[Path, ...]:
    files = [*font_files(), *(fallback_file(family) for family in fallbacks)]
    return tuple(sorted({path.parent for path in files}))


def _face(family: str, weight: int, style: str, path: Path) -> str:
    return (f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{path.as_uri()}"); }}')
