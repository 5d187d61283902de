"""The preview's state and web app (see the package docstring)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from ldnpub.base import clock
from ldnpub.build.run import BuildEvent, BuildReport
from ldnpub.build.options import BuildOptions
from ldnpub.build.outputs import Output
from ldnpub.content.model import CONDITION_SECTION
from ldnpub.base.errors import LdnpubError, Problem, UsageError
from ldnpub.edition.tailor import edition_title
from ldnpub.content.load import load_project
from ldnpub.commands.watch import watch
from ldnpub.commands.preview.reading import reading_order

HERE = Path(__file__).parent
PAGES = ".preview"  # page images, inside the output folder
SCALE = 1.4  # pixels per point: sharp on screen, small on disk
log = logging.getLogger(__name__)


@dataclass
class Document:
    """One built file as the preview shows it."""

    name: str
    title: str
    output: Output
    images: list[str]
    reading: list = field(default_factory=list)  # reading.PageReading of each page


@dataclass
class PreviewState:
    version: int = 0
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    check: object | None = None  # checks.CheckReport of the last valid content
    project: object | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class Previewer:
    """Builds on every change and keeps what the pages show."""

    def __init__(self, project_dir: Path, options: BuildOptions, out_dir: Path,
                 on_problems: Callable[[list[Problem]], None] | None = None):
        self.project_dir, self.options, self.out_dir = project_dir, options, out_dir
        self.on_problems = on_problems or (lambda problems: None)
        self.state = PreviewState()
        self.on_screen: str | None = None  # the file whose page was asked for last: rendered first
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._watch, daemon=True, name="ldnpub-watch")
        self.thread.start()

    def _watch(self) -> None:
        """The watch, restarted if anything ever escapes it: the page must never say "up to
        date" over a dead rebuild loop."""
        while not self.stop.is_set():
            try:
                watch(self.project_dir, self.options, self.out_dir, self.update, self.stop,
                      first=lambda: self.on_screen, reporter=self.written)
            except Exception as exc:  # noqa: BLE001 - reported on the page and in the terminal
                log.debug("watch failed", exc_info=True)
                self._show_problems([Problem(None, None, None, f"the rebuild failed: {exc!r}; watching again")])
                self.stop.wait(1)

    def _show_problems(self, problems: list[Problem]) -> None:
        with self.state.lock:
            self.state.problems = problems
            self.state.version += 1
        self.on_problems(problems)

    def close(self) -> None:
        self.stop.set()
        if self.thread:
            self.thread.join(timeout=2)  # a build under way is left to the daemon thread: its writes are atomic

    def written(self, event: BuildEvent) -> None:
        """Show each file as soon as it is written, before the rest of the build is done: an
        edit to a leaflet appears while the booklet is still rendering. The first build shows
        as a whole, when it is done."""
        if event.kind != "written" or self.state.project is None:
            return
        path = self.out_dir / event.target.output_name
        try:
            output = Output(event.target, path, event.pages or 0, hashlib.sha256(path.read_bytes()).hexdigest())
            document = self._document(output, self.state.project)
        except OSError:  # replaced again meanwhile: the build's end shows it
            return
        with self.state.lock:
            others = [d for d in self.state.documents if d.name != document.name]
            self.state.documents = sorted(others + [document], key=lambda d: d.name)
            self.state.version += 1

    def update(self, result: BuildReport | LdnpubError) -> None:
        """Called by the watch after each build."""
        if isinstance(result, LdnpubError):
            self._show_problems(list(result.problems) or [Problem(None, None, None, str(result))])
            return
        check, project, problems = self._check()
        documents = [self._document(output, project) for output in sorted(
            result.outputs + result.skipped, key=lambda o: o.path.name) if not output.imposed]
        with self.state.lock:
            self.state.documents = documents
            self.state.problems = list(result.problems) + problems
            self.state.check, self.state.project = check, project
            self.state.version += 1
        self.on_problems(list(result.problems) + [p for p in problems if p.severity == "error"])

    def _document(self, output: Output, project) -> Document:
        folder = self.out_dir / PAGES / output.sha256[:16]
        if not folder.is_dir():
            _render_pages(output.path, folder)
        images = sorted((p.name for p in folder.glob("*.png")), key=lambda n: int(n.split(".")[0]))
        title = output.target.document
        if project is not None:
            condition = project.conditions.get(output.target.condition or "")
            title = edition_title(project.document(output.target.document), condition)
        return Document(output.path.name, title, output,
                        [f"/pages/{output.sha256[:16]}/{name}" for name in images], reading_order(output.path))

    def _check(self):
        from ldnpub.checks import check

        try:
            project = load_project(self.project_dir)
            report = check(project, clock.today(self.options.today))
        except LdnpubError as exc:
            return None, None, list(exc.problems)
        return report, project, list(report.problems)


