"""The curated regression files: one hand-checked, minimised program per
distinct bug found by the fuzzer (tests/fuzz/regressions/).

    python -m tests.fuzz.make_curated      # rewrite them; says if one no longer fails
"""
from tests.fuzz import check, regress
from tests.fuzz.gen import Case

H = "import math\nimport numpy as np\n\n\n"
CASES = [
 # name, title, found_by seed, source, params, args, entries
 ("container_unread_element", "container argument with an element f never reads: IRError", 20037,
  "def f(ps):\n    return ps[0] * ps[1]\n", ["ps"], ["[0.5, -1.0, 1.5]"],
  ["grad:int:ps", "vjp"]),
 ("container_unread_dict_key", "dict argument with a key f never reads: IRError (also for wrt=t)", 20022,
  "def f(d, t):\n    return d['b'] * t\n", ["d", "t"], ["{'w': 0.5, 'b': np.array([1.0, -0.5])}", "0.7"],
  ["grad:int:d", "jac:rev:t"]),
 ("container_unpack_unused", "tuple unpacking of a list argument, one name unused: IRError", 21655,
  "def f(ps):\n    u0, u1 = ps\n    return u0 * 2.0\n", ["ps"], ["[-0.5, 1.0]"], ["vjp", "grad:int:ps"]),
 ("inplace_arg_vjp", "in-place update of an argument: vjp/jacobian(rev) mutate it and differentiate the mutated values", 20057,
  "def f(x):\n    x *= x\n    return np.sum(x)\n", ["x"], ["np.array([0.5, -1.0, 1.5])"],
  ["vjp", "jac:rev:x"]),
 ("inplace_other_arg_mutated", "jacobian(rev) w.r.t. s mutates the argument x that f updates in place", 20000,
  "def f(x, s):\n    x /= 2.0\n    return s * np.sum(x)\n", ["x", "s"], ["np.array([-1.0, -0.5])", "1.5"],
  ["jac:rev:s"]),
 ("grad_mutates_arg_nested_return", "grad mutates its argument (in-place update, return inside nested loops, zero gradient)", 20970,
  "def f(s, x):\n    for k0 in range(1, 3):\n        for i1 in range(2):\n            x[0] *= k0\n            if 0.5 < x[0, 1]:\n                return 2.0 * s\n    return s\n",
  ["s", "x"], ["0.757", "np.array([[-0.607, 0.052, 0.517]])"], ["grad:int:x"]),
 ("alias_not_updated", "alias a = x does not see a later x *= x (value and gradient wrong)", 20070,
  "def f(x):\n    a = x\n    a -= 1.0\n    x *= x\n    return a[0]\n", ["x"], ["np.array([0.5, -1.0, 1.5])"],
  ["vg:int:x", "jvp"]),
 ("alias_ifexp", "alias made by a conditional expression does not propagate an item assignment", 28,
  "def f(x):\n    z0 = x if x[0, 0] > 0.0 else x\n    z0[1] = 1.0\n    return x\n", ["x"],
  ["np.array([[1.5, 0.5, 0.5], [1.0, -0.5, 1.0]])"], ["jvp", "jac:fwd:x"]),
 ("alias_in_loop", "alias of the argument re-bound in a loop, updated in place: value/grad wrong", 20838,
  "def f(x):\n    for i0 in range(2):\n        a0 = x\n        a0[:] *= a0\n    return np.sum(x)\n",
  ["x"], ["np.array([0.5, -1.0])"], ["vg:int:x"]),
 ("alias_list_element", "alias of a list-argument element updated in place mutates the caller's list (vjp)", 21245,
  "def f(ps):\n    for p0 in ps:\n        a0 = p0\n        a0 += 1.0\n    return np.sum(ps[0] * ps[1])\n",
  ["ps"], ["[np.array([1.0, 1.5]), np.array([-1.5, 0.5])]"], ["vjp", "grad:int:ps"]),
 ("row_write_through", "in-place update of the rows of a for loop over an array is lost", 20021,
  "def f(x):\n    z = x * 1.0\n    for r in z:\n        r *= 2.0\n    return np.sum(z * z)\n",
  ["x"], ["np.array([[0.5, -1.0, 1.5], [2.0, 0.3, -0.7]])"], ["vg:int:x", "jvp"]),
 ("slice_view_write_through", "a write through a full slice view z0 = y[:] is not seen by y", 60026,
  "def f(s, y):\n    z0 = y[:]\n    z0[0] += s\n    return np.mean(y)\n", ["s", "y"],
  ["0.5", "np.array([[0.5, 1.0], [-1.5, -0.5]])"], ["vg:int:s"]),
 ("loop_copy_of_outer_var", "loop body that copies an outer variable and reads it again: IRError", 20016,
  "def f(x):\n    for i in range(2):\n        z = x\n        m = np.sum(x)\n    return np.sum(x * x)\n",
  ["x"], ["np.array([0.5, -1.0, 1.5])"], ["grad:int:x", "jac:fwd:x"]),
 ("loop_rebinds_to_array", "hessian w.r.t. s: a loop re-binds the float argument s to another array: IRError", 40080,
  "def f(x, s):\n    for i0 in range(2):\n        s = x\n    return np.sum(s * s)\n", ["x", "s"],
  ["np.array([-1.0, -0.5])", "1.0"], ["hess:s"]),
 ("return_in_nested_loop", "return inside a nested loop: the loops keep running (value and grad wrong)", 40103,
  "def f(s):\n    for i in range(2):\n        for j in range(3):\n            s = s * 2.0\n            return s\n    return s\n",
  ["s"], ["0.5"], ["vg:int:s", "jvp"]),
 ("return_in_nested_loop_vjp", "return inside the second of two inner loops: vjp counts the first loop 3 times", 40364,
  "def f(x, y, w):\n    for i0 in range(3):\n        for r0 in x:\n            y = y - r0\n        for r1 in w:\n            return y\n    return 2.0\n",
  ["x", "y", "w"], ["np.array([-0.5, 1.0, 0.5])", "np.array(1.5)", "np.array([-1.0, 1.5])"], ["vjp"]),
 ("boolean_negative_maximum", "generated reverse code negates a boolean mask: -1.0 * np.maximum(...)", 21446,
  "def f(w):\n    return -1.0 * np.maximum(2.0, np.sum(w))\n", ["w"], ["np.array([0.5, 1.5, 0.5])"],
  ["grad:int:w"]),
 ("boolean_negative_clip", "generated reverse code negates a boolean mask: -np.clip(s, -1.0, 1.0)", 21646,
  "def f(s):\n    return -np.clip(s, -1.0, 1.0)\n", ["s"], ["0.3"], ["grad:int:s"]),
 ("zero_sums_keepdims", "ValueError in zero_sums.py for a keepdims reduction followed by std/norm", 40012,
  "def f(y):\n    z7 = np.sum(y, axis=1, keepdims=True)\n    return z7.std(axis=0)\n", ["y"],
  ["np.array([[-1.5, 0.5], [-1.5, -1.0], [-0.5, -1.0]])"], ["jvp", "jac:fwd:y"]),
 ("zero_sums_keepdims_hessian", "hessian: ValueError in zero_sums.py (keepdims mean minus min, norm)", 20669,
  "def f(x):\n    return np.linalg.norm(np.mean(x, axis=1, keepdims=True) - np.min(x, axis=0))\n", ["x"],
  ["np.array([[-0.5, 0.5, 1.5], [-1.0, -0.5, -1.0], [1.5, 0.5, 0.5]])"], ["hess:x"]),
 ("nonscalar_item_assign_crash", "grad of a vector-valued f with item assignment: TypeError instead of NonScalarOutputError", 21860,
  "def f(y):\n    z1 = np.ones(3)\n    z1[1] = np.dot(y, y)\n    return z1\n", ["y"], ["np.array([1.5, 1.5, 1.0])"],
  ["nonscalar:y"]),
 ("hessian_of_vector_output", "hessian/hvp of a vector-valued f do not raise (grad does)", 60184,
  "def f(x):\n    return x ** 2\n", ["x"], ["np.array([-1.0, 0.5])"], ["hess:x", "hvp:x"]),
 ("forward_inplace_mul_slice", "forward mode: z[1:] *= s uses the updated z (jvp/jacobian fwd half the right value)", 40018,
  "def f(s):\n    z = np.full(3, 2.0)\n    z[1:] *= s\n    return z\n", ["s"], ["0.5"], ["jvp", "jac:fwd:s"]),
 ("forward_inplace_mul_tuple", "forward mode: z[:] *= tp with a tuple argument", 20078,
  "def f(tp):\n    z = np.full(3, 2.0)\n    z[:] *= tp\n    return z\n", ["tp"], ["(0.5, -1.0, -1.0)"], ["jvp"]),
 ("hvp_float_loop_ignores_v", "hvp w.r.t. a float of a function with a loop ignores v", 20237,
  "def f(s):\n    acc = []\n    for i in range(2):\n        acc.append(s)\n    return acc[1] * acc[1]\n",
  ["s"], ["0.5"], ["hvp:s"]),
 ("hvp_float_loop_item_assign", "hvp w.r.t. a float of a function with a loop ignores v (item assignment in the loop)", 20256,
  "def f(s, b):\n    z0 = np.ones(3)\n    for i3 in range(3):\n        z0[:] = s\n    return np.sum(np.cos(z0 @ b))\n",
  ["s", "b"], ["1.0", "np.array([-0.5, 0.5, -1.5])"], ["hvp:s"]),
 ("second_order_comprehension_doubled", "hessian and grad(grad) of a comprehension over a float: twice the right value", 40315,
  "def f(t):\n    return np.sum([t for q in range(3)]) * t\n", ["t"], ["1.0"], ["hess:t", "gradgrad:t"]),
 ("second_order_overwritten_item", "hessian ignores an item assignment that overwrites a value (grad is right)", 60143,
  "def f(w):\n    w = np.tanh(w)\n    w[:] = 0.0\n    return w[0]\n", ["w"], ["np.array([-1.0, 0.5])"], ["hess:w", "hvp:w"]),
 ("second_order_overwritten_item_2", "hessian ignores z[0] = 1.0 after z[0] += y[1] ** 2", 60192,
  "def f(y):\n    z = np.full(2, 1.0)\n    z[0] += y[1] ** 2\n    z[0] = 1.0\n    return np.sum(z * z)\n",
  ["y"], ["np.array([-0.5, 1.5])"], ["hess:y"]),
 ("second_order_min_in_loop", "hessian of min() in a loop: no forward rule for ast_ad's own _minimum", 20115,
  "def f(s):\n    for i0 in range(1):\n        s = min(s, 1.5)\n    return s * s\n", ["s"], ["-1.0"], ["hess:s", "hvp:s"]),
 ("gradgrad_runtime_rules", "grad(grad(f)) refused: no rule for ast_ad.runtime.maxmin_grad / norm_grad / var_grad", 40004,
  "def f(s):\n    return np.max(s) + np.linalg.norm(s) * s\n", ["s"], ["1.5"], ["gradgrad:s"]),
 ("gradgrad_matmul_setitem", "grad(grad(f)) refused: no rule for matmul_grad_b / setitem_grad_x", 40060,
  "def f(s):\n    z1 = np.zeros(3)\n    z1[2] -= s\n    return z1 @ z1\n", ["s"], ["-1.0"], ["gradgrad:s"]),
 ("second_order_empty_inner_loop", "hessian/grad(grad): a loop nested in a loop whose body never runs: IRError", 40341,
  "def f(t):\n    for i in range(3):\n        k = 0\n        while k:\n            t -= k\n    return t * t\n",
  ["t"], ["0.7"], ["hess:t", "gradgrad:t"]),
 ("second_order_nested_loop", "hessian/grad(grad) w.r.t. a float with two nested loops: IRError Var(du) read before definition", 20435,
  "def f(s):\n    u = s * s\n    for i in range(2):\n        for j in range(2):\n            u = u - 1.0\n    return u\n",
  ["s"], ["1.0"], ["hess:s", "gradgrad:s"]),
 ("gradgrad_int_result", "grad(grad(f)) of pow(s, 2) + s returns the int 2 for a float argument", 21629,
  "def f(s):\n    return pow(s, 2) + s\n", ["s"], ["-1.5"], ["gradgrad:s"]),
 ("zero_d_array_gradient_type", "0-d array argument gets a Python float gradient", 20109,
  "def f(x):\n    return x * 1.0\n", ["x"], ["np.array(0.5)"], ["grad:int:x", "vjp"]),
 ("list_operand_hessian", "np.maximum(t, [0.0]) with a list operand: generated code compares float >= list", 21187,
  "def f(t):\n    return np.sum(np.maximum(t, [0.0])) * t\n", ["t"], ["1.0"], ["hess:t"]),
]



