# ast_ad fuzz regression: internal error (IRError: read before definition): x made an
# element of a list created in a loop body, then updated in place after the loop
# (the update was written into the body's list value); now a located refusal
# found by: tests/fuzz, program seed 742289 (python -m tests.fuzz --replay 742289), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:x] InternalError: IRError: Var(acc0@2960) read before definition
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/element_of_body_list_updated_after_loop__742289.py
import math
import numpy as np


def f(x):
    for r0 in x:
        acc0 = []
        acc0.append(x)
        for i0 in range(1):
            acc0.append(x * 2.0)
    x[::1] *= x
    return np.sum(x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([-1.5, 0.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'internal_error',
    'seed': 742289,
    'kind': 'scalar',
}
