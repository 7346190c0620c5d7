# ast_ad fuzz regression: value: [x if c else x ** 3 for ...] holds x itself in some elements; x then updated in place
# found by: tests/fuzz, program seed 834663 (python -m tests.fuzz --replay 834663), reduced by hand
# observed when written:
#   [vg:int:x] value 3.069 != plain Python -5.931 (the list's element chosen by the branch was not
#   marked as held by an untracked list, so the update of x was allowed and not seen by the list)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/branch_chosen_element_of_untracked_list_updated__834663.py
import math
import numpy as np


def f(x):
    ls0 = [x if q0 == 0 else x ** 3 for q0 in range(2)]
    x -= 1.0
    return np.sum(ls0[0]) + np.sum(ls0[1]) * 0.5


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.744, 0.5, -0.59], [-0.92, 0.218, 0.21], [1.262, 0.498, 1.147]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 834663,
    'kind': 'scalar',
}
