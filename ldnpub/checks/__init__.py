"""Checks: Project -> CheckReport, the content rules an editor runs before every rebuild.

Governance: review dates, what every document prints (disclaimer, version, dates), citations in
the evidence, dose figures that agree with the publication's dose range, unused references.
Plain language: readability of each section's key points and body and of each document, and
jargon the glossary does not explain. Every problem is located in the YAML file to change and
says, in plain words, what was found and what to do. Validation of the files themselves is
validate.py's job; this package starts from a valid Project: content.py (what the rules read),
rules.py (the rules), readability.py (the figures), report.py (the report).

The library only reports: the CLI prints the report and picks the exit code (1 on errors, and
on warnings with --strict). Nothing here imports WeasyPrint or pypdf: documents are checked on
their HTML, so a check takes a second.
"""

from __future__ import annotations

import datetime as dt

from pathlib import Path

from ldnpub.base.errors import Problem
from ldnpub.content.project import Project
from ldnpub.checks import rules, translations
from ldnpub.checks.content import Content
from ldnpub.checks.readability import ENGLISH
from ldnpub.checks.report import WARNING, CheckReport, DocumentReport, SectionReport

__all__ = ["CheckReport", "DocumentReport", "SectionReport", "check"]


def check(project: Project, today: dt.date, source: Project | None = None) -> CheckReport:
    """Run every rule on the project; `today` decides which review dates have passed. A project
    in another language (validate.load_project with a language) is checked as printed in it, on
    its language's readability formula; `source`, the project in its own language, then gives
    the translation's coverage per document."""
    content = Content(project)
    scale = content.scale or ENGLISH
    sections = tuple(rules.section_report(project, section, scale) for _, section in content.parts)
    printed = rules.printed_texts(content)
    documents = tuple(rules.document_report(project, document, printed.get(document.id), scale)
                      for document in project.catalog.documents)
    coverage = translations.coverage(project, source) if source and project.translation else ()
    problems = [
        *rules.review_dates(content, today),
        *rules.key_point_grades(content, sections),
        *rules.uncited_evidence(content),
        *rules.dose_figures(content),
        *rules.unused_references(content),
        *rules.unexplained_jargon(content),
        *content.render_problems,
        *rules.governance_in_documents(content),
        *rules.recorded_review(content),
        *rules.what_a_handout_needs(content),
        *rules.printed_grades(content, documents),
        *translations.review(content),
        *translations.gaps(content, coverage),
    ]
    if content.scale is None:
        problems.append(Problem(Path("sources/publication.yaml"), None, None,
                                f"no readability limits for {project.publication.language}: its text is not scored",
                                f"add readability: languages: {project.publication.language}: {{formula, target, minimum}}",
                                WARNING))
    return CheckReport(
        problems=tuple(sorted(problems, key=_position)),
        sections=sections,
        documents=documents,
        scale=content.scale,
        language=project.publication.language,
        coverage=coverage,
    )


def _position(problem: Problem) -> tuple:
    return (str(problem.path), problem.line or 0, problem.column or 0)


