# ast_ad fuzz regression: an adjoint carry renamed over a merge of it that is read later in the backward loop: gradient wrong
# found by: tests/fuzz, program seed 402638 (python -m tests.fuzz --replay 402638), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_grad (see the title); now exact or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, tp):
    a0 = x
    for i0 in range(3):
        a0 *= tp[1]
        if tp:
            continue
        x += 1
    return np.sum(x)


FUZZ_CASE = {
    'params': ['x', 'tp'],
    'args': ['np.array([[0.5, -0.5, 1.0], [0.5, -0.5, 1.0]])', '(-1.0, 0.5)'],
    'entries': ['grad:int:tp', 'vg:tuple:x,tp', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_grad',
    'seed': 402638,
    'kind': 'vector',
}
