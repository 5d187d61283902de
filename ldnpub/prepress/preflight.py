"""Preflight: what a print shop checks before a PDF goes to press, read back from the file.

Each rule has a name (RULES) and finds one kind of fault; every finding says its page and what
to do. Errors: the file would be refused or print wrong. Warnings: worth a look (text under 6 pt,
images under 300 dpi but at least 150). "Ready for press" means no error.

Two kinds of reading: the file's objects and content streams (pypdf) for colour, fonts, boxes,
lines, overprint, annotations and images; and Ghostscript's CMYK rendering of each page for what
only the printed result shows: the heaviest total ink anywhere on the page (its `inkcov` device
reports averages, which cannot show a 400% patch on a mostly white page), text too close to the
trim (text rendered alone), and artwork that reaches the trim without running into the bleed.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from pypdf import PdfReader
from pypdf.generic import ContentStream

from ldnpub.prepress import conditions, press
from ldnpub.base.errors import BuildError, Problem
from ldnpub.base.tools import require_pdf

MAX_PDF_VERSION = (1, 6)  # PDF/X-4 (ISO 15930-7) is PDF 1.6
MIN_DPI = 300  # below: a warning
MIN_DPI_ERROR = 150  # below: an error (a 72 dpi web image prints soft and jagged)
MIN_LINE = 0.25  # points: thinner lines may vanish on press
MIN_TEXT = 6.0  # points
SAFE_ZONE = 3.0  # mm: text nearer the trim than this may be cut
MM = 72 / 25.4
INK_RESOLUTION = 36  # dpi: solid areas keep their full values; enough to find where the ink is heaviest
EDGE_RESOLUTION = 72  # dpi: a pixel is 0.35 mm, for the safe zone and the bleed
RGB_SPACES = {"/DeviceRGB", "/CalRGB", "/RGB"}  # /RGB: an inline image's abbreviation
STROKES = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
FILLS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
INTERACTIVE_OK = {"/PrinterMark", "/TrapNet"}  # the only annotations a press file may carry

# Every rule preflight applies, by name: what `--json` and the tests call them.
RULES = {
    "output-intent": "a PDF/X output intent with a CMYK profile",
    "pdfx-version": "the PDF/X version in the XMP metadata",
    "pdf-version": "a PDF version PDF/X-4 allows (1.6 at most)",
    "trapped": "/Trapped stated",
    "file-id": "a file identifier (/ID)",
    "trim-box": "a TrimBox (or ArtBox) on every page, inside the bleed and the media",
    "rgb": "no RGB colour, colour space, image, gradient, pattern or transparency group in use",
    "font-embedded": "every font embedded",
    "image-resolution": "images at 300 dpi as placed (150 at the least)",
    "hairline": f"no line or filled stroke thinner than {MIN_LINE} pt",
    "white-overprint": "no white set to overprint",
    "annotation": "no links or other interactive annotations",
    "text-size": f"text at least {MIN_TEXT:g} pt (a warning)",
    "total-ink": "total ink within the output condition's limit",
    "safe-zone": f"no text within {SAFE_ZONE:g} mm of the trim",
    "bleed": "artwork that reaches the trim runs on into the bleed",
    "page-size": "pages a press can print (under 2 m)",
}


@dataclass(frozen=True, slots=True)
class Finding:
    page: int | None  # 1-based; None for the whole file
    severity: Literal["error", "warning"]
    message: str
    rule: str = ""

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{self.severity}: {where}{self.message}"


@dataclass(slots=True)
class Report:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    ink: list[float] = field(default_factory=list)  # the highest total ink on each page, percent
    max_ink: int = conditions.DEFAULT_MAX_INK
    output_condition: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def as_json(self) -> dict:
        return {"file": str(self.path), "ready_for_press": not self.errors,
                "output_condition": self.output_condition, "max_ink": self.max_ink,
                "heaviest_ink": [round(ink, 1) for ink in self.ink],
                "findings": [asdict(finding) for finding in self.findings]}


MAX_PREFLIGHT_BYTES = 512 * 2**20
MAX_PAGE_SIDE = 2 * 72 * 1000 / 25.4  # points: 2 m; SRA3 is 450 mm. Larger pages are not rasterised


def preflight(path: Path, data: bytes | None = None, max_ink: int | None = None) -> Report:
    """The report on a PDF; max_ink (percent) defaults to its output condition's limit."""
    from ldnpub.base.files import read_file

    data = read_file(path, MAX_PREFLIGHT_BYTES) if data is None else data
    require_pdf(data, path)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
        identifier = _condition_identifier(reader)
        report = Report(path, output_condition=identifier,
                        max_ink=max_ink or conditions.max_ink_for(identifier))
        report.findings += _file(reader, data)
        for number, page in enumerate(pages, start=1):
            report.findings += [Finding(number, severity, message, rule)
                                for rule, severity, message in _page(reader, page)]
        huge = [number for number, page in enumerate(pages, start=1) if _page_side(page) > MAX_PAGE_SIDE]
        boxes = [(_trim_box(page), _bleed_box(page), page.mediabox) for page in pages]
    except Exception as exc:  # noqa: BLE001 - a malformed PDF, in any of its parts, is a finding, not a crash
        raise BuildError("unreadable PDF", (Problem(path, None, None, f"not a readable PDF: "
                                                    f"{type(exc).__name__}: {str(exc)[:200]}"),)) from None
    if huge:
        report.findings += [Finding(number, "error", "the page is larger than 2 m: not a print page (total "
                                    "ink not measured)", "page-size")
                            for number in huge]
    elif press.missing() is None:
        report.ink = ink_per_page(data, path.name)
        report.findings += [Finding(number, "error", f"total ink {ink:.0f}% (at most {report.max_ink}% for "
                                    f"{identifier or 'this file'}): lighten the darkest colours", "total-ink")
                            for number, ink in enumerate(report.ink, start=1) if ink > report.max_ink]
        report.findings += _edges(data, path.name, boxes)
    else:
        report.findings.append(Finding(None, "warning", f"total ink, safe zone and bleed not measured: "
                                       f"{press.missing()}", "total-ink"))
    report.findings.sort(key=lambda f: (f.page or 0, f.severity != "error"))
    return report


