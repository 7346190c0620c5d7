"""The worked example of Baydin et al., "Automatic differentiation in machine
learning: a survey" (JMLR 2018), Tables 2 and 3:

    f(x1, x2) = ln(x1) + x1 * x2 - sin(x2)    at (x1, x2) = (2, 5)

Prints the SSA form (the evaluation trace as code: v-1, v0, v1, ...), the
evaluation-trace table with values and adjoints, and the gradient

    df/dx1 = 1/x1 + x2      = 5.5
    df/dx2 = x1 - cos(x2)   = 1.716...

Run it with ``python examples/baydin.py``; the function is also a CLI target:
``ast-ad show examples/baydin.py:f`` or ``ast-ad check examples/baydin.py:f 2 5``.
"""
import math

import ast_ad


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def main():
    print("f(x1, x2) = ln(x1) + x1*x2 - sin(x2)")
    print()
    print("== SSA form ==")
    print(str(ast_ad.ssa(f)).rstrip())
    print()
    print("== Evaluation trace at (x1, x2) = (2, 5) ==")
    print(str(ast_ad.trace(f, 2.0, 5.0, wrt=(0, 1))).rstrip())
    print()
    dx1, dx2 = ast_ad.grad(f, wrt=(0, 1))(2.0, 5.0)
    print("== Gradient ==")
    print(f"df/dx1 = {dx1:.6f}   (1/x1 + x2 = {1 / 2.0 + 5.0:.6f})")
    print(f"df/dx2 = {dx2:.6f}   (x1 - cos(x2) = {2.0 - math.cos(5.0):.6f})")


if __name__ == "__main__":
    main()
