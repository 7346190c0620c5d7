"""The evaluation-trace table of the textbooks (Baydin et al.): values,
adjoints and tangents at (2, 5), checked against the published numbers and
hand-derived values."""
import math

import numpy as np
import pytest

import ast_ad


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def test_rows_are_the_textbook_trace():
    t = ast_ad.trace(f, 2.0, 5.0, wrt=(0, 1), tangents=(1.0, 0.0))
    names = [r.name for r in t.rows]
    assert names == ["v-1", "v0", "v1", "v2", "v3", "v4", "v5"]
    values = [float(r.value) for r in t.rows[2:]]
    np.testing.assert_allclose(values, [math.log(2), 10.0, math.sin(5), math.log(2) + 10,
                                        math.log(2) + 10 - math.sin(5)], rtol=1e-12)
    assert [round(v, 3) for v in values] == [0.693, 10.0, -0.959, 10.693, 11.652]
    # adjoints of the inputs: x1bar = 1/x1 + x2 = 5.5, x2bar = x1 - cos(x2) = 1.716
    assert t.rows[0].adjoint == pytest.approx(5.5)
    assert t.rows[1].adjoint == pytest.approx(2 - math.cos(5))
    # tangents with x1dot = 1, x2dot = 0: 1, 0, 0.5, 5, 0, 5.5, 5.5
    assert [round(float(r.tangent), 3) for r in t.rows] == [1.0, 0.0, 0.5, 5.0, 0.0, 5.5, 5.5]
    text = str(t)
    assert "v-1" in text and "log(v-1)" in text and "v4 - v3" in text


def test_loops_are_unrolled():
    def g(x):
        s = 0.0
        for i in range(3):
            s = s + x * i
        return s

    t = ast_ad.trace(g, 2.0)
    assert t.rows[0].adjoint == pytest.approx(0 + 1 + 2)
    assert float(t.rows[-1].value) == pytest.approx(2.0 * 3)
