"""Writing PDF: (HtmlPage, PrintSpec) -> PdfResult, with WeasyPrint (the only module that imports it).

WeasyPrint reads only files inside the project, the shipped defaults and the font package;
it never reaches the network. What it logs as an error (a missing language, an image without
alt text, a refused resource) fails the build instead of passing silently.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
import hashlib
import logging
import mimetypes
import multiprocessing.util
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import fonts as weasy_fonts
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ldnpub.pdf import structure
from ldnpub.base.clock import EPOCH_ENV
from ldnpub.base.files import read_file
from ldnpub.base.errors import BuildError, Problem
from ldnpub.pdf.finish import (PdfResult, PrintSpec, add_crop_marks, check_pages, keep_needed_spare_pages, viewer_settings)
from ldnpub.render.html import HtmlPage

log = logging.getLogger(__name__)


MAX_RESOURCE_BYTES = 64 * 2**20  # an image, a font or a stylesheet


class ProjectFetcher(URLFetcher):
    """Serves file: URLs inside the allowed folders and data: URLs; refuses everything else,
    whatever the case of the scheme. Files are read here, not by WeasyPrint, through
    project.read_file: the file opened is the one checked, and its size is bounded."""

    def __init__(self, allowed_roots: tuple[Path, ...]):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.allowed_roots = tuple(root.resolve() for root in allowed_roots)
        self.read: dict[str, str] = {}  # every file fetched, with its sha256: the PDF's real inputs

    def fetch(self, url, headers=None):
        scheme, _, rest = url.partition(":")
        scheme = scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"{scheme}: URLs are not fetched: a document uses files inside the project only")
        path = Path(unquote(urlparse("file:" + rest).path))
        real = path.resolve()
        root = next((root for root in self.allowed_roots if real.is_relative_to(root)), None)
        if root is None:
            raise ValueError(f"{path.name} is outside the project")
        data = read_file(path, MAX_RESOURCE_BYTES, inside=root)
        self.read[str(real)] = hashlib.sha256(data).hexdigest()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse("file:" + rest, data, {"Content-Type": content_type})


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage())
        else:
            log.debug("weasyprint: %s", record.getMessage())


# Any fixed time will do: fontTools writes it into each subset font's head.modified.
FONT_TIMESTAMP = "0"


@contextlib.contextmanager
def fonts_subset_reproducibly() -> Iterator[None]:
    """Subset fonts the same way on every machine, with no clock in the bytes.

    WeasyPrint subsets with HarfBuzz where Debian's libharfbuzz-subset0 happens to be installed
    and with fontTools elsewhere; the two give different bytes, and fontTools stamps each font
    with the current time unless SOURCE_DATE_EPOCH is set. Always taking the fontTools path
    (a pinned Python dependency) with a fixed timestamp makes a PDF's bytes depend on its inputs
    only. SOURCE_DATE_EPOCH is put back afterwards: it is also the build's "today" (clock.py).
    """
    weasy_fonts.harfbuzz_subset = None
    saved = os.environ.get(EPOCH_ENV)
    os.environ[EPOCH_ENV] = FONT_TIMESTAMP
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(EPOCH_ENV, None)
        else:
            os.environ[EPOCH_ENV] = saved


def engine() -> str:
    """What renders here, for `ldnpub doctor`: importing this module is what needs Pango."""
    return f"WeasyPrint {weasyprint.__version__} with Pango"


def warm_up() -> None:
    """Lay out one line, so fontconfig and Pango are ready before a worker's first job."""
    with fonts_subset_reproducibly():
        weasyprint.HTML(string="<p>warm</p>").write_pdf()


def write_pdf(page: HtmlPage, spec: PrintSpec) -> PdfResult:
    """Lay out and write the PDF (tagged PDF/UA-1), keeping only the spare pages it needs."""
    with fonts_subset_reproducibly():
        return _write_pdf(page, spec)


def _write_pdf(page: HtmlPage, spec: PrintSpec) -> PdfResult:
    collect = _Collect()
    weasy_log = logging.getLogger("weasyprint")
    weasy_log.addHandler(collect)
    propagate, weasy_log.propagate = weasy_log.propagate, False  # its messages reach us via collect
    try:
        fetcher = ProjectFetcher(spec.allowed_roots)
        html = weasyprint.HTML(string=page.html, base_url=page.base_url, url_fetcher=fetcher)
        document = _laid_out(html, page, spec, fetcher)
        if spec.page_budget and len(document.pages) > spec.page_budget and page.fitting_stylesheets:
            fitted = _laid_out(html, replace(page, stylesheets=page.fitting_stylesheets), spec, fetcher)
            if len(fitted.pages) < len(document.pages):
                document = fitted
        _raise_problems(spec, collect.errors + list(_overflows(document)))
        check_pages(len(document.pages), spec)
        with structure.recording() as sources:
            data = document.write_pdf(pdf_variant=spec.pdf_variant, pdf_identifier=spec.pdf_identifier,
                                      finisher=_finisher(spec, sources))
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise BuildError("render failed", (Problem(None, None, None,
                         f"{spec.identifier}: {exc} ({exc.__cause__})"),)) from None
    finally:
        weasy_log.removeHandler(collect)
        weasy_log.propagate = propagate
    _raise_problems(spec, collect.errors)
    return PdfResult(data, len(document.pages), tuple(sorted(fetcher.read.items())))


def _laid_out(html, page: HtmlPage, spec: PrintSpec, fetcher: ProjectFetcher):
    """The document laid out with the page's stylesheets, with only the spare pages it needs."""
    fonts, sheets = _stylesheets(page, spec.allowed_roots, fetcher)
    document = html.render(stylesheets=sheets, font_config=fonts)
    _refuse_attachments(document, spec)
    kept = keep_needed_spare_pages(document.pages, spec)
    return document.copy(kept) if len(kept) < len(document.pages) else document


