"""Outsider programs (tests/outside/) through ast_ad's public API.

Every program in tests/outside/cases.py is run through value_and_grad, grad,
vjp, jvp (scalar losses) or jacobian rev/fwd, vjp, jvp (vector functions),
plus hessian/hvp for a few.  Values are compared with the plain function,
derivatives with central finite differences taken at two step sizes (the gap
between them widens the tolerance, and a large gap means "no verdict").  The
inputs must come back unmutated and gradients must have their argument's
structure, shape and dtype.

Outcomes:
  * works                  -> the test passes;
  * refused today          -> the refusal must be an ast_ad.DifferentiationError
                              with file/line (test_refusal_is_located); the
                              check itself is xfail(strict=False) with the reason;
  * WRONG / internal error -> the test fails (to be fixed in ast_ad).

`python tests/outside/run_all.py` prints the same results as a table.
"""
import copy
import os
import sys
import time

import numpy as np
import pytest

import ast_ad

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "outside")
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from cases import CASES  # noqa: E402
from harness import Checker  # noqa: E402
import out_more  # noqa: E402
import out_sci  # noqa: E402
import out_sims  # noqa: E402
import out_stats  # noqa: E402

ALL = "all"

# case -> (reason, checks refused today).  A refusal anywhere else is a failure.
KNOWN_REFUSED = {
    "one_element_array_loss": ("grad requires a scalar, the loss has shape (1, 1)", {"value_and_grad", "grad"}),
}

# case -> (reason, checks): a NaN where the derivative is finite, known and
# not yet fixed (strict: the test fails once it is right)
KNOWN_NAN = {
    "nbody_vec_where_errstate": (
        "np.where(d2 > 0, 1.0 / np.sqrt(d2), 0.0): the untaken branch's adjoint is 0 * inf "
        "= nan at d2 == 0 (d2 ** -0.5 is exact; so is the double-where trick)",
        {"value_and_grad", "grad", "vjp", "vjp_explicit_defaults"}),
}

# refusals that are about the call, not a line of source: no file/line expected
NO_LOCATION_EXPECTED = set()


class Refused(Exception):
    """Raised by a test for an expected refusal; the xfail marks accept only this."""


def _params():
    out = []
    for case in CASES:
        for check in Checker(case).checks():
            marks = []
            known = KNOWN_REFUSED.get(case.name)
            if known and (known[1] == ALL or check in known[1]):
                marks.append(pytest.mark.xfail(strict=False, reason=known[0], raises=Refused))
            nan = KNOWN_NAN.get(case.name)
            if nan and check in nan[1]:
                marks.append(pytest.mark.xfail(strict=True, reason=nan[0]))
            out.append(pytest.param(case, check, id=f"{case.name}-{check}", marks=marks))
    return out


_checkers = {}


def checker_for(case):
    if case.name not in _checkers:
        _checkers[case.name] = Checker(case)
    return _checkers[case.name]


def _located(r):
    return r.filename is not None and r.lineno is not None


@pytest.mark.parametrize("case,check", _params())
def test_program(case, check):
    np.seterr(all="ignore")
    r = checker_for(case).run(check)
    if r.status == "ok":
        return
    if r.status == "n/a":
        pytest.skip(r.detail)
    if r.status == "fd":
        pytest.skip(f"finite differences not self-consistent: {r.detail}")
    if r.status == "refused":
        if (case.name, check) not in NO_LOCATION_EXPECTED:
            assert _located(r), f"refusal without file/line: {r.exc_type}: {r.detail}"
        raise Refused(f"{r.exc_type}: {r.detail} @ {r.filename}:{r.lineno}")
    pytest.fail(f"{case.name} / {check}: {r.status.upper()}: {r.detail}", pytrace=False)


