"""A Gaussian mixture fitted by gradient ascent on its log-likelihood.

The parameters live in a dict (mixing logits, means, log standard
deviations); the log-likelihood of 1-d data uses ``scipy.stats.norm.logpdf``
for the components and ``scipy.special.logsumexp`` to add them up stably:

    log p(x) = Σᵢ logsumexp_k [ log πₖ + log N(xᵢ; μₖ, σₖ) ]

``ast_ad.value_and_grad`` returns the gradient as a dict of the same shape;
it is checked against central finite differences, then a few hundred steps
of gradient ascent recover the two components the data was drawn from.

Needs SciPy.  Run it with ``python examples/mixture_model.py``.
"""
import numpy as np
from scipy.special import logsumexp
from scipy.stats import norm

import ast_ad


def log_likelihood(params, x):
    log_weights = params["logits"] - logsumexp(params["logits"])
    sigmas = np.exp(params["log_sigmas"])
    per_component = norm.logpdf(x[:, None], params["means"][None, :], sigmas[None, :])
    return np.sum(logsumexp(per_component + log_weights[None, :], axis=1))


def central_differences(f, params, x, eps=1e-6):
    out = {}
    for key, value in params.items():
        g = np.zeros_like(value)
        for i in range(value.size):
            up = {k: v.copy() for k, v in params.items()}
            down = {k: v.copy() for k, v in params.items()}
            up[key][i] += eps
            down[key][i] -= eps
            g[i] = (f(up, x) - f(down, x)) / (2 * eps)
        out[key] = g
    return out


def main():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(-2.0, 0.5, 150), rng.normal(1.5, 1.0, 250)])
    params = {"logits": np.zeros(2), "means": np.array([-0.5, 0.5]),
              "log_sigmas": np.zeros(2)}

    value_and_grad = ast_ad.value_and_grad(log_likelihood)
    ll, g = value_and_grad(params, x)
    fd = central_differences(log_likelihood, params, x)
    worst = max(np.max(np.abs(g[k] - fd[k])) for k in params)
    print(f"log-likelihood at the start = {ll:.4f}")
    print(f"gradient keys: {sorted(g)}; max difference to finite differences: {worst:.1e}")

    step = 1e-3
    for it in range(601):
        ll, g = value_and_grad(params, x)
        if it % 150 == 0:
            print(f"step {it:3d}   log-likelihood {ll:.4f}")
        params = {k: params[k] + step * g[k] for k in params}
    order = np.argsort(params["means"])
    weights = np.exp(params["logits"] - logsumexp(params["logits"]))[order]
    print(f"means {np.round(params['means'][order], 2)}, "
          f"sigmas {np.round(np.exp(params['log_sigmas'][order]), 2)}, "
          f"weights {np.round(weights, 2)}")


if __name__ == "__main__":
    main()
