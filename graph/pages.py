"""Every HTML page democracy-kg writes, rendered from the Jinja2 templates in ``graph/templates``.

One place renders them all: the published site and its vocabulary pages
(``templates/publish/``), the maps (``templates/maps/``), both built on ``templates/base.html``,
and the query editor (``templates/editor.html``). Autoescape is on for every template, so a value a template prints
is escaped unless it is :class:`~markupsafe.Markup` (HTML built and escaped already, or JSON made
safe for a ``<script>`` block). Values are escaped as :func:`html.escape` escapes them
(``&quot;``, ``&#x27;``), as the pages always have been. An undefined name is an error, never
an empty string.

A script or style that ships as a file of its own (``maps/map.js``, ``editor.js``) is put into
the page with ``{{ inline("maps/map.js") }}``: read as it is, never parsed as a template, so every
page stays one offline file.

Examples
--------
>>> from markupsafe import Markup
>>> render("publish/page.html", title="T & <b>", body=Markup("<p>x</p>")).count("T &amp; &lt;b&gt;")
2
>>> "</script" in str(inline("maps/map.js"))
False
"""

from __future__ import annotations

import functools
import html

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["render", "inline"]


def _escaped(value: object) -> object:
    """Each printed value, escaped as :func:`html.escape` does (Markup passes as it is)."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("graph", "templates"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, finalize=_escaped)
    env.globals["inline"] = inline
    return env


def inline(name: str) -> Markup:
    """The text of the file ``name`` under ``graph/templates``, to inline into a page as it is.

    Parameters
    ----------
    name : str
        A script or style beside the templates, e.g. ``"maps/map.js"``.

    Returns
    -------
    markupsafe.Markup
        The file's text, unchanged.

    Raises
    ------
    ValueError
        When the text would close the ``<script>`` or ``<style>`` element it is put in.
    """
    env = _environment()
    text, _, _ = env.loader.get_source(env, name)
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} would close the element it is inlined in")
    return Markup(text)


def render(template: str, /, **context: object) -> str:
    """The page the template ``template`` makes of ``context``.

    Parameters
    ----------
    template : str
        A template's path under ``graph/templates``, e.g. ``"publish/index.html"``.
    **context
        The values the template prints; plain values are escaped, :class:`~markupsafe.Markup`
        is put in as it is.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> page = render("publish/page.html", title="<Maps>", body="<p>")
    >>> "<h1>&lt;Maps&gt;</h1>\\n&lt;p&gt;\\n</body>" in page
    True
    """
    return _environment().get_template(template).render(**context)