def _page_side(page) -> float:
    """The page's longer side in points, its UserUnit applied (a small box can stand for a huge page)."""
    unit = page.get("/UserUnit", 1)
    unit = float(unit) if isinstance(unit, (int, float)) else 1.0
    return max(float(page.mediabox.width), float(page.mediabox.height)) * max(unit, 1.0)


# --- the file ---------------------------------------------------------------------------------------

def _intents(reader: PdfReader) -> list:
    root = reader.trailer["/Root"]
    intents = root.get("/OutputIntents")
    return [i.get_object() for i in intents.get_object()] if intents is not None else []


def _condition_identifier(reader: PdfReader) -> str:
    for intent in _intents(reader):
        if intent.get("/S") == "/GTS_PDFX":
            return str(intent.get("/OutputConditionIdentifier", ""))
    return ""


def _file(reader: PdfReader, data: bytes) -> Iterator[Finding]:
    root = reader.trailer["/Root"]
    pdfx = [i for i in _intents(reader) if i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i]
    if not pdfx:
        yield Finding(None, "error", "no PDF/X output intent (a CMYK profile the colours are meant for); "
                                     "build the press file with `ldnpub build --press`", "output-intent")
    for intent in pdfx:
        profile = intent["/DestOutputProfile"].get_object()
        head = profile.get_data()[:40]
        if int(profile.get("/N", 0)) != 4 or head[16:20] != b"CMYK":
            yield Finding(None, "error", "the output intent's profile is not a CMYK printing profile (an sRGB "
                                         "or grey profile describes no press): use the shop's output condition, "
                                         "e.g. --output-condition fogra39", "output-intent")
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    if b"GTS_PDFXVersion" not in xmp:
        yield Finding(None, "error", "no PDF/X version in the XMP metadata (pdfxid:GTS_PDFXVersion)",
                      "pdfx-version")
    version = _pdf_version(data, root)
    if version > MAX_PDF_VERSION:
        yield Finding(None, "error", f"PDF {version[0]}.{version[1]}: newer than PDF/X-4 allows (1.6); "
                                     "make the press file with `ldnpub build --press`", "pdf-version")
    if (reader.metadata or {}).get("/Trapped") not in ("/True", "/False"):
        yield Finding(None, "error", "/Trapped is not stated in the document information", "trapped")
    if "/ID" not in reader.trailer:
        yield Finding(None, "error", "no file identifier (/ID)", "file-id")


