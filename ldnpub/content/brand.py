"""Brand profiles: a clinic's YAML file -> LoadedBrand, with its colours and logo checked.

Colours must keep text readable (WCAG contrast against white: 4.5:1 for text colours, 3:1 for
box edges), and the logo must be a file in the brand file's own folder.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ldnpub.base.errors import ContentError, Problem
from ldnpub.content.loading import load_yaml
from ldnpub.content.model import Brand
from ldnpub.content.problems import problem_from_pydantic
from ldnpub.content.project import LoadedBrand
from ldnpub.content.search import SearchPath

MIN_TEXT_CONTRAST = 4.5
MIN_EDGE_CONTRAST = 3.0
LOGO_TYPES = (".svg", ".png")


def find_brand(search: SearchPath, name_or_path: str) -> Path:
    """A brand file given as a path, or by name from sources/brands/ on the search path."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    found = search.find(f"sources/brands/{name_or_path}.yaml")
    if found is None:
        known = sorted(p.stem for p in search.glob("sources/brands", "*.yaml").values())
        raise ContentError("unknown brand", (Problem(None, None, None, f"no brand file '{name_or_path}'",
                           f"give a path to a brand YAML file, or one of: {', '.join(known)}"),))
    return found


def open_brand(search: SearchPath, name_or_path: str) -> LoadedBrand:
    """The brand a build names: a brand file inside the project (or the shipped ones) is read
    only if it really lies there; a path the user gives outside the project is theirs."""
    path = find_brand(search, name_or_path)
    return load_brand(path, search.root_of(path.absolute()))


def load_brand(path: Path, inside: Path | None = None) -> LoadedBrand:
    raw = load_yaml(path, inside=inside)
    if not isinstance(raw.data, dict):  # named, never echoed: it may be any file
        raise ContentError("invalid brand", (Problem(path, None, None, "not a brand file: expected fields "
                           "such as name:, logo: and colors:"),))
    try:
        brand = Brand.model_validate(raw.data)
    except ValidationError as exc:
        raise ContentError("invalid brand", tuple(problem_from_pydantic(raw, e, Brand) for e in exc.errors())) from None
    problems = []
    if brand.colors:
        problems += _contrast_problem(raw, "primary", brand.colors.primary, MIN_TEXT_CONTRAST, "text needs")
        if brand.colors.accent:
            problems += _contrast_problem(raw, "accent", brand.colors.accent, MIN_EDGE_CONTRAST, "box edges need")
    logo = None
    if brand.logo:
        logo = (path.parent / brand.logo.file).resolve()
        line, column = raw.locate(("logo", "file"))
        if not logo.is_relative_to(path.parent.resolve()):
            problems.append(Problem(path, line, column, "logo.file: the logo must be inside the brand file's folder"))
        elif not logo.is_file():
            problems.append(Problem(path, line, column, f"logo.file: no file {brand.logo.file} next to the brand file"))
        elif logo.suffix.lower() not in LOGO_TYPES:
            problems.append(Problem(path, line, column, f"logo.file: expected an SVG or PNG file, found {logo.name}"))
    if problems:
        raise ContentError("invalid brand", tuple(problems))
    return LoadedBrand(brand.id or path.stem, brand, path.parent.resolve(), logo)


def contrast(color: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    lighter, darker = sorted((_luminance(color), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_problem(raw, name: str, color: str, minimum: float, use: str) -> list[Problem]:
    ratio = contrast(color)
    if ratio >= minimum:
        return []
    line, column = raw.locate(("colors", name))
    return [Problem(raw.path, line, column,
                    f"colors.{name}: {color} has a contrast of {ratio:.1f}:1 against white; "
                    f"{use} at least {minimum}:1", "choose a darker colour")]
