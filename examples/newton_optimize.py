"""Newton's method on the Rosenbrock function, with ast_ad gradients and Hessians.

    f(x) = sum(100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2)

written once in vectorised NumPy.  ``ast_ad.grad(f)`` gives the gradient and
``ast_ad.hessian(f)`` the Hessian matrix; a damped Newton iteration
(backtracking line search with the Armijo condition, falling back to the
steepest-descent direction where the Hessian is not positive definite) goes
from the classical start (-1.2, 1) to the minimum (1, 1).

If SciPy is installed, the same gradient and Hessian functions are handed to
``scipy.optimize.minimize(method="trust-exact")``, and ``ast_ad.grad`` of
SciPy's own ``scipy.optimize.rosen`` is compared with ``rosen_der``.

Run it with ``python examples/newton_optimize.py``.
"""
import numpy as np

import ast_ad


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


X0 = np.array([-1.2, 1.0])
X_STAR = np.array([1.0, 1.0])


def newton(f, x0, tol=1e-10, max_iter=50, out=print):
    """Damped Newton: step  -H^-1 g, halved until the Armijo condition holds."""
    grad_f = ast_ad.grad(f)
    hess_f = ast_ad.hessian(f)
    x = np.array(x0, dtype=float)
    for it in range(max_iter):
        g = grad_f(x)
        fx = f(x)
        out(f"  iter {it:2d}   f = {fx:.3e}   |grad| = {np.linalg.norm(g):.3e}   "
            f"x = [{x[0]: .10f}, {x[1]: .10f}]")
        if np.linalg.norm(g) < tol:
            return x, it
        H = hess_f(x)
        try:
            np.linalg.cholesky(H)                    # positive definite?
            step = -np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            step = -g
        t = 1.0
        while f(x + t * step) > fx + 1e-4 * t * (g @ step) and t > 1e-10:
            t *= 0.5
        x = x + t * step
    return x, max_iter


def scipy_part():
    try:
        import scipy.optimize
    except ImportError:
        print("SciPy is not installed; skipping the SciPy comparison")
        return
    print("== scipy.optimize.minimize(method='trust-exact') with ast_ad jac and hess ==")
    res = scipy.optimize.minimize(rosenbrock, X0, method="trust-exact",
                                  jac=ast_ad.grad(rosenbrock),
                                  hess=ast_ad.hessian(rosenbrock),
                                  options={"gtol": 1e-10})
    print(f"  success: {res.success}   x = [{res.x[0]:.10f}, {res.x[1]:.10f}]   "
          f"iterations: {res.nit}   f evaluations: {res.nfev}")
    assert res.success and np.max(np.abs(res.x - X_STAR)) < 1e-8, res
    print()

    print("== ast_ad.grad(scipy.optimize.rosen) vs scipy.optimize.rosen_der ==")
    x = np.array([0.3, 0.7, 1.1, -0.4, 2.0])
    try:
        ours = ast_ad.grad(scipy.optimize.rosen)(x)
    except ast_ad.DifferentiationError as e:
        first = str(e).splitlines()[0]
        print(f"  not supported yet: ast_ad cannot differentiate scipy.optimize.rosen: {first}")
        return
    diff = np.max(np.abs(ours - scipy.optimize.rosen_der(x)))
    print(f"  at x = {x}")
    print(f"  ast_ad:    {ours}")
    print(f"  rosen_der: {scipy.optimize.rosen_der(x)}")
    print(f"  rosen max abs difference: {diff:.1e}")
    assert diff < 1e-10, diff


def main():
    print("Rosenbrock f(x) = sum(100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2)")
    print(f"gradient at x0 = {X0}: {ast_ad.grad(rosenbrock)(X0)}")
    print(f"Hessian at x0:\n{ast_ad.hessian(rosenbrock)(X0)}")
    print()
    print("== Damped Newton from x0 = (-1.2, 1) ==")
    x, iterations = newton(rosenbrock, X0)
    err = np.max(np.abs(x - X_STAR))
    print(f"converged in {iterations} iterations to x = [{x[0]:.12f}, {x[1]:.12f}], "
          f"max error {err:.1e}")
    assert iterations < 50 and err < 1e-8, (iterations, x)
    print()
    scipy_part()
    print()
    print("OK: Newton's method reached (1, 1) within 1e-8")


if __name__ == "__main__":
    main()