def _pdf_version(data: bytes, root) -> tuple[int, int]:
    """The file's version: its header's, or the catalog's /Version where that is later."""
    found = re.match(rb"%PDF-(\d+)\.(\d+)", data[:16])
    version = (int(found[1]), int(found[2])) if found else (1, 0)
    declared = re.fullmatch(r"/?(\d+)\.(\d+)", str(root.get("/Version", "")))
    return max(version, (int(declared[1]), int(declared[2]))) if declared else version


# --- each page: boxes, annotations, then its content --------------------------------------------------

def _page(reader: PdfReader, page) -> Iterator[tuple[str, str, str]]:
    yield from _boxes(page)
    yield from _annotations(page)
    yield from _group(page, "the page")
    seen: set[str] = set()
    for rule, severity, message in _content(reader, page):
        if message not in seen:  # each kind of problem once per page
            seen.add(message)
            yield rule, severity, message


def _trim_box(page):
    """The TrimBox; PDF/X also allows an ArtBox in its place."""
    if "/TrimBox" in page:
        return page.trimbox
    return page.artbox if "/ArtBox" in page else None


def _bleed_box(page):
    return page.bleedbox if "/BleedBox" in page else page.mediabox


def _boxes(page) -> Iterator[tuple[str, str, str]]:
    trim = _trim_box(page)
    if trim is None:
        yield "trim-box", "error", "no TrimBox (where the page is cut)"
        return
    media, bleed = page.mediabox, _bleed_box(page)
    if not _inside(bleed, media):
        yield "trim-box", "error", "the BleedBox reaches beyond the MediaBox"
    if not _inside(trim, bleed):
        yield "trim-box", "error", "the TrimBox reaches beyond the BleedBox"


def _inside(inner, outer, tolerance: float = 0.01) -> bool:
    return (float(inner.left) >= float(outer.left) - tolerance and float(inner.bottom) >= float(outer.bottom) - tolerance
            and float(inner.right) <= float(outer.right) + tolerance and float(inner.top) <= float(outer.top) + tolerance)


def _annotations(page) -> Iterator[tuple[str, str, str]]:
    kinds = [str(annotation.get_object().get("/Subtype", "?")).lstrip("/") for annotation in page.get("/Annots") or []]
    found = sorted({kind for kind in kinds if "/" + kind not in INTERACTIVE_OK})
    if found:
        count = sum(kinds.count(kind) for kind in found)
        yield ("annotation", "error", f"{count} {' and '.join(found)} annotation{'s' if count > 1 else ''}: a press "
               "file has no links or other interactive parts (the reading-order PDF keeps them)")


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


def _content(reader: PdfReader, page) -> Iterator[tuple[str, str, str]]:
    yield from _walk(reader, page.get_contents(), page.get("/Resources"), IDENTITY, set())


@dataclass(slots=True)
class _State:
    """The graphics state preflight follows through q and Q."""

    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    white_fill: bool = False
    overprint: bool = False


def _walk(reader, contents, resources, ctm: Matrix, forms_seen: set[int]) -> Iterator[tuple[str, str, str]]:
    resources = resources.get_object() if resources is not None else {}
    yield from _fonts(resources)
    if contents is None:
        return
    state, stack = _State(ctm), []
    font_size, text_matrix = 0.0, IDENTITY
    rectangles: list[tuple[float, float]] = []  # the current path's rectangles, for thin fills
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"q":
            stack.append(_State(state.ctm, state.line_width, state.white_fill, state.overprint))
        elif operator == b"Q" and stack:
            state = stack.pop()
        elif operator == b"cm" and len(operands) == 6:
            state.ctm = _multiply(tuple(float(v) for v in operands), state.ctm)
        elif operator == b"w" and operands:
            state.line_width = float(operands[0])
        elif operator == b"gs" and operands:
            yield from _ext_gstate(resources, operands[0], state)
        elif operator in (b"rg", b"RG"):
            yield "rgb", "error", f"RGB colour ({'fill' if operator == b'rg' else 'stroke'}, {operator.decode()}): " \
                                  "a press file has CMYK or grey only"
        elif operator in (b"cs", b"CS") and operands:
            yield from _set_space(resources, operands[0], operator.decode())
        elif operator in (b"scn", b"SCN") and operands and isinstance(operands[-1], str):
            yield from _pattern(reader, resources, operands[-1], state.ctm, forms_seen)
        elif operator in (b"g", b"k"):
            state.white_fill = all(float(v) == (1.0 if operator == b"g" else 0.0) for v in operands)
        elif operator == b"sh" and operands:
            yield from _shading(resources, operands[0])
        elif operator == b"re" and len(operands) == 4:
            rectangles.append((abs(float(operands[2])), abs(float(operands[3]))))
        elif operator in STROKES or operator in FILLS or operator == b"n":
            yield from _painted(operator, state, rectangles)
            rectangles = []
        elif operator == b"Tf" and len(operands) == 2:
            font_size = float(operands[1])
        elif operator == b"Tm" and len(operands) == 6:
            text_matrix = tuple(float(v) for v in operands)
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            size = font_size * _scale(text_matrix) * _scale(state.ctm)
            if 0 < size < MIN_TEXT - 0.05:
                yield "text-size", "warning", f"text smaller than {MIN_TEXT:g} pt ({size:.1f} pt)"
            if state.overprint and state.white_fill:
                yield "white-overprint", "error", "white text set to overprint: it vanishes on press"
        elif operator == b"INLINE IMAGE":
            yield from _inline_image(operands, resources)
        elif operator == b"Do" and operands:
            yield from _xobject(reader, resources, operands[0], state.ctm, forms_seen)


