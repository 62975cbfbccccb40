"""Makes numbers_test.cpp's cases: each expression evaluated by CPython 3.11.

    python3 numbers_cases.py > cases.inc   (then paste them into the test)

A negative float to a fractional power is left out: Python's answer is a
complex number, which the language does not have (it refuses it)."""
import random, math
rng = random.Random(7)
ints = [0, 1, -1, 2, -2, 3, 7, -7, 10, 255, 1000, 12345, -98765, 2**31, -2**31, 2**53, 2**53 + 1, 2**62, 2**63 - 1, -2**63]
floats = [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.1, 1e16, 1e-5, 123.456, 1e308, -1e308, 5e-324]
specials = ["float('inf')", "float('-inf')", "float('nan')"]
def lit(v):
    if isinstance(v, float):
        if v != v: return "float('nan')"
        if v == float('inf'): return "float('inf')"
        if v == float('-inf'): return "float('-inf')"
        r = repr(v)
        return "(" + r + ")" if v < 0 or r.startswith('-') else r
    if v < 0:
        if v == -2**63: return "(-9223372036854775807-1)"
        return "(" + str(v) + ")"
    return str(v)
def fits(x):
    return not isinstance(x, int) or isinstance(x, bool) or -2**63 <= x < 2**63
out = []
ops = ["+", "-", "*", "/", "//", "%", "**", "<", "<=", "==", "!=", ">", ">="]
vals = ints + floats + [float('inf'), float('-inf'), float('nan')]
for _ in range(2500):
    a, b = rng.choice(vals), rng.choice(vals)
    op = rng.choice(ops)
    if op == "**" and isinstance(a, int) and isinstance(b, int) and b > 64: b = rng.randint(0, 70)
    if op == "**" and isinstance(b, int) and b > 10**6: continue
    expr = f"{lit(a)} {op} {lit(b)}"
    try:
        r = eval(f"a {op} b")
        if isinstance(r, complex): continue  # (see above)
        if not fits(r): want = "OVERFLOW"
        else: want = repr(r)
    except Exception as e:
        if "complex" in str(e): continue  # (see above)
        want = type(e).__name__ + ": " + str(e)
    out.append((expr, want))
for v in ints + floats:
    for n in [None, 0, 1, 2, -1, -2, 3]:
        expr = f"round({lit(v)})" if n is None else f"round({lit(v)}, {n})"
        try:
            r = round(v) if n is None else round(v, n)
            want = repr(r) if fits(r) else "OVERFLOW"
        except Exception as e:
            want = type(e).__name__ + ": " + str(e)
        out.append((expr, want))
for s in ["5", "+5", "-5", " 5", "5 ", "\t5\n", "1_000", "1__0", "_1", "1_", "", " ", "0x10", "007", "9223372036854775807", "-9223372036854775808", "1.5", "abc", "٣"]:
    for f in ["int", "float"]:
        expr = f"{f}({s!r})"
        try:
            r = eval(f"{f}(s)")
            want = repr(r) if fits(r) else "OVERFLOW"
        except Exception as e:
            want = type(e).__name__ + ": " + str(e)
        out.append((expr, want))
for s in ["1e400", "-1e400", "1e-400", "inf", "-Infinity", "nan", "1.5e3", "1_0.5", "1.", ".5", ".", "e5", "1e", "1e1_0"]:
    expr = f"float({s!r})"
    try: want = repr(float(s))
    except Exception as e: want = type(e).__name__ + ": " + str(e)
    out.append((expr, want))
for v in floats + [2**53 + 1]:
    expr = f"int({lit(v)})"
    try: want = repr(int(v)) if fits(int(v)) else "OVERFLOW"
    except Exception as e: want = type(e).__name__ + ": " + str(e)
    out.append((expr, want))
for e in ["abs(-9223372036854775807-1)", "-(-9223372036854775807-1)", "True * 'x'", "'ab' * False", "3 * [1]", "[1] * -2", "True + True", "2 ** -1", "0 ** -1", "(-8) ** 2", "0.0 ** -1.0", "1.0 // 0", "1 % 0", "1.0 % 0", "1 / 0", "1.0 / 0", "7 // -2", "-7 % 3", "-7.5 // 2", "7.5 % -2", "int(float('inf'))", "int(float('nan'))", "round(float('inf'))", "round(float('nan'))", "round(1234.5, -2)", "round(1250, -2)", "round(1350, -2)", "round(-1250, -2)", "round(0.5)", "round(1.5)", "round(-0.5)", "round(2.675, 2)", "round(1e300, -300)", "round(5e-324, 400)"]:
    try:
        r = eval(e)
        want = repr(r) if fits(r) else "OVERFLOW"
    except Exception as ex:
        want = type(ex).__name__ + ": " + str(ex)
    out.append((e, want))
def cpp(s):
    o = '"'
    for ch in s:
        if ch in '"\\': o += "\\" + ch
        elif ord(ch) < 0x20: o += "\\x%02x" % ord(ch) + '""'
        else: o += ch
    return o + '"'
for e, w in out:
    print(f"    {{{cpp(e)}, {cpp(w)}}},")
