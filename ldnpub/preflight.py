"""Preflight: what a print shop checks before a PDF goes to press, read back from the file.

Errors (the file would be refused or print wrong): a page without a TrimBox, boxes outside the
media, an unembedded font, RGB colour, no PDF/X output intent or version, total ink above 300%.
Warnings (worth a look): images under 300 dpi at their placed size, lines thinner than 0.25 pt,
text smaller than 6 pt. Total ink is measured on a CMYK rendering by Ghostscript (the
largest C+M+Y+K anywhere on the page), since its `inkcov` device reports the average coverage of
each ink, which cannot show a 400% patch on a mostly white page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pypdf import PdfReader
from pypdf.generic import ContentStream

from . import press
from .errors import BuildError, Problem
from .tools import require_pdf

MAX_INK = 300  # percent: the usual limit for coated paper
MIN_DPI = 300
MIN_LINE = 0.25  # points
MIN_TEXT = 6.0  # points
INK_RESOLUTION = 36  # dpi: solid areas keep their full values; enough to find where the ink is heaviest
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
COLOUR_OPERATORS = {b"rg": "fill", b"RG": "stroke"}
STROKES = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


@dataclass(frozen=True, slots=True)
class Finding:
    page: int | None  # 1-based; None for the whole file
    severity: Literal["error", "warning"]
    message: str

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{self.severity}: {where}{self.message}"


@dataclass(slots=True)
class Report:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    ink: list[float] = field(default_factory=list)  # the highest total ink on each page, percent

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


MAX_PREFLIGHT_BYTES = 512 * 2**20
MAX_PAGE_SIDE = 2 * 72 * 1000 / 25.4  # points: 2 m; SRA3 is 450 mm. Larger pages are not rasterised


def preflight(path: Path, data: bytes | None = None) -> Report:
    from .project import read_file

    data = read_file(path, MAX_PREFLIGHT_BYTES) if data is None else data
    require_pdf(data, path)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
        report = Report(path)
        report.findings += _pdfx(reader)
        for number, page in enumerate(pages, start=1):
            report.findings += [Finding(number, severity, message) for severity, message in _page(reader, page)]
        huge = [number for number, page in enumerate(pages, start=1) if _page_side(page) > MAX_PAGE_SIDE]
    except Exception as exc:  # noqa: BLE001 - a malformed PDF, in any of its parts, is a finding, not a crash
        raise BuildError("unreadable PDF", (Problem(path, None, None, f"not a readable PDF: "
                                                    f"{type(exc).__name__}: {str(exc)[:200]}"),)) from None
    if huge:
        report.findings += [Finding(number, "error", "the page is larger than 2 m: not a print page (total "
                                    "ink not measured)")
                            for number in huge]
    elif press.missing() is None:
        report.ink = ink_per_page(data, path.name)
        report.findings += [Finding(number, "error", f"total ink {ink:.0f}% (at most {MAX_INK}%)")
                            for number, ink in enumerate(report.ink, start=1) if ink > MAX_INK]
    else:
        report.findings.append(Finding(None, "warning", f"total ink not measured: {press.missing()}"))
    report.findings.sort(key=lambda f: (f.page or 0, f.severity != "error"))
    return report


def _page_side(page) -> float:
    """The page's longer side in points, its UserUnit applied (a small box can stand for a huge page)."""
    unit = page.get("/UserUnit", 1)
    unit = float(unit) if isinstance(unit, (int, float)) else 1.0
    return max(float(page.mediabox.width), float(page.mediabox.height)) * max(unit, 1.0)


def _pdfx(reader: PdfReader) -> Iterator[Finding]:
    root = reader.trailer["/Root"]
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    if not any(i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i for i in intents):
        yield Finding(None, "error", "no PDF/X output intent (a CMYK profile the colours are meant for); "
                                     "build the press file with `ldnpub build --press`")
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    if b"GTS_PDFXVersion" not in xmp:
        yield Finding(None, "error", "no PDF/X version in the XMP metadata (pdfxid:GTS_PDFXVersion)")
    if (reader.metadata or {}).get("/Trapped") not in ("/True", "/False"):
        yield Finding(None, "error", "/Trapped is not stated in the document information")
    if "/ID" not in reader.trailer:
        yield Finding(None, "error", "no file identifier (/ID)")