def _painted(operator: bytes, state: _State, rectangles: list[tuple[float, float]]) -> Iterator[tuple[str, str, str]]:
    scale = _scale(state.ctm)
    if operator in STROKES and state.line_width * scale < MIN_LINE:
        width = state.line_width * scale
        described = "a zero-width line (the thinnest the device can draw)" if width == 0 else f"{width:.2f} pt"
        yield "hairline", "error", f"a line thinner than {MIN_LINE} pt ({described}): make it at least {MIN_LINE} pt"
    if operator in FILLS:
        thin = [min(w, h) * scale for w, h in rectangles if 0 < min(w, h) * scale < MIN_LINE]
        if thin:
            yield ("hairline", "error", f"a rule drawn as a filled rectangle {min(thin):.2f} pt thin (at least "
                   f"{MIN_LINE} pt)")
        if state.overprint and state.white_fill:
            yield "white-overprint", "error", "white set to overprint: it vanishes on press (set overprint off)"


def _ext_gstate(resources, name, state: _State) -> Iterator[tuple[str, str, str]]:
    states = resources.get("/ExtGState")
    entry = states.get_object().get(name) if states is not None else None
    entry = entry.get_object() if entry is not None else {}
    if "/LW" in entry:
        state.line_width = float(entry["/LW"])
    if "/op" in entry or "/OP" in entry:
        state.overprint = bool(entry.get("/op", entry.get("/OP")))
    mask = entry.get("/SMask")
    mask = mask.get_object() if mask is not None else None
    if isinstance(mask, dict) and "/G" in mask:
        yield from _group(mask["/G"].get_object(), "a soft mask")


def _set_space(resources, name, operator: str) -> Iterator[tuple[str, str, str]]:
    space = name
    if name not in RGB_SPACES and name not in ("/DeviceCMYK", "/DeviceGray", "/Pattern"):
        spaces = resources.get("/ColorSpace")
        space = spaces.get_object().get(name) if spaces is not None else None
        space = space.get_object() if space is not None else None
    if _is_rgb(space):
        yield "rgb", "error", f"an RGB colour space set ({name} {operator}): a press file has CMYK or grey only"


def _pattern(reader, resources, name, ctm: Matrix, forms_seen: set[int]) -> Iterator[tuple[str, str, str]]:
    patterns = resources.get("/Pattern")
    pattern = patterns.get_object().get(name) if patterns is not None else None
    if pattern is None:
        return
    pattern = pattern.get_object()
    if int(pattern.get("/PatternType", 0)) == 2:
        shading = pattern.get("/Shading")
        if shading is not None and _is_rgb(_space_of(shading.get_object())):
            yield "rgb", "error", "an RGB gradient (a shading pattern): a press file has CMYK or grey only"
    elif id(pattern) not in forms_seen:
        yield from _walk(reader, pattern, pattern.get("/Resources"), ctm, forms_seen | {id(pattern)})


def _shading(resources, name) -> Iterator[tuple[str, str, str]]:
    shadings = resources.get("/Shading")
    shading = shadings.get_object().get(name) if shadings is not None else None
    if shading is not None and _is_rgb(_space_of(shading.get_object())):
        yield "rgb", "error", "an RGB gradient (sh): a press file has CMYK or grey only"


def _space_of(holder):
    space = holder.get("/ColorSpace", holder.get("/CS"))
    return space.get_object() if hasattr(space, "get_object") else space


