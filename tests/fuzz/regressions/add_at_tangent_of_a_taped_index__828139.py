# ast_ad fuzz regression: hessian/hvp: the tangent of add_at when only its (integer, taped) index looked active
# found by: tests/fuzz, program seed 828139 (python -m tests.fuzz --replay 828139, generator of 2026-12-02 morning), reduced by hand
# observed when written:
#   [hess:x] TypeError: unsupported operand type(s) for +: 'float' and 'NoneType' (at ast_ad/runtime.py:282)
#   (the JVP rule of add_at made add_at(zeros, index, None) when neither the array nor the value had a tangent)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/add_at_tangent_of_a_taped_index__828139.py
import math
import numpy as np


def f(x):
    x *= np.matmul(np.broadcast_to(x, (3,)), x * np.ones((3,))) + x
    acc0 = [np.broadcast_to(x, (3, 3)).T]
    for i0 in range(2):
        u0 = x ** 2 - np.where(i0 * 0.5 > 0.0, i0 * 0.5, 0.5 * (i0 * 0.5))
        acc0 += [acc0[0]]
        if u0 < x * x:
            return 2.0 * u0 + 2.0 * x + 2.0 * (acc0[0][:2] - acc0[0][[0, 2]])[1][2]
    z0 = np.mean(np.stack(acc0), axis=0)
    if len(acc0) > 1:
        return 2.0 * x + z0.mean()
    return 0.5 * np.var(z0)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array(-1.074)'],
    'entries': ['grad:int:x', 'hess:x', 'hvp:x', 'jvp', 'vjp'],
    'observed': 'internal_error',
    'seed': 828139,
    'kind': 'scalar',
}
