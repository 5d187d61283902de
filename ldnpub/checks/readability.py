"""Readability: plain text -> Readability, the figures of the plain-language report. Pure, no I/O.

checks.py calls it with the words a reader sees (citations and Markdown already removed by
inline.plain). Scores come from textstat 0.7.8, pinned: 0.7.9 and newer download NLTK data on
first use, and grades move between syllable counters, so thresholds hold for this version only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import textstat

ERROR, WARNING = "error", "warning"  # as the report's problems say (report.py imports this module)

# textstat 0.7.8's own sentence split (counts.count_sentences), so the longest sentence we
# report is one of the sentences its formulas counted.
SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
FRAGMENT_WORDS = 2  # textstat ignores "sentences" of two words or fewer
ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")

# Periods that end no sentence make scores come out too low (health-literacy.md 1.2,
# text preparation rules): decimals and common abbreviations.
DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
# Case matters: "MS." (multiple sclerosis) ends a sentence, "Ms." does not.
ABBREVIATIONS = re.compile(r"\b(?:(?i:e\.g|i\.e|a\.m|p\.m)|M\.D|Dr|Mr|Mrs|Ms|vs)\.")
NOT_A_STOP = "\u2024"  # one dot leader: punctuation to textstat, but no sentence end


@dataclass(frozen=True, slots=True)
class Readability:
    """Plain-language figures of one text (a section's key points, its body, a document)."""

    grade: float  # Flesch-Kincaid grade level
    reading_ease: float  # Flesch reading ease, 0 (very hard) to 100 (very easy)
    words: int
    sentences: int
    mean_sentence_length: float  # words per sentence
    longest_sentence: int  # its number of words
    longest_sentence_text: str
    polysyllable_share: float  # share of words of three or more syllables, 0 to 1
    score: float = 0.0  # on the language's scale: the grade in English, the ease in Spanish

    @property
    def empty(self) -> bool:
        return self.words == 0


EMPTY = Readability(grade=0.0, reading_ease=0.0, words=0, sentences=0, mean_sentence_length=0.0,
                    longest_sentence=0, longest_sentence_text="", polysyllable_share=0.0)


@dataclass(frozen=True, slots=True)
class Scale:
    """How the texts of one language are scored, and the publication's limits on that score."""

    formula: str  # its name, e.g. "Flesch-Kincaid grade"
    language: str  # textstat's language: how syllables are counted
    score: Callable[[str], float]
    lower_is_easier: bool  # a grade; else an ease score, 0 (hard) to 100 (easy)
    target: float
    limit: float

    def shows(self, score: float) -> str:
        return f"grade {score:.1f}" if self.lower_is_easier else f"{score:.1f} on the {self.formula} scale"

    def judge(self, score: float) -> tuple[str, str] | None:
        """(what the limit is, severity) when a score misses the limit (error) or the target (warning)."""
        score = round(score, 1)  # the figure the message shows decides
        worse = (lambda a, b: a > b) if self.lower_is_easier else (lambda a, b: a < b)
        unit = "grade " if self.lower_is_easier else ""
        if worse(score, self.limit):
            return f"the {'most' if self.lower_is_easier else 'least'} allowed is {unit}{self.limit:g}", ERROR
        if worse(score, self.target):
            return f"{'above' if self.lower_is_easier else 'below'} the target of {unit}{self.target:g}", WARNING
        return None


# The formulas textstat 0.7.8 offers, by the name a publication gives:
# (its name in reports, language, textstat's function, lower is easier).
FORMULAS: dict[str, tuple[str, str, str, bool]] = {
    "flesch-kincaid": ("Flesch-Kincaid grade", "en", "flesch_kincaid_grade", True),
    # Flesch's reading ease, recalibrated for Spanish: 0 (hard) to 100 (easy).
    "fernandez-huerta": ("Fernández Huerta", "es", "fernandez_huerta", False),
    # INFLESZ: perspicuity, 0 (hard) to 100 (easy).
    "szigriszt-pazos": ("Szigriszt-Pazos", "es", "szigriszt_pazos", False),
}


def scale(formula: str, target: float, limit: float) -> Scale:
    name, language, function, lower = FORMULAS[formula]
    return Scale(name, language, getattr(_textstat(language), function), lower, target, limit)


@cache
def _textstat(language: str):
    """textstat for one language (its syllable counting), leaving the shared instance in English."""
    if language == "en":
        return textstat
    instance = type(textstat.textstat)()
    instance.set_lang(language)
    return instance


ENGLISH = scale("flesch-kincaid", 6, 8)


def measure(text: str, on: Scale = ENGLISH) -> Readability:
    """The figures of a plain text; an empty text gives EMPTY (all zero). The score is on the
    given scale; the grade is Flesch-Kincaid's, and the reading ease Flesch's in English, else
    the scale's own ease score."""
    shown = " ".join(text.split())
    prepared = prepare(shown)
    words = textstat.lexicon_count(prepared)
    if words == 0:
        return EMPTY
    spans = sentence_spans(prepared) or [(0, len(prepared))]
    start, end = max(spans, key=lambda span: textstat.lexicon_count(prepared[span[0]:span[1]]))
    sentence_count = textstat.sentence_count(prepared)
    score = on.score(prepared)
    return Readability(
        grade=textstat.flesch_kincaid_grade(prepared),
        reading_ease=textstat.flesch_reading_ease(prepared) if on.language == "en" else score,
        words=words,
        sentences=sentence_count,
        mean_sentence_length=words / sentence_count,
        longest_sentence=textstat.lexicon_count(prepared[start:end]),
        longest_sentence_text=shown[start:end].strip(),
        polysyllable_share=_textstat(on.language).polysyllabcount(prepared) / words,
        score=score,
    )


def prepare(text: str) -> str:
    """The text as the formulas should see it, character for character as long as the text (so
    a sentence found in it is found in the text too): curly apostrophes straightened ("it’s" is
    then found in the pronouncing dictionary), periods inside decimals and abbreviations made
    dot leaders, which end no sentence and count as punctuation."""
    text = text.replace("’", "'")
    text = DECIMAL_POINT.sub(NOT_A_STOP, text)
    return ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", NOT_A_STOP), text)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where the sentences textstat counts stand in the text (fragments of two words or fewer,
    which textstat ignores, left out)."""
    spans = (match.span() for match in SENTENCE.finditer(text))
    return [(a, b) for a, b in spans if textstat.lexicon_count(text[a:b]) > FRAGMENT_WORDS]


def as_sentences(items: Iterable[str]) -> str:
    """List items or key points joined as one text, each ending as a sentence, so the
    formulas do not read a list as one long sentence."""
    parts = []
    for item in items:
        item = item.strip()
        if item:
            parts.append(item if ENDS_SENTENCE.search(item) else item + ".")
    return " ".join(parts)
