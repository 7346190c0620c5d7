# ast_ad fuzz regression: alias of a list-argument element updated in place mutates the caller's list (vjp)
# found by: tests/fuzz, program seed 21245 (python -m tests.fuzz --replay 21245), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vjp] argument ps changed by the call
#   [vjp] argument ps changed by the call
#   [vjp] argument ps changed by the call
#   [grad:int:ps] d/dps element 0: ast_ad np.float64(-1.5), finite differences
#     np.float64(-0.500000000000019)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/alias_list_element__a48ad0d5.py
import math
import numpy as np


def f(ps):
    for p0 in ps:
        a0 = p0
        a0 += 1.0
    return np.sum(ps[0] * ps[1])


FUZZ_CASE = {
    'params': ['ps'],
    'args': ['[np.array([1.0, 1.5]), np.array([-1.5, 0.5])]'],
    'entries': ['vjp', 'grad:int:ps'],
    'observed': 'wrong_grad',
    'seed': 21245,
    'kind': 'scalar',
}
