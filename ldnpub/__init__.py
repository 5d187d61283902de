"""ldnpub: print-ready patient-education leaflets and booklets from structured YAML content.

The pipeline, one module per stage: loading -> validate -> tailor -> render -> pdf -> finish
(-> impose), driven by build; checks reports on the content. The CLI (cli.py) is a thin layer
over these functions.
"""

from ._version import __version__
from .build import BuildOptions, BuildReport, build, plan
from .validate import load_project


def check(project, today):
    """Content rules, review dates and plain-language figures: a CheckReport."""
    from .checks import check as run_checks

    return run_checks(project, today)


def impose(source: bytes, sheet: str = "a4") -> tuple[bytes, int]:
    """Saddle-stitch imposition of any PDF: (PDF bytes, sheet sides)."""
    from .impose import impose as impose_pages

    return impose_pages(source, sheet)


__all__ = ["BuildOptions", "BuildReport", "__version__", "build", "check", "impose", "load_project", "plan"]
