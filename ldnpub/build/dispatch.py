"""Dispatching: (HtmlPage, PrintSpec) jobs -> PdfResults, in this process, in worker processes,
or on a Dask cluster. Every way runs the same function, so every way gives the same bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from ldnpub.base.errors import LdnpubError, Problem, UsageError
from ldnpub.pdf.finish import PrintSpec
from ldnpub.render.html import HtmlPage

Job = tuple[HtmlPage, PrintSpec]

SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?[\w.\-\[\]:]+:\d{1,5}")
CONNECT_TIMEOUT_S = 10  # to reach the scheduler
WORKER_TIMEOUT_S = 30


def render_pdf(job: Job):
    """Write one PDF. Problems come back as values: exceptions lose their problems when
    they cross a process boundary."""
    from ldnpub.pdf.writer import write_pdf

    page, spec = job
    try:
        return write_pdf(page, spec)
    except LdnpubError as exc:
        return exc.problems or (Problem(None, None, None, f"{spec.identifier}: {exc}"),)
    except RecursionError:
        return (Problem(None, None, None, f"{spec.identifier}: the page's HTML nests too deeply to lay out",
                        "a layout's elements are nested thousands deep: look for a loop that opens tags"),)
    except Exception as exc:  # noqa: BLE001 - the renderer failing on a project's HTML is that project's problem
        return (Problem(None, None, None, f"{spec.identifier}: rendering failed: {type(exc).__name__}: "
                        f"{str(exc)[:200]}"),)


class WarmPool:
    """Worker processes that stay up from one build to the next, WeasyPrint imported and its
    fonts loaded once: what watch and preview render on, so an edit costs only its rendering.

    A pool whose worker died is started afresh by the next build.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_warm_up)
        return self._pool

    def start(self) -> None:
        """Start every worker now, so the first build after an edit finds them warm."""
        pool = self.executor()
        for _ in range(self.workers):
            pool.submit(int)

    def close(self) -> None:
        """Stop the workers now: the watch is over, and a worker that hangs (one forked while
        another thread held a lock can) must not keep the process from exiting."""
        if self._pool is not None:
            workers = list(getattr(self._pool, "_processes", {}).values())  # no public API lists them
            self._pool.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.join(timeout=5)
            self._pool = None

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _worker_setup() -> None:
    """A worker leaves Ctrl+C to its parent (which stops the pool and says so once, instead of a
    traceback from every worker), and dies with it however the parent ends (SIGTERM, SIGKILL):
    no render worker outlives the build, watch or preview that started it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends them
        pass
    if os.getppid() == 1:  # the parent ended before prctl took effect
        os._exit(0)


def _warm_up() -> None:
    from ldnpub.pdf.writer import warm_up

    _worker_setup()
    warm_up()


def render_all(pages: Sequence[Job], jobs: int | None = None, scheduler: str | None = None,
               warm: WarmPool | None = None) -> Iterator[tuple[int, object]]:
    """(index, outcome) for each page, as they finish."""
    if scheduler:
        yield from _on_dask(pages, scheduler)
        return
    if warm and pages:
        yield from _on_warm_pool(pages, warm)
        return
    workers = min(jobs or os.cpu_count() or 1, len(pages))
    if workers <= 1:
        for index, page in enumerate(pages):
            yield index, render_pdf(page)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_setup) as pool:
        yield from _as_completed(pool, pages)


def _as_completed(pool: ProcessPoolExecutor, pages: Sequence[Job]) -> Iterator[tuple[int, object]]:
    futures = {pool.submit(render_pdf, page): index for index, page in enumerate(pages)}
    for future in as_completed(futures):
        yield futures[future], future.result()


def _on_warm_pool(pages: Sequence[Job], warm: WarmPool) -> Iterator[tuple[int, object]]:
    try:
        yield from _as_completed(warm.executor(), pages)
    except BrokenProcessPool:
        warm.close()
        raise LdnpubError("worker died", (Problem(None, None, None,
                          "a render worker stopped unexpectedly; the next build starts new ones"),)) from None


def check_scheduler_address(address: str) -> None:
    if not SCHEDULER_ADDRESS.fullmatch(address):
        raise UsageError("bad scheduler", (Problem(None, None, None,
                         f"--scheduler: expected an address such as tcp://10.0.0.5:8786, found {address!r}"),))


def _on_dask(pages: Sequence[Job], address: str) -> Iterator[tuple[int, object]]:
    """Send the render tasks to an existing Dask cluster and stream the results back.

    The workers need ldnpub installed and the project, fonts and brand files at the same paths
    (a shared file system), as for any Dask task that reads files.
    """
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise LdnpubError("dask missing", (Problem(None, None, None, "--scheduler needs dask.distributed",
                                                   "pip install 'ldnpub[dask]'"),)) from None
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, ValueError, TypeError) as exc:  # TypeError: tls:// with no TLS configuration
        raise LdnpubError("no scheduler", (Problem(None, None, None,
                          f"cannot reach the Dask scheduler at {address}: {exc}"),)) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT_S)
        except TimeoutError:
            raise LdnpubError("no workers", (Problem(None, None, None,
                              f"the Dask scheduler at {address} has no workers (waited {WORKER_TIMEOUT_S} s)",
                              "start one with: dask worker " + address),)) from None
        futures = client.map(render_pdf, list(pages), pure=False)
        index_of = {future.key: index for index, future in enumerate(futures)}
        for future in dask_completed(futures):
            yield index_of[future.key], future.result()
