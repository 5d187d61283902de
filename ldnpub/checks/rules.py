"""The rules: each takes the Content and returns the problems it found; the figures of each section
and document."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from collections.abc import Iterable

from ldnpub.content import inline
from ldnpub.base.errors import Problem
from ldnpub.content.loading import DataPath, strings
from ldnpub.content.model import Block, Document, Section
from ldnpub.content.project import Project
from ldnpub.render.html import environment
from ldnpub.edition.tailor import edition_sections, edition_title
from ldnpub.content.review import FILE as REVIEWS_FILE
from ldnpub.checks.content import Content, general_target, html_text, located_blocks, located_texts
from ldnpub.checks.readability import ENGLISH, as_sentences, measure
from ldnpub.checks.report import ERROR, WARNING, DocumentReport, SectionReport

PUBLICATION, CATALOG = "sources/publication.yaml", "sources/catalog.yaml"
REFERENCES, GLOSSARY = "sources/references.yaml", "sources/glossary.yaml"
REVIEW_SOON = dt.timedelta(days=90)  # PAHT asks for a review 3 months ahead (health-literacy.md B.16)
LONGEST_REVIEW_GAP = dt.timedelta(days=1096)  # 3 years, one of them a leap year (B.17)

# Words with a plainer everyday word, and that word. From health-literacy.md: the AHRQ PEMAT
# item 3 swaps (section 1.4: physician, utilize, inflammation, analgesic, sufficient, recur)
# and the jargon list of check A.7 (CDC Everyday Words / AHRQ: exacerbate, febrile,
# facilitate). efficacy and modulate come from the shipped article, whose glossary explains them.
JARGON: dict[str, str] = {
    "utilize": "use",
    "physician": "doctor",
    "analgesic": "painkiller",
    "inflammation": "swelling",
    "sufficient": "enough",
    "recur": "come back",
    "exacerbate": "make worse",
    "febrile": "with a fever",
    "facilitate": "help",
    "efficacy": "how well it works",
    "modulate": "change",
}
# Each word with its forms: utilize, utilizes, utilization.
JARGON_FORMS = {word: re.compile(rf"\b{word[:-1] if word.endswith(('e', 'y')) else word}\w*", re.IGNORECASE)
                for word in JARGON}

# Starts only where a number starts, and never gives digits back: a run of 20,000 digits was
# tried from each of its digits, each try to the run's end (50 s).
NUMBER = r"(?<![\d.])\d++(?:\.\d++)?"
MILLIGRAMS = r"(?:mg|milligrams?|miligramos?)\b"
# "1 to 5 mg", "1-5 mg", "1 mg to 5 mg", "1 to 5 milligrams", or one amount: "4.5 mg"; in
# Spanish "1 a 5 mg".
# Linear in its input: no two runs of \s* can share the same spaces (they did once, and a
# paragraph of 50,000 spaces after a number took minutes).
DOSE = re.compile(rf"(?:(?P<low>{NUMBER})\s*(?:{MILLIGRAMS}\s*)?(?:-|–|—|\bto\b|\ba\b)\s*)?(?P<high>{NUMBER})\s*{MILLIGRAMS}",
                  re.IGNORECASE)
# A bold lead-in such as "**Potential Versatility:**" is a heading, not part of the sentence.
LEAD_IN = re.compile(r"^\*\*[^*]+\*\*:?\s*")
REVIEWED = re.compile(r"\bReviewed\b")
# Not running text: headings, the masthead, the references, the "about" box, the notes page.
PRINTED_ASIDE = re.compile(r"<head\b.*?</head>|<h[1-6]\b.*?</h[1-6]>|<header\b.*?</header>"
                           r"|<section class=\"(?:about|references|notes spare)\b.*?</section>", re.IGNORECASE | re.DOTALL)


# --- the rules: each returns the problems it found --------------------------------------------

def review_dates(content: Content, today: dt.date) -> list[Problem]:
    """The next review is overdue (error) or due within 90 days (warning); more than 3 years
    between the last review and the next (warning)."""
    pub = content.project.publication
    next_review, last_reviewed = _long_date(pub.next_review), _long_date(pub.last_reviewed)
    problems = []

    def found(message: str, hint: str = "", severity: str = ERROR) -> None:
        problems.append(content.problem(PUBLICATION, ("next_review",), message, hint, severity))

    if pub.next_review < today:
        found(f"the next review date ({next_review}) has passed; review the content and set a new date",
              "after the review, set last_reviewed to the day of the review and next_review to a later date")
    elif pub.next_review - today <= REVIEW_SOON:
        found(f"the next review is due on {next_review}, {_in_days((pub.next_review - today).days)}; "
              "plan the review now", severity=WARNING)
    if pub.next_review < pub.last_reviewed:
        found(f"the next review ({next_review}) is before the last one ({last_reviewed})",
              "set next_review to a date after last_reviewed")
    if pub.next_review - pub.last_reviewed > LONGEST_REVIEW_GAP:
        found(f"the next review ({next_review}) is more than 3 years after the last one ({last_reviewed}); "
              "set a date at most 3 years after the last review",
              "patient information is reviewed at least every 3 years", WARNING)
    return problems


def key_point_grades(content: Content, reports: Iterable[SectionReport]) -> list[Problem]:
    """Key points past the publication's limit (error) or target (warning), on the language's scale."""
    scale = content.scale
    problems = []
    for (file, _), report in zip(content.parts, reports):
        figures = report.key_points
        if scale is None or figures.empty or not (over := scale.judge(figures.score)):
            continue
        limit, severity = over
        problems.append(content.problem(
            file, ("key_points",), f"the key points read at {scale.shows(figures.score)}; {limit}",
            f"use shorter sentences and everyday words; the longest sentence has {figures.longest_sentence} "
            f"words: “{figures.longest_sentence_text}”", severity))
    return problems


def uncited_evidence(content: Content) -> list[Problem]:
    """In a section marked `evidence: true`, every paragraph cites a reference or says why not."""
    return [content.problem(file, at, "this paragraph of the evidence cites no reference",
                            "cite the study it reports as [@key], with the study's key in references.yaml; if no "
                            "study supports it, write it as `type: paragraph` with `text:` and `uncited:` saying why")
            for file, section in content.parts if section.evidence
            for at, block in located_blocks(section)
            if block.type == "paragraph" and not inline.citation_keys(block.text) and not block.uncited]


def dose_figures(content: Content) -> list[Problem]:
    """Dose figures in the content agree with the publication's fact `dose_range`: a range must
    be that range, a single amount must lie inside it."""
    fact = content.project.publication.facts.get("dose_range")
    expected = _dose(DOSE.search(fact)) if fact else None
    if expected is None:
        return []
    problems = []
    for file in (PUBLICATION, GLOSSARY, *(file for file, _ in content.parts)):
        for at, text in strings(content.raw(file).data, ()):
            for match in DOSE.finditer(text) if at != ("facts", "dose_range") else ():
                found, is_range = _dose(match), match.group("low") is not None
                if found == expected or (not is_range and expected[0] <= found[0] <= expected[1]):
                    continue
                problems.append(content.problem(
                    file, at, f"the dose “{match.group(0)}” {'differs from' if is_range else 'is outside'} "
                    f"the publication's dose range ({fact})",
                    "write {{dose_range}} instead, so every document gives the same dose; if the dose "
                    "range itself has changed, change dose_range under facts: in publication.yaml"))
    return problems


def unused_references(content: Content) -> list[Problem]:
    """A reference that no section or condition cites (warning)."""
    cited = {key for file, _ in content.parts for _, text in strings(content.raw(file).data, ())
             for key in inline.citation_keys(text)}
    cited |= {key for condition in content.project.conditions.values() for key in condition.references}
    items = content.raw(REFERENCES).data.get("references") or []
    return [content.problem(REFERENCES, ("references", index, "key"),
                            f"no section or condition cites the reference '{key}'",
                            f"cite it where the content relies on it, as [@{key}], or remove it", WARNING)
            for index, key in enumerate(item.get("key") for item in items) if key not in cited]


def unexplained_jargon(content: Content) -> list[Problem]:
    """Words of JARGON that a section uses and the glossary does not explain: one warning per
    section, at the first text that uses one."""
    problems = []
    for file, section in content.parts if content.english else ():
        hits = _jargon_hits(content.project, section)
        if hits:
            first = min((at for at, _, _ in hits), key=lambda at: content.raw(file).locate(at))
            words = ", ".join(f"“{form}” (say “{JARGON[word]}”)" for _, word, form in hits)
            problems.append(content.problem(
                file, first, f"words many readers do not know, and the glossary does not explain: {words}",
                "use the everyday word, or add the word and a plain definition to glossary.yaml", WARNING))
    return problems


def governance_in_documents(content: Content) -> list[Problem]:
    """Every document of the catalog shows the disclaimer, the version and the three dates,
    checked on its HTML: what the layout really prints. It says "Reviewed" only when the
    publication names its reviewers."""
    project, pub = content.project, content.project.publication
    long_date = environment(project).filters["long_date"]  # dates as the layouts print them
    review = project.review()
    reviewed_on = review.record.date if review.current else pub.last_reviewed
    wanted = {
        "the disclaimer": " ".join(inline.plain(pub.disclaimer, pub.facts).split()),
        f"the version ({pub.version})": re.compile(rf"(?<![\w.]){re.escape(pub.version)}(?!\w|\.\d)"),
        f"the publication date ({long_date(pub.published)})": long_date(pub.published),
        f"the last review date ({long_date(reviewed_on)})": long_date(reviewed_on),
        f"the next review date ({long_date(pub.next_review)})": long_date(pub.next_review),
    }
    problems = []
    for index, document, page in content.pages():
        text = html_text(page)
        missing = [name for name, shown in wanted.items()
                   if not (shown.search(text) if isinstance(shown, re.Pattern) else shown in text)]
        if missing:
            problems.append(content.problem(
                CATALOG, ("documents", index, "layout"), f"the document '{document.id}' does not show {_or(missing)}",
                "every document must show them: keep disclaimer() and dates_table() of "
                f"layouts/partials/about.html in layouts/{document.layout}.html"))
        if not pub.reviewers and not review.current and REVIEWED.search(text):
            problems.append(content.problem(
                PUBLICATION, ("reviewers",), f"the document '{document.id}' says “Reviewed”, but the "
                "publication names no reviewers", "name who reviewed it under reviewers: (a name or a role), "
                "or keep the layout's review_line(), which says the edition has not been clinically reviewed"))
    return problems


def recorded_review(content: Content) -> list[Problem]:
    """A recorded review the text no longer matches: the documents say so; check says what to do."""
    found = [(name, status) for name, status in (("the text", content.project.review()),
                                                 ("the translation", content.project.translation_review()))
             if status is not None and status.changed]
    return [Problem(Path(REVIEWS_FILE), None, None, f"{name} changed since its review by {status.record.reviewer} "
                    f"on {status.record.date.isoformat()}: the documents now say so",
                    "have it reviewed again, then run `ldnpub review record`", WARNING)
            for name, status in found]


# What a handout needs (PEMAT-P, health-literacy.md): the marks each part leaves in the HTML.
HANDOUT_PARTS = {
    "a safety panel": ('class="safety', "add safety: (title and items) to publication.yaml, and keep "
                       "safety_panel() of layouts/partials/about.html in the layout"),
    "numbered next steps": ('class="steps"', "add a section with a numbered list (`type: list`, "
                            "`ordered: true`) of what to do next, e.g. next-steps"),
    "a picture": ('class="icon"|<figure|class="diagram"', "add a `type: diagram` or `type: figure` "
                  "block, or a callout with an icon"),
    "words to know": ('id="glossary"', "define the words it uses in glossary.yaml, and keep "
                      "words_to_know() in the layout"),
}
HANDOUT_LAYOUTS = ("leaflet", "trifold")
# Six narrow panels have no room for definitions: the tri-fold keeps its words simple instead.
NOT_ASKED = {"trifold": ("words to know",)}


def what_a_handout_needs(content: Content) -> list[Problem]:
    """Every document has the safety panel; a leaflet or tri-fold also numbered next steps, a
    picture and its words to know (warnings)."""
    problems = []
    for index, document, page in content.pages():
        needed = HANDOUT_PARTS if document.layout in HANDOUT_LAYOUTS else {"a safety panel": HANDOUT_PARTS["a safety panel"]}
        for part, (mark, hint) in needed.items():
            if part in NOT_ASKED.get(document.layout, ()):
                continue
            if not re.search(mark, page):
                problems.append(content.problem(CATALOG, ("documents", index, "sections"),
                                                f"the document '{document.id}' lacks {part}", hint, WARNING))
    return problems


def printed_grades(content: Content, documents: Iterable[DocumentReport]) -> list[Problem]:
    """All a leaflet or tri-fold prints, graded as the key points are."""
    scale = content.scale
    problems = []
    for index, report in enumerate(documents):
        if scale is None or report.printed is None or report.printed.empty:
            continue
        if not (over := scale.judge(report.printed.score)):
            continue
        limit, severity = over
        problems.append(content.problem(
            CATALOG, ("documents", index, "sections"), f"the document '{report.id}' reads at "
            f"{scale.shows(report.printed.score)} as printed; {limit}", f"the longest sentence has {report.printed.longest_sentence} words: "
            f"“{report.printed.longest_sentence_text}”", severity))
    return problems


def printed_texts(content: Content) -> dict[str, str]:
    """What each leaflet and tri-fold prints, as running text: headings, the masthead, the
    references and the "about" box left out (readability formulas are for running text).
    A document made per condition counts as its hardest edition."""
    texts: dict[str, str] = {}
    scale = content.scale or ENGLISH
    for document in content.project.catalog.documents:
        if document.layout not in HANDOUT_LAYOUTS:
            continue
        editions = [html_text(PRINTED_ASIDE.sub(" ", page)) for page in content.editions(document)]
        if editions:
            texts[document.id] = min(editions, key=lambda text: _easiness(measure(as_sentences([text]), scale), scale))
    return texts


# --- the reports ------------------------------------------------------------------------------

def _easiness(figures, scale) -> float:
    return -figures.score if scale.lower_is_easier else figures.score


def section_report(project: Project, section: Section, scale=ENGLISH) -> SectionReport:
    """A section's figures: all its blocks, whichever conditions they are limited to."""
    key_points, body = _section_texts(project, section)
    english = project.publication.language.split("-")[0] == "en"
    return SectionReport(id=section.id, title=inline.plain(section.title, project.publication.facts),
                         key_points=measure(key_points, scale), body=measure(body, scale),
                         jargon=tuple(sorted({word for _, word, _ in _jargon_hits(project, section)})) if english else ())


