"""The write-in box: questions or prompts, each with lines to write on."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import ICON_HELP, TEXT_HELP, Id, Prose


class WriteIn(BlockBase):
    type: Literal["write_in"] = Field(description="Questions or prompts, each followed by lines to write on.")
    title: Prose = Field(description="The box's heading, e.g. \"Questions to ask\".")
    items: tuple[Prose, ...] = Field(min_length=1, description="The questions or prompts. " + TEXT_HELP)
    lines: int = Field(2, ge=1, le=8, description="How many ruled lines follow each item.")
    icon: Id | None = Field(None, description=ICON_HELP)


def _view(block: WriteIn, v: Viewer) -> BlockView:
    return BlockView("write_in", title=v.md(block.title), items=tuple(v.md(i) for i in block.items), lines=block.lines,
                     icon=v.icon(block.icon))


def _texts(block: WriteIn) -> list[str]:
    return [block.title, *block.items]


TYPE = BlockType("write_in", 8, WriteIn, _view, _texts)
