"""What to build and how: the build's options, each declared once.

Each field of BuildOptions carries its declaration (`Declared`, in the field's metadata): its
command-line flag and help, its Click settings, whether ldnpub.yaml may set it (and under which
key and type), and whether it changes what is printed. From that one place come the Click options
of build and watch (commands/cli.py), the ldnpub.yaml model (build/settings.py), the merge of the
two (settings.apply) and the test that every printed option changes a file's key
(tests/test_options.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import click

from ldnpub.base import targets
from ldnpub.base.errors import Problem, UsageError
from ldnpub.base.targets import DEFAULT_PDF_STANDARD, PDF_STANDARDS

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # content.types.ID_PATTERN; this module imports no pydantic


def _css_length(text: str, option: str = "--bleed") -> str:
    """A length as CSS: 3mm, 0.125in, 9pt (WeasyPrint keeps at most 10pt of bleed as BleedBox)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|in|pt)\s*", text)
    if not match:
        raise UsageError("bad length", (Problem(None, None, None, f"{option}: expected a length such as 3mm, "
                                                 f"0.125in or 9pt, found {text!r}"),))
    return match.group(1) + match.group(2)


def _brand_reference(entry: str) -> str:
    """A brand's name (sources/brands/NAME.yaml) or a brand file inside the project."""
    if re.fullmatch(ID_PATTERN, entry):
        return entry
    if not entry.endswith(".yaml") or Path(entry).is_absolute() or ".." in Path(entry).parts:
        raise ValueError(f"expected a brand's name or a .yaml file inside the project, found {entry[:60]!r}")
    return entry


def _output_condition(entry: str) -> str:
    from ldnpub.prepress.conditions import CONDITIONS

    if entry in CONDITIONS:
        return entry
    if not entry.lower().endswith((".icc", ".icm")) or Path(entry).is_absolute() or ".." in Path(entry).parts:
        raise ValueError(f"expected one of {', '.join(CONDITIONS)} or a .icc file inside the project, found "
                         f"{entry[:60]!r}")
    return entry


def _date(ctx, param, value):
    return value.date() if value is not None else None


@dataclass(frozen=True, slots=True)
class Declared:
    """One build option, declared once."""

    flag: str | None  # on the command line, e.g. "--paper"; None: not an option there
    help: str
    click: dict[str, Any] = dataclasses.field(default_factory=dict)  # Click's own settings
    file_type: str | None = None  # the kind of value ldnpub.yaml takes (FILE_TYPES); None: not set there
    file_key: str | None = None  # its key in ldnpub.yaml, where it differs from the field's name
    printed: bool = True  # it changes what is printed: a file's name or key changes with it


def option(default: Any, declared: Declared) -> Any:
    return dataclasses.field(default=default, metadata={"declared": declared})


MULTIPLE = {"multiple": True}
FLAG = {"is_flag": True}
SHEET_CHOICES = [*targets.SHEETS, targets.AUTO_SHEET]


