"""The question and its answer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import TEXT_HELP, Prose


class QuestionAnswer(BlockBase):
    type: Literal["qa"] = Field(description="A question and its answer.")
    question: Prose = Field(description="The question, as a reader would ask it.")
    answer: Prose = Field(description="The answer. " + TEXT_HELP)


def _view(block: QuestionAnswer, v: Viewer) -> BlockView:
    return BlockView("qa", title=v.md(block.question), text=v.md(block.answer))


def _texts(block: QuestionAnswer) -> list[str]:
    return [block.question, block.answer]


TYPE = BlockType("qa", 5, QuestionAnswer, _view, _texts)
