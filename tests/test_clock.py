"""The clock: one "today" for build, check and preview (--today, SOURCE_DATE_EPOCH, the system
clock), and the suite's own frozen day (conftest.TODAY)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine

from conftest import TODAY, run
from ldnpub.base import clock
from ldnpub.base.errors import UsageError


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))


def test_the_suite_runs_on_its_own_day():
    assert dt.date.today() == TODAY
    assert clock.today() == TODAY


def test_the_option_wins_over_the_environment_and_the_environment_over_the_clock(monkeypatch):
    monkeypatch.setenv(clock.EPOCH_ENV, epoch(dt.date(2030, 5, 6)))
    assert clock.today(dt.date(2031, 1, 2)) == dt.date(2031, 1, 2)
    assert clock.today() == dt.date(2030, 5, 6)
    monkeypatch.delenv(clock.EPOCH_ENV)
    with time_machine.travel(dt.datetime(2033, 3, 3, 12, tzinfo=dt.timezone.utc), tick=False):
        assert clock.today() == dt.date(2033, 3, 3)


@pytest.mark.parametrize("value", ["soon", "1.5", "99999999999999999999", "-99999999999999"])
def test_a_bad_source_date_epoch_is_named(monkeypatch, value):
    monkeypatch.setenv(clock.EPOCH_ENV, value)
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01"):
        clock.today()


def test_build_refuses_an_overdue_review_as_of_its_today(mini_dir):
    result = run("-C", str(mini_dir), "build", "sheet", "--today", "2027-02-02")
    assert result.exit_code == 1
    assert "the next review date (2027-02-01) has passed" in result.output


def test_build_takes_its_today_from_source_date_epoch(mini_dir, monkeypatch):
    monkeypatch.setenv(clock.EPOCH_ENV, epoch(dt.date(2027, 2, 2)))
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 1
    assert "the next review date (2027-02-01) has passed" in result.output


def test_a_bad_source_date_epoch_is_bad_input_not_a_traceback(mini_dir, monkeypatch):
    monkeypatch.setenv(clock.EPOCH_ENV, "tomorrow")
    result = run("-C", str(mini_dir), "check")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH: expected whole seconds" in result.output


def test_rendering_leaves_the_build_date_alone(mini_dir):
    """The PDF stage sets SOURCE_DATE_EPOCH for fontTools while it renders, and puts it back: a
    second build in the same process (watch, preview) still knows what day it is."""
    before = os.environ[clock.EPOCH_ENV]
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1").exit_code == 0
    assert os.environ[clock.EPOCH_ENV] == before
    assert clock.today() == TODAY
