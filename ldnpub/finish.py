"""Finishing: what a PDF promises beyond its layout. Checks the page count the catalog allows,
and gives a saddle-stitched booklet its viewer settings: it opens with its bookmarks shown and
its pages as spreads.

The settings are written into the PDF's catalog as WeasyPrint writes it (its `finisher` hook):
re-reading and re-writing the file with pypdf would cost a fifth of a second per booklet, and
the structure tree, language and XMP metadata stay exactly as WeasyPrint made them.
"""

from __future__ import annotations

from .errors import BuildError, Problem
from .render import HtmlPage

SADDLE_STITCH = 4  # a page multiple of 4 or more: folded sheets, a booklet
BOOKLET_VIEWER = {"PageMode": "/UseOutlines", "PageLayout": "/TwoPageRight"}


def viewer_settings(page: HtmlPage) -> dict[str, str]:
    """Catalog entries for the viewer: a booklet opens as spreads with its bookmarks."""
    return BOOKLET_VIEWER if page.page_multiple >= SADDLE_STITCH else {}


def check_pages(pages: int, page: HtmlPage) -> None:
    """The page count the catalog promises: at most max_pages, a multiple of page_multiple."""
    if page.max_pages and pages > page.max_pages:
        raise BuildError("too long", (Problem(None, None, None,
            f"{page.identifier}: {pages} pages, the catalog allows {page.max_pages}",
            "shorten the sections of this document or raise max_pages in catalog.yaml"),))
    if pages % page.page_multiple:
        raise BuildError("bad page count", (Problem(None, None, None,
            f"{page.identifier}: {pages} pages is not a multiple of {page.page_multiple}",
            "the layout needs enough spare pages (id spare-N) to pad the document"),))
