"""Gaussian-process regression: fitting the kernel's hyperparameters by the
gradient of the log marginal likelihood.

An RBF kernel with a length scale, a signal variance and a noise variance
(all on a log scale) is fitted to noisy samples of sin(3x).  The negative
log marginal likelihood is written as a textbook does, with a Cholesky
factor:

    K = s² exp(-|x - x'|² / 2l²) + σ² I,   L = cholesky(K)
    α = L⁻ᵀ L⁻¹ y,   -log p(y) = ½ yᵀα + Σ log Lᵢᵢ + n/2 log 2π

``ast_ad.value_and_grad`` differentiates it through ``np.linalg.cholesky``
and ``np.linalg.solve``; the gradient is checked against central finite
differences, then used for a few hundred steps of gradient descent.

Run it with ``python examples/gaussian_process.py``.
"""
import math

import numpy as np

import ast_ad


def neg_log_marginal(log_params, x, y):
    length = np.exp(log_params[0])
    signal = np.exp(log_params[1])
    noise = np.exp(log_params[2])
    sq = (x[:, None] - x[None, :]) ** 2
    K = signal * np.exp(-0.5 * sq / length ** 2) + noise * np.eye(x.shape[0])
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    n = x.shape[0]
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * n * math.log(2 * math.pi)


def central_differences(f, p, *args, eps=1e-6):
    out = np.zeros_like(p)
    for i in range(p.size):
        d = np.zeros_like(p)
        d[i] = eps
        out[i] = (f(p + d, *args) - f(p - d, *args)) / (2 * eps)
    return out


def main():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-2.0, 2.0, 25))
    y = np.sin(3.0 * x) + 0.1 * rng.standard_normal(25)
    p = np.log(np.array([1.0, 1.0, 0.5]))

    value_and_grad = ast_ad.value_and_grad(neg_log_marginal)
    nll, g = value_and_grad(p, x, y)
    fd = central_differences(neg_log_marginal, p, x, y)
    print(f"-log p(y) at the start = {nll:.6f}")
    print(f"gradient (ast_ad)      = {np.array2string(g, precision=6)}")
    print(f"gradient (central FD)  = {np.array2string(fd, precision=6)}")
    print(f"max difference to finite differences: {np.max(np.abs(g - fd)):.1e}")

    step = 0.01
    for it in range(401):
        nll, g = value_and_grad(p, x, y)
        if it % 100 == 0:
            print(f"step {it:3d}   -log p(y) {nll:.6f}")
        p = p - step * g
    length, signal, noise = np.exp(p)
    print(f"fitted: length scale {length:.3f}, signal variance {signal:.3f}, "
          f"noise variance {noise:.4f}")


if __name__ == "__main__":
    main()
