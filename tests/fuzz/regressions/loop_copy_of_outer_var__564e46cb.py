# ast_ad fuzz regression: loop body that copies an outer variable and reads it again: IRError
# found by: tests/fuzz, program seed 20016 (python -m tests.fuzz --replay 20016), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:x] IRError: Var(x@4064) read before definition (at ast_ad/ir.py:263)
#   [jac:fwd:x] IRError: Var(x@4528) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/loop_copy_of_outer_var__564e46cb.py
import math
import numpy as np


def f(x):
    for i in range(2):
        z = x
        m = np.sum(x)
    return np.sum(x * x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['grad:int:x', 'jac:fwd:x'],
    'observed': 'internal_error',
    'seed': 20016,
    'kind': 'scalar',
}
