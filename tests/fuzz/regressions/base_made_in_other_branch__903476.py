# ast_ad fuzz regression: a list made in one branch holds y; y updated in a loop in the other branch: internal error
# found by: tests/fuzz, program seed 903476 (python -m tests.fuzz --replay 903476), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:y] InternalError: IRError: Var(acc0@7232) read before definition
#   (the update of y was written through to the list, which does not exist on that path)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/base_made_in_other_branch__903476.py
import math
import numpy as np


def f(x, y):
    if x[0] > 0.2:
        acc0 = [y]
        for i0 in range(2):
            acc0 += [x * 2.0]
        y[0] = 3.0
        s = sum(acc0)
    else:
        for i2 in range(3):
            y[1] = y[1] * x[1]
        s = y
    return np.sum(y * x) + np.sum(s)


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array([-1.0, 1.5])', 'np.array([0.7, 1.3])'],
    'entries': ['grad:int:x', 'grad:int:y', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hess:y'],
    'observed': 'internal_error',
    'seed': 903476,
    'kind': 'scalar',
}
