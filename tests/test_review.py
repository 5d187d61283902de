"""A clinical review that means something: recorded with a digest of the text, printed as
"Reviewed by NAME, ROLE, on DATE" only while the text still matches."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, run


@pytest.fixture
def reviewed(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    result = run("-C", str(project), "review", "record", "--reviewer", "A. Smith", "--role", "PharmD",
                 "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "recorded the review by A. Smith, PharmD, on 2026-11-20" in result.output
    return project


def _html(project, tmp_path) -> str:
    out = tmp_path / "out"
    result = run("-C", str(project), "build", "sheet", "--html", "--force", "--out", str(out))
    assert result.exit_code == 0, result.output
    return (out / "sheet_a4.html").read_text(encoding="utf-8")


def test_a_recorded_review_is_printed_with_its_name_role_and_date(reviewed, tmp_path):
    html = _html(reviewed, tmp_path)
    assert "Reviewed by A. Smith, PharmD, on 20 November 2026." in html
    assert "Reviewed 20 November 2026" in html  # the masthead
    assert "not yet clinically reviewed" not in html
    assert "0 errors" in run("-C", str(reviewed), "check").output


def test_after_an_edit_the_documents_say_the_text_changed_since_the_review(reviewed, tmp_path):
    beta = reviewed / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta is also short.", "Beta is short and changed."))
    html = _html(reviewed, tmp_path)
    assert "Reviewed by" not in html
    assert "Changed since its clinical review by A. Smith on 20 November 2026: not yet reviewed again." in html
    report = run("-C", str(reviewed), "check")
    assert ("sources/reviews.yaml: warning: the text changed since its review by A. Smith on 2026-11-20: the "
            "documents now say so") in report.output
    assert "have it reviewed again, then run `ldnpub review record`" in report.output


def test_a_change_readers_cannot_see_keeps_the_review(reviewed, tmp_path):
    beta = reviewed / "sources" / "sections" / "beta.yaml"
    beta.write_text("# an editor's comment\n" + beta.read_text())
    assert "Reviewed by A. Smith, PharmD, on 20 November 2026." in _html(reviewed, tmp_path)


def test_recording_again_brings_the_review_back(reviewed, tmp_path):
    beta = reviewed / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta is also short.", "Beta is short and changed."))
    assert run("-C", str(reviewed), "review", "record", "--reviewer", "B. Jones", "--role", "RN",
               "--date", "2026-11-25").exit_code == 0
    assert "Reviewed by B. Jones, RN, on 25 November 2026." in _html(reviewed, tmp_path)


def test_a_hand_edited_digest_is_refused_with_its_place(reviewed):
    path = reviewed / "sources" / "reviews.yaml"
    path.write_text(path.read_text().replace("digest: ", "digest: x"))
    result = run("-C", str(reviewed), "build", "--out", str(reviewed / "d"))
    assert result.exit_code == 2 and "sources/reviews.yaml:" in result.output and "Traceback" not in result.output


def test_a_translation_review_is_recorded_for_its_language_and_ends_with_an_edit(tmp_path):
    project = tmp_path / "shipped"  # the shipped content and its Spanish translation
    (project / "translations").mkdir(parents=True)
    result = run("-C", str(project), "review", "record", "--reviewer", "M. García", "--role", "medical translator",
                 "--date", "2026-11-21", "--language", "es")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"

    def spanish() -> str:
        built = run("-C", str(project), "build", "what-is-ldn", "--language", "es", "--html", "--force",
                    "--out", str(out))
        assert built.exit_code == 0, built.output
        return (out / "what-is-ldn_es_a4.html").read_text(encoding="utf-8")

    assert "M. García, medical translator" in spanish()
    from ldnpub.content.search import shipped_root

    po = (shipped_root() / "translations" / "es.po").read_text(encoding="utf-8")
    (project / "translations" / "es.po").write_text(po.replace("Primero, la seguridad", "Primero la seguridad"),
                                                   encoding="utf-8")
    assert "M. García" not in spanish()


def test_the_translations_review_is_not_taken_for_the_clinical_one(tmp_path):
    project = tmp_path / "shipped"
    project.mkdir()
    assert run("-C", str(project), "review", "record", "--reviewer", "M. García", "--role", "medical translator",
               "--language", "es").exit_code == 0
    out = tmp_path / "out"
    assert run("-C", str(project), "build", "what-is-ldn", "--language", "es", "--html", "--out", str(out)).exit_code == 0
    html = (out / "what-is-ldn_es_a4.html").read_text(encoding="utf-8")
    assert "Ha cambiado desde su revisión" not in html and "Revisado por" not in html
    assert "Traducción revisada por M. García, medical translator" in html
