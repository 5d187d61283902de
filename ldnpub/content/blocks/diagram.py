"""The diagram: a row of pictograms with short texts, read in order; an ordered list to a screen reader."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import ICON_HELP, TEXT_HELP, Id, Prose, Strict


class DiagramStep(Strict):
    icon: Id = Field(description=ICON_HELP)
    text: Prose = Field(description="What happens at this step, in a short sentence. " + TEXT_HELP)


class Diagram(BlockBase):
    type: Literal["diagram"] = Field(description="A row of pictures with short texts, read in order (e.g. how a medicine works).")
    caption: Prose = Field(description="What the diagram shows, placed above it.")
    items: tuple[DiagramStep, ...] = Field(min_length=2, max_length=5, description="The steps, in order: {icon, text} each.")


def _view(block: Diagram, v: Viewer) -> BlockView:
    return BlockView("diagram", title=v.md(block.caption),
                     steps=tuple((v.icon(step.icon), v.md(step.text)) for step in block.items))


def _texts(block: Diagram) -> list[str]:
    return [block.caption, *(step.text for step in block.items)]


TYPE = BlockType("diagram", 7, Diagram, _view, _texts)
