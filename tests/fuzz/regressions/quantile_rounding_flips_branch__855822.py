# ast_ad fuzz regression: value_and_grad: np.quantile computed with a different rounding than NumPy's, which flipped a branch
# found by: tests/fuzz, program seed 855822 (python -m tests.fuzz --replay 855822), minimised by tests/fuzz/shrink.py
# observed when written:
#   [vg:int:x] value np.float64(1.0) != plain Python np.float64(0.0) (element 0, diff 1)
#   (the virtual index was n q + (1 - q) - 1, NumPy's is (n - 1) q: the std
#   of three copies of the quantile was 0 instead of 5.6e-17, so the loop
#   did not break)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/quantile_rounding_flips_branch__855822.py
import math
import numpy as np


def f(x):
    for i0 in range(3):
        if (np.quantile(x, 0.3) + np.zeros(3)).std():
            break
        x = 1.0
    return np.mean(x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([1.0, -1.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 855822,
    'kind': 'scalar',
}
