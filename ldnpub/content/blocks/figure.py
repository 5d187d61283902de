"""The figure: an image with alt text and a caption."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import Prose


class Figure(BlockBase):
    type: Literal["figure"] = Field(description="An image, with alt text for readers who cannot see it.")
    src: str = Field(description="Image file (SVG or PNG), relative to the sources folder, e.g. images/diagram.svg.")
    alt: Prose = Field(description="Required. What the image shows, for readers who cannot see it.")
    caption: Prose | None = Field(None, description="Text shown under the image.")


def _view(block: Figure, v: Viewer) -> BlockView:
    return BlockView("figure", src=v.image(block.src), alt=block.alt, title=v.md(block.caption or ""))


def _texts(block: Figure) -> list[str]:
    return [block.caption or ""]


TYPE = BlockType("figure", 6, Figure, _view, _texts)
