"""How ast_ad's objects show themselves: short plain reprs, and in Jupyter
(IPython's ``_repr_markdown_`` / ``_repr_html_`` protocol) the generated
code as a highlighted Python block and the trace as an HTML table.

No dependency: the markdown is a fenced ```` ```python ```` block (the
notebook highlights it) and the HTML a ``<pre><code
class="language-python">`` element with the code escaped.
"""
from __future__ import annotations

import functools
import html
import inspect
from typing import Any, Optional


def code_markdown(code: str) -> str:
    """`code` as a fenced Python block (a longer fence if the code holds
    one, so it cannot end the block early)."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}python\n{code.rstrip()}\n{fence}"


def code_html(code: str) -> str:
    """`code` as an escaped ``<pre><code class="language-python">``."""
    return (f'<pre><code class="language-python">{html.escape(code.rstrip())}'
            "</code></pre>")


class SourceCode(str):
    """Generated Python source: a ``str`` that shows as highlighted code in
    notebooks (and as text, not a string literal, in IPython)."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return code_markdown(self)

    def _repr_html_(self) -> str:
        return code_html(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self).rstrip("\n"))


def source_code(text: Optional[str]) -> Optional[SourceCode]:
    return None if text is None else SourceCode(text)


# ------------------------------------------------------- gradient objects

def name_of(fun: Any) -> str:
    """The name a user knows `fun` by: its qualified name, else its repr."""
    given = getattr(fun, "__wrapped__", fun)
    if isinstance(given, functools.partial):
        return f"partial of {name_of(given.func)}"
    name = getattr(given, "__qualname__", None) or getattr(given, "__name__", None)
    return name if isinstance(name, str) else repr(given)


def wrt_names(fun: Any, positions) -> str:
    """The names of the parameters at `positions` of `fun`, as ``x, y``."""
    try:
        params = list(inspect.signature(fun).parameters)
    except (TypeError, ValueError):
        params = []
    return ", ".join(params[p] if 0 <= p < len(params) else f"argument {p}"
                     for p in positions)


class Shown:
    """Mixin: ``<kind of f w.r.t. x>`` and the notebook displays.  The
    class gives `_kind()`, `_wrt_positions()` and a `source` property."""

    def _kind(self) -> str:
        raise NotImplementedError

    def _wrt_positions(self):
        return ()

    def _title(self) -> str:
        wrt = wrt_names(self.fun, self._wrt_positions())
        return f"{self._kind()} of {name_of(self)}" + (f" w.r.t. {wrt}" if wrt else "")

    def __repr__(self) -> str:
        return f"<{self._title()}>"

    def _code(self) -> Optional[str]:
        try:
            return self.source
        except Exception as e:       # (a notebook cell must still show something)
            return f"# no code: {type(e).__name__}: {e}"

    def _repr_markdown_(self) -> str:
        code = self._code()
        head = f"**{html.escape(self._title())}**"
        return head if code is None else f"{head}\n\n{code_markdown(code)}"

    def _repr_html_(self) -> str:
        code = self._code()
        head = f"<p><b>{html.escape(self._title())}</b></p>"
        return f"<div>{head}{'' if code is None else code_html(code)}</div>"


# --------------------------------------------------------------- trace table

def trace_html(t) -> str:
    """The trace table as an escaped HTML table."""
    head = ["", "operation", "value"]
    if t.show_tangent:
        head.append("tangent")
    if t.show_adjoint:
        head.append("adjoint")
    from .trace import _fmt
    rows = []
    for r in t.rows:
        op = r.expr + (f"   ({r.var_name})" if r.var_name and r.var_name != r.expr else "")
        cells = [r.name, op, _fmt(r.value)]
        if t.show_tangent:
            cells.append(_fmt(r.tangent))
        if t.show_adjoint:
            cells.append(_fmt(r.adjoint))
        rows.append(cells)
    esc = html.escape
    right = ' style="text-align: right"'
    thead = "".join(f"<th{right if i >= 2 else ''}>{esc(h)}</th>" for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(f"<td{right if i >= 2 else ''}>"
                         + (f"<code>{esc(c)}</code>" if i < 2 and c else esc(c)) + "</td>"
                         for i, c in enumerate(cells)) + "</tr>"
        for cells in rows)
    caption = esc(f"evaluation trace of {t.name}" if t.name else "evaluation trace")
    return (f"<table><caption>{caption}</caption><thead><tr>{thead}</tr></thead>"
            f"<tbody>{body}</tbody></table><p>output: y = <code>{esc(t.output)}</code></p>")
