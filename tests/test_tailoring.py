"""Tailoring per condition and per clinic, and new projects from `ldnpub init`."""

from __future__ import annotations

import json
import shutil
from itertools import product
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from conftest import FIXTURES, body_text, run, structure_alts, structure_elements
from ldnpub.content.search import shipped_root
from ldnpub.base.targets import BuildTarget

BRANDS = Path(shipped_root()) / "sources" / "brands"


@pytest.fixture(scope="module")
def fibromyalgia(tmp_path_factory) -> Path:
    """The shipped booklet and condition leaflet for fibromyalgia, branded for the example clinic."""
    out = tmp_path_factory.mktemp("fibro")
    result = run("-C", str(out), "build", "booklet", "condition", "--condition", "fibromyalgia",
                 "--brand", "example-clinic", "--out", str(out / "dist"))
    assert result.exit_code == 0, result.output
    return out / "dist"


def test_a_tailored_booklet_names_its_condition(fibromyalgia):
    pdf = fibromyalgia / "booklet_fibromyalgia_example-clinic_a5.pdf"
    reader = PdfReader(pdf)
    assert reader.metadata.title == "Low Dose Naltrexone (LDN) and Fibromyalgia"
    assert "Fibromyalgia" in reader.metadata["/Keywords"]
    assert "Low Dose Naltrexone (LDN) and Fibromyalgia" in reader.pages[0].extract_text().replace("\n", " ")
    text = body_text(pdf)
    assert "LDN and Fibromyalgia" in text                        # the condition's own chapter
    assert "Fibromyalgia causes pain all over the body." in text  # its key points
    assert "LDN and Multiple Sclerosis" not in text               # not another condition's
    assert len(reader.pages) % 4 == 0
    manifest = json.loads((fibromyalgia / "manifest.json").read_text())
    entry = next(e for e in manifest["files"] if e["path"] == pdf.name)
    assert (entry["document"], entry["condition"], entry["brand"]) == ("booklet", "fibromyalgia", "example-clinic")


def test_the_condition_leaflet_has_its_condition_studies_and_questions(fibromyalgia):
    pdf = fibromyalgia / "condition_fibromyalgia_example-clinic_a4.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) in (2, 4)
    assert reader.metadata.title == "LDN and Fibromyalgia"
    text = body_text(pdf)
    assert "Studies:" not in text                                 # citations stand where the text relies on them
    assert "About the evidence:" in text                          # the condition's evidence, said plainly
    assert "Younger, J., & Mackey, S. (2009)" in text             # its references, listed
    assert "Chopra" not in text                                   # and only those it cites
    assert "Questions to ask your healthcare professional" in text


def test_the_brand_replaces_the_publishers_contacts(fibromyalgia):
    for pdf in fibromyalgia.glob("*.pdf"):
        text = body_text(pdf)
        assert "Riverside Pain Clinic (example)" in text
        assert "(212) 555-0142" in text
        assert "info@example.org" not in text
        assert "Riverside Pain Clinic logo" in structure_alts(pdf)


def test_the_qr_code_decodes_to_the_brand_target(fibromyalgia):
    pdf = fibromyalgia / "booklet_fibromyalgia_example-clinic_a5.pdf"
    document = pypdfium2.PdfDocument(pdf)
    image = document[len(document) - 1].render(scale=3).to_pil()
    decoded = [code.text for code in zxingcpp.read_barcodes(image)]
    assert decoded == ["https://riverside-clinic.example/ldn"]


def test_brand_colours_reach_the_page(fibromyalgia):
    pdf = fibromyalgia / "condition_fibromyalgia_example-clinic_a4.pdf"
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=100000)}
    assert (0x0F, 0x5A, 0x4A) in colours                          # the clinic's primary colour
    assert (0x1F, 0x4E, 0x79) not in colours                      # not the default blue


def test_blocks_limited_to_a_condition_appear_only_there(mini_dir):
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "--all-conditions", "--out", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == ["guide_cond-x_a5.pdf", "guide_cond-y_a5.pdf", "sheet_a4.pdf"]
    assert "Only for the x condition." in body_text(out / "guide_cond-x_a5.pdf")
    assert "Only for the x condition." not in body_text(out / "guide_cond-y_a5.pdf")


def test_unknown_condition_lists_the_known_ones(mini_dir):
    result = run("-C", str(mini_dir), "build", "--condition", "condx")
    assert result.exit_code == 2
    assert ("error: unknown condition 'condx'\n"
            "    hint: did you mean 'cond-x'? Known: cond-x, cond-y") in result.output


def test_a_per_condition_document_needs_a_condition(tmp_path):
    result = run("-C", str(tmp_path), "build", "condition")
    assert result.exit_code == 2
    assert ("error: document 'condition' is made only per condition\n"
            "    hint: add --condition ID or --all-conditions") in result.output


def test_output_names_never_collide():
    layouts = {"booklet": "booklet"}
    names = [BuildTarget(doc, paper, condition, variant, brand, layout=layouts.get(doc, "leaflet")).output_name
             for doc, paper, condition, variant, brand in product(
                 ["booklet", "what-is-ldn", "condition"], ["a4", "letter"],
                 [None, "fibromyalgia", "multiple-sclerosis"], ["standard", "large-print"],
                 [None, "example-clinic"])]
    assert len(set(names)) == len(names)
    assert BuildTarget("booklet", "a4", "fibromyalgia", "standard", "example-clinic",
                       layout="booklet").output_name == "booklet_fibromyalgia_example-clinic_a5.pdf"
    assert BuildTarget("booklet", "letter", layout="booklet").output_name == "booklet_half-letter.pdf"
    assert BuildTarget("at-a-glance", "letter", layout="trifold").output_name == "at-a-glance_letter.pdf"


