"""The benchmark's reference gradients are right.

Every hand-written value-and-gradient of benchmarks/workloads.py and of the
scaling loops in benchmarks/scaling.py must give the primal's value and a
gradient that agrees with central finite differences (benchmarks/fd.py, the
check run.py makes before timing).  ast_ad is judged against these, so a
wrong one would make the benchmark lie.  Also: fd.py's handling of lists of
floats and lists of arrays, and run.py's comparison of nested gradients.
Never compares with ast_ad's output.
"""
import math
import os
import sys

import numpy as np
import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "benchmarks")
if not os.path.isdir(BENCH):          # e.g. the tests of an sdist without benchmarks/
    pytest.skip("benchmarks/ not present", allow_module_level=True)
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)

import fd  # noqa: E402
import workloads  # noqa: E402

FD_RTOL = 1e-5


def _value_close(a, b):
    return abs(float(a) - float(b)) <= 1e-12 * max(abs(float(b)), 1e-300)


@pytest.mark.parametrize("wl", workloads.WORKLOADS, ids=lambda w: w.name)
def test_hand_written_gradient(wl):
    args = wl.make_args()
    value = wl.primal(*args)
    ref_value, ref_grad = wl.hand_vg(*args)
    assert _value_close(ref_value, value)
    err, per_arg = fd.check_gradient(wl.primal, args, wl.wrt, ref_grad)
    assert err <= FD_RTOL, per_arg
    # gradients come in the structure of their argument
    positions = wl.wrt if isinstance(wl.wrt, tuple) else (wl.wrt,)
    grads = ref_grad if isinstance(wl.wrt, tuple) else (ref_grad,)
    assert len(grads) == len(positions)
    for i, g in zip(positions, grads):
        if isinstance(args[i], list):
            assert type(g) is list and len(g) == len(args[i])


def test_workload_names_unique():
    names = [w.name for w in workloads.WORKLOADS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", ["recurrence", "recurrence_x", "list_fill", "array_fill"])
def test_scaling_loops(name):
    import scaling
    loop = next(lp for lp in scaling.LOOPS if lp.name == name)
    args = loop.make_args(50)
    value, grad = loop.hand_vg(*args)
    assert _value_close(value, loop.primal(*args))
    err, per_arg = fd.check_gradient(loop.primal, args, loop.wrt, grad)
    assert err <= FD_RTOL, per_arg


def test_scaling_extrapolation():
    import scaling
    # linear growth stays linear, quadratic growth is extrapolated as such
    assert scaling.extrapolate([(100, 1.0), (1000, 10.0)], 10_000) == pytest.approx(100.0)
    assert scaling.extrapolate([(100, 1.0), (1000, 100.0)], 10_000) == pytest.approx(1e4)
    # sub-linear growth is never extrapolated below linear
    assert scaling.extrapolate([(100, 1.0), (1000, 2.0)], 10_000) == pytest.approx(20.0)


# --------------------------------------------------------------------------
# fd.py on containers

def _f_list(xs, a):
    return sum(a * x * x for x in xs)


def _f_params(params, X):
    W, b = params
    return float(np.sum(np.tanh(X @ W + b)))


def test_fd_list_of_floats():
    xs = [0.5, -1.0, 2.0]
    good = [2 * 3.0 * x for x in xs]
    err, _ = fd.check_gradient(_f_list, (xs, 3.0), (0, 1), (good, sum(x * x for x in xs)))
    assert err < 1e-8
    bad = list(good)
    bad[2] += 0.1
    assert fd.check_gradient(_f_list, (xs, 3.0), 0, bad)[0] > 1e-3
    # a gradient of the wrong length or structure fails
    assert fd.check_gradient(_f_list, (xs, 3.0), 0, good[:2])[0] == math.inf


def test_fd_list_of_arrays():
    rng = np.random.default_rng(0)
    W, b, X = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))
    d = 1.0 - np.tanh(X @ W + b) ** 2
    good = [X.T @ d, d.sum(axis=0)]
    err, _ = fd.check_gradient(_f_params, ([W, b], X), 0, good)
    assert err < 1e-8
    assert fd.check_gradient(_f_params, ([W, b], X), 0, [good[0], good[1] + 0.1])[0] > 1e-3
    assert fd.check_gradient(_f_params, ([W, b], X), 0, good[0])[0] == math.inf


def test_run_compare_nested():
    import run
    ref = (1.0, [np.ones((2, 2)), np.zeros(3)])
    assert run.compare((1.0, [np.ones((2, 2)), np.zeros(3)]), ref, 0) == 0.0
    with pytest.raises(run.Mismatch):
        run.compare((1.0, np.ones(4)), ref, 0)
    with pytest.raises(run.Mismatch):
        run.check_container_types((1.0, (2.0, 3.0)), ([1.0, 2.0], 0.0), 0)
    run.check_container_types((1.0, [2.0, 3.0]), ([1.0, 2.0], 0.0), 0)
