"""The paragraph: a plain text line in a list of blocks is one."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import TEXT_HELP, Prose, Text


class Paragraph(BlockBase):
    type: Literal["paragraph"] = Field("paragraph", description="A paragraph of text (the type may be left out).")
    text: Prose = Field(description="The paragraph. " + TEXT_HELP)
    uncited: Text | None = Field(None, description=(
        "In an evidence section: why this paragraph cites no reference (e.g. \"Patient stories, not a study.\")."))


def _view(block: Paragraph, v: Viewer) -> BlockView:
    return BlockView("paragraph", text=v.md(block.text))


def _texts(block: Paragraph) -> list[str]:
    return [block.text]


TYPE = BlockType("paragraph", 1, Paragraph, _view, _texts)