def document_report(project: Project, document: Document, printed: str | None, scale=ENGLISH) -> DocumentReport:
    """A document as its general edition prints it (a per-condition one for the first condition)."""
    target = general_target(project, document)
    condition = project.conditions[target.condition] if target.condition else None
    texts = [_section_texts(project, section) for section in edition_sections(project, document, condition)]
    return DocumentReport(id=document.id, title=edition_title(document, condition),
                          key_points=measure(" ".join(k for k, _ in texts), scale),
                          body=measure(" ".join(b for _, b in texts), scale),
                          printed=measure(as_sentences([printed]), scale) if printed is not None else None)


def _section_texts(project: Project, section: Section) -> tuple[str, str]:
    """The key points and the body of a section as plain sentences. Headings, captions and
    table cells are left out: readability formulas are for running text (health-literacy.md 1.2)."""
    facts = project.publication.facts
    key_points = as_sentences(inline.plain(point, facts) for point in section.key_points)
    body = as_sentences(inline.plain(LEAD_IN.sub("", text), facts)
                        for _, block in located_blocks(section) for text in _prose(block))
    return key_points, body


def _prose(block: Block) -> list[str]:
    match block.type:
        case "paragraph":
            return [block.text]
        case "list":
            return list(block.items)  # whole sentences in this content (a fragment scores low)
        case "callout":
            return [block.text]
        case "safety" | "write_in":
            return list(block.items)
        case "diagram":
            return [step.text for step in block.items]
        case "qa":
            return [block.question, block.answer]
    return []


