"""Today's date, from one place.

"Today" decides whether a publication's review is overdue (build refuses it) and which review
dates check warns about. It is, first found: the --today option; SOURCE_DATE_EPOCH (the
reproducible-builds convention, so a CI job can build as of its commit's date); the system clock.
"""

from __future__ import annotations

import datetime as dt
import os

from ldnpub.base.errors import Problem, UsageError

EPOCH_ENV = "SOURCE_DATE_EPOCH"


def today(override: dt.date | None = None) -> dt.date:
    if override is not None:
        return override
    epoch = os.environ.get(EPOCH_ENV, "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError("bad SOURCE_DATE_EPOCH", (Problem(None, None, None,
                         f"{EPOCH_ENV}: expected whole seconds since 1970-01-01, found {epoch[:40]!r}",
                         "unset it, or give a date with --today YYYY-MM-DD"),)) from None