@pytest.mark.parametrize("name", sorted(KNOWN_REFUSED))
def test_refusal_is_located(name):
    """Each program refused today raises a DifferentiationError with file and line."""
    case = next(c for c in CASES if c.name == name)
    refused = KNOWN_REFUSED[name][1]
    ch = checker_for(case)
    check = next(c for c in ch.checks() if refused == ALL or c in refused)
    fn = {"value_and_grad": lambda: ast_ad.value_and_grad(ch.fn, wrt=case.wrt)(*ch.args, **ch.kwargs),
          "grad": lambda: ast_ad.grad(ch.fn, wrt=case.wrt)(*ch.args, **ch.kwargs),
          "jacobian_rev": lambda: ast_ad.jacobian(ch.fn, wrt=case.wrt)(*ch.args),
          "vjp": lambda: ast_ad.vjp(ch.fn, *ch.args)[1](1.0),
          "jvp": lambda: ast_ad.jvp(ch.fn, tuple(ch.args), tuple(ch.args)),
          "hessian": lambda: ast_ad.hessian(ch.fn, wrt=ch.hess_wrt())(*ch.args),
          "vjp_explicit_defaults": lambda: ast_ad.vjp(ch.fn, *(tuple(ch.args) + tuple(ch.omitted_defaults())))[1](1.0),
          }[check]
    with pytest.raises(ast_ad.DifferentiationError) as info:
        np.seterr(all="ignore")
        fn()
    e = info.value
    if (name, check) in NO_LOCATION_EXPECTED:
        return
    assert getattr(e, "filename", None) and getattr(e, "lineno", None), repr(e)
    if isinstance(e, ast_ad.UnsupportedSyntaxError):
        assert os.path.exists(e.filename)


# ------------------------------------------------------ not case-shaped
def test_closure_factory_two_datasets():
    """Two closures of the same `def` over different data get their own gradients."""
    rng = np.random.default_rng(3)
    X1, y1, X2, y2 = rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=(5, 2)), rng.normal(size=5)
    w = rng.normal(size=2)
    g1 = ast_ad.grad(out_more.make_loss(X1, y1))(w)
    g2 = ast_ad.grad(out_more.make_loss(X2, y2))(w)
    np.testing.assert_allclose(g1, 2 * X1.T @ (X1 @ w - y1) / 5, rtol=1e-12)
    np.testing.assert_allclose(g2, 2 * X2.T @ (X2 @ w - y2) / 5, rtol=1e-12)


def test_module_global_read_live():
    """A module-level hyper-parameter changed between calls is used by the next call."""
    rng = np.random.default_rng(4)
    X, y, w = rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=2)
    g = ast_ad.grad(out_more.global_reg_loss)
    base = 2 * X.T @ (X @ w - y) / 5
    saved = out_more.REG
    try:
        np.testing.assert_allclose(g(w, X, y), base + 2 * saved * w, rtol=1e-12)
        out_more.REG = 1.0
        np.testing.assert_allclose(g(w, X, y), base + 2.0 * w, rtol=1e-12)
    finally:
        out_more.REG = saved


def test_fixed_point_matches_implicit_derivative():
    """d/da of the fixed point of x = cos(a x), against the implicit-function formula."""
    a = 0.8
    x = out_sci.fixed_point_cos(a)
    exact = -np.sin(a * x) * x / (1 + a * np.sin(a * x))
    assert abs(ast_ad.grad(out_sci.fixed_point_cos)(a) - exact) < 1e-10


def test_vjp_does_not_mutate_or_use_mutated_input():
    """vjp of a function that updates its argument in place (y = x; y += 1)."""
    x = np.array([0.5, -1.0, 2.0])
    xc = x.copy()
    out, f_vjp = ast_ad.vjp(out_more.alias_argument_loss, xc)
    (g,) = f_vjp(1.0)
    assert np.array_equal(xc, x), f"vjp mutated its input: {xc} (was {x})"
    np.testing.assert_allclose(g, 2 * (x + 1), rtol=1e-12)


# (How the gradient's time grows with the length of a list argument, and
# with defaults left out, is measured by benchmarks/scaling.py, not here:
# the suite has no timed assertions.)


def test_first_call_and_later_calls_are_reasonable():
    """Transformation stays well under a second for these programs."""
    for f, args, wrt in [(out_stats.gaussian_loglik, (0.3, -0.2, np.linspace(-1, 1, 20)), (0, 1)),
                         (out_sims.bs_calibration_loss, (0.25, 100.0, [90.0, 100.0], [12.0, 6.0]), 0)]:
        t0 = time.perf_counter()
        ast_ad.value_and_grad(f, wrt=wrt)(*copy.deepcopy(args))
        assert time.perf_counter() - t0 < 2.0