def _render_pages(pdf: Path, folder: Path) -> None:
    """Every page as a PNG, written beside a finished marker so a half-rendered folder is redone."""
    import pypdfium2

    temporary = folder.with_name(folder.name + ".part")
    temporary.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            document[number].render(scale=SCALE).to_pil().save(temporary / f"{number + 1}.png", optimize=False)
    finally:
        document.close()
    temporary.replace(folder)


def create_app(previewer: Previewer, start: bool = True) -> Starlette:
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE)), autoescape=True,
                                   undefined=jinja2.StrictUndefined)
    state = previewer.state
    out_dir = previewer.out_dir.resolve()

    def page(template: str, status: int = 200, **values) -> HTMLResponse:
        with state.lock:
            html = templates.get_template(template).render(state=state, today=clock.today(previewer.options.today), **values)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    async def index(request: Request) -> Response:
        return page("index.html")

    async def document(request: Request) -> Response:
        name = request.path_params["name"]
        with state.lock:
            found = next((d for d in state.documents if d.name == name), None)
            if found:
                previewer.on_screen = name
            figures = _figures(state, found)
        return page("document.html", status=200 if found else 404, doc=found, name=name, figures=figures)

    async def files(request: Request) -> Response:
        """Only the PDFs the last build listed: no other file of the folder, whatever its name."""
        with state.lock:
            listed = {document.name: document.output.path for document in state.documents}
        path = listed.get(request.path_params["name"])
        if path is None or not path.is_file():
            return Response("not found", status_code=404)
        return FileResponse(path, media_type="application/pdf")

    async def images(request: Request) -> Response:
        path = _inside(out_dir / PAGES, f"{request.path_params['key']}/{request.path_params['file']}")
        if path is None or path.suffix != ".png" or not path.is_file():
            return Response("not found", status_code=404)
        return FileResponse(path, media_type="image/png", headers={"Cache-Control": "max-age=86400"})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("preview.js", "preview.css"):
            return Response("not found", status_code=404)
        return FileResponse(HERE / name)

    async def events(request: Request) -> Response:
        async def stream():
            seen = -1
            while not previewer.stop.is_set() and not await request.is_disconnected():
                if state.version != seen:
                    seen = state.version
                    yield f"event: build\ndata: {seen}\n\n"
                await asyncio.sleep(0.1)
        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def version(request: Request) -> Response:
        return Response(str(state.version), media_type="text/plain")

    def lifespan(app):
        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def run(app):
            if start:
                previewer.start()
            try:
                yield
            finally:
                previewer.close()
        return run(app)

    routes = [
        Route("/", index),
        Route("/doc/{name}", document),
        Route("/files/{name:path}", files),
        Route("/pages/{key}/{file}", images),
        Route("/assets/{name}", asset),
        Route("/events", events),
        Route("/version", version),
    ]
    # Only this machine's names: a page on another site that rebinds its name to 127.0.0.1
    # (DNS rebinding) sends its own Host header and gets 400, not the PDFs.
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.previewer = previewer
    return app


def _figures(state: PreviewState, doc: Document | None) -> tuple[object | None, list]:
    """The check's figures for a document and for each of its sections."""
    if doc is None or state.check is None or state.project is None:
        return None, []
    target = doc.output.target
    ids = [f"condition-{target.condition}" if s == CONDITION_SECTION else s
           for s in state.project.document(target.document).sections]
    sections = {s.id: s for s in state.check.sections}
    document = next((d for d in state.check.documents if d.id == target.document), None)
    return document, [sections[i] for i in ids if i in sections]


def _inside(root: Path, relative: str) -> Path | None:
    """root/relative, or None when it would leave root (../, absolute paths, links) or is no name."""
    if "\0" in relative:
        return None
    path = (root / relative).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def listen(port: int) -> socket.socket:
    """The preview's socket on 127.0.0.1, bound before anything is announced."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise UsageError("port taken", (Problem(None, None, None, f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                                                f"another program uses it: use --port {port + 1}, for example"),)) from None
    return sock


def serve(project_dir: Path, options: BuildOptions, out_dir: Path, sock: socket.socket, open_browser: bool,
          on_problems: Callable[[list[Problem]], None] | None = None) -> None:
    import uvicorn

    app = create_app(Previewer(project_dir, options, out_dir, on_problems))
    port = sock.getsockname()[1]
    if open_browser:
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(f"http://127.0.0.1:{port}/",)).start()
    previewer = app.state.previewer

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            # A connected page holds its event stream open, and uvicorn waits for open
            # connections before it stops: ending the streams first makes one Ctrl+C enough.
            previewer.stop.set()
            super().handle_exit(sig, frame)

    Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3)).run(sockets=[sock])

