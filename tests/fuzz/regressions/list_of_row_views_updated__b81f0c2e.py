# ast_ad fuzz regression: a list of views of the argument's row (y[0]), its elements updated in place: value wrong
# found by: tests/fuzz, program seed 601251 (python -m tests.fuzz --replay 601251), minimised by tests/fuzz/shrink.py
# observed when written: wrong_value [jvp] (the updates did not reach y)
# Now a located UnsupportedSyntaxError (the list's elements are views of y, not tracked one by one).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(y):
    u0 = y
    ls1 = [y[0] for q1 in range(3)]
    for p0, p1 in zip(y, ls1):
        p1[2] -= 2
    return u0


FUZZ_CASE = {
    'params': ['y'],
    'args': ['np.array([[1.5, 0.5, 0.5], [1.0, 0.5, 1.0], [1.0, -1.0, 0.5]])'],
    'entries': ['jvp', 'vjp', 'jac:rev:y', 'jac:fwd:y'],
    'observed': 'wrong_value',
    'seed': 601251,
    'kind': 'vector',
}
