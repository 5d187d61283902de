"""Clinical reviews that stay true: a review is recorded with a digest of what readers read, and a
document says "Reviewed by NAME, ROLE, on DATE" only while the text still has that digest.

`ldnpub review record` writes sources/reviews.yaml (one record per language). The digest covers
every text value of every content file as loaded (in that language for a translation): any edit a
reader could see changes it; dates, comments and layout do not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from ldnpub.content.loading import strings
from ldnpub.content.types import LANGUAGE_PATTERN, Strict, Text

FILE = "sources/reviews.yaml"
HEADER = ("# Written by `ldnpub review record`: who reviewed the text readers read, when, and its digest.\n"
          "# Documents say \"Reviewed by\" only while the text still has this digest.\n")


class ReviewRecord(Strict):
    reviewer: Text = Field(description="Who reviewed it, e.g. \"A. Smith\".")
    role: Text = Field(description="Their role, e.g. \"PharmD, clinical pharmacist\" or \"medical translator\".")
    date: dt.date = Field(description="The day of the review (YYYY-MM-DD).")
    digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="The sha256 of the text as it was reviewed (written by ldnpub; do not edit).")


class ReviewsFile(Strict):
    reviews: dict[Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)], ReviewRecord] = Field(
        default_factory=dict, description="The latest review of each language's text, by language code.")


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    record: ReviewRecord | None  # the latest recorded review of this language
    current: bool  # the text is still what was reviewed

    @property
    def changed(self) -> bool:
        return self.record is not None and not self.current


def reader_digest(raws: dict) -> str:
    """The sha256 of every text value of the content files (the reviews file itself left out)."""
    texts = sorted((name, json.dumps(list(at)), text) for name, raw in raws.items()
                   if not name.endswith("reviews.yaml") for at, text in strings(raw.data))
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()


def status(reviews: dict[str, ReviewRecord], language: str, raws: dict) -> ReviewStatus:
    record = reviews.get(language)
    return ReviewStatus(record, record is not None and record.digest == reader_digest(raws))


def recorded(existing: ReviewsFile | None, language: str, record: ReviewRecord) -> str:
    """The reviews file's new text with this language's review replaced."""
    import yaml

    reviews = dict(existing.reviews) if existing else {}
    reviews[language] = record
    data = {"reviews": {code: {"reviewer": r.reviewer, "role": r.role, "date": r.date, "digest": r.digest}
                        for code, r in sorted(reviews.items())}}
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def reviews_path(project_root: Path) -> Path:
    return project_root / FILE
