"""What every block type shares: the fields every block has, the view a layout gets, and the
record that registers a type (its model, how it becomes a view, the texts check grades)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup
from pydantic import Field

from ldnpub.content.types import CONDITIONS_HELP, Id, Prose, Strict


class BlockBase(Strict):
    conditions: tuple[Id, ...] = Field((), description=CONDITIONS_HELP)
    note: Prose | None = Field(None, description=(
        "An editor's note printed after the block, e.g. where the source article speaks to its own writer."))


@dataclass(frozen=True, slots=True)
class BlockView:
    """A content block ready for its template (layouts/blocks/TYPE.html); which fields are set
    depends on `type`."""

    type: str
    text: Markup = Markup("")
    title: Markup = Markup("")
    kind: str = ""
    items: tuple[Markup, ...] = ()
    ordered: bool = False
    header: tuple[Markup, ...] = ()
    rows: tuple[tuple[Markup, ...], ...] = ()
    src: str = ""
    alt: str = ""
    note: Markup = Markup("")  # an editor's note, printed after the block
    icon: str = ""  # a decorative pictogram's file: URI
    steps: tuple[tuple[str, Markup], ...] = ()  # a diagram's (icon URI, text) pairs
    lines: int = 0  # ruled lines after each item of a write_in block
    blank_rows: int = 0  # empty table rows to fill in


class Viewer(Protocol):
    """What the edition lends a block type to make its view: text as Markup (facts filled in,
    citations numbered), and pictograms and images as file: URIs."""

    def md(self, text: str) -> Markup: ...

    def icon(self, name: str | None) -> str: ...

    def image(self, src: str) -> str: ...


@dataclass(frozen=True, slots=True)
class BlockType:
    """One kind of block, registered by its module's TYPE."""

    name: str  # the `type:` editors write, and the template's name: layouts/blocks/NAME.html
    order: int  # its place in the list of types (error messages, the JSON Schema)
    model: type[BlockBase]
    view: Callable[[BlockBase, Viewer], BlockView]  # without the note, which every block has
    texts: Callable[[BlockBase], list[str]]  # the texts it prints, in reading order, without the note
