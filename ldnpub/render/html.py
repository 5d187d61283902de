"""Rendering: Edition -> HtmlPage, through the layout's Jinja2 template.

Templates are found on the search path (project first, shipped second), most specific first:
`booklet-large-print.html`, then `booklet.html`. Autoescape is on and undefined values fail,
so a leaflet never prints a blank.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from markupsafe import Markup

from ldnpub.base.errors import BuildError, LdnpubError, Problem

from ldnpub.base import fonts
from ldnpub._version import __version__
from ldnpub.content.project import LoadedBrand, Project
from ldnpub.base.files import read_file
from ldnpub.content.search import shipped_root
from ldnpub.render.sandbox import LayoutSandbox, inert, render_bounded
from ldnpub.edition.tailor import Edition
from ldnpub.content.translation import Translation, babel_locale, only_named_fields
from ldnpub.base.targets import VARIANTS

@dataclass(frozen=True, slots=True)
class HtmlPage:
    """HTML ready for WeasyPrint, with its stylesheets in the order they apply."""

    html: str
    base_url: str
    stylesheets: tuple[Path, ...]
    extra_css: str  # fonts, before the stylesheets
    final_css: str  # brand colours, after them
    fitting_stylesheets: tuple[Path, ...] = ()  # with fitting.css: for a document over its page budget


def environment(project: Project) -> jinja2.Environment:
    return _environment(project.search.roots, project.publication.language, project.translation,
                        project.source_language)


MAX_LAYOUT_BYTES = 1_000_000


class _ContainedLoader(jinja2.FileSystemLoader):
    """Templates from the layouts folders only: the file read must lie inside the project (or the
    shipped files) whose layouts/ it was found in, checked on the open file, so a linked file or a
    linked layouts/ that leads out is refused; its size is bounded."""

    def get_source(self, environment, template):
        _source, filename, uptodate = super().get_source(environment, template)
        folder = next(Path(f) for f in self.searchpath if Path(filename).is_relative_to(f))
        try:  # inside the project (or shipped) folder that holds layouts/: a linked layouts/ leads out
            source = read_file(Path(filename), MAX_LAYOUT_BYTES, inside=folder.parent).decode("utf-8")
        except (LdnpubError, UnicodeDecodeError) as exc:
            # Not TemplateNotFound: a refused file must stop the search, not pass to the next loader.
            reason = exc.problems[0].message if isinstance(exc, LdnpubError) else "not UTF-8 text"
            raise jinja2.TemplateError(f"{template}: {reason}") from None
        return source, filename, uptodate


SHIPPED_PREFIX = "shipped"


@lru_cache(maxsize=16)
def _environment(roots: tuple[Path, ...], language: str, translation: Translation | None,
                 source_language: str | None) -> jinja2.Environment:
    # One per search path and language: compiled templates are kept, and reloaded when a file
    # changes. A layout from a shared project sees inert data only, in a sandbox (sandbox.py).
    # "shipped/leaflet.html" is always the shipped layout, so a project's leaflet.html can
    # {% extends "shipped/leaflet.html" %} and override one block instead of copying it whole.
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({SHIPPED_PREFIX: _ContainedLoader(str(shipped_root() / "layouts"))}),
        _ContainedLoader([str(root / "layouts") for root in roots]),
    ])
    env = LayoutSandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                        trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    # Labels: {% trans %}...{% endtrans %} and _("..."), from translations/LANGUAGE.po. A translated
    # label keeps exactly the English one's tags (translate.py checks), so it is trusted as markup.
    env.policies["ext.i18n.trimmed"] = True
    translated = translation.label if translation else str

    def label(text: str) -> str:
        found = translated(text)
        if not only_named_fields(found):  # Jinja formats labels itself: %(version)999999999s would take 1 GB
            raise ValueError(f"the label \"{text[:60]}\" has a % that is not part of a %(name)s field; "
                             "write %% for a percent sign")
        return found

    env.install_gettext_callables(label, lambda one, many, n: label(one if n == 1 else many), newstyle=True)
    env.add_filters(long_date=lambda d: long_date(d, language), spoken_address=spoken_address,
                    css_string=css_string)
    env.globals.update(direction=text_direction(language), source_language=source_language or language)
    return env


def long_date(day: dt.date, language: str) -> str:
    """A date as the language writes it in full: "1 de noviembre de 2026" (Babel). English keeps
    "1 November 2026", which readers on both sides of the Atlantic read the same way."""
    if language.split("-")[0] == "en":
        return f"{day.day} {day.strftime('%B %Y')}"
    from babel.dates import format_date

    return format_date(day, "long", locale=babel_locale(language))


def text_direction(language: str) -> str:
    """ltr or rtl: which way the language's script runs (Babel's locale data)."""
    locale = babel_locale(language)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


def stylesheets(project: Project, layout: str, variant: str, fitting: bool = False) -> tuple[Path, ...]:
    """The shared sheet, the layout's, the variant's when there is one, and custom.css last; with
    `fitting`, fitting.css before custom.css (the tighter spacing a document over its page budget
    is laid out with again)."""
    names = ["base.css", f"{layout}.css", VARIANTS[variant].stylesheet, "fitting.css" if fitting else None,
             "custom.css"]
    found = (project.search.find(f"styles/{name}") for name in names if name)
    return tuple(path for path in found if path is not None)


def render(project: Project, edition: Edition) -> HtmlPage:
    target, layout = edition.target, edition.document.layout
    try:
        template = environment(project).select_template(
            [f"{layout}-{target.variant}.html", f"{layout}.html"])
    except jinja2.TemplateError as exc:
        raise _template_problem(exc, target.output_name) from None
    brand = edition.brand
    fallbacks = tuple(project.publication.fallback_fonts.values())
    try:
        html = render_bounded(template, layout_context(edition))
    except Exception as exc:  # a layout is code from the project: any mistake in it is reported, located
        raise _template_problem(exc, target.output_name) from None
    return HtmlPage(
        html=html,
        base_url=project.root.as_uri() + "/",
        stylesheets=stylesheets(project, layout, target.variant),
        fitting_stylesheets=stylesheets(project, layout, target.variant, fitting=True)
        if edition_budget(edition) else (),
        extra_css=fonts.font_face_css(fallbacks),
        final_css=fonts.family_css(fallbacks) + (brand_css(brand) if target.variant_kind.brand_colours else ""),
    )


def edition_budget(edition: Edition) -> int | None:
    """The pages the edition is meant to fit (the catalog's `pages`, for large print
    `pages_large_print`), or None."""
    document = edition.document
    return document.pages_large_print if edition.target.variant_kind.large_print else document.pages


def layout_context(edition: Edition) -> dict[str, object]:
    """What a layout sees: the edition and its parts as inert data (sandbox.inert)."""
    brand, target = edition.brand, edition.target
    view = inert(edition)
    return {"edition": view, "e": view, "pub": view["publication"], "target": view["target"],
            "generator": f"ldnpub {__version__}", "paper": view["target"]["paper_size"],
            "page_size": target.paper_size.page_size(edition.document.layout),
            "logo": brand.logo.as_uri() if brand and brand.logo else None,
            "qr": qr_code(brand.brand.qr) if brand and brand.brand.qr else None}


def standalone_html(page: HtmlPage) -> str:
    """The rendered HTML with its stylesheets inlined, in the order WeasyPrint applies them;
    fonts and images stay file: URLs, so the page opens as it was rendered."""
    sheets = [page.extra_css, *(path.read_text(encoding="utf-8") for path in page.stylesheets), page.final_css]
    styles = "".join(f"<style>\n{sheet}\n</style>\n" for sheet in sheets if sheet)
    head_end = page.html.find("</head>")
    if head_end < 0:  # a layout without a head: the styles go first
        return styles + page.html
    return page.html[:head_end] + styles + page.html[head_end:]


def css_string(text: str) -> Markup:
    """Text for the inside of a quoted CSS string in a <style> element, such as a page footer's
    content: quotes, backslashes and anything markup would read escaped the CSS way."""
    return Markup("".join(f"\\{ord(c):x} " if c in '"\\<>&\n' else c for c in str(text)))


def spoken_address(url: str) -> str:
    """A web address as a screen reader should say it: without "https://", "www." or a
    trailing slash ("riverside-clinic.example/ldn")."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip()).rstrip("/")


def qr_code(target: str) -> str:
    """The target as a QR code, an SVG data: URI (error correction M survives a smudge)."""
    import segno  # only branded builds need it

    return segno.make(target, error="m").svg_data_uri(scale=4, border=2)


def brand_css(brand: LoadedBrand | None) -> str:
    """The brand's colours as CSS custom properties, applied after every stylesheet."""
    if brand is None or brand.brand.colors is None:
        return ""
    colors = brand.brand.colors
    rules = [f"--primary: {colors.primary};"]
    if colors.accent:
        rules.append(f"--accent: {colors.accent};")
    return ":root { " + " ".join(rules) + " }\n"


def _template_problem(exc: Exception, name: str) -> BuildError:
    """A layout mistake, located in its template where Jinja2 knows the line."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f for f in reversed(frames) if f.filename.endswith(".html")), None)
    filename = getattr(exc, "filename", None) or (where.filename if where else None)
    line = getattr(exc, "lineno", None) or (where.lineno if where else None)
    return BuildError("template failed", (Problem(Path(filename) if filename else None, line, None,
                                                  f"{name}: {getattr(exc, 'message', None) or exc or type(exc).__name__}"),))
