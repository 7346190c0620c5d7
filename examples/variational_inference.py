"""Variational inference by the reparameterisation trick.

A Bayesian logistic regression with a standard normal prior on its weights
is approximated by a Gaussian q(w) = N(μ, diag(σ²)).  The evidence lower
bound is estimated with samples drawn *inside* the function,

    w = μ + σ ⊙ ε,   ε ~ N(0, I)   (rng.standard_normal)
    ELBO ≈ mean over samples of [log p(y | X, w) + log p(w) - log q(w)]

so its gradient flows through ``μ + σ ⊙ ε`` to the variational parameters.
The generated code draws the same numbers, in the same order, as the
function does: with the generator's state put back, the gradient is
checked against central finite differences of the very same estimate.
Then a few hundred steps of stochastic gradient ascent fit q.

Run it with ``python examples/variational_inference.py``.
"""
import numpy as np

import ast_ad

N_SAMPLES = 8


def elbo(params, X, y, rng):
    mu, log_sigma = params[0], params[1]
    sigma = np.exp(log_sigma)
    total = 0.0
    for _ in range(N_SAMPLES):
        w = mu + sigma * rng.standard_normal(mu.shape[0])
        logits = X @ w
        log_lik = np.sum(y * logits - np.logaddexp(0.0, logits))
        log_prior = -0.5 * np.sum(w ** 2)
        log_q = -0.5 * np.sum(((w - mu) / sigma) ** 2) - np.sum(log_sigma)
        total = total + log_lik + log_prior - log_q
    return total / N_SAMPLES


def main():
    data = np.random.default_rng(2)
    X = data.standard_normal((100, 3))
    y = (X @ np.array([1.5, -2.0, 0.5]) + 0.3 * data.standard_normal(100) > 0) * 1.0
    params = np.zeros((2, 3))
    rng = np.random.default_rng(3)

    value_and_grad = ast_ad.value_and_grad(elbo)
    state = rng.bit_generator.state
    value, g = value_and_grad(params, X, y, rng)
    rng.bit_generator.state = state
    print(f"same estimate as the function itself: {value == elbo(params, X, y, rng)}")
    fd = np.zeros_like(params)
    for i in np.ndindex(params.shape):
        d = np.zeros_like(params)
        d[i] = 1e-6
        rng.bit_generator.state = state          # (the same draws for both points)
        up = elbo(params + d, X, y, rng)
        rng.bit_generator.state = state
        down = elbo(params - d, X, y, rng)
        fd[i] = (up - down) / 2e-6
    print(f"ELBO estimate at the start = {value:.4f}")
    print(f"max difference to finite differences of the same estimate: "
          f"{np.max(np.abs(g - fd)):.1e}")

    step = 0.01
    for it in range(401):
        value, g = value_and_grad(params, X, y, rng)
        if it % 100 == 0:
            print(f"step {it:3d}   ELBO estimate {value:.3f}")
        params = params + step * g
    print(f"posterior mean {np.round(params[0], 2)}, sd {np.round(np.exp(params[1]), 2)}")


if __name__ == "__main__":
    main()
