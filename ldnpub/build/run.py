"""Building: plan the targets, run the stages for each, write the files and manifest.json.

Every file is written to a temporary name and moved into place, and the manifest last, so a
failed or interrupted build leaves the previous outputs intact and no half-written file.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal
from pathlib import Path

from ldnpub.base import clock
from ldnpub.render import glyphs
from ldnpub.content.brand import find_brand, open_brand
from ldnpub.base.errors import BuildError, LdnpubError, Problem, UsageError
from ldnpub.prepress.conditions import OutputCondition
from ldnpub.build.cache import (RenderCache, fingerprint, previous_outputs, record_build, set_aside_unreadable, unchanged)
from ldnpub.build.dispatch import WarmPool, check_scheduler_address, render_all
from ldnpub.pdf.finish import PdfResult, PrintSpec, print_spec
from ldnpub.content.project import Project
from ldnpub.render.html import HtmlPage, render, standalone_html
from ldnpub.base.targets import PAPERS, BuildTarget
from ldnpub.edition.tailor import tailor
from ldnpub.content.load import load_project
from ldnpub.base.files import write_atomic
from ldnpub.build.options import BuildOptions, _css_length
from ldnpub.build.outputs import MANIFEST, Output, forget_in_manifest, write_manifest
from ldnpub.build.plan import edition_languages, plan, review_overdue

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildEvent:
    """What happened to one target; the CLI words it."""

    kind: Literal["written", "unchanged", "failed"]
    target: BuildTarget
    done: int  # targets finished so far, this one included
    total: int
    pages: int | None = None  # of a written file
    cached: bool = False  # copied from the render cache, not rendered


Reporter = Callable[[BuildEvent], None]


@dataclass(frozen=True, slots=True)
class BuildReport:
    out_dir: Path
    outputs: tuple[Output, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    skipped: tuple[Output, ...] = ()  # unchanged since the last build
    cached: int = 0  # PDFs copied from the render cache instead of rendered
    packages: tuple[Path, ...] = ()  # the print shop's zips (--package)

    @property
    def failed(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)


def record_stamp(stamp: str, project: Project, options: BuildOptions, report: BuildReport) -> None:
    """Remember what a build that succeeded read and wrote, so the same build next time knows
    at once that it has nothing to do (cache.build_stamp)."""
    outputs = [*report.outputs, *report.skipped]
    brands = [find_brand(project.search, name) for name in options.brands]
    targets = plan(project, options, [open_brand(project.search, name).id for name in options.brands] or [None])
    profiles = {c.source for c in output_conditions(project, options).values()} if options.press else set()
    read = {Path(name) for output in outputs for name, _ in output.inputs} | set(brands) | profiles
    record_build(stamp, report.out_dir, [t.output_name for t in targets], sorted(read),
                 sorted(o.path for o in outputs) + list(report.packages) + [report.out_dir / MANIFEST])


def build(project: Project, options: BuildOptions = BuildOptions(), out_dir: Path = Path("dist"),
          reporter: Reporter | None = None, cache: RenderCache | None = None,
          warm: WarmPool | None = None, first: str | None = None) -> BuildReport:
    """Build the documents into out_dir and update its manifest.json.

    Documents whose inputs did not change since the last build into out_dir are skipped.
    reporter(event) is called as each target is written, left unchanged or fails. A PDF the
    render cache holds (default: the user's, see cache.RenderCache) is copied, not rendered,
    unless options.force. watch and preview render on a WarmPool, the file named first (the one
    on screen) before the others.
    """
    if options.scheduler:
        check_scheduler_address(options.scheduler)
    conditions = output_conditions(project, options) if options.press else {}
    if options.package and not options.press:
        raise UsageError("package without press", (Problem(None, None, None, "--package packs the press files",
                                                           "add --press (and --impose for booklets)"),))
    overdue = review_overdue(project, clock.today(options.today), options.allow_expired)
    loaded = {brand.id: brand for brand in (open_brand(project.search, name) for name in options.brands)}
    targets = plan(project, options, list(loaded) or [None])
    creep = _css_length(options.creep, "--creep") if options.creep else None
    _refuse_linked_out_dir(project.root, out_dir)
    _prepare_out_dir(out_dir)
    _refuse_linked_out_dir(project.root, out_dir)  # and as made: nothing may have changed meanwhile
    for stale in out_dir.glob(".*.part"):  # left by a build that was killed mid-write
        stale.unlink()
    outputs, skipped, problems, pending, reused = [], [], [], [], []
    set_aside = set_aside_unreadable(out_dir / MANIFEST)
    if set_aside:
        problems.append(Problem(out_dir / MANIFEST, None, None, f"not a manifest ldnpub can read: set aside as "
                                f"{set_aside.name}, and every document is built again",
                                "delete the old file once you have looked at it", severity="warning"))
    previous = previous_outputs(out_dir / MANIFEST)
    cache = cache or RenderCache.default()
    done = 0

    def report(kind: str, target: BuildTarget, pages: int | None = None, cached: bool = False) -> None:
        nonlocal done
        done += 1
        if reporter:
            reporter(BuildEvent(kind, target, done, len(targets), pages, cached))

    translated = translations(project, options)
    for target in targets:
        try:
            edition_project = translated.get(target.language, project)
            edition = tailor(edition_project, target, loaded.get(target.brand), overdue)
            page, spec = render(edition_project, edition), print_spec(edition_project, edition)
            glyphs.check(page.html, edition_project, target.output_name)
        except LdnpubError as exc:
            problems.extend(exc.problems)
            report("failed", target)
            continue
        rendered_key = fingerprint(page, spec)
        imposed = options.impose and spec.saddle_stitched
        key = outputs_key(rendered_key, target, spec, options, creep, conditions.get(target.paper))
        if options.html:
            write_atomic(out_dir / target.html_name, standalone_html(page).encode())
        kept = _unchanged_outputs(previous, out_dir, target, key, imposed, options.press, spec.allowed_roots)
        if kept and not options.force:
            skipped.extend(kept)
            report("unchanged", target)
            continue
        known = None if options.force else cache.get(rendered_key, spec.allowed_roots)
        (reused if known else pending).append(Job(target, page, spec, key, rendered_key, known))

    # The one on screen first, then the biggest: two workers finish together.
    pending.sort(key=lambda job: (job.target.output_name != first, -len(job.page.html)))
    for job, outcome in _outcomes(reused, pending, options, warm):
        target = job.target
        if isinstance(outcome, tuple):
            problems.extend(outcome)
            report("failed", target)
            continue
        if job.from_cache is None:
            cache.put(job.rendered_key, outcome, job.spec.allowed_roots)
        try:
            outputs += _write_outputs(outcome, job, out_dir, options, creep, conditions.get(target.paper))
        except BuildError as exc:  # a full disk, a sheet too small: what was written so far is still recorded
            problems.extend(exc.problems)
            report("failed", target)
            continue
        log.info("wrote %s (%d pages)", out_dir / target.output_name, outcome.pages)
        problems.extend(_over_budget(job.spec, outcome.pages))
        report("written", target, outcome.pages, cached=job.from_cache is not None)
    outputs.sort(key=lambda o: o.path.name)
    try:
        write_manifest(out_dir, outputs)
    except BuildError as exc:
        problems.extend(exc.problems)
    packages = _write_packages(project, loaded, [*outputs, *skipped], out_dir, problems) if options.package else ()
    return BuildReport(out_dir, tuple(outputs), tuple(problems), tuple(skipped), len(reused), tuple(packages))


def outputs_key(rendered_key: str, target: BuildTarget, spec: PrintSpec, options: BuildOptions,
                creep: str | None, condition: OutputCondition | None) -> str:
    """What a target's files depend on: the rendered PDF's fingerprint (its HTML, stylesheets and
    print spec), and for the spreads the sheet and the creep, for the press file the output
    condition. Every option that changes what is printed changes one of them (a test proves it)."""
    key = rendered_key
    if options.impose and spec.saddle_stitched:
        key = hashlib.sha256(f"{key} {_sheet_for(target, options)} {creep}".encode()).hexdigest()
    if condition is not None:
        key = hashlib.sha256(f"{key} {condition.digest}".encode()).hexdigest()
    return key


def _over_budget(spec: PrintSpec, pages: int) -> list[Problem]:
    """A warning for a document that runs over its page budget even when fitted."""
    if not spec.page_budget or pages <= spec.page_budget:
        return []
    sheets = "one sheet" if spec.page_budget == 2 else f"{spec.page_budget} page" + ("s" if spec.page_budget > 1 else "")
    return [Problem(None, None, None, f"{spec.identifier}: {pages} pages, where the catalog means it to fit "
                    f"{sheets} ({pages - spec.page_budget} more), even laid out tighter",
                    "shorten its sections, or change its pages: in catalog.yaml", severity="warning")]


def _write_packages(project: Project, brands: dict, outputs: Sequence[Output], out_dir: Path,
                    problems: list[Problem]) -> list[Path]:
    """One zip for the print shop per press file written or kept (package.py)."""
    from pypdf import PdfReader

    from ldnpub.prepress.package import JobFiles, package

    publication = project.publication
    date = max(publication.published, publication.last_reviewed)
    imposed = {o.target: o.path for o in outputs if o.imposed}
    written = []
    for output in sorted((o for o in outputs if o.press), key=lambda o: o.path.name):
        target = output.target
        brand = brands.get(target.brand)
        contact = (brand.brand.contact() if brand else publication.organization).model_dump(exclude_none=True)
        path = out_dir / output.path.name.replace("_press.pdf", "_job.zip")
        try:
            title = str((PdfReader(output.path).metadata or {}).get("/Title", target.document))
            job = JobFiles(path.name, output.path, imposed.get(target), project.document(target.document).layout,
                           title, target.language or publication.language, contact, target.crop_marks)
            write_atomic(path, package(job, (date.year, date.month, date.day)))
            written.append(path)
        except LdnpubError as exc:
            problems.extend(exc.problems)
    return written


def translations(project: Project, options: BuildOptions) -> dict[str | None, Project]:
    """The project in each other language asked for. Loaded before anything is written: a string
    not translated stops the build with its place (unless options.allow_untranslated)."""
    return {language: load_project(project.root, language, options.allow_untranslated)
            for language in edition_languages(project, options) if language is not None}


@dataclass(frozen=True, slots=True)
class Job:
    """A target to write: rendered now, or copied from the render cache."""

    target: BuildTarget
    page: HtmlPage
    spec: PrintSpec
    key: str  # what the manifest records (with the imposition's sheet and creep)
    rendered_key: str  # the reading-order PDF's fingerprint: the render cache's key
    from_cache: PdfResult | None = None


def _outcomes(reused: list[Job], pending: list[Job], options: BuildOptions,
              warm: WarmPool | None) -> Iterator[tuple[Job, object]]:
    """(job, PdfResult or problems): the cached ones first, then each rendered one as it finishes."""
    for job in reused:
        yield job, job.from_cache
    for index, outcome in render_all([(job.page, job.spec) for job in pending], options.jobs, options.scheduler,
                                     warm):
        yield pending[index], outcome


def output_conditions(project: Project, options: BuildOptions) -> dict[str, OutputCondition]:
    """The output condition of each paper's press files, found before anything is built."""
    from ldnpub.prepress.conditions import resolve
    from ldnpub.prepress.press import require

    require()
    papers = options.papers or tuple(PAPERS)
    return {paper: resolve(options.output_condition or PAPERS[paper].output_condition, project.root,
                           options.max_ink) for paper in papers if paper in PAPERS}


def _write_outputs(result: PdfResult, job: Job, out_dir: Path, options: BuildOptions,
                   creep: str | None, condition: OutputCondition | None) -> list[Output]:
    """The PDF, and its press and imposed files when asked for: with --press, the imposed file
    is made from the press file, a PDF/X-4 file itself."""
    target, key = job.target, job.key
    forget_in_manifest(out_dir, [target.output_name, target.imposed_name, target.press_name])
    path = out_dir / target.output_name
    write_atomic(path, result.data)
    written = [Output(target, path, result.pages, hashlib.sha256(result.data).hexdigest(), key,
                      inputs=result.inputs)]
    pressed = None
    if condition is not None:
        pressed = _press_file(result.data, target.press_name, condition, out_dir)
        written.append(_write(pressed, out_dir / target.press_name, target, result.pages, key, result.inputs,
                              press=True))
    if options.impose and job.spec.saddle_stitched:
        written.append(_write_imposed(pressed or result.data, target, out_dir, key, result.inputs,
                                      _sheet_for(target, options), creep, condition))
    return written


def _refuse_linked_out_dir(project_root: Path, out_dir: Path) -> None:
    """An output folder in the project is a real folder, and so is every folder on the way to it
    from the project: a shared project's dist/ linked to another place must not make the build
    write (and delete .part files) there. A folder the user names outside the project is theirs."""
    root = project_root.resolve()
    out = Path(os.path.normpath(out_dir.absolute()))
    folder, inside = Path(out.anchor), False
    for part in out.parts[1:]:
        folder = folder / part
        if inside and folder.is_symlink():
            raise BuildError("linked output folder", (Problem(folder, None, None,
                             "the output folder, or a folder on the way to it, is a symbolic link",
                             "remove the link, or choose another folder with --out"),))
        inside = inside or folder.resolve() == root


def _prepare_out_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError("no output folder", (Problem(out_dir, None, None,
                         f"cannot make the output folder: {exc.strerror}", "choose another with --out"),)) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise BuildError("read-only output folder", (Problem(out_dir, None, None,
                         "the output folder is not writable", "choose another with --out"),))


def _unchanged_outputs(previous: dict, out_dir: Path, target: BuildTarget, key: str,
                       imposed: bool, pressed: bool, roots: tuple[Path, ...]) -> list[Output] | None:
    """The recorded outputs of a target when all of them are as recorded, else None."""
    names = ([target.output_name] + ([target.imposed_name] if imposed else [])
             + ([target.press_name] if pressed else []))
    entries = [previous.get(name) for name in names]
    if not all(unchanged(entry, out_dir, key, roots) for entry in entries):
        return None
    return [Output(target, out_dir / e["path"], e["pages"], e["sha256"], key, e.get("imposed", False),
                   e.get("press", False), tuple(sorted(e["inputs"].items()))) for e in entries]


def _sheet_for(target: BuildTarget, options: BuildOptions) -> str:
    """The sheet asked for; else a press sheet when the pages have bleed or crop marks (an office
    sheet has no room for them), else the paper itself."""
    if options.sheet:
        return options.sheet
    return target.paper_size.press_sheet if target.bleed or target.crop_marks else target.paper


def _write_imposed(data: bytes, target: BuildTarget, out_dir: Path, key: str,
                   inputs: tuple[tuple[str, str], ...], sheet: str, creep: str | None,
                   condition: OutputCondition | None) -> Output:
    """The printer's spreads; made from a press file, a PDF/X-4 file that passed preflight."""
    from ldnpub.prepress import press
    from ldnpub.prepress.impose import impose as impose_pages
    from ldnpub.prepress.impose import points

    imposed, sides = impose_pages(data, sheet, points(creep) if creep else 0.0)
    path = out_dir / target.imposed_name
    if condition is not None:
        imposed = press.imposed_pdfx(imposed, data, target.imposed_name, condition)
        _require_preflight(path, imposed, condition)
    return _write(imposed, path, target, sides, key, inputs, imposed=True)


def _press_file(data: bytes, name: str, condition: OutputCondition, out_dir: Path) -> bytes:
    """The PDF/X-4 press file, returned only when it passes preflight."""
    from ldnpub.prepress import press

    pressed = press.press_pdf(data, name, condition)
    _require_preflight(out_dir / name, pressed, condition)
    return pressed


def _require_preflight(path: Path, data: bytes, condition: OutputCondition) -> None:
    from ldnpub.prepress.preflight import preflight

    report = preflight(path, data, condition.max_ink)
    if report.errors:
        raise BuildError("preflight failed", tuple(Problem(path, None, None, f"preflight: {finding}")
                                                   for finding in report.errors))


def _write(data: bytes, path: Path, target: BuildTarget, pages: int, key: str,
           inputs: tuple[tuple[str, str], ...], imposed: bool = False, press: bool = False) -> Output:
    write_atomic(path, data)
    return Output(target, path, pages, hashlib.sha256(data).hexdigest(), key, imposed=imposed, press=press,
                  inputs=inputs)
