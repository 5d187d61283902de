"""Dispatching: (HtmlPage, PrintSpec) jobs -> PdfResults, in this process, in worker processes,
or on a Dask cluster. Every way runs the same function, so every way gives the same bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from .errors import LdnpubError, Problem, UsageError
from .finish import PrintSpec
from .render import HtmlPage

Job = tuple[HtmlPage, PrintSpec]

SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?[\w.\-\[\]:]+:\d{1,5}")
CONNECT_TIMEOUT_S = 10  # to reach the scheduler
WORKER_TIMEOUT_S = 30


def render_pdf(job: Job):
    """Write one PDF. Problems come back as values: exceptions lose their problems when
    they cross a process boundary."""
    from .pdf import write_pdf

    page, spec = job
    try:
        return write_pdf(page, spec)
    except LdnpubError as exc:
        return exc.problems or (Problem(None, None, None, f"{spec.identifier}: {exc}"),)


def render_all(pages: Sequence[Job], jobs: int | None = None,
               scheduler: str | None = None) -> Iterator[tuple[int, object]]:
    """(index, outcome) for each page, as they finish."""
    if scheduler:
        yield from _on_dask(pages, scheduler)
        return
    workers = min(jobs or os.cpu_count() or 1, len(pages))
    if workers <= 1:
        for index, page in enumerate(pages):
            yield index, render_pdf(page)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(render_pdf, page): index for index, page in enumerate(pages)}
        for future in as_completed(futures):
            yield futures[future], future.result()


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
    except (OSError, ValueError) as exc:
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
