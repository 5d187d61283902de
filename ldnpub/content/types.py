"""The field types content is made of: text (no raw HTML), prose a translator translates, ids,
colours, language codes, and the strict base of every model. Shared by the content model and the
block types."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")


def _no_raw_html(text: str) -> str:
    if RAW_HTML.search(text):
        raise ValueError("raw HTML is not allowed in content; use *emphasis*, **strong** or [text](https://...)")
    return text


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True), AfterValidator(_no_raw_html)]


class _Translatable:
    """Marks text a translator translates: what readers read, not names, addresses or citations."""

    def __repr__(self) -> str:
        return "TRANSLATABLE"


TRANSLATABLE = _Translatable()
Prose = Annotated[Text, TRANSLATABLE]


class Strict(BaseModel):
    """Unknown fields are errors and nothing changes after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True)


CONDITIONS_HELP = ("Show this only in editions for these conditions (condition ids, e.g. [fibromyalgia]). "
                   "Leave it out to show it in every edition.")
TEXT_HELP = "Markdown: *emphasis*, **strong**, [link](https://...), citations [@key], facts {{name}}."
ICON_HELP = ("A pictogram: the name of an SVG file in sources/icons/ without .svg (e.g. doctor). "
             "Decorative: the text beside it says it all.")
