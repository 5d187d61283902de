"""The callout: a highlighted box with a title, in four kinds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import ICON_HELP, TEXT_HELP, Id, Prose


class Callout(BlockBase):
    type: Literal["callout"] = Field(description="A highlighted box with a title.")
    kind: Literal["talk", "tip", "warning", "safety"] = Field(description=(
        "talk: talk to your healthcare professional; tip: a helpful hint; "
        "warning: side effects and cautions; safety: what a reader must do to stay safe. "
        "Each kind has its own look."))
    title: Prose = Field(description="The box's heading.")
    text: Prose = Field(description="What the box says. " + TEXT_HELP)
    icon: Id | None = Field(None, description=ICON_HELP)


def _view(block: Callout, v: Viewer) -> BlockView:
    return BlockView("callout", kind=block.kind, title=v.md(block.title), text=v.md(block.text), icon=v.icon(block.icon))


def _texts(block: Callout) -> list[str]:
    return [block.title, block.text]


TYPE = BlockType("callout", 3, Callout, _view, _texts)