def _inline_image(operands, resources) -> Iterator[tuple[str, str, str]]:
    settings = operands.get("settings", {}) if isinstance(operands, dict) else {}
    space = settings.get("/CS", settings.get("/ColorSpace"))
    if isinstance(space, str) and space not in RGB_SPACES and space not in ("/G", "/CMYK", "/DeviceGray",
                                                                            "/DeviceCMYK", "/I", "/Indexed"):
        spaces = resources.get("/ColorSpace")
        named = spaces.get_object().get(space) if spaces is not None else None
        space = named.get_object() if named is not None else space
    if _is_rgb(space):
        yield "rgb", "error", "an RGB inline image: a press file has CMYK or grey only"


def _xobject(reader, resources, name, ctm: Matrix, forms_seen: set[int]) -> Iterator[tuple[str, str, str]]:
    xobject = resources.get("/XObject", {}).get_object().get(name) if "/XObject" in resources else None
    if xobject is None:
        return
    xobject = xobject.get_object()
    if xobject.get("/Subtype") == "/Image":
        yield from _image(xobject, ctm)
    elif xobject.get("/Subtype") == "/Form" and id(xobject) not in forms_seen:
        yield from _group(xobject, "a form")
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        yield from _walk(reader, xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm),
                         forms_seen | {id(xobject)})


def _image(image, ctm: Matrix) -> Iterator[tuple[str, str, str]]:
    space = image.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    if _is_rgb(space):
        yield "rgb", "error", "an RGB image: a press file has CMYK or grey only"
    placed_width = math.hypot(ctm[0], ctm[1]) / 72  # inches: an image fills the unit square
    placed_height = math.hypot(ctm[2], ctm[3]) / 72
    if placed_width > 0 and placed_height > 0 and not image.get("/ImageMask"):
        dpi = min(float(image.get("/Width", 0)) / placed_width, float(image.get("/Height", 0)) / placed_height)
        if dpi < MIN_DPI_ERROR:
            yield ("image-resolution", "error", f"an image at {dpi:.0f} dpi as placed (at least {MIN_DPI} for "
                   "print): it prints soft and jagged; use a larger image or place it smaller")
        elif dpi < MIN_DPI:
            yield "image-resolution", "warning", f"an image at {dpi:.0f} dpi as placed (at least {MIN_DPI} for print)"


def _group(holder, what: str) -> Iterator[tuple[str, str, str]]:
    """A page's, form's or soft mask's transparency group blending in RGB: PDF/X-4 allows no device RGB."""
    group = holder.get("/Group")
    group = group.get_object() if group is not None else None
    if isinstance(group, dict):
        space = group.get("/CS")
        if _is_rgb(space.get_object() if space is not None else None):
            yield "rgb", "error", f"{what} blends in RGB (/Group /CS): a press file blends in CMYK or grey"


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
        if kind in ("/Indexed", "/I"):
            return _is_rgb(space[1].get_object() if hasattr(space[1], "get_object") else space[1])
        if kind in ("/Separation", "/DeviceN") and len(space) > 2:
            return _is_rgb(space[2].get_object() if hasattr(space[2], "get_object") else space[2])
    return False


def _fonts(resources) -> Iterator[tuple[str, str, str]]:
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if font.get("/Subtype") == "/Type3":
            continue  # drawn with the file's own content streams
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            yield ("font-embedded", "error", f"font {str(font.get('/BaseFont', '?')).lstrip('/')} is not embedded: "
                   "make the PDF with its fonts embedded")


# --- what the printed page shows: total ink, the safe zone, the bleed ----------------------------------

def ink_per_page(data: bytes, identifier: str) -> list[float]:
    """The highest C+M+Y+K (percent) on each page, from Ghostscript's CMYK rendering of the trimmed page."""
    raster = press.ghostscript(["-sDEVICE=pamcmyk32", f"-r{INK_RESOLUTION}", "-dUseTrimBox"], data, identifier)
    return [_heaviest(pixels) for pixels, _, _ in _pam_pages(raster)]


def _pam_pages(raster: bytes) -> Iterator[tuple[bytes, int, int]]:
    """The pixel bytes, width and height of each image in a PAM stream (one per page)."""
    position = 0
    while position < len(raster):
        end = raster.index(b"ENDHDR\n", position) + len(b"ENDHDR\n")
        header = dict(line.split(b" ", 1) for line in raster[position:end].splitlines()[1:-1] if b" " in line)
        width, height = int(header[b"WIDTH"]), int(header[b"HEIGHT"])
        size = width * height * int(header[b"DEPTH"])
        yield raster[end:end + size], width, height
        position = end + size


