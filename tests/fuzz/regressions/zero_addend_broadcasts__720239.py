# ast_ad fuzz regression: a tangent proved zero dropped from a sum it broadcast: generated code crashed
# found by: tests/fuzz, program seed 720239 (python -m tests.fuzz --replay 720239), minimised by tests/fuzz/shrink.py and by hand
# observed when written: generated_code_crash [jac:fwd:x] TypeError: 'numpy.float64' object does
#   not support item assignment (``a + 0`` became ``a`` where the avals said only "a number or
#   an array": the zero of shape (3,) had broadcast the scalar a)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    a0 = x
    a0 -= a0
    z1 = np.dot(np.broadcast_to(x, (3, 3))[2], [2, 1, 0]) + np.min(a0, axis=0)
    z1[0] = 1.0
    return z1.std()


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.5, -0.5, 0.5]])'],
    'entries': ['jac:fwd:x', 'jvp', 'vg:int:x'],
    'observed': 'generated_code_crash',
    'seed': 720239,
    'kind': 'scalar',
}