def _page(reader: PdfReader, page) -> Iterator[tuple[str, str]]:
    yield from _boxes(page)
    yield from _group(page)
    seen: set[str] = set()
    for severity, message in _content(reader, page):
        if message not in seen:  # each kind of problem once per page
            seen.add(message)
            yield severity, message


def _boxes(page) -> Iterator[tuple[str, str]]:
    if "/TrimBox" not in page:
        yield "error", "no TrimBox (where the page is cut)"
        return
    media, trim = page.mediabox, page.trimbox
    bleed = page.bleedbox if "/BleedBox" in page else media
    if not _inside(bleed, media):
        yield "error", "the BleedBox reaches beyond the MediaBox"
    if not _inside(trim, bleed):
        yield "error", "the TrimBox reaches beyond the BleedBox"


def _inside(inner, outer, tolerance: float = 0.01) -> bool:
    return (float(inner.left) >= float(outer.left) - tolerance and float(inner.bottom) >= float(outer.bottom) - tolerance
            and float(inner.right) <= float(outer.right) + tolerance and float(inner.top) <= float(outer.top) + tolerance)


# --- content: colours, fonts, images, lines, text ----------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    g, h, i, j, k, l = n
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l)


def _scale(m: Matrix) -> float:
    """How much the matrix enlarges a length (the geometric mean of its axes)."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def _content(reader: PdfReader, page) -> Iterator[tuple[str, str]]:
    yield from _walk(reader, page.get_contents(), page.get("/Resources"), IDENTITY, set())


def _walk(reader, contents, resources, ctm: Matrix, forms_seen: set[int]) -> Iterator[tuple[str, str]]:
    resources = resources.get_object() if resources is not None else {}
    yield from _fonts(resources)
    yield from _colour_spaces(resources)
    if contents is None:
        return
    stack: list[tuple[Matrix, float]] = []
    line_width = 1.0
    font_size, text_matrix = 0.0, IDENTITY
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"q":
            stack.append((ctm, line_width))
        elif operator == b"Q" and stack:
            ctm, line_width = stack.pop()
        elif operator == b"cm" and len(operands) == 6:
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif operator == b"w" and operands:
            line_width = float(operands[0])
        elif operator in COLOUR_OPERATORS:
            yield "error", f"RGB colour ({COLOUR_OPERATORS[operator]}): a press file has CMYK or grey only"
        elif operator in STROKES and line_width * _scale(ctm) < MIN_LINE:
            yield "warning", f"a line thinner than {MIN_LINE} pt ({line_width * _scale(ctm):.2f} pt)"
        elif operator == b"Tf" and len(operands) == 2:
            font_size = float(operands[1])
        elif operator == b"Tm" and len(operands) == 6:
            text_matrix = tuple(float(v) for v in operands)
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            size = font_size * _scale(text_matrix) * _scale(ctm)
            if 0 < size < MIN_TEXT - 0.05:
                yield "warning", f"text smaller than {MIN_TEXT:g} pt ({size:.1f} pt)"
        elif operator == b"Do" and operands:
            yield from _xobject(reader, resources, operands[0], ctm, forms_seen)


def _xobject(reader, resources, name, ctm: Matrix, forms_seen: set[int]) -> Iterator[tuple[str, str]]:
    xobject = resources.get("/XObject", {}).get_object().get(name) if "/XObject" in resources else None
    if xobject is None:
        return
    xobject = xobject.get_object()
    if xobject.get("/Subtype") == "/Image":
        yield from _image(xobject, ctm)
    elif xobject.get("/Subtype") == "/Form" and id(xobject) not in forms_seen:
        yield from _group(xobject)
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        yield from _walk(reader, xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm),
                         forms_seen | {id(xobject)})


def _image(image, ctm: Matrix) -> Iterator[tuple[str, str]]:
    space = image.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    if _is_rgb(space):
        yield "error", "an RGB image: a press file has CMYK or grey only"
    placed_width = math.hypot(ctm[0], ctm[1]) / 72  # inches: an image fills the unit square
    placed_height = math.hypot(ctm[2], ctm[3]) / 72
    if placed_width > 0 and placed_height > 0 and not image.get("/ImageMask"):
        dpi = min(float(image.get("/Width", 0)) / placed_width, float(image.get("/Height", 0)) / placed_height)
        if dpi < MIN_DPI:
            yield "warning", f"an image at {dpi:.0f} dpi as placed (at least {MIN_DPI} for print)"


def _group(holder) -> Iterator[tuple[str, str]]:
    """A page's or a form's transparency group blending in RGB: PDF/X-4 allows no device RGB."""
    group = holder.get("/Group")
    group = group.get_object() if group is not None else None
    if isinstance(group, dict):
        space = group.get("/CS")
        if _is_rgb(space.get_object() if space is not None else None):
            yield "error", "an RGB transparency group (/Group /CS): a press file blends in CMYK or grey"


def _is_rgb(space) -> bool:
    if space is None:
        return False
    if isinstance(space, str):
        return space in RGB_SPACES
    if isinstance(space, list) and space:
        kind = space[0]
        if kind == "/ICCBased":
            return int(space[1].get_object().get("/N", 0)) == 3
        if kind in RGB_SPACES:
            return True
        if kind == "/Indexed":
            return _is_rgb(space[1].get_object() if hasattr(space[1], "get_object") else space[1])
    return False


def _colour_spaces(resources) -> Iterator[tuple[str, str]]:
    for name, space in (resources.get("/ColorSpace") or {}).items():
        if _is_rgb(space.get_object()):
            yield "error", f"an RGB colour space ({name}): a press file has CMYK or grey only"
    for shading in (resources.get("/Shading") or {}).values():
        if _is_rgb(shading.get_object().get("/ColorSpace")):
            yield "error", "an RGB gradient: a press file has CMYK or grey only"


def _fonts(resources) -> Iterator[tuple[str, str]]:
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if font.get("/Subtype") == "/Type3":
            continue  # drawn with the file's own content streams
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            yield "error", f"font {str(font.get('/BaseFont', '?')).lstrip('/')} is not embedded"


# --- total ink -------------------------------------------------------------------------------------

def ink_per_page(data: bytes, identifier: str) -> list[float]:
    """The highest C+M+Y+K (percent) on each page, from Ghostscript's CMYK rendering of the trimmed page."""
    raster = press.ghostscript(["-sDEVICE=pamcmyk32", f"-r{INK_RESOLUTION}", "-dUseTrimBox"], data, identifier)
    return [_heaviest(pixels) for pixels in _pam_pages(raster)]


def _pam_pages(raster: bytes) -> Iterator[bytes]:
    """The pixel bytes of each image in a PAM stream (one per page)."""
    position = 0
    while position < len(raster):
        end = raster.index(b"ENDHDR\n", position) + len(b"ENDHDR\n")
        header = dict(line.split(b" ", 1) for line in raster[position:end].splitlines()[1:-1] if b" " in line)
        size = int(header[b"WIDTH"]) * int(header[b"HEIGHT"]) * int(header[b"DEPTH"])
        yield raster[end:end + size]
        position = end + size


def _heaviest(pixels: bytes) -> float:
    """The largest sum of the four 8-bit inks of any pixel, in percent."""
    view = memoryview(pixels)
    c, m, y, k = view[0::4], view[1::4], view[2::4], view[3::4]
    heaviest = max(map(sum, zip(c, m, y, k)), default=0)
    return heaviest / 255 * 100
