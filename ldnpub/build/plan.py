"""Planning: what a build makes, as BuildTargets, before anything renders."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import replace

from ldnpub.base.errors import BuildError, Problem, UsageError
from ldnpub.pdf.finish import SADDLE_STITCH
from ldnpub.content.project import Project
from ldnpub.base.targets import BuildTarget
from ldnpub.content.problems import problem_at
from ldnpub.build.options import BuildOptions, _css_length


def plan(project: Project, options: BuildOptions | None = None,
         brands: Sequence[str | None] = (None,)) -> list[BuildTarget]:
    """The targets a build writes: the named documents (default: all) on each chosen paper, for
    each brand id (None: the publisher's own edition), in each chosen variant.

    With conditions, a tailored document is built once per condition and a per-condition
    document exists only then; other documents are the same for every reader, built once.
    """
    options = options or BuildOptions()
    _require_known("document", options.doc_ids, [d.id for d in project.catalog.documents])
    _require_known("condition", options.conditions, list(project.conditions))
    papers = list(dict.fromkeys(options.papers or [project.catalog.default_paper]))
    return [replace(target, language=language) for language in edition_languages(project, options)
            for brand in dict.fromkeys(brands) for paper in papers
            for target in _plan_one(project, options, paper, brand)]


def edition_languages(project: Project, options: BuildOptions) -> list[str | None]:
    """The languages asked for, None standing for the publication's own (the default)."""
    own = project.source_language or project.publication.language
    return list(dict.fromkeys(None if language == own else language for language in options.languages)) or [None]


def _plan_one(project: Project, options: BuildOptions, paper: str, brand: str | None) -> list[BuildTarget]:
    doc_ids, conditions, variants = options.doc_ids, options.conditions, options.variants
    bleed = _css_length(options.bleed) if options.bleed is not None else None
    chosen_conditions = list(project.conditions) if options.all_conditions else list(dict.fromkeys(conditions))
    targets = []
    for doc_id in dict.fromkeys(doc_ids or [d.id for d in project.catalog.documents]):
        document = project.document(doc_id)
        if paper not in document.papers:
            raise UsageError("unsupported paper", (Problem(None, None, None,
                             f"document '{doc_id}' is not made for {paper} paper",
                             f"its papers: {', '.join(document.papers)}"),))
        if (document.tailored or document.per_condition) and chosen_conditions:
            editions: list[str | None] = list(chosen_conditions)
        elif document.per_condition:
            if doc_ids:
                raise UsageError("needs a condition", (Problem(None, None, None,
                                 f"document '{doc_id}' is made only per condition",
                                 "add --condition ID or --all-conditions"),))
            continue
        else:
            editions = [None]
        chosen_variants = list(dict.fromkeys(variants or ["standard"]))
        offered = [v for v in chosen_variants if v in document.variants]
        if doc_ids and len(offered) < len(chosen_variants):
            missing = ", ".join(v for v in chosen_variants if v not in offered)
            raise UsageError("unsupported variant", (Problem(None, None, None,
                             f"document '{doc_id}' is not made in {missing}",
                             f"its variants: {', '.join(document.variants)}"),))
        targets += [BuildTarget(doc_id, paper, condition, variant, brand, bleed, options.crop_marks,
                                options.pdf_standard, document.layout)
                    for condition in editions for variant in offered]
    return targets


def planned_files(project: Project, options: BuildOptions, targets: list[BuildTarget]) -> list[str]:
    """Each target's PDF, with its imposed and press files when the options ask for them."""
    files = []
    for target in targets:
        files.append(target.output_name)
        if options.impose and project.document(target.document).page_multiple >= SADDLE_STITCH:
            files.append(target.imposed_name)
        if options.press:
            files.append(target.press_name)
    return files


def _require_known(kind: str, asked: Sequence[str], known: list[str]) -> None:
    for name in asked:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = (f"did you mean '{close[0]}'? " if close else "") + f"Known: {', '.join(known)}"
            raise UsageError(f"unknown {kind}", (Problem(None, None, None, f"unknown {kind} '{name}'", hint),))


def review_overdue(project: Project, today: dt.date, allowed: bool) -> bool:
    """Whether the documents are built after their next review date; refused unless allowed.

    Out-of-date health information must not be handed out unnoticed: a clinic that needs a copy
    anyway gets "Review overdue" on every page.
    """
    next_review = project.publication.next_review
    if next_review >= today:
        return False
    if allowed:
        return True
    raise BuildError("review overdue", (problem_at(
        project, "sources/publication.yaml", ("next_review",),
        f"the next review date ({next_review.isoformat()}) has passed: the content may be out of date",
        "review the content and set new dates in publication.yaml, or build anyway with --allow-expired "
        "(every page then says \"Review overdue\")"),))
