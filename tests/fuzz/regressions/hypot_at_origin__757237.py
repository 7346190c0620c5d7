# ast_ad fuzz regression: math.hypot(0, 0): the forward code divided by zero
# (ZeroDivisionError from generated code); now 0 at the origin, as for np.linalg.norm
# found by: tests/fuzz, program seed 757237 (python -m tests.fuzz --replay 757237), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jac:fwd:s] ZeroDivisionError: float division by zero (ds_2 = (_t1 + _t1) / s_2)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/hypot_at_origin__757237.py
import math
import numpy as np


def f(s):
    s -= s
    s = math.hypot(s, s)
    return s + 2.0 * s * s


FUZZ_CASE = {
    'params': ['s'],
    'args': ['1.5'],
    'entries': ['jac:fwd:s', 'jvp', 'vjp', 'grad:int:s'],
    'observed': 'generated_code_crash',
    'seed': 757237,
    'kind': 'scalar',
}
