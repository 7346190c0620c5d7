# ast_ad fuzz regression: generated reverse code negates a boolean mask: -1.0 * np.maximum(...)
# found by: tests/fuzz, program seed 21446 (python -m tests.fuzz --replay 21446), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:w] TypeError: The numpy boolean negative, the `-` operator, is not supported, use
#     the `~` operator or the logical_not function instead. (at <ast_ad reverse of f #69>:6: bw =
#     np.broadcast_to(-(2.0 < w.sum()), (3,)))
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/boolean_negative_maximum__983ecddf.py
import math
import numpy as np


def f(w):
    return -1.0 * np.maximum(2.0, np.sum(w))


FUZZ_CASE = {
    'params': ['w'],
    'args': ['np.array([0.5, 1.5, 0.5])'],
    'entries': ['grad:int:w'],
    'observed': 'generated_code_crash',
    'seed': 21446,
    'kind': 'scalar',
}
