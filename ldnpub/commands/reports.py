"""How the command line words what the library reports: build progress and summaries, and the
check's plain-language report. Only click here: a no-op build prints through it too."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click


def show_no_op(no_op, quiet: bool) -> None:
    """What a build with nothing to do says, known from its stamp."""
    if quiet:
        return
    if not sys.stderr.isatty():
        for number, name in enumerate(no_op.targets, 1):
            click.echo(f"[{number}/{len(no_op.targets)}] unchanged {name}")
    click.echo(f"0 PDF(s) written to {no_op.out_dir}/")
    click.echo(f"{no_op.unchanged} file(s) unchanged since the last build (--force rebuilds them)")


@contextmanager
def progress(quiet: bool):
    """A progress bar on a terminal; one plain line per document otherwise."""
    if quiet:
        yield None
    elif sys.stderr.isatty():
        with click.progressbar(length=1, label="Building", file=sys.stderr, show_pos=True) as bar:
            def advance(event) -> None:
                bar.length = event.total
                bar.label = words(event)
                bar.update(1)
            yield advance
    else:
        yield lambda event: click.echo(f"[{event.done}/{event.total}] {words(event)}")


def words(event) -> str:
    name = event.target.output_name
    if event.kind == "written":
        source = ", from the cache" if event.cached else ""
        return f"wrote {name} ({event.pages} page{'' if event.pages == 1 else 's'}{source})"
    return f"{event.kind} {name}"


def show_build(report, quiet: bool) -> None:
    """A summary; the progress lines named each document as it was written."""
    if not quiet:
        written = [o for o in report.outputs if not (o.imposed or o.press)]
        extra = [f"{count} {kind}" for kind, count in (("imposed", sum(o.imposed for o in report.outputs)),
                                                         ("press", sum(o.press for o in report.outputs))) if count]
        click.echo(f"{len(written)} PDF(s) written to {report.out_dir}/" + "".join(f", {e}" for e in extra)
                   + (f" ({report.cached} copied from the render cache)" if report.cached else ""))
        if report.skipped:
            click.echo(f"{len(report.skipped)} file(s) unchanged since the last build (--force rebuilds them)")
        for path in report.packages:
            click.echo(f"packed for the print shop: {path}")
    for problem in report.problems:
        click.secho(str(problem), fg="red" if problem.severity == "error" else "yellow", err=True)
    if report.failed:
        click.secho(f"{len(report.problems)} problem(s); earlier outputs were left as they were.", err=True)


def show_check(report) -> None:
    scale = report.scale
    if scale is None:
        click.secho(f"Plain language: no formula for {report.language}; figures are English Flesch-Kincaid, "
                    "for reference only", bold=True)
    elif scale.lower_is_easier:
        click.secho(f"Plain language ({scale.formula} of the key points: target {scale.target:g} "
                    f"or below, limit {scale.limit:g})", bold=True)
    else:
        click.secho(f"Plain language in {report.language} ({scale.formula}, 0 hard to 100 easy, of the key points: "
                    f"target {scale.target:g} or above, limit {scale.limit:g})", bold=True)
    score = "grade" if scale is None or scale.lower_is_easier else "score"
    header = f"  {'':<34} {'key points':>16}   {'body':>44}"
    click.echo(header)
    click.echo(f"  {'':<34} {score:>7} {'ease':>8}   {score:>7} {'ease':>7} {'words/sent.':>12} "
               f"{'longest':>8} {'3+ syl.':>7}")
    for title, row in [("Sections", report.sections), ("Documents", report.documents)]:
        click.secho(f"  {title}", underline=True)
        for item in row:
            click.echo(f"  {item.id[:34]:<34} " + _figures(item.key_points, item.body, report))
    printed = [d for d in report.documents if d.printed is not None and not d.printed.empty]
    if printed:
        click.secho("  As printed (leaflets and tri-fold: all their running text; gated like the key points)",
                    underline=True)
        for document in printed:
            click.echo(f"  {document.id[:34]:<34} {_grade(document.printed.score, report)} "
                       f"{document.printed.reading_ease:>8.1f}   {document.printed.words:>7} words")
    if report.coverage:
        click.secho(f"  Translation to {report.language}", underline=True)
        for c in report.coverage:
            click.echo(f"  {c.document[:34]:<34} {c.translated:>4} of {c.strings:<4} translated"
                       + (f", {c.fuzzy} stale" if c.fuzzy else "") + (f", {c.missing} missing" if c.missing else ""))
    for problem in report.problems:
        click.secho(str(problem), fg="red" if problem.severity == "error" else "yellow")
    errors, warnings = len(report.errors), len(report.warnings)
    click.secho(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
                fg="red" if errors else ("yellow" if warnings else "green"), bold=True)


def _grade(score: float, report) -> str:
    judged = report.scale.judge(score) if report.scale else None
    colour = "green" if judged is None else ("red" if judged[1] == "error" else "yellow")
    return click.style(f"{score:>7.1f}", fg=colour)


def _figures(key_points, body, report) -> str:
    grade = f"{'-':>7}" if key_points.empty else _grade(key_points.score, report)
    ease = f"{key_points.reading_ease:>8.1f}" if not key_points.empty else f"{'-':>8}"
    if body.empty:
        return f"{grade} {ease}"
    return (f"{grade} {ease}   {body.score:>7.1f} {body.reading_ease:>7.1f} {body.mean_sentence_length:>12.1f} "
            f"{body.longest_sentence:>8} {body.polysyllable_share:>7.0%}")
