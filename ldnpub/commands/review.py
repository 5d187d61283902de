"""`ldnpub review record`: record a clinical (or translation) review with the digest of the text
the reviewer read, in sources/reviews.yaml (content/review.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ldnpub.base.files import write_atomic
from ldnpub.content.load import load_project
from ldnpub.content.review import ReviewRecord, ReviewsFile, recorded, reader_digest, reviews_path


def record_review(project_dir: Path, reviewer: str, role: str, date: dt.date, language: str | None) -> Path:
    """Record the review of the text as it is now: in the publication's language by default, or a
    translation's (`language`, reviewed by a medical translator)."""
    source = load_project(project_dir)
    own = source.source_language or source.publication.language
    if language in (None, own):
        project, digest, language = source, source.source_digest, own
    else:
        project = load_project(project_dir, language)
        digest = reader_digest(project.raws)
    record = ReviewRecord(reviewer=reviewer, role=role, date=date, digest=digest)
    path = reviews_path(project_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, recorded(ReviewsFile(reviews=project.reviews), language, record).encode("utf-8"))
    return path
