"""Validation: loaded YAML -> Project, collecting every problem with its file and line.

Types come from the pydantic models in model.py; this module maps pydantic's errors back to
the YAML positions kept by loading.py and adds the checks that span files (known ids,
citations, facts). All problems of a run are raised at once in one ContentError.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ldnpub.base import fonts
from ldnpub.base.errors import ContentError, Problem
from ldnpub.content import inline, model
from ldnpub.content import translation as translate
from ldnpub.content.loading import DataPath, RawFile, field_path, load_yaml, strings
from ldnpub.content.problems import M, problem_from_pydantic
from ldnpub.content import review
from ldnpub.content.blocks import template_problems
from ldnpub.content.project import Project
from ldnpub.content.search import SearchPath


def load_project(project_dir: Path, language: str | None = None, allow_untranslated: bool = False) -> Project:
    """Read and validate every content file of the project (shipped defaults fill the gaps).

    With a language other than the publication's, each translatable string is swapped for its
    translation in translations/LANGUAGE.po first; what is not translated stops the load, with
    its place, unless allow_untranslated (then it stays in the source language, marked so)."""
    search = SearchPath.for_project(project_dir)
    sources = sources_search(search)
    problems: list[Problem] = []
    raws: dict[str, RawFile] = {}
    translator = _translator(search, sources, language, allow_untranslated)

    originals: dict[str, RawFile] = {}  # before translation: what a clinical review read

    def read(path: Path, cls: type[M]) -> M | None:
        return _read(search, path, cls, raws, problems, translator, originals)

    loaded: dict[str, Any] = {}
    for relative, cls in model.CONTENT_FILES:
        if relative.endswith(".yaml"):
            path = sources.find(relative)
            if path is None:
                problems.append(Problem(Path(relative), None, None, "file not found",
                                        "run `ldnpub init DIR` to start a project from the shipped files"))
            loaded[relative] = read(path, cls) if path else None
        else:
            loaded[relative] = [item for path in sources.glob(relative, "*.yaml").values()
                                if (item := read(path, cls)) is not None]
    problems.extend(template_problems(search.roots, search.display))
    if translator:
        translator.check_labels(translate.layout_labels(search.roots))
        problems.extend(translate.listed(translator.problems, language))
    if problems:
        raise ContentError("invalid content" if not translator or not translator.problems
                           else f"not translated to {language}", tuple(problems))

    publication, catalog, references, glossary, sections, conditions = loaded.values()
    reviews_file = review.reviews_path(project_dir)  # the project's own: a review is never shipped
    recorded = _read(search, reviews_file, review.ReviewsFile, raws, problems) if reviews_file.is_file() else None
    if problems:
        raise ContentError("invalid content", tuple(problems))
    project = Project(
        root=project_dir.resolve(),
        search=search,
        publication=publication,
        catalog=catalog,
        sections={s.id: s for s in sections},
        conditions={c.id: c for c in conditions},
        references={r.key: r for r in references.references},
        glossary=glossary.terms,
        raws=raws,
        translation=translator.translation if translator else None,
        untranslated=frozenset(translator.untranslated) if translator else frozenset(),
        source_language=translator.source_language if translator else None,
        po_lines=translator.po_lines if translator else {},
        reviews=dict(recorded.reviews) if recorded else {},
        source_digest=review.reader_digest(originals),
    )
    problems.extend(_cross_check(project, raws))
    if problems:
        raise ContentError("invalid content", tuple(problems))
    return project


def _translator(search: SearchPath, sources: SearchPath, language: str | None,
                allow_untranslated: bool) -> translate.Translator | None:
    """None for the publication's own language."""
    if language is None:
        return None
    publication = sources.find(model.CONTENT_FILES[0][0])
    source_language = _field(publication, "language") if publication else None
    if language == source_language:
        return None
    relative = translate.po_path(language)
    path = sources.find(relative)  # the shipped translation serves only the shipped publication
    if path is None:
        raise ContentError("no translation", (Problem(Path(relative), None, None,
                           f"no {language} translation: the file is missing",
                           f"run `ldnpub translations extract {language}` and translate it"),))
    return translate.Translator(translate.load_translation(path, search.display(path), language,
                                                           search.root_of(path)),
                                allow_untranslated)


def sources_search(search: SearchPath) -> SearchPath:
    """Shipped sources fill the gaps only of the same publication (same id): another
    publication's sections would cite references and conditions it does not have."""
    if len(search.roots) == 1:
        return search
    own, shipped = (root / "sources" / "publication.yaml" for root in search.roots)
    if own.is_file() and shipped.is_file() and _publication_id(own) != _publication_id(shipped):
        return SearchPath(search.roots[:1])
    return search


def _publication_id(path: Path) -> object:
    return _field(path, "id")


def _field(path: Path, name: str) -> object:
    try:
        data = load_yaml(path).data
    except ContentError:
        return None  # reported when the file is read for real
    return data.get(name) if isinstance(data, dict) else None


def _read(search: SearchPath, path: Path, cls: type[M], raws: dict, problems: list,
          translator: translate.Translator | None = None, originals: dict | None = None) -> M | None:
    try:
        raw = load_yaml(path, search.display(path), search.root_of(path))
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    if originals is not None:
        originals[raw.display] = raw
    if translator and raw.data is not None:
        raw = translator.apply(raw, cls)
    raws[raw.display] = raw
    if raw.data is None:
        problems.append(Problem(Path(raw.display), 1, 1, "the file is empty"))
        return None
    try:
        value = cls.model_validate(raw.data)
    except ValidationError as exc:
        problems.extend(problem_from_pydantic(raw, error, cls) for error in exc.errors())
        return None
    if "sections" in path.parts and value.id == model.CONDITION_SECTION:
        line, column = raw.locate(("id",))
        problems.append(Problem(Path(raw.display), line, column,
                                f"id: '{model.CONDITION_SECTION}' is reserved for the tailored condition's section",
                                "choose another id (and file name)"))
    if "sections" in path.parts or "conditions" in path.parts:
        if value.id != path.stem:
            line, column = raw.locate(("id",))
            problems.append(Problem(Path(raw.display), line, column,
                                    f"id: '{value.id}' differs from the file name '{path.name}'",
                                    f"rename the file to {value.id}.yaml or set id: {path.stem}"))
    return value


