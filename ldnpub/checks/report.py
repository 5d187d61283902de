"""The report of a check: the problems, and the plain-language figures of every section and document."""

from __future__ import annotations

from dataclasses import dataclass

from ldnpub.base.errors import Problem
from ldnpub.checks.readability import ENGLISH, Readability, Scale

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of what one document prints is translated."""

    document: str
    strings: int
    translated: int
    fuzzy: int  # translated once, but the English has changed since
    missing: int


@dataclass(frozen=True, slots=True)
class SectionReport:
    """The plain-language figures of one section (or one condition's section)."""

    id: str
    title: str
    key_points: Readability
    body: Readability
    jargon: tuple[str, ...]  # words of JARGON it uses that the glossary does not explain


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """The plain-language figures of one document of the catalog, its sections joined."""

    id: str
    title: str
    key_points: Readability
    body: Readability
    printed: Readability | None = None  # all a leaflet or tri-fold prints, headings and the about box aside


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `ldnpub check` found: the problems, and the figures of every section and document."""

    problems: tuple[Problem, ...]
    sections: tuple[SectionReport, ...]
    documents: tuple[DocumentReport, ...]
    scale: Scale | None = ENGLISH  # the language's readability formula and limits; None: not scored
    language: str = "en"
    coverage: tuple[Coverage, ...] = ()  # a translation's, per document

    @property
    def target_grade(self) -> float:
        return self.scale.target if self.scale else 0.0

    @property
    def max_grade(self) -> float:
        return self.scale.limit if self.scale else 0.0

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)

    def failed(self, strict: bool = False) -> bool:
        """Errors fail a check; warnings too when strict."""
        return bool(self.errors or (strict and self.warnings))

    def to_json(self) -> dict:
        """Every figure (rounded) and every problem, as plain data for json.dumps."""
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "language": self.language,
            "thresholds": None if self.scale is None else {
                "formula": self.scale.formula, "target": self.scale.target, "limit": self.scale.limit},
            "translation": [{"document": c.document, "strings": c.strings, "translated": c.translated,
                             "fuzzy": c.fuzzy, "missing": c.missing} for c in self.coverage],
            "problems": [problem_json(p) for p in self.problems],
            "sections": [{"id": s.id, "title": s.title, "key_points": figures_json(s.key_points),
                          "body": figures_json(s.body), "jargon": list(s.jargon)} for s in self.sections],
            "documents": [{"id": d.id, "title": d.title, "key_points": figures_json(d.key_points),
                           "body": figures_json(d.body),
                           "printed": figures_json(d.printed) if d.printed else None} for d in self.documents],
        }


def figures_json(figures: Readability) -> dict:
    return {
        "grade": None if figures.empty else round(figures.grade, 1),
        "reading_ease": None if figures.empty else round(figures.reading_ease, 1),
        "score": None if figures.empty else round(figures.score, 1),
        "words": figures.words,
        "sentences": figures.sentences,
        "mean_sentence_length": round(figures.mean_sentence_length, 1),
        "longest_sentence": figures.longest_sentence,
        "longest_sentence_text": figures.longest_sentence_text,
        "polysyllable_share": round(figures.polysyllable_share, 3),
    }


def problem_json(problem: Problem) -> dict:
    return {"file": str(problem.path) if problem.path else None, "line": problem.line,
            "column": problem.column, "severity": problem.severity, "message": problem.message,
            "hint": problem.hint}
