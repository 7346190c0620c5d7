# ast_ad fuzz regression: return inside a nested loop: the loops keep running (value and grad wrong)
# found by: tests/fuzz, program seed 40103 (python -m tests.fuzz --replay 40103), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vg:int:s] value np.float64(2.0) != plain Python np.float64(1.0) (element 0, diff 1)
#   [vg:int:s] d/ds element 0: ast_ad np.float64(4.0), finite differences
#     np.float64(2.0000000000000018)
#   [jvp] value np.float64(2.0) != plain Python np.float64(1.0) (element 0, diff 1)
#   [jvp] J.t element 0: ast_ad np.float64(-1.2018748991853005), finite differences
#     -0.600937449592646
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/return_in_nested_loop__752181fb.py
import math
import numpy as np


def f(s):
    for i in range(2):
        for j in range(3):
            s = s * 2.0
            return s
    return s


FUZZ_CASE = {
    'params': ['s'],
    'args': ['0.5'],
    'entries': ['vg:int:s', 'jvp'],
    'observed': 'wrong_value',
    'seed': 40103,
    'kind': 'scalar',
}
