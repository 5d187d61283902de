"""Shared fixtures: the mini project (a temp copy), and one build of the shipped catalog."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from pypdf import PdfReader

from ldnpub.base.userdata import CACHE_DIR_ENV
from ldnpub.commands.cli import cli
from ldnpub.base.clock import EPOCH_ENV

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "ldn-chronic-pain.txt"


# Every test runs on this day, whatever the machine's clock says: the fixtures' review dates
# (the mini project's next review is 2027-02-01, the shipped catalog's 2027-11-01) never pass.
TODAY = dt.date(2026, 12, 1)
_NOON = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.timezone.utc)


def pytest_configure(config):
    """The tests never touch the user's render cache: the shared builds use one of their own.
    The clock is frozen on TODAY: in this process with time-machine (date.today() and every
    library's clock), in the processes the tests start through SOURCE_DATE_EPOCH."""
    global SESSION_CACHE
    os.environ[CACHE_DIR_ENV] = SESSION_CACHE = tempfile.mkdtemp(prefix="ldnpub-test-cache-")
    os.environ[EPOCH_ENV] = str(int(_NOON.timestamp()))
    config._ldnpub_clock = time_machine.travel(_NOON, tick=True)
    config._ldnpub_clock.start()


def pytest_unconfigure(config):
    config._ldnpub_clock.stop()
    shutil.rmtree(os.environ.pop(CACHE_DIR_ENV, ""), ignore_errors=True)


SESSION_CACHE = ""  # the render cache of builds made by session- and module-scoped fixtures


@pytest.fixture
def session_cache(monkeypatch) -> Path:
    """The render cache, and so the key, that the session's and modules' shared builds used: a
    test that rebuilds into their output folders is the same user, whose manifests count."""
    monkeypatch.setenv(CACHE_DIR_ENV, SESSION_CACHE)
    return Path(SESSION_CACHE)


@pytest.fixture(autouse=True)
def render_cache(tmp_path_factory, monkeypatch) -> Path:
    """Each test starts with an empty render cache, so its first build renders."""
    folder = tmp_path_factory.mktemp("render-cache")
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    return folder


def trim(doc: str, paper: str = "a4") -> str:
    """The trim size in a document's file name: a booklet on A4 paper is booklet_a5.pdf."""
    from ldnpub.base.targets import PAPERS
    return PAPERS[paper].trim_name("booklet" if doc in ("booklet", "guide") else "leaflet")


def run(*args: str, cwd: Path | None = None):
    """Run the CLI in-process; returns click's Result."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args), catch_exceptions=False)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, list(args), catch_exceptions=False)


def leaflet_layout_with(project: Path, heading: str) -> Path:
    """The project's own copy of the shipped leaflet layout, its title heading replaced: how a
    shared project's layout tries a payload. Returns the layout file."""
    layouts = project / "layouts"
    layouts.mkdir(exist_ok=True)
    shipped = (Path(__file__).parents[1] / "layouts" / "leaflet.html").read_text()
    layout = layouts / "leaflet.html"
    layout.write_text(shipped.replace("<h1>{{ e.title }}</h1>", heading))
    return layout


def pdf_text(path: Path) -> str:
    """All text of a PDF, with whitespace folded to single spaces."""
    stat = Path(path).stat()
    return _pdf_text(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _pdf_text(path: str, size: int, mtime_ns: int) -> str:
    """Cached by size and time too, so a file rewritten by a later build is read again."""
    reader = PdfReader(path)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def body_text(path: Path, footer_height: float = 45.0) -> str:
    """The text of the pages without the running footers (page numbers, running titles)."""
    pages = []
    for page in PdfReader(path).pages:
        parts: list[str] = []

        def keep(text, cm, tm, font, size, parts=parts):
            y = tm[5] * cm[3] + cm[5] if cm else tm[5]
            if not text.strip() or y > footer_height:
                parts.append(text)

        page.extract_text(visitor_text=keep)
        pages.append("".join(parts))
    return " ".join(" ".join(pages).split())


def structure_elements(path: Path):
    """Every element of the PDF's structure tree, in reading order."""
    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                yield from walk(child)
        elif isinstance(node, dict):
            yield node
            if "/K" in node:
                yield from walk(node["/K"])

    yield from walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])


def structure_alts(path: Path) -> list[str]:
    """The /Alt texts of the structure tree (what a screen reader says for figures)."""
    return [str(node["/Alt"]) for node in structure_elements(path) if "/Alt" in node]


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture(scope="session")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog on A4, built once from an empty folder (the shipped content only)."""
    work = tmp_path_factory.mktemp("empty-project")
    out = work / "dist"
    result = CliRunner().invoke(cli, ["-C", str(work), "build", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("mini-build")
    project = work / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    result = CliRunner().invoke(cli, ["-C", str(project), "build", "--out", str(work / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return work / "out"


def text_sizes(path: Path) -> dict[float, int]:
    """How many characters the PDF sets at each font size (points, rounded to 0.5)."""
    sizes: dict[float, int] = {}
    for page in PdfReader(path).pages:
        def count(text, cm, tm, font, size):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                key = round(size * scale * 2) / 2
                sizes[key] = sizes.get(key, 0) + len(text.strip())
        page.extract_text(visitor_text=count)
    return sizes


def text_colours(path: Path) -> set[tuple[float, float, float]]:
    """The fill colours (RGB, 0..1) in force when text is drawn, on every page."""
    from pypdf.generic import ContentStream

    reader = PdfReader(path)
    colours: set[tuple[float, float, float]] = set()

    def walk(stream, resources):
        fill = (0.0, 0.0, 0.0)
        stack = []
        for operands, operator in ContentStream(stream, reader).operations:
            if operator == b"q":
                stack.append(fill)
            elif operator == b"Q" and stack:
                fill = stack.pop()
            elif operator == b"rg":
                fill = tuple(round(float(v), 3) for v in operands)
            elif operator == b"g":
                fill = (round(float(operands[0]), 3),) * 3
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                colours.add(fill)
            elif operator == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources", resources))

    for page in reader.pages:
        walk(page.get_contents(), page["/Resources"])
    return colours


def contrast(rgb: tuple[float, float, float], background=(1.0, 1.0, 1.0)) -> float:
    def luminance(c):
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(rgb), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output (then read the diff).")
