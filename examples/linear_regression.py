"""Linear regression by batch gradient descent, with gradients from ast_ad.

Data come from the model  y = 2*x1 - 3*x2 + 1  plus a little Gaussian noise
(fixed seed).  The loss is the mean squared error of  X @ w + b  with  w  an
array of 2 weights and  b  a float; ``ast_ad.value_and_grad`` with
``wrt=("w", "b")`` gives the loss and its gradient with respect to both.
Training runs twice, on 30 and on 300 samples; with 300 samples it must
recover w ~ (2, -3) and b ~ 1 to within 0.05.

Run it with ``python examples/linear_regression.py``.
"""
import numpy as np

import ast_ad

TRUE_W = np.array([2.0, -3.0])
TRUE_B = 1.0


def loss(w, b, X, y):
    residual = X @ w + b - y
    return np.mean(residual ** 2)


loss_and_grad = ast_ad.value_and_grad(loss, wrt=("w", "b"))


def make_data(n_samples, seed=0, noise=0.1):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = X @ TRUE_W + TRUE_B + noise * rng.standard_normal(n_samples)
    return X, y


def fit(X, y, steps=300, learning_rate=0.1, report_every=50, out=print):
    """Batch gradient descent from w = 0, b = 0; returns (w, b, final loss)."""
    w = np.zeros(2)
    b = 0.0
    for step in range(steps + 1):
        value, (dw, db) = loss_and_grad(w, b, X, y)
        if report_every and step % report_every == 0:
            out(f"  step {step:4d}   loss {value:.6f}   w = [{w[0]: .4f}, {w[1]: .4f}]"
                f"   b = {b: .4f}")
        if step < steps:
            w = w - learning_rate * dw
            b = b - learning_rate * db
    return w, b, value


def main():
    for n_samples in (30, 300):
        X, y = make_data(n_samples)
        print(f"{n_samples} samples of y = 2*x1 - 3*x2 + 1 + noise:")
        w, b, final = fit(X, y)
        print(f"  recovered w = [{w[0]:.3f}, {w[1]:.3f}], b = {b:.3f}   "
              f"(true: w = [2, -3], b = 1)")
        print()
    # the 300-sample fit must be close to the true model
    assert np.all(np.abs(w - TRUE_W) < 0.05), w
    assert abs(b - TRUE_B) < 0.05, b
    print("OK: with 300 samples w and b are within 0.05 of the true values")


if __name__ == "__main__":
    main()
