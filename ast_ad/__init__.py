"""ast_ad: source-to-source automatic differentiation for Python and NumPy.

    >>> import ast_ad, math
    >>> def f(x1, x2):
    ...     return math.log(x1) + x1 * x2 - math.sin(x2)
    >>> g1, g2 = ast_ad.grad(f, wrt=(0, 1))(2.0, 5.0)
    >>> round(g1, 3), round(g2, 3)
    (5.5, 1.716)
"""
from .errors import (DifferentiationError, UnsupportedSyntaxError, NoRuleError,
                     NonScalarOutputError, SourceUnavailableError)
from .api import grad, value_and_grad, vjp, source, ssa
from .trace import trace
from .api_forward import jvp, jacobian, hessian, hvp
from .optimize import hessp
from .custom import primitive, defvjp, defjvp
from .checks import check_grads, GradientCheckError
from . import cache

__all__ = ["jvp", "jacobian", "hessian", "hvp", "hessp", "primitive", "defvjp", "defjvp", "grad", "trace", "value_and_grad", "vjp", "source", "ssa", "DifferentiationError",
           "UnsupportedSyntaxError", "NoRuleError", "NonScalarOutputError",
           "SourceUnavailableError", "check_grads", "GradientCheckError"]
__version__ = "0.1.0"
