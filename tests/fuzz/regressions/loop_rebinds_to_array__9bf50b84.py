# ast_ad fuzz regression: hessian w.r.t. s: a loop re-binds the float argument s to another array: IRError
# found by: tests/fuzz, program seed 40080 (python -m tests.fuzz --replay 40080), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:s] IRError: Var(x@5936) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/loop_rebinds_to_array__9bf50b84.py
import math
import numpy as np


def f(x, s):
    for i0 in range(2):
        s = x
    return np.sum(s * s)


FUZZ_CASE = {
    'params': ['x', 's'],
    'args': ['np.array([-1.0, -0.5])', '1.0'],
    'entries': ['hess:s'],
    'observed': 'internal_error',
    'seed': 40080,
    'kind': 'scalar',
}
