"""Finishing: PdfResult -> PdfResult with pypdf; checks the page count the layout promises.

A booklet opens with its bookmarks shown and its pages as spreads. The clone keeps
WeasyPrint's structure tree, language and XMP metadata (merging tagged PDFs would not).
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from .errors import BuildError, Problem
from .pdf import PdfResult
from .render import HtmlPage


def finish(result: PdfResult, page: HtmlPage) -> PdfResult:
    _check_pages(result.pages, page)
    if page.page_multiple <= 1:
        return result
    reader = PdfReader(io.BytesIO(result.data))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # a clone would write %PDF-1.3
    writer.page_mode = "/UseOutlines"
    writer.page_layout = "/TwoPageRight"
    out = io.BytesIO()
    writer.write(out)
    return PdfResult(out.getvalue(), len(writer.pages))


def _check_pages(pages: int, page: HtmlPage) -> None:
    if page.max_pages and pages > page.max_pages:
        raise BuildError("too long", (Problem(None, None, None,
            f"{page.identifier}: {pages} pages, the catalog allows {page.max_pages}",
            "shorten the sections of this document or raise max_pages in catalog.yaml"),))
    if pages % page.page_multiple:
        raise BuildError("bad page count", (Problem(None, None, None,
            f"{page.identifier}: {pages} pages is not a multiple of {page.page_multiple}",
            "the layout needs enough spare pages (id spare-N) to pad the document"),))
