"""Imposition: PDF bytes -> PDF bytes with pypdf, the pages laid out for a saddle-stitched booklet.

A stage after finishing, and independent of it: it takes any PDF (not only ours) and returns
a print file with two pages on each side of a landscape sheet, in the order that, printed
duplex (flip on the short edge), stacked and folded, reads 1..N. The imposed file is only
for printing: it drops links and the structure tree, so the reading-order PDF stays the
accessible one.

Pages are never scaled. The two pages of a spread meet trim to trim at the spine; each keeps its
bleed on its outer edges only. A sheet too small for the spread, its bleed and its marks is
refused with the size it would need. Where the sheet has room, each side gets crop marks at the
spread's corners and a fold mark at the spine, all outside the bleed, and a TrimBox and BleedBox.
Creep moves the pages of inner sheets toward the spine, so that after folding and trimming the
fore-edge margins stay equal.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, RectangleObject, StreamObject

from ldnpub.pdf import marks as printer_marks
from ldnpub.base.errors import BuildError, Problem
from ldnpub.base.targets import AUTO_SHEET, MM, SHEETS

Side = tuple[int | None, int | None]
AUTO = AUTO_SHEET


UNITS = {"mm": MM, "in": 72.0, "pt": 1.0}


def points(length: str) -> float:
    """A length such as 3mm, 0.125in or 9pt, in points."""
    for unit, size in UNITS.items():
        if length.endswith(unit):
            return float(length.removesuffix(unit)) * size
    raise ValueError(f"not a length: {length!r}")


@dataclass(frozen=True, slots=True)
class Imposed:
    data: bytes
    sides: int
    sheet: tuple[float, float]  # points


def saddle_stitch_order(page_count: int) -> list[Side]:
    """The sheet sides in print order, each (left page, right page), 1-based; None is blank.

    The count is padded to a multiple of 4 with blank pages after the last page: the blanks
    are the last pages of the booklet, the back cover and up to two pages inside it,
    and no blank ever falls between two pages of the text. Sheet k (0-based) of N pages prints
    (N - 2k, 1 + 2k) on its outer side and (2 + 2k, N - 1 - 2k) on its inner side.
    """
    if page_count < 1:
        raise ValueError(f"a booklet needs at least one page, not {page_count}")
    padded = page_count + (-page_count) % 4

    def page(number: int) -> int | None:
        return number if number <= page_count else None

    sides: list[Side] = []
    for k in range(padded // 4):
        sides.append((page(padded - 2 * k), page(1 + 2 * k)))
        sides.append((page(2 + 2 * k), page(padded - 1 - 2 * k)))
    return sides


def impose(source: bytes, sheet: str = "a4", creep: float = 0.0) -> tuple[bytes, int]:
    """Impose `source` on `sheet` (a key of SHEETS, or "auto"); returns the PDF and its number
    of sheet sides. `creep` (points) is how far the innermost sheet's pages move toward the spine."""
    imposed = impose_pages(source, sheet, creep)
    return imposed.data, imposed.sides


def impose_pages(source: bytes, sheet: str = "a4", creep: float = 0.0) -> Imposed:
    if sheet not in SHEETS and sheet != AUTO:
        raise BuildError("unknown sheet", (Problem(None, None, None,
            f"unknown sheet size {sheet!r}", f"use one of: {', '.join([*SHEETS, AUTO])}"),))
    reader, header, pages = _read_pages(source)
    trim_w = max(_size(page)[0] for page in pages)
    trim_h = max(_size(page)[1] for page in pages)
    bleed = max(_bleed(page) for page in pages)
    marks_margin = printer_marks.reach(bleed)
    spread = (2 * trim_w, trim_h)
    if sheet == AUTO:
        width, height = (math.ceil((extent + 2 * marks_margin) / MM - 1e-6) * MM for extent in spread)
    else:
        width, height = SHEETS[sheet]
    room = min((width - spread[0]) / 2, (height - spread[1]) / 2)
    if room < bleed - 0.01 or (bleed > 0 and room < marks_margin - 0.01):
        needed = [(extent + 2 * (marks_margin if bleed else 0)) / MM for extent in spread]
        raise BuildError("sheet too small", (Problem(None, None, None,
            f"the spread ({spread[0] / MM:.0f} x {spread[1] / MM:.0f} mm"
            + (f", with {bleed / MM:.1f} mm bleed and crop marks" if bleed else "")
            + f") needs a sheet of at least {needed[0]:.0f} x {needed[1]:.0f} mm; {sheet} is "
            f"{width / MM:.0f} x {height / MM:.0f} mm; pages are never scaled",
            "use --sheet sra3 (or a3, tabloid), or --sheet auto for a sheet cut to size"),))
    marks = room >= marks_margin - 0.01
    writer = PdfWriter()
    writer.pdf_header = header  # a new writer says %PDF-1.3, older than the content it copies
    forms = [_form(writer, page) for page in pages]
    sides = saddle_stitch_order(len(pages))
    sheets = len(sides) // 2
    spine, middle = width / 2, height / 2
    for index, (left, right) in enumerate(sides):
        sheet_number = index // 2  # 0 is the outermost sheet
        shift = creep * sheet_number / (sheets - 1) if sheets > 1 else 0.0
        side = PageObject.create_blank_page(None, width, height)
        content = []
        for slot, number in ((0, left), (1, right)):
            if number is not None:
                content.append(_draw(side, forms[number - 1], pages[number - 1], slot, spine, middle,
                                     trim_w, shift, f"/P{slot}"))
        if marks:
            content.append(_marks(spine, middle, trim_w, trim_h, bleed))
        side.replace_contents(_stream(writer, "\n".join(content)))
        trim = RectangleObject([spine - trim_w, middle - trim_h / 2, spine + trim_w, middle + trim_h / 2])
        side.trimbox = trim
        side.bleedbox = RectangleObject([trim.left - bleed, trim.bottom - bleed, trim.right + bleed, trim.top + bleed])
        writer.add_page(side)
    title = (reader.metadata or {}).get("/Title")
    if title:
        writer.add_metadata({"/Title": f"{title} (imposed for saddle stitching)"})
    out = io.BytesIO()
    writer.write(out)
    return Imposed(out.getvalue(), len(sides), (width, height))