def _cross_check(project: Project, raws: dict[str, RawFile]) -> list[Problem]:
    """Checks across files: known ids, citations, facts, layouts; duplicate ids."""
    problems: list[Problem] = []
    known = {
        "sections": set(project.sections),
        "conditions": set(project.conditions),
        "references": set(project.references),
    }
    used = {s for document in project.catalog.documents for s in document.sections}
    for raw in raws.values():
        if "sections" in raw.path.parts and raw.path.stem not in used:
            continue  # a shipped section the project's catalog does not use may cite what it replaced
        for path, text in strings(raw.data, ()):
            problems.extend(_check_text(raw, path, text, project, known))
    problems.extend(_duplicates(raws, "sources/references.yaml", "references", "key"))
    problems.extend(_duplicates(raws, "sources/catalog.yaml", "documents", "id"))
    problems.extend(_duplicates(raws, "sources/glossary.yaml", "terms", "term"))
    catalog = _raw(raws, "sources/catalog.yaml")
    for index, document in enumerate(project.catalog.documents):
        for s_index, section_id in enumerate(document.sections):
            if section_id not in known["sections"] and section_id != model.CONDITION_SECTION:
                problems.append(_at(catalog, ("documents", index, "sections", s_index),
                                    f"unknown section '{section_id}'", _suggest(section_id, known["sections"])))
        if document.per_condition and model.CONDITION_SECTION not in document.sections:
            problems.append(_at(catalog, ("documents", index, "sections"),
                                "a per-condition document needs 'condition' among its sections"))
        if project.search.find(f"layouts/{document.layout}.html") is None:
            problems.append(_at(catalog, ("documents", index, "layout"),
                                f"no layout named '{document.layout}' (expected layouts/{document.layout}.html)"))
    publication = _raw(raws, "sources/publication.yaml")
    for script, family in project.publication.fallback_fonts.items():
        try:
            fonts.fallback_file(family)
        except fonts.FontNotInstalled as exc:
            problems.append(_at(publication, ("fallback_fonts", script), f"the font '{family}' is not installed",
                                f"pip install {exc.package} (fonts come from packages; nothing is downloaded at run time)"))
    for condition in project.conditions.values():
        raw = _raw(raws, f"sources/conditions/{condition.id}.yaml")
        for index, key in enumerate(condition.references):
            if key not in known["references"]:
                problems.append(_at(raw, ("references", index), f"unknown reference '{key}'",
                                    _suggest(key, known["references"])))
    return problems


def _check_text(raw: RawFile, path: DataPath, text: str, project: Project, known: dict) -> list[Problem]:
    problems = []
    if len(path) > 1 and path[-2] == "conditions":
        if text not in known["conditions"]:
            problems.append(_at(raw, path, f"unknown condition '{text}'", _suggest(text, known["conditions"])))
        return problems
    if path and path[-1] == "src":
        if "://" in text or project.search.find(f"sources/{text}") is None:
            problems.append(_at(raw, path, f"image not found: sources/{text}",
                                "images are files in the sources folder, named relative to it"))
        return problems
    if path and path[-1] == "icon":
        if project.search.find(f"sources/icons/{text}.svg") is None:
            problems.append(_at(raw, path, f"no icon named '{text}' (expected sources/icons/{text}.svg)",
                                _suggest(text, _icon_names(project))))
        return problems
    for key in inline.citation_keys(text):
        if key not in known["references"]:
            problems.append(_at(raw, path, f"citation of unknown reference '{key}'",
                                _suggest(key, known["references"])))
    for name in inline.fact_names(text):
        if name not in project.publication.facts:
            problems.append(_at(raw, path, f"unknown fact '{{{{{name}}}}}'",
                                f"define it under facts: in publication.yaml ({', '.join(project.publication.facts)})"))
    return problems


def _icon_names(project: Project) -> set[str]:
    return {Path(name).stem for name in project.search.glob("sources/icons", "*.svg")}


def _duplicates(raws: dict[str, RawFile], name: str, list_field: str, id_field: str) -> list[Problem]:
    raw = _raw(raws, name)
    seen: set = set()
    problems = []
    for index, item in enumerate(raw.data.get(list_field) or []):
        value = item.get(id_field) if isinstance(item, dict) else None
        if value in seen:
            problems.append(_at(raw, (list_field, index, id_field), f"duplicate {id_field} '{value}'"))
        seen.add(value)
    return problems


def _raw(raws: dict[str, RawFile], relative: str) -> RawFile:
    return next(raw for raw in raws.values() if raw.path.as_posix().endswith(relative))


def _at(raw: RawFile, path: DataPath, message: str, hint: str = "") -> Problem:
    line, column = raw.locate(path)
    return Problem(Path(raw.display), line, column, f"{field_path(path)}: {message}", hint)


def _suggest(value: str, choices: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(choices), n=1)
    known = ", ".join(sorted(choices))
    return f"did you mean '{close[0]}'? Known: {known}" if close else f"known: {known}"
