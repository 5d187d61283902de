"""Imposition: PDF bytes -> PDF bytes with pypdf, the pages laid out for a saddle-stitched booklet.

A stage after finishing, and independent of it: it takes any PDF (not only ours) and returns
a print file with two pages on each side of a landscape sheet, in the order that, printed
duplex (flip on the short edge), stacked and folded, reads 1..N. The imposed file is only
for printing: it drops links and the structure tree, so the reading-order PDF stays the
accessible one.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from .errors import BuildError, Problem
from .targets import PAPERS

Side = tuple[int | None, int | None]

# Landscape sheets, (width, height) in points.
SHEETS: dict[str, tuple[float, float]] = {paper.id: paper.sheet_points for paper in PAPERS.values()}


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


def impose(source: bytes, sheet: str = "a4") -> tuple[bytes, int]:
    """Impose `source` on `sheet` (a key of SHEETS); returns the PDF and its number of sheet sides.

    Every page gets the same scale, the largest at which each page fits half the sheet, and
    is centred in its half. The visible box (the crop box, the media box when there is none)
    is what is placed, turned as its /Rotate says so that it prints as a viewer shows it.
    """
    if sheet not in SHEETS:
        raise BuildError("unknown sheet", (Problem(None, None, None,
            f"unknown sheet size {sheet!r}", f"use one of: {', '.join(sorted(SHEETS))}"),))
    header, pages = _read_pages(source)
    width, height = SHEETS[sheet]
    half = width / 2
    scale = min(min(half / w, height / h) for w, h in map(_size, pages))
    writer = PdfWriter()
    writer.pdf_header = header  # a new writer says %PDF-1.3, older than the content it copies
    sides = saddle_stitch_order(len(pages))
    for left, right in sides:
        side = PageObject.create_blank_page(None, width, height)
        for slot, number in enumerate((left, right)):
            if number is not None:
                _place(side, pages[number - 1], scale, slot * half, half, height)
        # Links and form fields copied by the merge would sit at their old positions.
        side.pop("/Annots", None)
        writer.add_page(side)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(sides)


def _read_pages(source: bytes) -> tuple[str, list[PageObject]]:
    """The header and the pages of `source`; BuildError when it is not a readable PDF."""
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
    return reader.pdf_header, pages


def _size(page: PageObject) -> tuple[float, float]:
    """The page's visible size as a reader sees it, after its /Rotate."""
    if page.rotation % 90:
        raise ValueError(f"/Rotate {page.rotation} is not a multiple of 90")
    width, height = float(page.cropbox.width), float(page.cropbox.height)
    return (height, width) if page.rotation % 180 else (width, height)


def _place(side: PageObject, page: PageObject, scale: float, x: float, half: float,
           height: float) -> None:
    """Draw `page` upright at `scale`, centred in the half of `side` that starts at `x`."""
    box = page.cropbox
    move = Transformation().translate(-float(box.left + box.width / 2),
                                      -float(box.bottom + box.height / 2))
    if page.rotation % 360:
        move = move.rotate(-page.rotation)  # /Rotate turns clockwise, rotate() counter-clockwise
    side.merge_transformed_page(page, move.scale(scale, scale).translate(x + half / 2, height / 2))