# supported constructs that ast_ad refuses (a refusal counts as a failure for these)
REFUSED = [
 ("lambda_after_early_return", "a lambda bound after an early return is refused ('bound to different functions in the two branches')", 20244,
  "def f(s):\n    if s > 0.0:\n        return s\n    sq = lambda t: t * t\n    return sq(s)\n",
  ["s"], ["-0.5"], ["grad:int:s", "jvp"]),
]


def main():
    ok = True
    for (name, title, seed, body, params, args, entries), nr in \
            [(c, False) for c in CASES] + [(c, True) for c in REFUSED]:
        case = Case(H + body, params, args, seed=seed, entries=entries)
        res = check.run_case(case, entries=entries)
        if res.cls in check.FAILURES + check.SOFT:
            res = check.confirm(case, res)
        if not regress.failed(res, {"must_not_refuse": nr}):
            print("no longer fails:", name, res.summary())
            ok = False
            continue
        if nr and res.cls not in check.FAILURES:
            first = ("refused", res.refusals[0][0], "")
        else:
            first = next(i for i in res.issues if i[0] == res.cls)
        regress.write_regression(case, (first[0], first[1], ""), res, entries=entries, title=title, name=name,
                                 must_not_refuse=nr,
                                 found_by=f"tests/fuzz, program seed {seed} (python -m tests.fuzz --replay "
                                          f"{seed}), minimised by tests/fuzz/shrink.py and by hand")
        print("wrote", name, res.cls)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
