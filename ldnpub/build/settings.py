"""The project file, ldnpub.yaml: a project's build defaults and named build sets.

Validated like the content (file, line, column, did-you-mean). What the command line says wins;
then the named set (`--set NAME`); then the file's defaults; then ldnpub's own.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError, create_model

from ldnpub.base.errors import ContentError, Problem, UsageError
from ldnpub.content.loading import load_yaml
from ldnpub.build.options import file_fields, with_defaults
from ldnpub.content.types import ID_PATTERN, Id, Strict, Text

FILE_NAME = "ldnpub.yaml"


BuildDefaults = create_model(
    "BuildDefaults", __base__=Strict, __doc__="What a build makes when the command line does not say: "
    "the build options ldnpub.yaml may set (declared in build/options.py).", **file_fields())


def _inside_project(folder: str) -> str:
    """A shared project may not make a build write elsewhere (/etc, ../..)."""
    if Path(folder).is_absolute() or ".." in Path(folder).parts:
        raise ValueError(f"expected a folder inside the project, found {folder!r}")
    return folder


class Settings(BuildDefaults):
    """ldnpub.yaml at the project's root."""

    out: Annotated[Text, AfterValidator(_inside_project)] | None = Field(
        None, description="Output folder inside the project (default: dist); --out may name any other.")
    sets: dict[Id, BuildDefaults] = Field({}, description=(
        "Named build sets: `ldnpub build --set NAME` builds what the set says (e.g. print-run: every "
        "clinic's leaflets on Letter)."))


def load_settings(project_dir: Path) -> Settings:
    """The project's ldnpub.yaml, or the defaults when there is none."""
    path = project_dir / FILE_NAME
    if not path.is_file():
        return Settings()
    raw = load_yaml(path, FILE_NAME, project_dir)
    if raw.data is None:
        return Settings()
    try:
        settings = Settings.model_validate(raw.data)
    except ValidationError as exc:
        from ldnpub.content.problems import problem_from_pydantic

        problems = [problem_from_pydantic(raw, error, Settings) for error in exc.errors()]
        raise ContentError("invalid project file", tuple(sorted(problems, key=lambda p: (p.line or 0, p.column or 0))))
    return _brand_files_in(project_dir, settings)


def _brand_files_in(project_dir: Path, defaults: BuildDefaults):
    """Brand files named in ldnpub.yaml are the project's: found from it, not from where ldnpub runs."""
    def place(entry: str) -> str:
        return entry if re.fullmatch(ID_PATTERN, entry) else str(project_dir.absolute() / entry)

    update = {"brands": tuple(place(entry) for entry in defaults.brands)}
    if defaults.output_condition and defaults.output_condition.lower().endswith((".icc", ".icm")):
        update["output_condition"] = str(project_dir.absolute() / defaults.output_condition)
    if isinstance(defaults, Settings):
        update["sets"] = {name: _brand_files_in(project_dir, chosen) for name, chosen in defaults.sets.items()}
    return defaults.model_copy(update=update)


def build_defaults(settings: Settings, set_name: str | None) -> BuildDefaults:
    """The named set, else the file's own defaults."""
    if set_name is None:
        return settings
    if set_name not in settings.sets:
        known = list(settings.sets)
        close = difflib.get_close_matches(set_name, known, n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + (
            f"Sets in {FILE_NAME}: {', '.join(known)}" if known else f"{FILE_NAME} defines no sets")
        raise UsageError("unknown set", (Problem(None, None, None, f"unknown build set '{set_name}'", hint),))
    return settings.sets[set_name]


def apply(options, defaults: BuildDefaults):
    """BuildOptions with what the command line left unsaid taken from the defaults."""
    return with_defaults(options, defaults)


COMMENTED = """\
# ldnpub.yaml: this project's build defaults. The command line always wins; then a named set
# (ldnpub build --set NAME); then what is written here. Every key is optional.

# out: dist                     # output folder, relative to this file
# brands: [example-clinic]      # brand files, or names of ones in sources/brands/
# papers: [a4]                  # a4, letter
# variants: [standard]          # standard, large-print, high-contrast
# languages: [en, es]           # each other than the publication's needs translations/LANGUAGE.po

sets:
  # Every clinic's leaflets on Letter, in standard and large print.
  clinic-leaflets:
    documents: [what-is-ldn, starting-ldn, questions]
    brands: [example-clinic, example-advocacy]
    papers: [letter]
    variants: [standard, large-print]
  # The booklets for the print shop: bleed, crop marks and printer's spreads on SRA3.
  print-shop:
    documents: [booklet]
    all_conditions: true
    bleed: 3mm
    crop_marks: true
    impose: true
    press: true                 # PDF/X-4 press files, checked by preflight (needs Ghostscript)
    package: true               # and a zip per job for the shop: PDFs, job ticket, preflight report
    # output_condition: fogra39 # what the shop prints on: fogra39, fogra51, gracol2013, swop, or its .icc
"""
