"""The ast_ad demo (``make demo``): a gradient, the code ast_ad generated for
it, a small training run, and an error message that points at user code.

Run it with ``python examples/demo.py``.
"""
import math

import numpy as np

import ast_ad
from linear_regression import TRUE_B, TRUE_W, fit, make_data


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def clipped(x):
    try:
        return math.sqrt(x)
    except ValueError:
        return 0.0


def heading(text):
    print()
    print(f"== {text} ==")


def main():
    heading("1. A gradient")
    print("def f(x1, x2):")
    print("    return math.log(x1) + x1 * x2 - math.sin(x2)")
    print()
    df = ast_ad.grad(f, wrt=(0, 1))
    dx1, dx2 = df(2.0, 5.0)
    print(">>> df = ast_ad.grad(f, wrt=(0, 1))")
    print(">>> df(2.0, 5.0)")
    print(f"({dx1:.6f}, {dx2:.6f})        # exact: (1/x1 + x2, x1 - cos(x2)) = "
          f"({1 / 2.0 + 5.0:.6f}, {2.0 - math.cos(5.0):.6f})")

    heading("2. The code ast_ad generated (df.source)")
    print(df.source.rstrip())

    heading("3. Training: linear regression by gradient descent")
    print("loss(w, b, X, y) = mean((X @ w + b - y) ** 2);  "
          "ast_ad.value_and_grad(loss, wrt=('w', 'b'))")
    X, y = make_data(300)
    w, b, _ = fit(X, y, steps=200, report_every=50)
    print(f"recovered w = [{w[0]:.3f}, {w[1]:.3f}], b = {b:.3f}   "
          f"(true: w = [{TRUE_W[0]:g}, {TRUE_W[1]:g}], b = {TRUE_B:g})")
    assert np.all(np.abs(w - TRUE_W) < 0.05) and abs(b - TRUE_B) < 0.05

    heading("4. Errors point at your code")
    try:
        ast_ad.grad(clipped)(4.0)
    except ast_ad.DifferentiationError as e:
        print(f"{type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
