# ast_ad regression (found by hand while checking integer rematerialisation):
# a while loop whose condition computes `2 * k + 1` and whose body reads the
# same value (CSE makes them one): the backward loop read the condition's
# value, which was never taped
# observed when written:
#   InternalError: IRError: Var(_@...) read before definition
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/while_condition_value_read_in_body.py
import math
import numpy as np


def f(x):
    k = 0
    s = 0.0
    while 2 * k + 1 < 6:
        s = s + x[2 * k + 1] * x[2 * k]
        k += 1
    return s


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5, 1.5, -0.5, 2.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hvp:x'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
