# ast_ad fuzz regression: grad mutates its argument (in-place update, return inside nested loops, zero gradient)
# found by: tests/fuzz, program seed 20970 (python -m tests.fuzz --replay 20970), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:x] argument x changed by the call
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/grad_mutates_arg_nested_return__41729d17.py
import math
import numpy as np


def f(s, x):
    for k0 in range(1, 3):
        for i1 in range(2):
            x[0] *= k0
            if 0.5 < x[0, 1]:
                return 2.0 * s
    return s


FUZZ_CASE = {
    'params': ['s', 'x'],
    'args': ['0.757', 'np.array([[-0.607, 0.052, 0.517]])'],
    'entries': ['grad:int:x'],
    'observed': 'mutated_input',
    'seed': 20970,
    'kind': 'scalar',
}
