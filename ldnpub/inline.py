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
MARKUP = re.compile(r"[*_`]+|\[([^\]]*)\]\([^)]*\)")

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
        parts.append(_markdown.renderInline(text[position:match.start()]).rstrip())
        parts.append(_citation(citation_keys(match.group(0)), numbers))
        position = match.end()
    parts.append(_markdown.renderInline(text[position:]))
    return Markup("".join(parts))


def _citation(keys: Iterable[str], numbers: Mapping[str, int]) -> str:
    links = ", ".join(
        f'<a class="cite" href="#ref-{escape(key)}">{numbers[key]}</a>'
        for key in sorted(dict.fromkeys(keys), key=numbers.__getitem__)
    )
    return f'<span class="citation"> [{links}]</span>'
