"""Documents a clinic can hand out: the safety panel, the plain guide before the source article,
leaflets to act on, honest evidence, review statements and dates, the check gates, and the blocks
to fill in. Read back from the PDFs (text, tagged structure, pixels) and from the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

import ldnpub
from conftest import FIXTURES, TODAY, body_text, pdf_text, run, structure_elements, trim
from ldnpub.content import inline
from ldnpub.content.search import shipped_root

SHIPPED = Path(shipped_root()) / "sources"
LEAFLETS = ["what-is-ldn", "starting-ldn", "evidence", "questions"]
DOCUMENTS = ["booklet", "at-a-glance"] + LEAFLETS
CONDITIONS = sorted(path.stem for path in (SHIPPED / "conditions").glob("*.yaml"))
LARGE_PRINT = "what-is-ldn_large-print_a4.pdf"
HIGH_CONTRAST = "at-a-glance_high-contrast_a4.pdf"
CONDITION_LEAFLETS = [f"condition_{c}_a4.pdf" for c in CONDITIONS]
LEAFLET_FILES = [f"{d}_a4.pdf" for d in LEAFLETS] + CONDITION_LEAFLETS + [LARGE_PRINT]
HANDOUT_FILES = LEAFLET_FILES + ["at-a-glance_a4.pdf", HIGH_CONTRAST, "booklet_a5.pdf"]  # all but the article
ONE_SHEET = ["what-is-ldn_a4.pdf", "starting-ldn_a4.pdf"] + CONDITION_LEAFLETS

ARTICLE_HEADING = "The source article, in full"
FOR_THE_WRITER = ["the blog post", "Encourage readers"]  # the article speaking to its own writer
ARTICLE_ONLY = ["the blog post", "encourage readers", "transcends physical discomfort", "titrating", "dysregulation"]
REVIEWER = "A. Pharmacist, PharmD"


def long_date(date: dt.date) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path: Path, start: str) -> int:
    """The number of the first line of the file that starts with `start`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


def reading_text(path: Path) -> str:
    """body_text without bullets and list numbers, which pypdf reads out of place (even in the
    middle of a sentence that runs onto the next page)."""
    return " ".join(re.sub(r"(?<!\S)(?:•|\d{1,2}\.)(?!\S)", " ", body_text(path)).split())


# --- the tagged structure, with the text of each element ----------------------------------------

