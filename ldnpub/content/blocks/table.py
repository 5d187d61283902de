"""The table: a caption, a header row and rows, and blank rows to fill in."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import ICON_HELP, Id, Prose


class Table(BlockBase):
    type: Literal["table"] = Field(description="A table with a caption, a header row and rows.")
    caption: Prose = Field(description="What the table shows, placed above it.")
    header: tuple[Prose, ...] = Field(min_length=1, description="The column headings, e.g. [\"Dose\", \"When\"].")
    rows: tuple[tuple[Prose, ...], ...] = Field((), description=(
        "The rows; each row is a list of cells, e.g. [\"1 mg\", \"Week 1\"]."))
    blank_rows: int = Field(0, ge=0, le=20, description="Empty rows after the others, for the reader to fill in by hand.")
    icon: Id | None = Field(None, description=ICON_HELP)

    @model_validator(mode="after")
    def _has_rows(self) -> Table:
        if not self.rows and not self.blank_rows:
            raise ValueError("a table needs rows or blank_rows")
        return self


def _view(block: Table, v: Viewer) -> BlockView:
    return BlockView("table", title=v.md(block.caption), header=tuple(v.md(h) for h in block.header),
                     rows=tuple(tuple(v.md(c) for c in row) for row in block.rows), blank_rows=block.blank_rows,
                     icon=v.icon(block.icon))


def _texts(block: Table) -> list[str]:
    return [block.caption, *block.header, *(cell for row in block.rows for cell in row)]


TYPE = BlockType("table", 9, Table, _view, _texts)
