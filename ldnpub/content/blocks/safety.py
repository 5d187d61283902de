"""The safety panel: a titled box of points that stands out (also the publication's own panel)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import ICON_HELP, TEXT_HELP, Id, Prose


class Safety(BlockBase):
    type: Literal["safety"] = Field("safety", description="A safety panel: a titled box of points that stands out.")
    title: Prose = Field(description="The panel's heading, e.g. \"Safety first\".")
    items: tuple[Prose, ...] = Field(min_length=1, description="What the reader must know or do, one point each. " + TEXT_HELP)
    icon: Id | None = Field("safety", description=ICON_HELP)


def _view(block: Safety, v: Viewer) -> BlockView:
    return BlockView("safety", kind="safety", title=v.md(block.title), items=tuple(v.md(i) for i in block.items),
                     icon=v.icon(block.icon))


def _texts(block: Safety) -> list[str]:
    return [block.title, *block.items]


TYPE = BlockType("safety", 4, Safety, _view, _texts)