def _marked_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence of the pages, by (page index, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(reader.pages):
        open_ids: list = []

        def before(operator, operands, cm, tm, open_ids=open_ids):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                open_ids.append(properties.get("/MCID") if isinstance(properties, dict) else None)
            elif operator == b"BMC":
                open_ids.append(None)
            elif operator == b"EMC" and open_ids:
                open_ids.pop()

        def visit(text, cm, tm, font, size, open_ids=open_ids, index=index):
            if open_ids and open_ids[-1] is not None:
                key = (index, int(open_ids[-1]))
                texts[key] = texts.get(key, "") + text

        page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return texts


class Tagged:
    """A PDF's structure tree: its elements by role, and the text each one holds."""

    def __init__(self, path: Path):
        reader = PdfReader(path)
        self._texts = _marked_texts(reader)
        self._pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
        self._root = reader.trailer["/Root"]["/StructTreeRoot"]

    def _page(self, node, page):
        return self._pages.get(node.raw_get("/Pg").idnum, page) if "/Pg" in node else page

    def children(self, element):
        """The structure elements directly under an element, as (node, page)."""
        node, page = element
        kids = node.get("/K", [])
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                yield kid, self._page(kid, self._page(node, page))

    def find(self, role: str, element=None):
        """Every element of a role, in reading order (under an element, or in the whole tree)."""
        for child in self.children(element or (self._root, None)):
            if child[0]["/S"] == role:
                yield child
            yield from self.find(role, child)

    def text(self, element) -> str:
        node, page = element
        page = self._page(node, page)
        kids = node.get("/K", [])
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        parts = []
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                parts.append(self._texts.get((page, kid), ""))
            elif isinstance(kid, dict) and "/S" in kid:
                parts.append(self.text((kid, page)))
            elif isinstance(kid, dict) and "/MCID" in kid:
                parts.append(self._texts.get((self._page(kid, page), kid["/MCID"]), ""))
        return " ".join(" ".join(parts).split())

    def list_items(self) -> list[tuple[str, str]]:
        """(label, text) of each tagged list item, e.g. ("1.", "Write down ..."); a list that
        runs over two columns is tagged as two lists, so items are not grouped by list."""
        items = []
        for item in self.find("/LI"):
            label = " ".join(self.text(kid) for kid in self.children(item) if kid[0]["/S"] == "/Lbl")
            body = " ".join(self.text(kid) for kid in self.children(item) if kid[0]["/S"] != "/Lbl")
            items.append((label.strip(), " ".join(body.split())))
        return items

    def tables(self) -> list[tuple[str, list[str], list[list[str]]]]:
        """(caption, header cells, body rows of cells) of each tagged table."""
        tables = []
        for table in self.find("/Table"):
            caption = " ".join(self.text(c) for c in self.find("/Caption", table))
            header = [self.text(cell) for cell in self.find("/TH", table)]
            rows = [[self.text(cell) for cell in self.find("/TD", row)]
                    for body in self.find("/TBody", table) for row in self.find("/TR", body)]
            tables.append((caption, header, rows))
        return tables


def rules_under(path: Path, text: str, width: float = 100.0, scale: int = 3) -> int:
    """How many ruled lines are drawn under a line of text, before anything else (text, the
    page's edge): counted on the rendered page, in a strip starting where the text starts."""
    document = pypdfium2.PdfDocument(path)
    for page in document:
        textpage = page.get_textpage()
        hit = textpage.search(text).get_next()
        if hit:
            break
    else:
        raise AssertionError(f"{text!r} is not in {path.name}")
    index, count = hit
    boxes = [textpage.get_charbox(i, loose=True) for i in range(index, index + count)]
    left, bottom = boxes[0][0], min(box[1] for box in boxes)
    image = page.render(scale=scale).to_pil().convert("L")
    x0, x1 = int((left + 2) * scale), int((left + 2 + width) * scale)
    rules, in_rule = 0, False
    for y in range(int((page.get_size()[1] - bottom + 1) * scale), image.height):
        dark = sum(image.getpixel((x, y)) < 230 for x in range(x0, x1))
        if dark == x1 - x0:  # a line across the whole strip
            rules += not in_rule
            in_rule = True
        elif dark == 0:
            in_rule = False
        else:  # the next text
            break
    return rules


def drawn_images(path: Path) -> tuple[int, int]:
    """(images drawn as artifacts, images drawn as content) on the pages."""
    reader = PdfReader(path)
    artifacts = content = 0
    for page in reader.pages:
        marks: list[str] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BMC", b"BDC"):
                marks.append(str(operands[0]))
            elif operator == b"EMC" and marks:
                marks.pop()
            elif operator == b"Do":
                if "/Artifact" in marks:
                    artifacts += 1
                else:
                    content += 1
    return artifacts, content


# --- builds, once per module ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> ldnpub.content.project.Project:
    return ldnpub.load_project(tmp_path_factory.mktemp("shipped-content"))


@pytest.fixture(scope="module")
def extra_dir(tmp_path_factory) -> Path:
    """Beside catalog_dir: every condition leaflet, one large-print leaflet and the tri-fold in
    high contrast, built from an empty folder."""
    work = tmp_path_factory.mktemp("handout-extra")
    out = work / "dist"
    for args in (["condition", "--all-conditions"], ["what-is-ldn", "--variant", "large-print", "-j", "1"],
                 ["at-a-glance", "--variant", "high-contrast", "-j", "1"]):
        result = run("-C", str(work), "build", *args, "--out", str(out))
        assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def handouts(catalog_dir, extra_dir) -> dict[str, Path]:
    """Every PDF of the shipped content built for these tests, by file name."""
    pdfs = {path.name: path for folder in (catalog_dir, extra_dir) for path in folder.glob("*.pdf")}
    assert set(HANDOUT_FILES) | {"source-article_a4.pdf"} <= set(pdfs)
    return pdfs


@pytest.fixture(scope="module")
def mini_handout(tmp_path_factory) -> Path:
    """The mini project with a named reviewer, reviewed today, and a section of tools to fill in
    (tests/fixtures/handout/tools.yaml) on its leaflet; built with its HTML."""
    project = tmp_path_factory.mktemp("handout-mini") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    publication = project / "sources" / "publication.yaml"
    edit(publication, "last_reviewed: 2026-02-01", f"last_reviewed: {TODAY.isoformat()}")
    edit(publication, "next_review: 2027-02-01", f"next_review: {(TODAY + dt.timedelta(days=365)).isoformat()}")
    append(publication, f'reviewers: ["{REVIEWER}"]\n')
    shutil.copy(FIXTURES / "handout" / "tools.yaml", project / "sources" / "sections" / "tools.yaml")
    edit(project / "sources" / "catalog.yaml", "sections: [beta, steps]", "sections: [beta, steps, tools]")
    out = project.parent / "out"
    result = run("-C", str(project), "build", "--html", "-j", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def clean_mini(mini_dir: Path) -> Path:
    """The mini project with nothing for `check` to report (as in test_checks.py)."""
    edit(mini_dir / "sources/conditions/cond-y.yaml", '"Y is another test condition."', '"Y is a test too."')
    return mini_dir


# --- 1. the safety panel ----------------------------------------------------------------------------

def assert_safety_panel(path: Path, project) -> None:
    """The panel's title, then each of its points in order, closed by the advice to talk to a
    healthcare professional."""
    text = " ".join(pdf_text(path).replace("•", " ").split())
    assert "LDN is a prescription medicine." in text
    assert ("LDN blocks opioid receptors. Do you take an opioid pain medicine? Codeine, morphine, oxycodone "
            "and tramadol are opioids. If you do, tell your healthcare professional before you start LDN.") in text
    pub = project.publication
    points = [inline.plain(item, pub.facts) for item in pub.safety.items]
    position = text.find("Safety first")
    assert position >= 0, path.name
    for point in points:
        found = text.find(point, position)
        assert found > position, f"{path.name}: {point!r} is not in the panel, after the point before it"
        position = found
    closing = f"{points[-1]} Talk to your healthcare professional. {inline.plain(pub.talk_to_professional, {})}"
    assert text.find(closing, position) == position, f"{path.name}: the panel is not closed by the advice"


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_catalog_document_has_the_safety_panel(catalog_dir, shipped, doc):
    assert_safety_panel(catalog_dir / f"{doc}_{trim(doc)}.pdf", shipped)


@pytest.mark.parametrize("name", [LARGE_PRINT, HIGH_CONTRAST] + CONDITION_LEAFLETS)
def test_variants_and_condition_leaflets_have_the_safety_panel(handouts, shipped, name):
    assert_safety_panel(handouts[name], shipped)


# --- 2. the plain guide, then the source article ------------------------------------------------------

def article_parts(path: Path, text: str) -> tuple[int, list[int], int]:
    """Where the source article's heading, each of its parts' headings and its end (the next
    bookmark's heading) stand in the text, found from the bookmarks."""
    outline = PdfReader(path).outline
    outline = outline[1] if isinstance(outline[1], list) else outline  # under the document's title
    index = next(i for i, item in enumerate(outline) if not isinstance(item, list) and item.title == ARTICLE_HEADING)
    children = outline[index + 1] if isinstance(outline[index + 1], list) else []
    following = next(item.title for item in outline[index + 1:] if not isinstance(item, list))
    heading = text.index(f"{ARTICLE_HEADING} This is the article that this publication")
    parts, position = [], heading
    for child in children:
        if not isinstance(child, list):
            position = text.index(child.title, position)
            parts.append(position)
    return heading, parts, text.index(following, position)


def test_the_booklet_is_the_plain_guide_and_the_article_is_its_own_document(catalog_dir):
    booklet = reading_text(catalog_dir / "booklet_a5.pdf")
    assert "The article calls LDN a promising option for chronic pain." in booklet  # the plain guide
    assert "In conclusion, LDN presents a promising avenue" not in booklet and ARTICLE_HEADING not in booklet
    assert ("The article this booklet is based on is printed on its own, word for word, as “The source "
            "article”") in booklet
    pdf = catalog_dir / "source-article_a4.pdf"
    text = reading_text(pdf)
    heading, parts, end = article_parts(pdf, text)
    intro = text[heading:parts[0]]
    assert "printed as it was written, word for word, so that you can read the original" in intro
    assert "It was not written for you as a patient, and it is not advice." in intro
    assert "The article does not say who wrote it. It does not give a date." in intro
    assert heading < text.index("In conclusion, LDN presents a promising avenue for chronic pain relief.") < end
    assert len(parts) >= 10


def test_what_the_article_says_to_its_writer_is_only_in_the_article_with_a_note(catalog_dir):
    pdf = catalog_dir / "source-article_a4.pdf"
    text = reading_text(pdf)
    heading, parts, end = article_parts(pdf, text)
    before = text[:heading].lower()
    for phrase in FOR_THE_WRITER:
        assert phrase.lower() not in before
    bounds = parts + [end]
    found = 0
    for phrase in FOR_THE_WRITER:
        for match in re.finditer(re.escape(phrase), text[parts[0]:end]):
            at = parts[0] + match.start()
            part_end = next(b for b in bounds if b > at)
            note = text.find("Editor’s note:", at)
            assert 0 < note < part_end, f"no editor's note after “{text[at - 60:at + 60]}” in its part"
            found += 1
    assert found >= 3  # two bullets speak of the blog post; one paragraph tells the writer what to do


def test_handouts_never_print_the_articles_own_words(handouts):
    article = pdf_text(handouts["source-article_a4.pdf"]).lower()
    assert [phrase for phrase in ARTICLE_ONLY if phrase not in article] == []  # as the PDFs spell them
    printed = {name: [phrase for phrase in ARTICLE_ONLY if phrase in pdf_text(handouts[name]).lower()]
               for name in HANDOUT_FILES}
    assert {name: found for name, found in printed.items() if found} == {}


# --- 3. leaflets to act on ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", LEAFLET_FILES)
def test_leaflets_have_an_even_number_of_pages(handouts, name):
    pages = len(PdfReader(handouts[name]).pages)
    assert pages % 2 == 0 and pages >= 2
    if name in ONE_SHEET:
        assert pages == 2


@pytest.mark.parametrize("name", LEAFLET_FILES)
def test_each_leaflet_says_what_to_do_next_with_tools_to_fill_in(handouts, shipped, name):
    pdf = handouts[name]
    text = pdf_text(pdf)
    for heading in ["What to do next", "My medicines", "Questions to ask", "Words to know"]:
        assert heading in text
    tagged = Tagged(pdf)
    items = tagged.list_items()
    facts = shipped.publication.facts
    steps = shipped.sections["next-steps"].blocks[0].items
    questions = shipped.sections["talking-to-your-clinician"].blocks[0].items
    for number, step in enumerate([*steps], 1):
        assert (f"{number}.", inline.plain(step, facts)) in items
    for number, question in enumerate([*questions], 1):
        assert (f"{number}.", inline.plain(question, facts)) in items
    medicines = [t for t in tagged.tables() if "My medicines" in t[0]]
    assert [(header, len(rows), {cell for row in rows for cell in row}) for _, header, rows in medicines] == [
        (["Medicine", "Dose", "When I take it"], 4, {""})]


@pytest.mark.parametrize("name", LEAFLET_FILES)
def test_leaflet_pictograms_are_artifacts_and_figures_have_alt_text(handouts, name):
    pdf = handouts[name]
    figures = [node for node in structure_elements(pdf) if node.get("/S") == "/Figure"]
    assert [node for node in figures if not str(node.get("/Alt", "")).strip()] == []
    artifacts, content = drawn_images(pdf)
    assert artifacts >= 1  # the safety sign, the doctor, the medicines and question pictograms
    assert content <= len(figures)  # an image a screen reader meets is a described figure


# --- 4. honest evidence ---------------------------------------------------------------------------------

def test_the_articles_references_are_corrected_and_the_unverified_one_is_marked(catalog_dir):
    pdf = catalog_dir / "source-article_a4.pdf"
    text = reading_text(pdf)
    end = text.index("About this document")
    references = text[text.rindex("References", 0, end):end]
    assert ("Smith, J. P., Stock, H., Bingaman, S., Mauger, D., Rogosnitzky, M., & Zagon, I. S. (2007). "
            "Low-dose naltrexone therapy improves active Crohn’s disease.") in references
    assert "Chopra, P., & Cooper, M. S. (2013). Treatment of complex regional pain syndrome" in references
    assert references.count("Not verified") == 1
    assert "Younger, J. W., & Zautra, A. J. (2014)." in references
    assert "2457–2465. Not verified: we could not find this paper" in references  # the end of its entry
    whole = pdf_text(pdf)
    for wrong in ["Field, D.", "(2012)", "944–952"]:  # the article's own, wrong, citations
        assert wrong not in whole


def test_the_ms_leaflet_says_it_cites_no_study(handouts):
    text = pdf_text(handouts["condition_multiple-sclerosis_a4.pdf"])
    assert "About the evidence: The article cites no study of LDN for multiple sclerosis." in text
    assert "cites no study" in text


def test_no_document_lists_studies_apart_from_the_text(handouts):
    assert [name for name, pdf in handouts.items() if "Studies:" in pdf_text(pdf)] == []


# --- 5. review statements ---------------------------------------------------------------------------------

def test_no_shipped_document_claims_a_clinical_review(handouts):
    claims = {}
    for name, pdf in handouts.items():
        text = pdf_text(pdf)
        found = re.findall(r"(?i)\breviewed\s+(?:on\s+)?\d{1,2} [a-z]+ \d{4}", text)
        found += [m.group(0) for m in re.finditer(r"(?i)(?<!not yet )reviewed by", text)]
        if "not yet reviewed by a healthcare professional" not in text.lower():
            found.append("(no “not yet reviewed” statement)")
        if found:
            claims[name] = found
    assert claims == {}


def test_named_reviewers_are_printed(mini_handout):
    sheet = pdf_text(mini_handout / "sheet_a4.pdf")
    assert f"Reviewed {long_date(TODAY)}" in sheet  # the masthead
    assert f"Last reviewed {long_date(TODAY)} by {REVIEWER}." in sheet
    guide = pdf_text(mini_handout / "guide_a5.pdf")
    assert f"Reviewed by {REVIEWER}" in guide
    for text in (sheet, guide):
        assert "not yet" not in text.lower()


# --- 6. an expired review ------------------------------------------------------------------------------

def expire(project: Path) -> Path:
    publication = project / "sources" / "publication.yaml"
    edit(publication, "published: 2026-01-15", "published: 2019-06-01")
    edit(publication, "last_reviewed: 2026-02-01", "last_reviewed: 2020-01-01")
    edit(publication, "next_review: 2027-02-01", "next_review: 2021-01-01")
    return publication


def test_an_expired_review_is_not_built(mini_dir):
    publication = expire(mini_dir)
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "--out", str(out))
    assert result.exit_code == 1
    assert re.search(rf"^sources/publication\.yaml:{line_of(publication, 'next_review:')}:\d+: error: next_review: ",
                     result.output, re.MULTILINE), result.output
    assert "--allow-expired" in result.output
    assert "Traceback" not in result.output
    assert not list(mini_dir.rglob("*.pdf"))


def test_allow_expired_says_review_overdue_on_every_page(mini_dir, mini_handout):
    expire(mini_dir)
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "--allow-expired", "-j", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    pages = {name: [page.extract_text() for page in PdfReader(out / name).pages]
             for name in ("guide_a5.pdf", "sheet_a4.pdf")}
    assert len(pages["guide_a5.pdf"]) >= 4
    for name, texts in pages.items():
        assert ["Review overdue" in text for text in texts] == [True] * len(texts), name
    assert "Review overdue: next review was due 1 January 2021" in pages["guide_a5.pdf"][-1]
    for name in ("guide_a5.pdf", "sheet_a4.pdf"):  # in date: no stamp
        assert "Review overdue" not in pdf_text(mini_handout / name)


# --- 7. `ldnpub check` -----------------------------------------------------------------------------------

def test_check_refuses_a_next_review_before_the_last_one(clean_mini):
    publication = clean_mini / "sources" / "publication.yaml"
    edit(publication, "last_reviewed: 2026-02-01", "last_reviewed: 2026-05-01")
    edit(publication, "next_review: 2027-02-01", "next_review: 2026-04-01")
    result = run("-C", str(clean_mini), "check", "--today", "2025-12-01")
    assert result.exit_code == 1
    assert (f"sources/publication.yaml:{line_of(publication, 'next_review:')}:14: error: next_review: the next "
            "review (1 April 2026) is before the last one (1 May 2026)") in result.output
    assert "1 error, 0 warnings" in result.output


def test_check_fails_a_leaflet_that_reads_too_hard_as_printed(clean_mini):
    result = run("-C", str(clean_mini), "check", "--strict", "--today", "2026-06-01")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output
    append(clean_mini / "sources" / "publication.yaml", "readability:\n  target_grade: 4\n  max_grade: 4.5\n")
    result = run("-C", str(clean_mini), "check", "--today", "2026-06-01")
    assert result.exit_code == 1
    match = re.search(r"sources/catalog\.yaml:\d+:\d+: error: documents\[1\]\.sections: the document 'sheet' "
                      r"reads at grade (\d+\.\d) as printed; the most allowed is grade 4\.5", result.output)
    assert match, result.output
    assert float(match.group(1)) > 4.5
    assert "1 error, 0 warnings" in result.output


def test_check_warns_of_a_leaflet_without_numbered_steps(clean_mini):
    edit(clean_mini / "sources" / "catalog.yaml", "sections: [beta, steps]", "sections: [beta]")
    result = run("-C", str(clean_mini), "check", "--today", "2026-06-01")
    assert result.exit_code == 0
    assert re.search(r"sources/catalog\.yaml:\d+:\d+: warning: documents\[1\]\.sections: the document 'sheet' "
                     r"lacks numbered next steps\n    hint: ", result.output), result.output
    assert re.fullmatch(r"0 errors, \d+ warnings?", result.output.splitlines()[-1])
    assert run("-C", str(clean_mini), "check", "--strict", "--today", "2026-06-01").exit_code == 1


def test_the_shipped_content_passes_a_strict_check(tmp_path):
    result = run("-C", str(tmp_path), "check", "--strict", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "0 errors, 0 warnings"


def test_the_json_report_grades_every_leaflet_as_printed(tmp_path, shipped):
    result = run("-C", str(tmp_path), "check", "--json", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["errors"], data["warnings"]) == (0, 0)
    assert data["thresholds"]["limit"] == 8
    leaflets = {d.id for d in shipped.catalog.documents if d.layout == "leaflet"}
    assert leaflets == set(LEAFLETS) | {"condition"}
    printed = {d["id"]: d["printed"] and d["printed"]["grade"] for d in data["documents"] if d["id"] in leaflets}
    assert set(printed) == leaflets
    assert {doc: grade for doc, grade in printed.items() if grade is None or not 0 < grade <= 8} == {}


# --- 8. blocks to fill in and to look at -------------------------------------------------------------

def test_a_write_in_block_prints_its_items_and_lines_to_write_on(mini_handout):
    sheet = mini_handout / "sheet_a4.pdf"
    assert "Jot it down" in pdf_text(sheet)
    items = Tagged(sheet).list_items()
    assert ("1.", "What does the widget do?") in items and ("2.", "When do I use the widget?") in items
    assert rules_under(sheet, "What does the widget do?") == 3
    assert rules_under(sheet, "When do I use the widget?") == 3
    assert rules_under(sheet, "Write down your questions about the widget.") == 0  # a plain numbered step


def test_a_table_with_blank_rows_prints_empty_rows(mini_handout):
    tables = Tagged(mini_handout / "sheet_a4.pdf").tables()
    assert tables == [("My widget log", ["Day", "Widget", "Note"], [["", "", ""]] * 3)]


def test_a_diagram_prints_its_steps_as_an_ordered_list(mini_handout):
    steps = ["You take the widget.", "The widget goes to work.", "You may feel better."]
    sheet = mini_handout / "sheet_a4.pdf"
    assert "How the widget works" in pdf_text(sheet)
    items = Tagged(sheet).list_items()
    first = items.index(("", steps[0]))
    assert items[first:first + 3] == [("", step) for step in steps]
    html = (mini_handout / "sheet_a4.html").read_text(encoding="utf-8")
    diagram = re.search(r'<ol class="diagram-steps">(.*?)</ol>', html, re.DOTALL)
    assert diagram
    assert re.findall(r'<span class="diagram-text">(.*?)</span>', diagram.group(1)) == steps


def test_a_table_without_rows_is_refused(mini_dir):
    tools = mini_dir / "sources" / "sections" / "tools.yaml"
    shutil.copy(FIXTURES / "handout" / "tools.yaml", tools)
    edit(mini_dir / "sources" / "catalog.yaml", "sections: [beta, steps]", "sections: [beta, steps, tools]")
    edit(tools, "    blank_rows: 3\n", "")
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert "sources/sections/tools.yaml:10:5: error: blocks[1]: a table needs rows or blank_rows" in result.output
    assert "Traceback" not in result.output
    assert not (mini_dir / "dist").exists()


def test_an_unknown_icon_is_refused(mini_dir):
    tools = mini_dir / "sources" / "sections" / "tools.yaml"
    shutil.copy(FIXTURES / "handout" / "tools.yaml", tools)
    edit(mini_dir / "sources" / "catalog.yaml", "sections: [beta, steps]", "sections: [beta, steps, tools]")
    edit(tools, "icon: brain", "icon: brian")
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert ("sources/sections/tools.yaml:19:15: error: blocks[2].items[1].icon: no icon named 'brian' "
            "(expected sources/icons/brian.svg)\n    hint: did you mean 'brain'?") in result.output
    assert "Traceback" not in result.output
    assert not (mini_dir / "dist").exists()
