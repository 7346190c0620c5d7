"""How objects show: short plain reprs, and the notebook reprs (IPython's
``_repr_markdown_`` / ``_repr_html_``): code as a fenced or escaped Python
block that gives back exactly the code, the trace as an HTML table holding
the same cells as the text table."""
import html
import math
import re
from html.parser import HTMLParser

import numpy as np
import pytest

import ast_ad


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def masked(x):
    # (code with <, > and quotes, which HTML must escape)
    return np.sum(np.where(x < 1.0, x, x * 2.0)) + len("<&>'\"") * 0.0


def code_of_html(text):
    m = re.fullmatch(r'.*<pre><code class="language-python">(.*)</code></pre>.*', text, re.S)
    assert m, text
    inner = m.group(1)
    assert "<" not in inner and ">" not in inner         # everything escaped
    return html.unescape(inner)


def code_of_markdown(text):
    m = re.fullmatch(r".*?(`{3,})python\n(.*)\n\1", text, re.S)
    assert m, text
    return m.group(2)


def test_plain_reprs_are_short_and_say_what_it_is():
    assert repr(ast_ad.grad(f)) == "<grad of f w.r.t. x1>"
    assert repr(ast_ad.grad(f, wrt=("x1", 1))) == "<grad of f w.r.t. x1, x2>"
    assert repr(ast_ad.value_and_grad(f, wrt=1)) == "<value_and_grad of f w.r.t. x2>"
    assert repr(ast_ad.hessian(f)) == "<hessian of f w.r.t. x1>"
    assert repr(ast_ad.jacobian(masked, mode="fwd")) == "<jacobian (fwd) of masked w.r.t. x>"
    assert repr(ast_ad.hvp(f, wrt="x2")) == "<hvp of f w.r.t. x2>"
    assert repr(ast_ad.hessp(f)) == "<hessp of f w.r.t. x1>"
    assert repr(ast_ad.grad(np.sin)) == "<grad of sin w.r.t. x>"
    t = ast_ad.trace(f, 2.0, 5.0)
    assert repr(t) == "<Trace of f: 7 rows (value, adjoint), output v5 = 11.652>"
    assert len(repr(t)) < 80


@pytest.mark.parametrize("make", [
    lambda: ast_ad.grad(masked),
    lambda: ast_ad.value_and_grad(f, wrt=(0, 1)),
    lambda: ast_ad.hessian(f),
    lambda: ast_ad.hvp(f),
    lambda: ast_ad.jacobian(masked, mode="fwd"),
])
def test_gradient_objects_show_their_code(make):
    obj = make()
    for rich in (obj._repr_html_(), obj._repr_markdown_()):
        assert repr(obj)[1:-1] in html.unescape(rich)       # the title
    assert code_of_html(obj._repr_html_()) == obj.source.rstrip()
    assert code_of_markdown(obj._repr_markdown_()) == obj.source.rstrip()


def test_code_after_a_call_is_the_specialised_code():
    g = ast_ad.grad(masked)
    x = np.array([0.5, 2.0])
    np.testing.assert_allclose(g(x), [1.0, 2.0])
    shown = code_of_html(g._repr_html_())
    assert shown == g.source.rstrip()
    assert "x.shape != (2,)" in shown            # the specialisation check


def test_source_and_ssa_show_as_code():
    text = ast_ad.source(masked)
    assert isinstance(text, str)
    assert code_of_html(text._repr_html_()) == text.rstrip()
    assert code_of_markdown(text._repr_markdown_()) == text.rstrip()
    assert "x < 1.0" in text and "&lt;" in text._repr_html_()
    s = ast_ad.ssa(f)
    assert code_of_markdown(s._repr_markdown_()) == str(s).rstrip()
    assert code_of_html(s._repr_html_()) == str(s).rstrip()
    assert isinstance(ast_ad.grad(f).source, str)


def test_a_fence_inside_the_code_does_not_end_the_block():
    from ast_ad.display import code_markdown
    code = 'def f():\n    return "```"\n'
    assert code_of_markdown(code_markdown(code)) == code.rstrip()


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.caption = [], None, ""
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self.cell)
            self.cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        elif self._in_caption:
            self.caption += data


def test_the_trace_is_an_html_table_of_the_same_cells():
    t = ast_ad.trace(f, 2.0, 5.0, tangents=(1.0, 0.0))
    parser = _Table()
    parser.feed(t._repr_html_())
    assert parser.caption == "evaluation trace of f"
    header, *rows = parser.rows
    assert header == ["", "operation", "value", "tangent", "adjoint"]
    text_rows = [line.split() for line in str(t).splitlines()[2:-1]]
    assert len(rows) == len(t.rows) == len(text_rows) == 7
    for cells, r, words in zip(rows, t.rows, text_rows):
        assert cells[0] == r.name == words[0]
        assert cells[-1] == words[-1] and cells[-2] == words[-2] and cells[-3] == words[-3]
    # v1 = log(x1): value log 2, tangent 1/x1, adjoint 1
    assert rows[2][1:] == ["log(v-1)", "0.693", "0.500", "1.000"]


def test_the_trace_html_escapes_operations():
    def cmp(x):
        y = x * 2.0
        if y < 3.0:
            return y
        return y * y
    t = ast_ad.trace(cmp, 1.0)
    text = t._repr_html_()
    assert "&lt;" in text
    parser = _Table()
    parser.feed(text)
    assert any("<" in c for row in parser.rows for c in row)
