# ast_ad fuzz regression: hessian: the gradient's own code refused (an element of a range held in a variable had no aval)
# found by: tests/fuzz, program seed 844772 (python -m tests.fuzz --replay 844772), minimised by tests/fuzz/shrink.py
# observed when written:
#   [hess:x] UnsupportedSyntaxError: <ast_ad reverse of f #377>:7:13: 'x_1' (or a view sharing its memory) was stored in a list whose elements ast_ad does not track ...
#   (`for k in _t2` with `_t2 = range(3)`: k was not known to be an int, so
#   x_1[k] might have been a view of x_1, kept by a list later)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/range_element_index_in_generated_code__844772.py
import math
import numpy as np


def f(x):
    for i0 in range(0):
        a0 = x
        a0[1] = i0
        for r0 in x:
            if np.cumprod(r0):
                break
    ls0 = [x for q0 in x]
    acc0 = [ls0[1]]
    return max(acc0[0])


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([-1.5, -1.0, -1.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hvp:x'],
    'observed': 'refused_own_code',
    'seed': 844772,
    'kind': 'scalar',
}
