"""ldnpub doctor: each feature's state on this machine, with the command that installs what is missing."""

from __future__ import annotations

from conftest import run
from ldnpub.commands import doctor
from ldnpub.prepress import press


def test_doctor_names_every_feature_and_passes_where_the_core_works():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    for feature, *_ in doctor.CHECKS:
        assert feature in result.output


def test_a_missing_optional_tool_is_said_with_its_install_command(monkeypatch):
    monkeypatch.setattr(press, "missing", lambda: "Ghostscript (gs) is not installed")
    result = run("doctor")
    assert result.exit_code == 0
    assert "missing  press files and total ink (--press, preflight): Ghostscript (gs) is not installed" in result.output
    assert "install: apt-get install ghostscript" in result.output


def test_a_missing_core_library_fails(monkeypatch):
    checks = [(f, (lambda: (False, "WeasyPrint cannot start: no library called pango")) if "Pango" in f else c, i, core)
              for f, c, i, core in doctor.CHECKS]
    monkeypatch.setattr(doctor, "CHECKS", tuple(checks))
    result = run("doctor")
    assert result.exit_code == 1
    assert "MISSING  Pango, for WeasyPrint: WeasyPrint cannot start" in result.output
    assert "install: apt-get install libpango-1.0-0 libpangoft2-1.0-0" in result.output