# --- helpers of the rules -------------------------------------------------------------------------

def _jargon_hits(project: Project, section: Section) -> list[tuple[DataPath, str, str]]:
    """(where, jargon word, form found) for each jargon word the section uses and the glossary
    does not explain, at its first use."""
    explained = _explained_jargon(project)
    hits: dict[str, tuple[DataPath, str, str]] = {}
    for at, text in located_texts(section):
        words = inline.plain(text, project.publication.facts)
        found = ((match.start(), word, match.group(0)) for word, pattern in JARGON_FORMS.items()
                 if word not in explained and (match := pattern.search(words)))
        for _, word, form in sorted(found):
            hits.setdefault(word, (at, word, form))
    return list(hits.values())


def _explained_jargon(project: Project) -> set[str]:
    """The jargon words the glossary explains, under any of their forms."""
    forms = [form for term in project.glossary for form in (term.term, *term.also)]
    return {word for word, pattern in JARGON_FORMS.items()
            if any(pattern.fullmatch(form) for form in forms)}




def _dose(match: re.Match | None) -> tuple[float, float] | None:
    if match is None:
        return None
    high = float(match.group("high"))
    return (float(match.group("low")) if match.group("low") else high, high)




def _long_date(date: dt.date) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def _in_days(days: int) -> str:
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


