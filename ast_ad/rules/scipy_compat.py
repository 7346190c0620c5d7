"""SciPy's array-API plumbing, so that SciPy's own NumPy functions (e.g.
``scipy.optimize.rosen``) can be differentiated from their source.

SciPy functions start with ``xp = array_namespace(x)`` and
``x = xp_promote(x, force_floating=True, xp=xp)``.  For the NumPy arrays and
numbers ast_ad differentiates, the namespace is NumPy itself (decided when
the code is made) and promotion is the identity on float arrays (a
differentiable primitive whose adjoint is the identity).
"""
import numpy as np

from . import STATIC_CALLS, vjp, jvp

try:
    from scipy._lib._array_api import array_namespace, xp_promote
except Exception:   # SciPy absent or reorganised: nothing to register
    array_namespace = xp_promote = None

if array_namespace is not None:
    STATIC_CALLS[array_namespace] = lambda *args, **kwargs: np

if xp_promote is not None:
    @vjp(xp_promote)
    def _xp_promote(g, ans, x, broadcast=False, force_floating=False, xp=None):
        return g

    @jvp(xp_promote)
    def _xp_promote_jvp(dx, ans, x, broadcast=False, force_floating=False, xp=None):
        return dx
