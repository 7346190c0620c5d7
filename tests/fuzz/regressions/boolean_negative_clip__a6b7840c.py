# ast_ad fuzz regression: generated reverse code negates a boolean mask: -np.clip(s, -1.0, 1.0)
# found by: tests/fuzz, program seed 21646 (python -m tests.fuzz --replay 21646), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:s] TypeError: The numpy boolean negative, the `-` operator, is not supported, use
#     the `~` operator or the logical_not function instead. (at <ast_ad reverse of f #70>:7: bs =
#     _ad.unbroadcast(-_t1, s))
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/boolean_negative_clip__a6b7840c.py
import math
import numpy as np


def f(s):
    return -np.clip(s, -1.0, 1.0)


FUZZ_CASE = {
    'params': ['s'],
    'args': ['0.3'],
    'entries': ['grad:int:s'],
    'observed': 'generated_code_crash',
    'seed': 21646,
    'kind': 'scalar',
}
