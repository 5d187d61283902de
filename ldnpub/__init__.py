"""ldnpub: print-ready patient-education leaflets and booklets from structured YAML content.

The pipeline, one module per stage: loading -> validate -> tailor -> render -> pdf -> finish,
driven by build. The CLI (cli.py) is a thin layer over these functions.
"""

__version__ = "0.1.0"

from .build import BuildReport, build, plan  # noqa: E402
from .validate import load_project  # noqa: E402

__all__ = ["BuildReport", "__version__", "build", "load_project", "plan"]
