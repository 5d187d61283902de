"""A translation's rules: how much of each document is translated, and whether a qualified
medical translator has reviewed it."""

from __future__ import annotations

from ldnpub.base.errors import Problem
from ldnpub.content.model import CONDITION_SECTION, Document, model_for
from ldnpub.content.project import Project
from ldnpub.content.translation import context, layout_labels, translatable
from ldnpub.checks.content import Content
from ldnpub.checks.report import ERROR, WARNING, Coverage

PUBLICATION, CATALOG = "sources/publication.yaml", "sources/catalog.yaml"
SHARED = ("sources/publication.yaml", "sources/catalog.yaml", "sources/glossary.yaml", "sources/references.yaml")


def coverage(project: Project, source: Project) -> tuple[Coverage, ...]:
    """For each document: the strings it may print (its sections, its conditions, the shared
    files, the layouts' labels) and how many are translated, fuzzy or missing."""
    translation = project.translation
    labels = {label.text for label in layout_labels(project.search.roots)}
    results = []
    for document in project.catalog.documents:
        states = [_state(translation.entries.get(key)) for key in _strings(source, document)]
        states += [_state(translation.entries.get((None, text))) for text in labels]
        results.append(Coverage(document.id, len(states), states.count("translated"), states.count("fuzzy"),
                                states.count("missing")))
    return tuple(results)


def _strings(source: Project, document: Document) -> list[tuple[str, str]]:
    """(context, English) of every translatable string of the files the document is made from."""
    files = [*SHARED, *(f"sources/sections/{s}.yaml" for s in document.sections if s != CONDITION_SECTION)]
    if document.tailored or document.per_condition or CONDITION_SECTION in document.sections:
        files += [f"sources/conditions/{c}.yaml" for c in source.conditions]
    found = []
    for name in files:
        raw = source.raw(name)
        cls = model_for(raw.display)
        found += [(context(raw.path, at), text) for at, text in translatable(cls, raw.data)]
    return found


def _state(entry) -> str:
    if entry is None or not entry.text:
        return "missing"
    return "fuzzy" if entry.fuzzy else "translated"


def gaps(content: Content, found: tuple[Coverage, ...]) -> list[Problem]:
    """A document with strings missing or stale: an error, since its build would stop."""
    language = content.project.publication.language
    index = {document.id: i for i, document in enumerate(content.project.catalog.documents)}
    return [content.problem(CATALOG, ("documents", index[c.document], "id"),
                            f"the {language} edition of '{c.document}' lacks {c.missing} translation(s) and "
                            f"{c.fuzzy} are stale (fuzzy: the English changed since)",
                            f"translate them in {content.project.translation.display}; `ldnpub build --language "
                            f"{language}` lists each with its place", ERROR)
            for c in found if c.missing or c.fuzzy]


def review(content: Content) -> list[Problem]:
    """A translation no qualified medical translator has reviewed: a warning until one is recorded."""
    project = content.project
    language = project.publication.language
    if project.translation is None or language in project.publication.translation_reviews:
        return []
    return [content.problem(PUBLICATION, ("translation_reviews",),
                            f"the {language} translation has not been reviewed by a qualified medical translator; "
                            f"every {language} document says so",
                            f"once it has been, record it: translation_reviews: {{{language}: {{reviewers: [NAME], "
                            "date: YYYY-MM-DD}}", WARNING)]
