# ast_ad fuzz regression: a write through a full slice view z0 = y[:] is not seen by y
# found by: tests/fuzz, program seed 60026 (python -m tests.fuzz --replay 60026), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vg:int:s] value np.float64(-0.125) != plain Python np.float64(0.125) (element 0, diff 0.25)
#   [vg:int:s] d/ds element 0: ast_ad np.float64(0.0), finite differences
#     np.float64(0.500000000000019)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/slice_view_write_through__6333e191.py
import math
import numpy as np


def f(s, y):
    z0 = y[:]
    z0[0] += s
    return np.mean(y)


FUZZ_CASE = {
    'params': ['s', 'y'],
    'args': ['0.5', 'np.array([[0.5, 1.0], [-1.5, -0.5]])'],
    'entries': ['vg:int:s'],
    'observed': 'wrong_value',
    'seed': 60026,
    'kind': 'scalar',
}
