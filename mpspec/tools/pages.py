"""The Jinja2 environment that renders the tools' pages from ``mpspec/tools/templates/``."""

import functools

import jinja2

from mpspec import catalogue


@functools.cache
def templates():
    """The Jinja2 environment of the tools' pages (``mpspec/tools/templates/``), shared by
    the matrix and the claims book: ``*.html.j2`` templates escape what they show,
    ``*.md.j2`` templates write it as it is."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mpspec.tools", "templates"),
        autoescape=jinja2.select_autoescape(["html.j2"], default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # The verdict colours of every page: defined once, in the catalogue.
    env.globals["verdict_css"] = catalogue.verdict_css()
    env.globals["verdict_colours"] = catalogue.VERDICT_COLOURS
    return env
