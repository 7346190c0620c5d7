# ast_ad fuzz regression: grad/jvp: np.quantile's formula returned a 0-d array where NumPy returns a scalar, so an update through another name was taken as in place
# found by: tests/fuzz, program seed 861744 (python -m tests.fuzz --replay 861744), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jvp] value np.float64(1.1547005383792517) != plain Python np.float64(1.0) (element 0, diff 0.155)
#   [grad:name:d] d/dd element 3: ast_ad np.float64(0.7698003589195012), finite differences np.float64(0.0)
#   (np.where(...) in the formulas of quantile, median, nanmax, nanmin and
#   nan_to_num gives a 0-d array, which `s /= ...` changes in place; NumPy's
#   functions return np.float64, which it rebinds)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/formula_result_zero_d_array_not_scalar__861744.py
import math
import numpy as np


def f(d):
    dd1 = {'p': np.quantile(1.0, 0.3), 'q': np}
    s = dd1['p']
    s /= np.linalg.norm(d['b'])
    return dd1['p'] + np.median(d['w']) * 0.0 + s


FUZZ_CASE = {
    'params': ['d'],
    'args': ["{'w': np.array([1.5, -0.5, -1.0]), 'b': np.array([-0.5, 0.5, 0.5]), 'c': np.array([0.5, 1.0, 1.0])}"],
    'entries': ['grad:int:d', 'grad:name:d', 'vg:int:d', 'vjp', 'jvp'],
    'observed': 'wrong_value',
    'seed': 861744,
    'kind': 'scalar',
}
