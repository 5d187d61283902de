"""Job packages for a print shop: one zip per press file, with its imposed spreads, a job ticket
(text and JSON) and the preflight report, ready to send as it is.

Made after the build from what it wrote (`ldnpub build --press --package`), read back from the
files themselves: page count, trim size and output condition come from the press PDF, so the
ticket says what the file is, not what was asked for. The zip's entries are sorted and dated from
the publication's last update, so the same files give the same zip.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from ldnpub.prepress import conditions
from ldnpub.prepress.preflight import Report, preflight

MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class JobFiles:
    """What one job's zip holds: a press file and, for a booklet, its imposed spreads."""

    name: str  # the zip's name: the press file's, ..._job.zip
    press: Path
    imposed: Path | None
    layout: str
    document_title: str
    language: str
    contact: dict[str, str]
    crop_marks: bool


def package(job: JobFiles, date: tuple[int, int, int]) -> bytes:
    """The zip's bytes: the PDFs, job-ticket.txt and .json, preflight.txt and .json."""
    reports = [preflight(job.press)] + ([preflight(job.imposed)] if job.imposed else [])
    ticket = job_ticket(job, reports)
    entries = {job.press.name: job.press.read_bytes(),
               "job-ticket.json": (json.dumps(ticket, indent=2, ensure_ascii=False) + "\n").encode(),
               "job-ticket.txt": ticket_text(ticket).encode(),
               "preflight.json": (json.dumps([r.as_json() for r in reports], indent=2) + "\n").encode(),
               "preflight.txt": "".join(_report_text(r) for r in reports).encode()}
    if job.imposed:
        entries[job.imposed.name] = job.imposed.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(*date, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return out.getvalue()


def job_ticket(job: JobFiles, reports: Sequence[Report]) -> dict:
    """What the shop needs to quote and print the job, read from the press file."""
    reader = PdfReader(job.press)
    first = reader.pages[0]
    trim, bleed = first.trimbox, first.bleedbox
    width, height = (round(float(v) / MM, 1) for v in (trim.width, trim.height))
    bleed_mm = round(float(trim.left - bleed.left) / MM, 1)
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    identifier = str(intent["/OutputConditionIdentifier"])
    pages = len(reader.pages)
    ticket = {
        "job": job.document_title, "language": job.language, "file": job.press.name, "standard": "PDF/X-4",
        "trim_mm": [width, height], "bleed_mm": bleed_mm, "crop_marks": job.crop_marks, "pages": pages,
        "binding": _binding(job.layout, pages, width),
        "colour": "CMYK; black text in black ink only",
        "output_condition": {"identifier": identifier, "description": str(intent.get("/OutputCondition", "")),
                             "max_ink": reports[0].max_ink},
        "stock": _stock(identifier),
        "quantity": "to agree with the print shop",
        "preflight": "ready for press" if not any(r.errors for r in reports) else "problems: see preflight.txt",
        "contact": job.contact,
    }
    if job.imposed:
        sides = PdfReader(job.imposed).pages
        sheet = sides[0].mediabox
        ticket["imposed"] = {"file": job.imposed.name, "sheet_sides": len(sides),
                             "sheet_mm": [round(float(sheet.width) / MM), round(float(sheet.height) / MM)],
                             "print": "both sides, turning on the short edge"}
    return ticket


def _binding(layout: str, pages: int, width_mm: float) -> str:
    if layout == "booklet":
        return f"saddle stitch: {pages} pages on {pages // 4} folded sheets, two staples in the spine"
    if layout == "trifold":
        return "roll fold (tri-fold), on the dashed fold marks: the narrower panel folds in first"
    sheets = (pages + 1) // 2
    return f"flat, printed both sides: {sheets} sheet{'s' if sheets > 1 else ''}, not bound"


def _stock(identifier: str) -> str:
    condition = next((c for c in conditions.CONDITIONS.values() if c.identifier == identifier), None)
    if condition is None:
        return "the paper the shop's own profile was made for"
    return condition.stock


def ticket_text(ticket: dict) -> str:
    condition = ticket["output_condition"]
    lines = [f"Job ticket: {ticket['job']} ({ticket['language']})", "",
             f"File:              {ticket['file']} ({ticket['standard']}, {ticket['pages']} pages)",
             f"Trim size:         {ticket['trim_mm'][0]:g} x {ticket['trim_mm'][1]:g} mm",
             f"Bleed:             " + (f"{ticket['bleed_mm']:g} mm on every edge" if ticket["bleed_mm"] else "none")
             + ("; crop marks outside it" if ticket["crop_marks"] else "; no crop marks"),
             f"Binding:           {ticket['binding']}",
             f"Colour:            {ticket['colour']}",
             f"Output condition:  {condition['identifier']}: {condition['description']}; "
             f"total ink at most {condition['max_ink']}%",
             f"Stock:             {ticket['stock']}",
             f"Quantity:          {ticket['quantity']}",
             f"Preflight:         {ticket['preflight']}"]
    if "imposed" in ticket:
        imposed = ticket["imposed"]
        lines.append(f"Imposed:           {imposed['file']}: {imposed['sheet_sides']} sheet sides of "
                     f"{imposed['sheet_mm'][0]} x {imposed['sheet_mm'][1]} mm, {imposed['print']}")
    contact = ", ".join(f"{value}" for value in ticket["contact"].values() if value)
    lines += [f"Contact:           {contact}", ""]
    return "\n".join(lines)


def _report_text(report: Report) -> str:
    verdict = "problems" if report.errors else "ready for press"
    ink = f"; heaviest ink {max(report.ink):.0f}% (at most {report.max_ink}%)" if report.ink else ""
    return "".join([f"{report.path.name}: {verdict}{ink}\n"] + [f"    {finding}\n" for finding in report.findings])
