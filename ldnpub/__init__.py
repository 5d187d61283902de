"""ldnpub: print-ready patient-education leaflets and booklets from structured YAML content.

The package is laid out as its pipeline, one folder per stage, each importing only the ones
below it: base (the ground floor) <- content <- edition <- render <- pdf <- prepress <- build,
checks beside build, and commands (the CLI, watch, preview) on top. See docs/architecture.md.
"""

import sys
import types

from ldnpub._version import __version__

_LAZY = {"BuildOptions": "build.options", "BuildReport": "build.run", "build": "build.run", "plan": "build.plan",
         "load_project": "content.load"}


def __getattr__(name: str):
    """The library's functions, imported when first used: a command that needs none of them
    (a no-op build, --help) does not pay for pydantic, Jinja2 or WeasyPrint."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing the subpackage ldnpub.build would rebind the package's name to it; ldnpub.build
    and ldnpub.impose stay the functions (the modules are in sys.modules)."""

    def __setattr__(self, name: str, value) -> None:
        if name in ("build", "impose") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def check(project, today):
    """Content rules, review dates and plain-language figures: a CheckReport."""
    from ldnpub.checks import check as run_checks

    return run_checks(project, today)


def impose(source: bytes, sheet: str = "a4") -> tuple[bytes, int]:
    """Saddle-stitch imposition of any PDF: (PDF bytes, sheet sides)."""
    from ldnpub.prepress.impose import impose as impose_pages

    return impose_pages(source, sheet)


__all__ = ["BuildOptions", "BuildReport", "__version__", "build", "check", "impose", "load_project", "plan"]
