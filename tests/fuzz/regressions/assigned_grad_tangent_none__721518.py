# ast_ad fuzz regression: item assignment at an index carried through nested loops with an early return: Hessian crashed
# found by: tests/fuzz, program seed 721518 (python -m tests.fuzz --replay 721518)
# observed when written: internal_error [hess:x] TypeError: 'NoneType' object is not subscriptable
#   (the JVP rule of assigned_grad was given no tangent for the adjoint, only for the index);
#   minimised, it also showed a Hessian of a non-scalar output crashing instead of raising
#   NonScalarOutputError (check_scalar_output was dropped as dead code)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, ps):
    acc0 = []
    acc0.append(x[:, 2] + np.min(ps[0]))
    for i0 in range(2):
        ls1 = [acc0[0][::2] / len(x) * abs(ps[1]) for q1 in x]
        acc0 = acc0 + [acc0[0]]
    z1 = acc0[-1] * len(acc0)
    k0 = 0
    while k0 < 1:
        k0 += 1
        for i1 in range(1, 3):
            z2 = x * 1.0
            z2[k0, 1] += np.cbrt((i1 * 0.5) ** 2 + 1.0)
            if i1 * 0.5 + k0 * 0.5 > -0.5:
                return 2.0 * np.max(z2) + -1.0 * np.var(z1) + 2.0 * x.sum() + 0.5 * (i1 * 0.5 * (i1 * 0.5))
            z3 = np.zeros((1, 3))
            z3[-1] = k0 * 0.5
            z3[:, 1] *= i1 * 0.5 + k0 * 0.5
            z3[:, 0] += i1 * 0.5
    return -1.0 * x.std() + 0.5 * z1.std() + np.mean(x.prod(axis=0, keepdims=True) - x[[0, 2]])


FUZZ_CASE = {
    'params': ['x', 'ps'],
    'args': ['np.array([[1.456, 0.447, -1.479], [0.218, 1.412, 1.02], [-0.775, -1.158, -1.063]])', '[np.array([1.427, 1.222]), np.array([-0.11, 1.023])]'],
    'entries': ['grad:int:x', 'vg:tuple:x,ps', 'jvp', 'vjp', 'hess:x', 'hvp:x'],
    'observed': 'internal_error',
    'seed': 721518,
    'kind': 'scalar',
}
