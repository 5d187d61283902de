"""What to build and how: the build's options as one value."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ldnpub.base.errors import Problem, UsageError
from ldnpub.base.targets import DEFAULT_PDF_STANDARD


def _css_length(text: str, option: str = "--bleed") -> str:
    """A length as CSS: 3mm, 0.125in, 9pt (WeasyPrint keeps at most 10pt of bleed as BleedBox)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|in|pt)\s*", text)
    if not match:
        raise UsageError("bad length", (Problem(None, None, None, f"{option}: expected a length such as 3mm, "
                                                 f"0.125in or 9pt, found {text!r}"),))
    return match.group(1) + match.group(2)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build and how; the CLI's options as one value."""

    doc_ids: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()  # default: the catalog's
    conditions: tuple[str, ...] = ()
    all_conditions: bool = False
    brands: tuple[str, ...] = ()  # brand files' paths, or names of ones in sources/brands/
    variants: tuple[str, ...] = ()
    bleed: str | None = None
    crop_marks: bool = False
    impose: bool = False  # also write printer's spreads of saddle-stitched documents
    html: bool = False  # also write the HTML that was rendered, beside each PDF
    force: bool = False  # rebuild even what did not change
    jobs: int | None = None  # worker processes (default: the number of CPUs)
    scheduler: str | None = None  # a Dask scheduler's address
    allow_expired: bool = False  # build after the next review date, stamping "Review overdue" on every page
    today: dt.date | None = None  # the date that decides whether the review is overdue (default: today)
    pdf_standard: str = DEFAULT_PDF_STANDARD  # ua-1 or ua-2
    sheet: str | None = None  # the sheet booklets are imposed on (default: the paper's, or a press sheet with bleed)
    creep: str | None = None  # how far the innermost sheet's pages move toward the spine, e.g. 0.5mm
    press: bool = False  # also write a PDF/X-4 press file beside each PDF (needs Ghostscript)
    output_condition: str | None = None  # what press files are separated for: a name or a shop's .icc (default: the paper's)
    max_ink: int | None = None  # percent; default: the output condition's
    package: bool = False  # also write a zip per press file for the print shop (needs press)
    languages: tuple[str, ...] = ()  # default: the publication's own; others from translations/LANGUAGE.po
    allow_untranslated: bool = False  # build a translation with strings missing, left in the source language