def _heaviest(pixels: bytes) -> float:
    """The largest sum of the four 8-bit inks of any pixel, in percent."""
    view = memoryview(pixels)
    c, m, y, k = view[0::4], view[1::4], view[2::4], view[3::4]
    heaviest = max(map(sum, zip(c, m, y, k)), default=0)
    return heaviest / 255 * 100


class _Raster:
    """One page rendered over its MediaBox, in CMYK: is there ink in a box (points, PDF space)?"""

    def __init__(self, pixels: bytes, width: int, height: int, media) -> None:
        self.pixels, self.width, self.height = pixels, width, height
        self.left, self.bottom = float(media.left), float(media.bottom)
        self.scale = width / float(media.width)

    def inked(self, left: float, bottom: float, right: float, top: float) -> bool:
        x0, x1 = (max(0, min(self.width, round((v - self.left) * self.scale))) for v in (left, right))
        y0, y1 = (max(0, min(self.height, round(self.height - (v - self.bottom) * self.scale))) for v in (top, bottom))
        for row in range(y0, y1):
            line = self.pixels[(row * self.width + x0) * 4:(row * self.width + x1) * 4]
            if line.strip(b"\0"):
                return True
        return False


def _rasters(data: bytes, identifier: str, media_boxes: list, extra: list[str]) -> list[_Raster]:
    raster = press.ghostscript(["-sDEVICE=pamcmyk32", f"-r{EDGE_RESOLUTION}", *extra], data, identifier)
    return [_Raster(pixels, width, height, media)
            for (pixels, width, height), media in zip(_pam_pages(raster), media_boxes)]


def _edges(data: bytes, identifier: str, boxes: list) -> Iterator[Finding]:
    """Text in the safe zone; artwork at the trim with no bleed, or stopping at the trim."""
    medias = [media for _, _, media in boxes]
    text_only = _rasters(data, identifier, medias, ["-dFILTERIMAGE", "-dFILTERVECTOR"])
    everything = _rasters(data, identifier, medias, [])
    pixel = 72 / EDGE_RESOLUTION
    zone = SAFE_ZONE * MM
    for number, ((trim, bleed, _), text, page) in enumerate(zip(boxes, text_only, everything), start=1):
        if trim is None:
            continue
        left, bottom, right, top = (float(v) for v in (trim.left, trim.bottom, trim.right, trim.top))
        inner = (left + zone, bottom + zone, right - zone, top - zone)
        bands = [(left - pixel, bottom, inner[0], top), (inner[2], bottom, right + pixel, top),
                 (left, bottom - pixel, right, inner[1]), (left, inner[3], right, top + pixel)]
        if any(text.inked(*band) for band in bands):
            yield Finding(number, "error", f"text within {SAFE_ZONE:g} mm of the trim (or beyond it): it may be "
                                           "cut off; move it inward", "safe-zone")
        if _inside(trim, bleed):  # else the trim-box rule has said so
            yield from _bleed_edges(number, page, (left, bottom, right, top), bleed, pixel)


def _bleed_edges(number: int, page: _Raster, trim: tuple[float, float, float, float], bleed,
                 pixel: float) -> Iterator[Finding]:
    left, bottom, right, top = trim
    reach = min(left - float(bleed.left), float(bleed.right) - right, bottom - float(bleed.bottom),
                float(bleed.top) - top)
    edges = {  # inside the trim along each edge, and the bleed beyond it
        "left": ((left, bottom, left + pixel, top), (float(bleed.left), bottom, left - pixel, top)),
        "right": ((right - pixel, bottom, right, top), (right + pixel, bottom, float(bleed.right), top)),
        "bottom": ((left, bottom, right, bottom + pixel), (left, float(bleed.bottom), right, bottom - pixel)),
        "top": ((left, top - pixel, right, top), (left, top + pixel, right, float(bleed.top))),
    }
    for side, (at_trim, beyond) in edges.items():
        if not page.inked(*at_trim):
            continue
        if reach < 1 * MM:
            yield Finding(number, "error", f"artwork reaches the {side} trim edge, but the page has no bleed: "
                                           "build with --bleed 3mm", "bleed")
            return
        if not page.inked(*beyond):
            yield Finding(number, "error", f"artwork stops at the {side} trim edge: run it on into the bleed, "
                                           "or a white line may show after cutting", "bleed")