BAD_BRANDS = [
    ('name: "C"\ncolors:\n  primary: "#7fb3e0"\n',
     "brand.yaml:3:12: error: colors.primary: #7fb3e0 has a contrast of 2.2:1 against white; "
     "text needs at least 4.5:1\n    hint: choose a darker colour"),
    ('name: "C"\nlogo:\n  file: missing.svg\n  alt: "Logo"\n',
     "brand.yaml:3:9: error: logo.file: no file missing.svg next to the brand file"),
    ('name: "C"\nlogo:\n  file: ../outside.svg\n  alt: "Logo"\n',
     "brand.yaml:3:9: error: logo.file: the logo must be inside the brand file's folder"),
    ('name: "C"\nlogo:\n  file: logo.svg\n',
     "brand.yaml:3:3: error: logo.alt: missing required field 'alt'"),
    ('name: "C"\nphnoe: "123"\n',
     "brand.yaml:2:8: error: phnoe: unknown field 'phnoe'\n    hint: did you mean 'phone'?"),
    ('name: "C"\ncolors:\n  primary: "blue"\n',
     "brand.yaml:3:12: error: colors.primary: expected a colour like #1f4e79, found 'blue'"),
]


@pytest.mark.parametrize("text, message", BAD_BRANDS)
def test_a_bad_brand_is_refused_with_its_place(mini_dir, text, message):
    brand_dir = mini_dir / "brand"
    brand_dir.mkdir()
    (brand_dir / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    (mini_dir / "outside.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    (brand_dir / "brand.yaml").write_text(text)
    result = run("-C", str(mini_dir), "build", "sheet", "--brand", str(brand_dir / "brand.yaml"),
                 "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (mini_dir / "dist").exists()


def test_an_unknown_brand_name_lists_the_shipped_ones(tmp_path):
    result = run("-C", str(tmp_path), "build", "--brand", "no-such-clinic")
    assert result.exit_code == 2
    assert ("error: no brand file 'no-such-clinic'\n    hint: give a path to a brand YAML file, or one of: "
            "example-advocacy, example-clinic") in result.output


def test_init_then_a_new_condition_and_a_new_brand(tmp_path):
    project = tmp_path / "clinic"
    result = run("init", str(project))
    assert result.exit_code == 0
    assert (project / "sources" / "publication.yaml").is_file()
    assert (project / "layouts" / "booklet.html").is_file()
    (project / "sources" / "conditions" / "chronic-fatigue.yaml").write_text(
        'id: chronic-fatigue\nname: "Chronic fatigue"\nshort_name: "Fatigue"\ntitle: "LDN and chronic fatigue"\n'
        'key_points: ["Our new condition file."]\nblocks:\n  - "A sentence written for the new condition."\n')
    shutil.copy(BRANDS / "example-advocacy-logo.png", project / "logo.png")
    (project / "our-clinic.yaml").write_text(
        'name: "Hilltop Surgery"\nphone: "020 7946 0999"\nlogo:\n  file: logo.png\n  alt: "Hilltop logo"\n'
        'colors:\n  primary: "#234d20"\n')
    result = run("-C", str(project), "build", "condition", "--condition", "chronic-fatigue",
                 "--brand", str(project / "our-clinic.yaml"), "--out", str(project / "dist"))
    assert result.exit_code == 0, result.output
    text = body_text(project / "dist" / "condition_chronic-fatigue_our-clinic_a4.pdf")
    assert "LDN and chronic fatigue" in text and "A sentence written for the new condition." in text
    assert "Hilltop Surgery" in text and "020 7946 0999" in text


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert "error: the folder is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_a_wide_wordmark_logo_keeps_its_shape(tmp_path):
    """A 4.4:1 wordmark is drawn wide, not squeezed into a square where it could not be read."""
    brand = FIXTURES / "wordmark-brand" / "wordmark.yaml"
    result = run("-C", str(tmp_path), "build", "what-is-ldn", "--brand", str(brand), "-j", "1",
                 "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    figures = [node for node in structure_elements(tmp_path / "dist" / "what-is-ldn_wordmark_a4.pdf")
               if node.get("/S") == "/Figure"]
    x1, y1, x2, y2 = (float(v) for v in figures[0]["/A"]["/BBox"])
    assert figures[0]["/Alt"] == "Northside Community Pain Service"
    assert (x2 - x1) / (y2 - y1) > 2.5 and (x2 - x1) > 150  # points: at least 53 mm wide


def test_one_build_writes_every_brand_on_every_paper(tmp_path):
    result = run("-C", str(tmp_path), "build", "what-is-ldn", "--brand", "example-clinic", "--brand",
                 "example-advocacy", "--paper", "a4", "--paper", "letter", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "dist").glob("*.pdf")) == [
        "what-is-ldn_example-advocacy_a4.pdf", "what-is-ldn_example-advocacy_letter.pdf",
        "what-is-ldn_example-clinic_a4.pdf", "what-is-ldn_example-clinic_letter.pdf"]
    assert "Riverside" in body_text(tmp_path / "dist" / "what-is-ldn_example-clinic_letter.pdf")
    assert "Riverside" not in body_text(tmp_path / "dist" / "what-is-ldn_example-advocacy_a4.pdf")
