"""The command line: Click commands only. Each turns options into arguments, calls one library
function, shows the report and picks the exit code (0 ok, 1 build failed, 2 bad input)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ldnpub._version import __version__
from ldnpub.build.options import click_options, from_command_line
from ldnpub.base.errors import LdnpubError
from ldnpub.commands.reports import progress, show_build, show_check, show_no_op, words
from ldnpub.base.targets import AUTO_SHEET, PAPERS, SHEETS, VARIANTS

if TYPE_CHECKING:  # the library is imported by each command as it needs it: a no-op build stays quick
    from ldnpub.build.options import BuildOptions

SHEET_CHOICES = [*SHEETS, AUTO_SHEET]


def _date(ctx, param, value):
    return value.date() if value else None


def today_option(help_text: str, name: str = "--today"):
    """--today YYYY-MM-DD: the date the command acts as of (default: SOURCE_DATE_EPOCH, else the clock)."""
    return click.option(name, type=click.DateTime(["%Y-%m-%d"]), callback=_date, metavar="YYYY-MM-DD",
                        help=help_text)


class Cli(click.Group):
    """Reports LdnpubError as a message with its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LdnpubError as exc:
            click.secho(str(exc), fg="red", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # a read-only or full disk, a missing folder: the file and the reason
            where = f"{exc.filename}: " if exc.filename else ""
            click.secho(f"{where}error: {exc.strerror or exc}", fg="red", err=True)
            ctx.exit(1)


@click.group(cls=Cli)
@click.version_option(__version__, prog_name="ldnpub")
@click.option("-C", "--project", "project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Project folder (shipped content fills the gaps).")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """Build print-ready patient-education leaflets and booklets from YAML content."""
    ctx.obj = project_dir


def _stop_on_signals():
    """Ctrl+C and SIGTERM end watch cleanly, at the watch's next turn, rather than with an
    exception raised wherever the main thread happens to be (inside the worker pool's
    bookkeeping, a lock left held could hang the exit). A second Ctrl+C stops at once."""
    import os
    import signal
    import threading

    stop = threading.Event()

    def handle(signum, frame):
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        os.write(2, b"stopping (Ctrl+C again to stop at once)\n")

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    return stop


def build_options(function):
    """The options shared by build and watch."""
    options = [
        click.argument("doc_ids", nargs=-1),
        *click_options(),  # every build option, declared once in build/options.py
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder (default: ldnpub.yaml's out, else the project's dist/)."),
        click.option("--set", "set_name", metavar="NAME", help="Build a named set of ldnpub.yaml."),
        click.option("-q", "--quiet", is_flag=True, help="Print only problems."),
        click.option("-v", "--verbose", is_flag=True, help="Print each step."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _options(project_dir: Path, kwargs: dict) -> tuple[BuildOptions, Path, bool, bool]:
    """The build options: the command line's, then the named set's, then ldnpub.yaml's."""
    from ldnpub.build.settings import apply, build_defaults, load_settings

    out_dir, quiet, verbose = kwargs.pop("out_dir"), kwargs.pop("quiet"), kwargs.pop("verbose")
    set_name = kwargs.pop("set_name")
    settings = load_settings(project_dir)
    options = apply(from_command_line(kwargs), build_defaults(settings, set_name))
    out_dir = out_dir or project_dir / (settings.out or "dist")
    return options, out_dir, quiet, verbose


@cli.command()
@build_options
@click.pass_obj
def build(project_dir: Path, **kwargs) -> None:
    """Build documents (default: every document of the catalog) into the output folder.

    With --condition or --all-conditions, the tailored documents are built once per condition.
    Documents whose inputs did not change since the last build into the folder are skipped."""
    from ldnpub.build.cache import build_stamp, unchanged_build
    from ldnpub.base.clock import today

    command = {k: v for k, v in kwargs.items() if k not in ("quiet", "verbose", "jobs", "scheduler")}
    # --html rewrites the HTML beside each PDF every time; the stamp does not record those files
    stamp = None if kwargs["force"] or kwargs["html"] else build_stamp(
        project_dir, f"{Path.cwd()} {sorted(command.items())!r}", today(kwargs["today"]).isoformat())
    no_op = unchanged_build(stamp) if stamp else None
    if no_op:
        show_no_op(no_op, kwargs["quiet"])
        sys.exit(0)

    from ldnpub.build.run import build as build_documents
    from ldnpub.build.run import record_stamp
    from ldnpub.content.load import load_project

    options, out_dir, quiet, verbose = _options(project_dir, kwargs)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s")
    project = load_project(project_dir)
    with progress(quiet) as advance:
        report = build_documents(project, options, out_dir, advance)
    show_build(report, quiet)
    if stamp and not report.failed:
        record_stamp(stamp, project, options, report)
    sys.exit(1 if report.failed else 0)


@cli.command()
@build_options
@click.pass_obj
def watch(project_dir: Path, **kwargs) -> None:
    """Build, then rebuild what changed each time a source, layout, style or brand file is saved.
    Problems are shown and the watch goes on; Ctrl+C stops it."""
    from ldnpub.commands.watch import watch as watch_project

    options, out_dir, quiet, verbose = _options(project_dir, kwargs)

    def show(report_or_error) -> None:
        if isinstance(report_or_error, LdnpubError):
            click.secho(str(report_or_error), fg="red", err=True)
        else:
            show_build(report_or_error, quiet)
        click.echo(f"watching {project_dir.resolve()} (Ctrl+C to stop)")

    def written(event) -> None:  # each file as it is written: the one being edited shows first
        if event.kind == "written" and not quiet:
            click.echo(words(event))

    stop = _stop_on_signals()
    try:
        watch_project(project_dir, options, out_dir, show, stop=stop, reporter=written)
    except KeyboardInterrupt:
        pass
    click.echo("stopped")


@cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--paper", "papers", type=click.Choice(list(PAPERS)), multiple=True,
              help="Paper size (repeatable; default: the catalog's).")
@click.option("--brand", "brands", metavar="FILE", multiple=True, help="A brand (repeatable), as for build.")
@click.option("--variant", "variants", type=click.Choice(list(VARIANTS)), multiple=True, help="As for build.")
@click.option("--condition", "conditions", multiple=True, metavar="ID", help="As for build.")
@click.option("--all-conditions", is_flag=True, help="As for build.")
@click.option("--language", "languages", multiple=True, metavar="CODE", help="As for build.")
@click.option("--set", "set_name", metavar="NAME", help="As for build: a named set of ldnpub.yaml.")
@click.pass_obj
def list_(project_dir: Path, as_json: bool, papers: tuple[str, ...], brands: tuple[str, ...],
          variants: tuple[str, ...], conditions: tuple[str, ...], all_conditions: bool,
          languages: tuple[str, ...], set_name: str | None) -> None:
    """List the documents, conditions and the files a build with these options would write."""
    from ldnpub.content.brand import open_brand
    from ldnpub.build.options import BuildOptions
    from ldnpub.build.plan import planned_files, plan
    from ldnpub.build.settings import apply, build_defaults, load_settings
    from ldnpub.content.load import load_project

    project = load_project(project_dir)
    asked = BuildOptions(papers=papers, variants=variants, conditions=conditions, all_conditions=all_conditions,
                         brands=brands, languages=languages)
    options = apply(asked, build_defaults(load_settings(project_dir), set_name))
    paper = options.papers[0] if options.papers else project.catalog.default_paper
    general = {t.document: t.output_name for t in plan(project, BuildOptions(papers=(paper,)))}
    tailored = plan(project, BuildOptions(papers=(paper,), all_conditions=True))
    brand_ids = [open_brand(project.search, name).id for name in options.brands] or [None]
    files = planned_files(project, options, plan(project, options, brand_ids))
    documents = [{"id": d.id, "title": d.title, "layout": d.layout, "sections": list(d.sections),
                  "tailored": d.tailored, "per_condition": d.per_condition, "papers": list(d.papers),
                  "file": general.get(d.id),
                  "condition_files": [t.output_name for t in tailored if t.document == d.id and t.condition]}
                 for d in project.catalog.documents]
    conditions_found = [{"id": c.id, "name": c.name} for c in project.conditions.values()]
    if as_json:
        click.echo(json.dumps({"documents": documents, "conditions": conditions_found,
                               "variants": list(VARIANTS), "papers": list(PAPERS),
                               "build_files": files}, indent=2))
        return
    click.echo("Documents:")
    for d in documents:
        file = d["file"] or f"{d['id']}_CONDITION_{paper}.pdf"
        click.echo(f"  {d['id']:<14} {d['layout']:<9} {file:<26} {d['title']}")
    click.echo("Conditions (--condition ID, or --all-conditions):")
    for c in conditions_found:
        click.echo(f"  {c['id']:<30} {c['name']}")
    click.echo(f"A build with these options writes {len(files)} file(s):")
    for name in files:
        click.echo(f"  {name}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@today_option("Check as of this date (default: SOURCE_DATE_EPOCH, else today).")
@click.option("--language", metavar="CODE", help="Check a translation (e.g. es): as printed in it, on its own "
              "readability formula, with its coverage per document.")
@click.pass_obj
def check(project_dir: Path, as_json: bool, strict: bool, today, language: str | None) -> None:
    """Check the content: governance rules, review dates and plain language."""
    from ldnpub.checks import check as check_content
    from ldnpub.base.clock import today as clock_today
    from ldnpub.content.load import load_project

    source = load_project(project_dir)
    project = load_project(project_dir, language, allow_untranslated=True) if language else source
    report = check_content(project, clock_today(today), source)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        show_check(report)
    sys.exit(1 if report.failed(strict) else 0)


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", type=click.Choice(SHEET_CHOICES), default="a4", show_default=True,
              help="The landscape sheet: a4 or letter for office printers; a3, tabloid, sra4, sra3, or auto "
                   "(cut to the spread, its bleed and marks) for a print shop.")
@click.option("--creep", metavar="LEN", help="Move the inner sheets' pages toward the spine by up to LEN (e.g. 0.5mm).")
def impose(source: Path, destination: Path, sheet: str, creep: str | None) -> None:
    """Lay out any PDF for saddle stitching: two pages a side at full size, printed duplex (flip on
    the short edge), folded, it reads 1..N. Padded to a multiple of 4 with blank pages."""
    from ldnpub.build.options import _css_length
    from ldnpub.base.files import write_atomic
    from ldnpub.prepress.impose import impose_pages, points

    imposed = impose_pages(source.read_bytes(), sheet, points(_css_length(creep, "--creep")) if creep else 0.0)
    write_atomic(destination, imposed.data)
    width, height = (round(v * 25.4 / 72) for v in imposed.sheet)
    click.echo(f"wrote {destination} ({imposed.sides} sides of a {width} x {height} mm sheet: "
               "print duplex, flip on the short edge)")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start an editable project in DIRECTORY from the shipped sources, layouts and styles."""
    from ldnpub.commands.init import init_project

    for folder in init_project(directory):
        click.echo(f"wrote {folder}{'/' if folder.is_dir() else ''}")
    click.echo(f"Edit the files, then: cd {directory} && ldnpub build")


@cli.command()
@build_options
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="Port on 127.0.0.1.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.pass_obj
def preview(project_dir: Path, port: int, open_browser: bool, **kwargs) -> None:
    """A local web page of the catalog that rebuilds and updates itself on save."""
    from ldnpub.commands.preview.server import listen, serve

    options, out_dir, quiet, verbose = _options(project_dir, kwargs)
    sock = listen(port)
    click.echo(f"Preview at http://127.0.0.1:{port}/ (Ctrl+C to stop)")

    def show(problems) -> None:
        for problem in problems:
            click.secho(str(problem), fg="red" if problem.severity == "error" else "yellow", err=True)

    serve(project_dir, options, out_dir, sock, open_browser, show)


@cli.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", type=click.Choice(["ua1", "ua2"]), default="ua1", show_default=True,
              help="veraPDF's PDF/UA-1 or PDF/UA-2 profile.")
def validate(pdfs: tuple[Path, ...], profile: str) -> None:
    """Judge PDFs with veraPDF, the reference validator for PDF/UA (needs Java: see the README)."""
    from ldnpub.pdf.verapdf import PROFILES, validate as run_verapdf

    verdicts = run_verapdf(list(pdfs), profile)
    for verdict in verdicts:
        if verdict.compliant:
            click.secho(f"{verdict.path}: {PROFILES[profile]} compliant", fg="green")
            continue
        click.secho(f"{verdict.path}: not {PROFILES[profile]} compliant", fg="red")
        for failure in verdict.failures:
            click.echo(f"    rule {failure.rule} ({failure.count}x): {failure.description}")
    sys.exit(0 if all(v.compliant for v in verdicts) else 1)


@cli.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--max-ink", type=click.IntRange(200, 400), metavar="PERCENT",
              help="The total ink allowed (default: the file's output condition's, else 300).")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON, for a print shop's own tools.")
def preflight(pdfs: tuple[Path, ...], max_ink: int | None, as_json: bool) -> None:
    """Check PDFs as a print shop would: PDF/X, boxes, fonts, colours, ink, images, lines, overprint,
    the safe zone and the bleed (exit 1 when a file has an error)."""
    from ldnpub.prepress.preflight import preflight as check

    reports = [check(path, max_ink=max_ink) for path in pdfs]
    if as_json:
        click.echo(json.dumps([report.as_json() for report in reports], indent=2))
    for report in reports if not as_json else ():
        ink = f"; heaviest ink {max(report.ink):.0f}% (at most {report.max_ink}%)" if report.ink else ""
        verdict = "problems" if report.errors else "ready for press"
        click.secho(f"{report.path}: {verdict}{ink}", fg="red" if report.errors else "green")
        for finding in report.findings:
            click.echo(f"    {finding}")
    sys.exit(1 if any(report.errors for report in reports) else 0)


@cli.command()
def doctor() -> None:
    """What this machine has and lacks for each feature, with the command that installs it
    (exit 1 when building PDFs cannot work here)."""
    from ldnpub.commands.doctor import diagnose

    findings = diagnose()
    for finding in findings:
        mark = "ok" if finding.ok else ("MISSING" if finding.core else "missing")
        click.secho(f"{mark:>7}  {finding.feature}: {finding.detail}",
                    fg="green" if finding.ok else ("red" if finding.core else "yellow"))
        if finding.install:
            click.echo(f"         install: {finding.install}")
    sys.exit(1 if any(f.core and not f.ok for f in findings) else 0)


@cli.group()
def cache() -> None:
    """The render cache: PDFs rendered before, reused by any build of the same inputs
    (LDNPUB_CACHE_DIR sets its folder, or "off"; LDNPUB_CACHE_SIZE its limit)."""


@cache.command(name="info")
def cache_info() -> None:
    """Where the render cache is, and how full."""
    from ldnpub.build.cache import RenderCache

    info = RenderCache.default().info()
    if info.folder is None:
        click.echo("the render cache is off (LDNPUB_CACHE_DIR=off)")
        return
    click.echo(f"{info.folder}: {info.files} PDF(s), {_megabytes(info.size)} of {_megabytes(info.limit)}")


@cache.command(name="clear")
def cache_clear() -> None:
    """Remove every PDF from the render cache."""
    from ldnpub.build.cache import RenderCache

    render_cache = RenderCache.default()
    if render_cache.folder is None:
        click.echo("the render cache is off (LDNPUB_CACHE_DIR=off)")
        return
    freed = render_cache.clear()
    click.echo(f"cleared {render_cache.folder}: {_megabytes(freed)} freed")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


@cli.group()
def review() -> None:
    """Clinical reviews that stay true: recorded with a digest of the text, so documents say
    "Reviewed by" only until the text changes."""


@review.command(name="record")
@click.option("--reviewer", required=True, help="Who reviewed it, e.g. \"A. Smith\".")
@click.option("--role", required=True, help="Their role, e.g. \"PharmD\" or \"medical translator\".")
@today_option("The day of the review (default: SOURCE_DATE_EPOCH, else today).", name="--date")
@click.option("--language", metavar="CODE", help="Record a translation's review (e.g. es) instead of the text's.")
@click.pass_obj
def review_record(project_dir: Path, reviewer: str, role: str, date, language: str | None) -> None:
    """Record that REVIEWER, ROLE reviewed the text as it is now (sources/reviews.yaml). Every document
    then says "Reviewed by REVIEWER, ROLE, on DATE", until an edit changes what readers read; then it
    says the text changed since that review, and `check` warns."""
    from ldnpub.base.clock import today
    from ldnpub.commands.review import record_review

    path = record_review(project_dir, reviewer, role, today(date), language)
    click.echo(f"recorded the review by {reviewer}, {role}, on {today(date).isoformat()} in {path}")


@cli.group()
def translations() -> None:
    """Translations as gettext PO files (translations/LANGUAGE.po), for translators' tools."""


@translations.command(name="extract")
@click.argument("languages", nargs=-1, required=True)
@click.pass_obj
def translations_extract(project_dir: Path, languages: tuple[str, ...]) -> None:
    """Write translations/LANGUAGE.po for each language (e.g. es): every string of the content and
    of the layouts' labels, with its place; an existing file is updated, keeping its translations."""
    _write_translations(project_dir, list(languages))


@translations.command(name="update")
@click.pass_obj
def translations_update(project_dir: Path) -> None:
    """Merge the current English into every translations/*.po: new strings are added, strings whose
    English changed are marked fuzzy (with the old English), removed ones are kept as obsolete."""
    _write_translations(project_dir, [])


def _write_translations(project_dir: Path, languages: list[str]) -> None:
    from ldnpub.content.types import LANGUAGE_PATTERN
    from ldnpub.commands.translations import write_po_files
    from ldnpub.content.load import load_project

    import re

    for language in languages:
        if not re.fullmatch(LANGUAGE_PATTERN, language):
            raise click.BadParameter(f"{language!r} is not a language code like es or pt-BR", param_hint="LANGUAGE")
    written = write_po_files(load_project(project_dir), languages)
    for path in written:
        click.echo(f"wrote {path}")
    if not written:
        click.echo("the translations are up to date" if languages or (project_dir / "translations").is_dir()
                   else "no translations yet: run `ldnpub translations extract LANGUAGE`")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True, help="Folder for the schema files.")
def schema(out_dir: Path) -> None:
    """Write JSON Schemas of the content files, for editors (completion, hover help, red squiggles)."""
    from ldnpub.content.schema import write_schemas

    for path in write_schemas(out_dir):
        click.echo(f"wrote {path}")


def main() -> None:
    cli(prog_name="ldnpub")


if __name__ == "__main__":  # python -m ldnpub.cli
    main()