def _stylesheets(page: HtmlPage, allowed_roots: tuple[Path, ...], fetcher: ProjectFetcher):
    """The page's stylesheets, parsed once per process for all the documents that use them, as
    long as no file the parsing read (the sheets, what they @import, the fonts) has changed;
    those files count as read by each document."""
    fonts, cache = _process_fonts()
    key = (page.extra_css, page.final_css, page.stylesheets, allowed_roots)
    parsed = cache.get(key)
    if parsed is None or any(_state(path) != state for path, state in parsed[2].items()):
        if len(cache) >= 32:
            cache.pop(next(iter(cache)))
        parsing = ProjectFetcher(allowed_roots)
        sheets = [weasyprint.CSS(string=page.extra_css, url_fetcher=parsing, font_config=fonts)]
        sheets += [weasyprint.CSS(url=path.as_uri(), url_fetcher=parsing, font_config=fonts)
                   for path in page.stylesheets]
        if page.final_css:
            sheets.append(weasyprint.CSS(string=page.final_css, url_fetcher=parsing, font_config=fonts))
        states = {Path(name): _state(Path(name)) for name in parsing.read}
        parsed = cache[key] = (sheets, parsing.read, states)
    sheets, read, _states = parsed
    fetcher.read.update(read)
    return fonts, sheets


def _state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


# One font configuration per process, with the stylesheets parsed for it: WeasyPrint registers
# each @font-face once, not per document. (pid, FontConfiguration, {key: (sheets, files read with
# their sha256, files read with their state)}).
_PROCESS: tuple[int, FontConfiguration, dict] | None = None


def _process_fonts() -> tuple[FontConfiguration, dict]:
    """This process's font configuration. A worker forked from a process that had one makes its
    own, and leaves the parent's folder of font files alone; each process removes its own folder
    when it exits (os._exit in pool workers skips __del__, not multiprocessing's finalizers)."""
    global _PROCESS
    if _PROCESS is None or _PROCESS[0] != os.getpid():
        if _PROCESS is not None:
            _PROCESS[1]._folder = None  # the parent's: not this process's to delete
        fonts = FontConfiguration()
        _PROCESS = (os.getpid(), fonts, {})
        multiprocessing.util.Finalize(None, fonts.__del__, exitpriority=0)
    return _PROCESS[1], _PROCESS[2]


def _refuse_attachments(document, spec: PrintSpec) -> None:
    """A layout may not attach files to the PDF (<link rel="attachment">, <a rel="attachment">):
    a PDF ships only what was rendered, and an attachment is any bytes at all."""
    attached = len(document.metadata.attachments) + sum(
        1 for page in document.pages for link in page.links if link[0] == "attachment")
    if attached:
        raise BuildError("attachment", (Problem(None, None, None, f"{spec.identifier}: the layout attaches "
                         f"{attached} file(s) to the PDF (rel=\"attachment\"); a document ships only what it prints",
                         "remove rel=\"attachment\" from the layout"),))


def _raise_problems(spec: PrintSpec, messages: list[str]) -> None:
    if messages:
        raise BuildError("render failed", tuple(Problem(None, None, None, f"{spec.identifier}: {m}")
                                                for m in messages))


def _finisher(spec: PrintSpec, sources: structure.Sources):
    """Run on the PDF's objects just before WeasyPrint writes them."""
    def finisher(document, pdf) -> None:
        structure.repair(pdf, sources, structure_destinations=spec.pdf_variant == "pdf/ua-2")
        for key, name in viewer_settings(spec).items():
            pdf.catalog[key] = "/" + name.lstrip("/")
        if spec.crop_marks:
            add_crop_marks(pdf, spec.folds)
    return finisher


OVERFLOW_TOLERANCE = 1.0  # points: rounding in the layout, not a visible overflow


def _overflows(document) -> Iterator[str]:
    """Text outside its page's content area, or a fixed panel (class "panel") that does not
    fit its page and continues on the next.

    WeasyPrint lays such text out without complaint; on paper it is cut off or a brochure's
    panel runs onto the wrong side of the sheet.
    """
    panels_seen: set[str] = set()
    panel_pages: set[int] = set()
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # no public API exposes the laid-out boxes
        if not page_box.children:
            continue
        right = page_box.content_box_x() + page_box.width + OVERFLOW_TOLERANCE
        bottom = page_box.content_box_y() + page_box.height + OVERFLOW_TOLERANCE
        panels_here: set[str] = set()
        runs_off = None
        for box in page_box.children[0].descendants():
            if isinstance(box, boxes.LineBox) and runs_off is None and _text(box):
                if box.position_y + box.height > bottom or _text_right(box) > right:
                    runs_off = _text(box)[:60]
                    yield f"page {number}: text runs off the page: {runs_off!r}"
            element = getattr(box, "element", None)
            if element is not None and "panel" in (element.get("class") or "").split():
                panels_here.add(element.get("id") or element.get("class"))
        for panel in sorted(panels_here & panels_seen):
            yield f"page {number}: the content of panel '{panel}' does not fit on its page"
        if panels_here - panels_seen and panel_pages:
            yield f"page {number}: panels {sorted(panels_here - panels_seen)} do not fit beside the others"
        if panels_here:
            panel_pages.add(number)
        panels_seen |= panels_here


def _text(line) -> str:
    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).strip()


def _text_right(line) -> float:
    return max((b.position_x + b.width for b in line.descendants() if isinstance(b, boxes.TextBox)), default=0)