def file_types() -> dict[str, Any]:
    """The types ldnpub.yaml's values are validated as, by kind. Made when ldnpub.yaml is read: the
    command line, and a build with nothing to do, never import pydantic."""
    from pydantic import AfterValidator, Field, StringConstraints

    from ldnpub.content.types import LANGUAGE_PATTERN, Id, Text

    return {
        "ids": tuple[Id, ...],
        "flag": bool,
        "text": Text | None,
        "brands": tuple[Annotated[Text, AfterValidator(_brand_reference)], ...],
        "papers": tuple[Literal[tuple(targets.PAPERS)], ...],
        "variants": tuple[Literal[tuple(targets.VARIANTS)], ...],
        "languages": tuple[Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)], ...],
        "output_condition": Annotated[Text, AfterValidator(_output_condition)] | None,
        "max_ink": Annotated[int, Field(ge=200, le=400)] | None,
    }


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build and how; the CLI's options and ldnpub.yaml's defaults as one value."""

    doc_ids: tuple[str, ...] = option((), Declared(
        None, "Document ids (default: every document of the catalog).", file_type="ids", file_key="documents"))
    conditions: tuple[str, ...] = option((), Declared(
        "--condition", "Tailor for this condition (repeatable).", {**MULTIPLE, "metavar": "ID"},
        file_type="ids"))
    all_conditions: bool = option(False, Declared("--all-conditions", "Tailor for every condition.", FLAG,
                                                  file_type="flag"))
    brands: tuple[str, ...] = option((), Declared(
        "--brand", "A clinic's brand file, or the name of one in sources/brands/ (repeatable: one edition each).",
        {**MULTIPLE, "metavar": "FILE"}, file_type="brands"))
    papers: tuple[str, ...] = option((), Declared(
        "--paper", "Paper size (repeatable; default: the catalog's).",
        {**MULTIPLE, "type": click.Choice(list(targets.PAPERS))}, file_type="papers"))
    variants: tuple[str, ...] = option((), Declared(
        "--variant", f"{', '.join(targets.VARIANTS)} (repeatable; default: standard).",
        {**MULTIPLE, "type": click.Choice(list(targets.VARIANTS))}, file_type="variants"))
    languages: tuple[str, ...] = option((), Declared(
        "--language", "Build in this language, e.g. es, from translations/CODE.po (repeatable; default: the "
        "publication's).", {**MULTIPLE, "metavar": "CODE"}, file_type="languages"))
    allow_untranslated: bool = option(False, Declared(
        "--allow-untranslated", "Build a translation even with strings missing: they print in the original "
        "language, marked.", FLAG, printed=False))
    bleed: str | None = option(None, Declared(
        "--bleed", "Add bleed for a print shop: 3mm, or a length such as 0.125in.",
        {"is_flag": False, "flag_value": "3mm", "default": None, "metavar": "[LEN]"}, file_type="text"))
    crop_marks: bool = option(False, Declared("--crop-marks", "Add crop marks outside the trim.", FLAG,
                                              file_type="flag"))
    pdf_standard: str = option(DEFAULT_PDF_STANDARD, Declared(
        "--pdf-standard", "The accessibility standard written: PDF/UA-1, or PDF/UA-2 (PDF 2.0; see the README).",
        {"type": click.Choice(PDF_STANDARDS), "default": DEFAULT_PDF_STANDARD, "show_default": True}))
    impose: bool = option(False, Declared(
        "--impose", "Also write booklets imposed for saddle stitching (*_imposed.pdf).", FLAG, file_type="flag"))
    sheet: str | None = option(None, Declared(
        "--sheet", "The sheet --impose prints on (default: the paper; sra3 or tabloid with bleed or crop marks).",
        {"type": click.Choice(SHEET_CHOICES)}))
    creep: str | None = option(None, Declared(
        "--creep", "Move the inner sheets' pages toward the spine by up to LEN (e.g. 0.5mm).", {"metavar": "LEN"}))
    press: bool = option(False, Declared(
        "--press", "Also write a PDF/X-4 press file (CMYK, *_press.pdf) beside each PDF; needs Ghostscript.",
        FLAG, file_type="flag"))
    output_condition: str | None = option(None, Declared(
        "--output-condition", "The print shop's output condition for --press: fogra39, fogra51, gracol2013, "
        "swop, or the .icc profile the shop sent (default: fogra39 on A4, swop on Letter).",
        {"metavar": "NAME|FILE.icc"}, file_type="output_condition"))
    max_ink: int | None = option(None, Declared(
        "--max-ink", "The total ink the shop allows, in percent (default: the output condition's, e.g. 330 for "
        "fogra39).", {"type": click.IntRange(200, 400), "metavar": "PERCENT"},
        file_type="max_ink"))
    package: bool = option(False, Declared(
        "--package", "With --press: also write a zip per press file for the print shop (*_job.zip): the press "
        "and imposed PDFs, a job ticket and the preflight report.", FLAG, file_type="flag", printed=False))
    html: bool = option(False, Declared("--html", "Also write the HTML that was rendered, beside each PDF.", FLAG,
                                        printed=False))
    force: bool = option(False, Declared("--force", "Rebuild even the documents whose inputs did not change.",
                                         FLAG, printed=False))
    allow_expired: bool = option(False, Declared(
        "--allow-expired", "Build even after the next review date; every page then says \"Review overdue\".",
        FLAG, printed=False))
    today: dt.date | None = option(None, Declared(
        "--today", "Build as of this date: it decides whether the review is overdue (default: "
        "SOURCE_DATE_EPOCH, else today).",
        {"type": click.DateTime(["%Y-%m-%d"]), "callback": _date, "metavar": "YYYY-MM-DD"}, printed=False))
    jobs: int | None = option(None, Declared(
        "--jobs", "Worker processes (default: one per CPU).", {"type": click.IntRange(min=1)}, printed=False))
    scheduler: str | None = option(None, Declared(
        "--scheduler", "Render on this Dask scheduler (pip install 'ldnpub[dask]').", {"metavar": "ADDR"},
        printed=False))


def declared() -> list[tuple[dataclasses.Field, Declared]]:
    """Every option with its declaration, in the order --help lists them."""
    return [(f, f.metadata["declared"]) for f in dataclasses.fields(BuildOptions)]


def click_options() -> list:
    """The Click decorators of build and watch, one per option with a flag."""
    made = []
    for field, spec in declared():
        if spec.flag is None:
            continue
        names = [spec.flag, field.name] + (["-j"] if field.name == "jobs" else [])
        made.append(click.option(*names, help=spec.help, **spec.click))
    return made


def from_command_line(values: dict) -> BuildOptions:
    """BuildOptions from Click's values (repeated options as tuples)."""
    return BuildOptions(**{name: tuple(value) if isinstance(value, list | tuple) else value
                           for name, value in values.items()})


def file_fields() -> dict[str, tuple[Any, Any]]:
    """The ldnpub.yaml fields, for the pydantic model: key -> (type, Field)."""
    from pydantic import Field

    types = file_types()
    return {spec.file_key or field.name: (types[spec.file_type], Field(field.default, description=spec.help))
            for field, spec in declared() if spec.file_type is not None}


def with_defaults(options: BuildOptions, defaults: Any) -> BuildOptions:
    """The options with what the command line left at its default taken from ldnpub.yaml's."""
    changes = {}
    for field, spec in declared():
        if spec.file_type is None:
            continue
        if getattr(options, field.name) == field.default:
            changes[field.name] = getattr(defaults, spec.file_key or field.name)
    return dataclasses.replace(options, **changes)