def _read_pages(source: bytes) -> tuple[PdfReader, str, list[PageObject]]:
    """The reader, header and pages of `source`; BuildError when it is not a readable PDF."""
    try:
        reader = PdfReader(io.BytesIO(source))
        pages = list(reader.pages)
        sizes = [_size(page) for page in pages]  # a broken box or /Rotate fails here, not mid-way
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildError("unreadable PDF", (Problem(None, None, None,
            f"the input is not a readable PDF: {exc}",
            "impose takes an unencrypted PDF file, such as one `ldnpub build` wrote"),)) from None
    if not pages or any(w <= 0 or h <= 0 for w, h in sizes):
        raise BuildError("unreadable PDF", (Problem(None, None, None,
            "the input PDF has no pages, or a page of zero size",
            "impose takes a PDF with at least one page"),))
    return reader, reader.pdf_header, pages


def _size(page: PageObject) -> tuple[float, float]:
    """The page's trimmed size as a reader sees it, after its /Rotate."""
    if page.rotation % 90:
        raise ValueError(f"/Rotate {page.rotation} is not a multiple of 90")
    box = _trim(page)
    width, height = float(box.width), float(box.height)
    return (height, width) if page.rotation % 180 else (width, height)


def _trim(page: PageObject) -> RectangleObject:
    """The TrimBox, where there is one that lies on the page; else the visible (crop) box."""
    return page.trimbox if _boxes_on_page(page) else page.cropbox


def _boxes_on_page(page: PageObject) -> bool:
    media = page.mediabox
    return "/TrimBox" in page and all(
        float(media.left) - 0.01 <= float(box.left) and float(box.right) <= float(media.right) + 0.01
        and float(media.bottom) - 0.01 <= float(box.bottom) and float(box.top) <= float(media.top) + 0.01
        for box in (page.trimbox, page.bleedbox))


def _bleed(page: PageObject) -> float:
    """The page's bleed: how far its BleedBox reaches beyond its TrimBox (0 for a turned page)."""
    if not _boxes_on_page(page) or "/BleedBox" not in page or page.rotation % 360:
        return 0.0
    trim, bleed = page.trimbox, page.bleedbox
    return max(0.0, min(float(trim.left - bleed.left), float(bleed.right - trim.right),
                        float(trim.bottom - bleed.bottom), float(bleed.top - trim.top)))


def _form(writer: PdfWriter, page: PageObject):
    """The page as a form XObject, its resources copied into the writer."""
    form = StreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in page.mediabox]),
        NameObject("/Resources"): page.get("/Resources", DictionaryObject()).clone(writer),
    })
    return writer._add_object(form)


def _draw(side: PageObject, form, page: PageObject, slot: int, spine: float, middle: float, slot_width: float,
          shift: float, name: str) -> str:
    """Place the page's form in its half at 100%, clipped to its bleed on the outer edges and to
    the spine on the inner one. Returns the content that draws it."""
    resources = side.setdefault(NameObject("/Resources"), DictionaryObject())
    resources.setdefault(NameObject("/XObject"), DictionaryObject())[NameObject(name)] = form
    trim, bleed = _trim(page), _bleed(page)
    width, height = _size(page)
    toward_spine = 1 if slot == 0 else -1
    centre_x = spine + (slot_width / 2) * (1 if slot else -1) + toward_spine * shift
    move = Transformation().translate(-float(trim.left + trim.width / 2), -float(trim.bottom + trim.height / 2))
    if page.rotation % 360:
        move = move.rotate(-page.rotation)  # /Rotate turns clockwise, rotate() counter-clockwise
    move = move.translate(centre_x, middle)
    # The clip, in sheet coordinates: the page's bleed outside, the spine inside.
    left = spine - slot_width - bleed if slot == 0 else spine
    right = spine if slot == 0 else spine + slot_width + bleed
    bottom, top = middle - height / 2 - bleed, middle + height / 2 + bleed
    matrix = " ".join(f"{v:.4f}" for v in move.ctm)
    return (f"q {left:.4f} {bottom:.4f} {right - left:.4f} {top - bottom:.4f} re W n "
            f"{matrix} cm {name} Do Q")


def _marks(spine: float, middle: float, trim_w: float, trim_h: float, bleed: float) -> str:
    """Crop marks at the spread's four corners and a fold mark at the spine, top and bottom."""
    bottom, top = middle - trim_h / 2, middle + trim_h / 2
    return printer_marks.content(printer_marks.crop_lines(spine - trim_w, bottom, spine + trim_w, top, bleed),
                                 printer_marks.fold_lines(spine, bottom, top, bleed))


def _stream(writer: PdfWriter, content: str):
    stream = StreamObject()
    stream.set_data(content.encode())
    return writer._add_object(stream)
