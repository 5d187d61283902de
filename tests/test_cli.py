"""The CLI end to end in temp folders: exit codes, messages, files, manifest."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

import ldnpub
from conftest import body_text, run


def test_version_and_help():
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"ldnpub, version {ldnpub.__version__}"
    result = run("--help")
    assert result.exit_code == 0
    assert "build" in result.output and "list" in result.output


def test_list_shows_documents_conditions_and_files(tmp_path):
    result = run("-C", str(tmp_path), "list")
    assert result.exit_code == 0
    assert "booklet" in result.output and "booklet_a5.pdf" in result.output
    assert "Fibromyalgia" in result.output


def test_list_json_names_the_files_a_build_writes(tmp_path):
    result = run("-C", str(tmp_path), "list", "--json", "--paper", "letter")
    data = json.loads(result.output)
    files = {d["id"]: d["file"] for d in data["documents"]}
    assert files == {"booklet": "booklet_half-letter.pdf", "what-is-ldn": "what-is-ldn_letter.pdf",
                     "starting-ldn": "starting-ldn_letter.pdf", "evidence": "evidence_letter.pdf",
                     "questions": "questions_letter.pdf", "condition": None,
                     "at-a-glance": "at-a-glance_letter.pdf", "source-article": "source-article_letter.pdf"}
    condition_files = next(d for d in data["documents"] if d["id"] == "condition")["condition_files"]
    assert "condition_fibromyalgia_letter.pdf" in condition_files and len(condition_files) == 6
    assert {c["id"] for c in data["conditions"]} == {
        "fibromyalgia", "multiple-sclerosis", "rheumatoid-arthritis", "neuropathic-pain",
        "inflammatory-bowel-disease", "complex-regional-pain-syndrome"}


def test_build_named_documents_on_letter(mini_dir):
    out = mini_dir / "out"
    result = run("-C", str(mini_dir), "build", "guide", "sheet", "--paper", "letter", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "] wrote guide_half-letter.pdf (8 pages)" in result.output
    assert f"2 PDF(s) written to {out}/" in result.output
    guide = PdfReader(out / "guide_half-letter.pdf").pages[0]
    assert (float(guide.mediabox.width), float(guide.mediabox.height)) == pytest.approx((396, 612), abs=0.5)
    sheet = PdfReader(out / "sheet_letter.pdf").pages[0]
    assert (float(sheet.mediabox.width), float(sheet.mediabox.height)) == pytest.approx((612, 792), abs=0.5)


def test_build_defaults_to_every_document_into_dist(mini_dir):
    result = run("-C", str(mini_dir), "build", "--out", str(mini_dir / "dist"), "-q")
    assert result.exit_code == 0 and result.output == ""
    manifest = json.loads((mini_dir / "dist" / "manifest.json").read_text())
    assert [e["path"] for e in manifest["files"]] == ["guide_a5.pdf", "sheet_a4.pdf"]
    assert manifest["generator"] == f"ldnpub {ldnpub.__version__}"


def test_manifest_keeps_earlier_builds_into_the_same_folder(mini_dir):
    out = mini_dir / "dist"
    run("-C", str(mini_dir), "build", "sheet", "--out", str(out))
    run("-C", str(mini_dir), "build", "sheet", "--paper", "letter", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert [(e["path"], e["paper"]) for e in manifest["files"]] == [
        ("sheet_a4.pdf", "a4"), ("sheet_letter.pdf", "letter")]


def test_mini_booklet_content(mini_build):
    text = body_text(mini_build / "guide_a5.pdf")
    assert "The dose is 1 to 5 mg." in text                      # a fact, written once
    assert "cites the second study first [1]." in text          # numbered by first citation
    assert "Beta text cites the first study [2] and again [1, 2]." in text
    assert "Only for the x condition." not in text               # limited to a condition
    assert "widget: A small thing used in tests." in text        # glossary: used terms only
    assert "gizmo" not in text
    assert len(PdfReader(mini_build / "guide_a5.pdf").pages) % 4 == 0


def test_the_booklet_opens_as_spreads_with_bookmarks(mini_build):
    root = PdfReader(mini_build / "guide_a5.pdf").trailer["/Root"]
    assert root["/PageLayout"] == "/TwoPageRight"
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"  # the pypdf pass keeps the tags


def test_check_passes_the_shipped_content_strictly(tmp_path):
    result = run("-C", str(tmp_path), "check", "--strict", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
    assert "understanding-ldn" in result.output and "booklet" in result.output


def test_check_json_gives_every_figure(tmp_path):
    result = run("-C", str(tmp_path), "check", "--json", "--today", "2026-11-25")
    data = json.loads(result.output)
    assert data["errors"] == data["warnings"] == 0
    section = next(s for s in data["sections"] if s["id"] == "understanding-ldn")
    assert 0 < section["key_points"]["grade"] <= 8
    assert {"reading_ease", "mean_sentence_length", "longest_sentence", "polysyllable_share"} <= set(
        section["body"])


def test_check_fails_once_the_review_date_has_passed(tmp_path):
    result = run("-C", str(tmp_path), "check", "--today", "2027-11-02")
    assert result.exit_code == 1
    assert "next_review: the next review date (1 November 2027) has passed" in result.output
    assert "1 error, 0 warnings" in result.output


def test_check_warnings_fail_only_when_strict(tmp_path):
    assert run("-C", str(tmp_path), "check", "--today", "2027-09-01").exit_code == 0
    result = run("-C", str(tmp_path), "check", "--strict", "--today", "2027-09-01")
    assert result.exit_code == 1
    assert "warning: next_review: the next review is due on 1 November 2027" in result.output


def test_check_reports_invalid_content_as_bad_input(mini_dir):
    (mini_dir / "sources" / "catalog.yaml").write_text("documents: []\n")
    result = run("-C", str(mini_dir), "check")
    assert result.exit_code == 2
    assert "sources/catalog.yaml:1:12: error: documents: expected at least 1 item(s), found 0" in result.output


def test_schema_command_writes_every_schema(tmp_path):
    result = run("schema", "--out", str(tmp_path / "s"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted(f"{k}.schema.json" for k in
                           ["brand", "catalog", "condition", "glossary", "publication", "references", "section"])
    assert json.loads((tmp_path / "s" / "section.schema.json").read_text())["properties"]["key_points"]


def test_a_project_folder_that_does_not_exist_is_refused(tmp_path):
    result = run("-C", str(tmp_path / "typo"), "build", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not (tmp_path / "dist").exists()  # the shipped catalog is not built instead


def test_list_shows_the_matrix_a_build_would_write(tmp_path):
    result = run("-C", str(tmp_path), "list", "--brand", "example-clinic", "--brand", "example-advocacy",
                 "--paper", "a4", "--paper", "letter", "--variant", "standard", "--variant", "large-print",
                 "--condition", "fibromyalgia")
    assert result.exit_code == 0, result.output
    assert "A build with these options writes 60 file(s):" in result.output
    assert "  condition_fibromyalgia_example-advocacy_large-print_letter.pdf" in result.output
