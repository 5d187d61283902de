"""The list: bullet points, or numbered steps."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import TEXT_HELP, Prose


class ListBlock(BlockBase):
    type: Literal["list"] = Field(description="A bulleted or numbered list.")
    items: tuple[Prose, ...] = Field(min_length=1, description="The list items, one text each. " + TEXT_HELP)
    ordered: bool = Field(False, description="true: numbered (1, 2, 3); false: bullet points.")


def _view(block: ListBlock, v: Viewer) -> BlockView:
    return BlockView("list", items=tuple(v.md(i) for i in block.items), ordered=block.ordered)


def _texts(block: ListBlock) -> list[str]:
    return list(block.items)


TYPE = BlockType("list", 2, ListBlock, _view, _texts)
