"""Regularised logistic regression fitted with scipy.optimize.minimize,
using ast_ad for the gradient (``jac=``) and the Hessian-vector product
(``hessp=``), with the data passed through ``args``.

    loss(w, X, y, lam) = mean(log(1 + exp(-y * (X @ w)))) + lam/2 * |w|^2

with labels y in {-1, +1}.  ``ast_ad.grad(loss)`` is called as
``jac(w, X, y, lam)`` and ``ast_ad.hessp(loss)`` as ``hessp(w, p, X, y,
lam)``, which is how SciPy calls them; "trust-ncg" uses only products H·p,
never the Hessian matrix.

Run it with ``python examples/scipy_logistic.py`` (needs SciPy).
"""
import numpy as np
from scipy.optimize import minimize

import ast_ad


def loss(w, X, y, lam):
    margins = y * (X @ w)
    return np.mean(np.log1p(np.exp(-margins))) + 0.5 * lam * np.sum(w * w)


def make_data(n=400, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = np.hstack([rng.normal(size=(n, d - 1)), np.ones((n, 1))])   # last column: bias
    w_true = np.array([2.0, -1.0, 0.5, 0.0, 0.3])[:d]
    p = 1.0 / (1.0 + np.exp(-(X @ w_true)))
    y = np.where(rng.random(n) < p, 1.0, -1.0)
    return X, y, w_true


def fit(X, y, lam, method="trust-ncg"):
    w0 = np.zeros(X.shape[1])
    return minimize(loss, w0, args=(X, y, lam), method=method,
                    jac=ast_ad.grad(loss), hessp=ast_ad.hessp(loss),
                    options={"gtol": 1e-8})


def main():
    X, y, w_true = make_data()
    lam = 1e-2
    res = fit(X, y, lam)
    print(f"converged: {res.success} ({res.message})")
    print(f"iterations: {res.nit}, gradient evaluations: {res.njev}, "
          f"Hessian-vector products: {res.nhev}")
    print(f"loss at the optimum: {res.fun:.10f}")
    print("w       = " + " ".join(f"{v: .6f}" for v in res.x))
    print("w_true  = " + " ".join(f"{v: .6f}" for v in w_true))
    g = ast_ad.grad(loss)(res.x, X, y, lam)
    print(f"|gradient| at the optimum: {np.linalg.norm(g):.3e}")
    accuracy = np.mean(np.sign(X @ res.x) == y)
    print(f"training accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
