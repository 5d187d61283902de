"""Inline text: a safe Markdown subset, citations and facts -> escaped Markup.

Content may use *emphasis*, **strong**, [links](https://...), citations `[@key]` or
`[@a; @b]`, and facts from the publication as `{{name}}`. Raw HTML never passes: markdown-it
runs with HTML off, and validation rejects it before we get here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

CITATION = re.compile(r"\[@([A-Za-z0-9-]+(?:\s*;\s*@[A-Za-z0-9-]+)*)\]")
FACT = re.compile(r"\{\{\s*([A-Za-z0-9_-]+)\s*\}\}")
DOSE = re.compile(r"\b(\d+(?:\.\d+)?)(?: (to|-|–) (\d+(?:\.\d+)?))? (mg|milligrams?)\b")
# Linear in their input, like every pattern here: a bracket or parenthesis class stops at the
# next opening one too, so a run of 50,000 "[" is not scanned once from each (it took 10 s).
MARKUP = re.compile(r"[*_`]+|\[([^\[\]]*)\]\([^()]*\)")
LINK_SHAPED = re.compile(r"\[[^\[\]]*\]\([^()\s]*\)")

_markdown = MarkdownIt("zero", {"html": False, "typographer": False}).enable(["emphasis", "link", "escape"])


def citation_keys(text: str) -> list[str]:
    """Reference keys cited in the text, in order."""
    keys: list[str] = []
    for match in CITATION.finditer(text):
        keys.extend(part.strip().lstrip("@") for part in match.group(1).split(";"))
    return keys


def fact_names(text: str) -> list[str]:
    return FACT.findall(text)


def fill_facts(text: str, facts: Mapping[str, str]) -> str:
    return FACT.sub(lambda m: facts[m.group(1)], text)


def plain(text: str, facts: Mapping[str, str]) -> str:
    """The words a reader sees, without Markdown marks or citations (for readability and search)."""
    text = CITATION.sub("", fill_facts(text, facts))
    # (?<!\s): a run of spaces is tried once, from its start, not from each of its spaces.
    return re.sub(r"(?<!\s)\s+([.,;:])", r"\1", MARKUP.sub(lambda m: m.group(1) or "", text)).strip()


def to_markup(text: str, facts: Mapping[str, str], numbers: Mapping[str, int]) -> Markup:
    """Render inline text; citations become their reference numbers, linked to the list."""
    text = DOSE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), fill_facts(text, facts))  # "1 to 5 mg" stays on one line
    parts: list[str] = []
    position = 0
    for match in CITATION.finditer(text):
        parts.append(_render(text[position:match.start()]).rstrip())
        parts.append(_citation(citation_keys(match.group(0)), numbers))
        position = match.end()
    parts.append(_render(text[position:]))
    return Markup("".join(parts))


def _render(text: str) -> str:
    """markdown-it on the text, with every bracket that does not open a link-shaped [text](url)
    escaped: its link rule tries each "[" against the rest of the text, quadratic on a run of them."""
    parts, position = [], 0
    for link in LINK_SHAPED.finditer(text):
        parts += [_escape_brackets(text[position:link.start()]), link.group()]
        position = link.end()
    parts.append(_escape_brackets(text[position:]))
    return _markdown.renderInline("".join(parts))


def _escape_brackets(text: str) -> str:
    return re.sub(r"(?<!\\)([\[\]])", r"\\\1", text)


def _citation(keys: Iterable[str], numbers: Mapping[str, int]) -> str:
    links = ", ".join(
        f'<a class="cite" href="#ref-{escape(key)}">{numbers[key]}</a>'
        for key in sorted(dict.fromkeys(keys), key=numbers.__getitem__)
    )
    return f'<span class="citation"> [{links}]</span>'
