# ast_ad fuzz regression: jvp/jac: wrong value: a list comprehension holding x itself,
# then x updated in place through a reshaped view; now a located refusal
# found by: tests/fuzz, program seed 751166 (python -m tests.fuzz --replay 751166), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jvp] value 0.5 != plain Python 2.0 (element 2, diff 1.5)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/comprehension_of_arg_then_view_updated__751166.py
import math
import numpy as np


def f(x):
    ls0 = [x for q0 in x]
    x = x.reshape(3)[None]
    x[:] = 1.0
    a0 = x
    a0 += ls0[0]
    return a0


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.5, 0.5, -0.5]])'],
    'entries': ['jvp', 'vjp', 'jac:rev:x', 'jac:fwd:x'],
    'observed': 'wrong_value',
    'seed': 751166,
    'kind': 'vector',
}
