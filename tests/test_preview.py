"""The live preview: a real server on 127.0.0.1 against a temp project, and a real browser."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from conftest import FIXTURES
from ldnpub.build.options import BuildOptions
from ldnpub.commands.preview.server import Previewer, create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """A preview server running in a thread, and a client for it."""

    def __init__(self, project: Path):
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(Previewer(project, BuildOptions(jobs=1), project / "dist"))
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def __enter__(self):
        self.thread.start()
        self.wait_for_version(1)
        return self

    def __exit__(self, *exc):
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=20)

    def wait_for_page(self, path: str, test, timeout: float = 60) -> str:
        """The page's text once test(text) holds (a save may cause more than one build)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.client.get(path).text
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"{path} did not change as expected within {timeout} s:\n{text}")

    def version(self) -> int:
        return int(self.client.get("/version").text)

    def wait_for_version(self, at_least: int, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if (version := self.version()) >= at_least:
                    return version
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"no build {at_least} within {timeout} s")


@pytest.fixture
def preview(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    with Preview(project) as running:
        yield running


def test_index_lists_the_catalog_with_thumbnails(preview):
    page = preview.client.get("/")
    assert page.status_code == 200
    assert "Mini Guide" in page.text and "Mini Sheet" in page.text
    assert "next review 2027-02-01" in page.text
    thumbnail = re.search(r'<img src="(/pages/[0-9a-f]+/1\.png)"', page.text).group(1)
    image = preview.client.get(thumbnail)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_a_document_page_shows_every_page_figures_and_the_pdf(preview):
    page = preview.client.get("/doc/guide_a5.pdf")
    assert page.status_code == 200
    assert len(re.findall(r'alt="Page \d+ of Mini Guide"', page.text)) == 8
    assert "Key points grade" in page.text and "Alpha Section" in page.text
    pdf = preview.client.get("/files/guide_a5.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert preview.client.get("/doc/no-such.pdf").status_code == 404


def test_beside_each_page_its_reading_order_and_tags(preview):
    page = preview.client.get("/doc/guide_a5.pdf").text
    assert page.count("as a screen reader meets it") == 8
    first = page[page.index('id="page-1"'):page.index('id="page-2"')]
    assert re.search(r"<code>H1</code>\s*Mini Guide", first)
    contents = page[page.index('id="page-3"'):page.index('id="page-4"')]
    assert "<code>H1</code>" in contents and "Not read (artifacts and running footers): 3" in contents


def test_saving_a_source_rebuilds_and_sends_an_event(preview):
    before = preview.client.get("/doc/sheet_a4.pdf").text
    old_image = re.search(r'src="(/pages/[^"]+)"', before).group(1)
    version = preview.version()
    with preview.client.stream("GET", "/events") as events:
        lines = events.iter_lines()
        assert next(line for line in lines if line.startswith("data:")) == f"data: {version}"
        beta = preview.project / "sources" / "sections" / "beta.yaml"
        beta.write_text(beta.read_text().replace("Beta is also short.", "Beta was edited just now."))
        assert next(line for line in lines if line.startswith("data:")) == f"data: {version + 1}"
    after = preview.wait_for_page("/doc/sheet_a4.pdf", lambda text: old_image not in text)
    new_image = re.search(r'src="(/pages/[^"]+)"', after).group(1)
    assert new_image != old_image
    assert preview.client.get(new_image).status_code == 200


def test_a_content_error_shows_with_its_place_and_the_pages_stay(preview):
    beta = preview.project / "sources" / "sections" / "beta.yaml"
    good = beta.read_text()
    beta.write_text(good.replace("  - type: qa", "  - type: quiz"))
    page = preview.wait_for_page("/", lambda text: "unknown block type" in text)
    assert "Problems to fix" in page and "sources/sections/beta.yaml:7" in page
    assert "Mini Sheet" in page                                  # the last good pages stay
    beta.write_text(good)
    preview.wait_for_page("/", lambda text: "unknown block type" not in text)


def test_a_deleted_file_does_not_stop_the_server(preview):
    (preview.project / "sources" / "sections" / "beta.yaml").unlink()
    preview.wait_for_page("/", lambda text: "unknown section &#39;beta&#39;" in text)
    assert preview.client.get("/doc/sheet_a4.pdf").status_code == 200


@pytest.mark.parametrize("path", ["/files/../../etc/passwd", "/files/..%2F..%2Fetc%2Fpasswd",
                                  "/files/%2Fetc%2Fpasswd", "/pages/..%2F..%2F/manifest.json",
                                  "/files/manifest.json", "/assets/..%2Fserver.py", "/files/%00.pdf",
                                  "/pages/%00/1.png", "/files/planted.pdf"])
def test_only_the_output_folder_and_assets_are_served(preview, path):
    (preview.project / "dist" / "planted.pdf").write_bytes(b"%PDF-1.7 not built")  # in the folder, not listed
    response = preview.client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.content


def test_a_page_under_another_name_is_refused(preview):
    """DNS rebinding: a foreign site's name pointed at 127.0.0.1 still sends its own Host."""
    name = next(p.name for p in (preview.project / "dist").glob("*.pdf"))
    assert preview.client.get(f"/files/{name}").status_code == 200
    for host in ["evil.example", f"evil.example:{preview.port}"]:
        response = preview.client.get(f"/files/{name}", headers={"Host": host})
        assert response.status_code == 400
        assert not response.content.startswith(b"%PDF")
    assert preview.client.get("/", headers={"Host": f"localhost:{preview.port}"}).status_code == 200


CHROMIUM = Path("/usr/bin/chromium")


def test_a_real_browser_sees_the_page_change_without_a_reload(preview):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        page = browser.new_page()
        page.goto(preview.url + "/")
        page.wait_for_selector("text=Mini Sheet")
        page.evaluate("window.notReloaded = true")
        catalog = preview.project / "sources" / "catalog.yaml"
        catalog.write_text(catalog.read_text().replace('title: "Mini Sheet"', 'title: "Renamed Sheet"'))
        page.wait_for_selector("text=Renamed Sheet", timeout=60000)
        assert page.evaluate("window.notReloaded") is True
        page.screenshot(path=str(preview.project / "preview.png"))
        browser.close()
