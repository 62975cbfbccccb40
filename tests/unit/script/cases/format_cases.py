"""Makes format_test.cpp's cases: format(value, spec) under CPython 3.11,
for random specs (fill, align, sign, z, #, 0, width, grouping, precision,
type) over ints, bools, floats, strs and others; an error is its type and
message. A result holding a lone surrogate is left out (no UTF-8 text can).

    python3 format_cases.py > cases.inc   (then paste them into the test)
"""
import random
rng = random.Random(5)
values = [0, 1, -1, 7, 42, -255, 1234567, -9223372036854775808, 9223372036854775807, 65, 0x10FFFF, 0xD800,
          0.0, -0.0, 1.5, -1.5, 0.1, 2.5, 1234.5678, 1e16, 1e-5, 123456789.0, 1e300, -1e-300,
          float('inf'), float('-inf'), float('nan'), True, False, None, "", "ab", "é", "日本", "a b", [1, 2]]
fills = ["", "x", "0", "*", "é", " "]
aligns = ["", "<", ">", "=", "^"]
signs = ["", "+", "-", " "]
types = ["", "s", "d", "b", "o", "x", "X", "c", "n", "e", "E", "f", "F", "g", "G", "%", "q"]
specs = set()
for _ in range(900):
    s = ""
    a = rng.choice(aligns)
    if a: s += rng.choice(fills) + a
    s += rng.choice(signs)
    if rng.random() < 0.1: s += "z"
    if rng.random() < 0.15: s += "#"
    if rng.random() < 0.2: s += "0"
    if rng.random() < 0.5: s += str(rng.choice([1, 3, 6, 10, 12]))
    if rng.random() < 0.15: s += rng.choice([",", "_"])
    if rng.random() < 0.3: s += "." + str(rng.choice([0, 1, 2, 3, 10]))
    s += rng.choice(types)
    specs.add(s)
specs |= {"", ",", "_", ",_", "x5", ".", "{", ">{5}", "<<", "<<5", "0>5", "08,", "07,", "#_x", "#012_x"}
def cpp(s):
    out = '"'
    for ch in s:
        if ch in '"\\': out += "\\" + ch
        elif ord(ch) < 0x20: out += "\\x%02x" % ord(ch)
        else: out += ch
    return out + '"'
def val(v):
    if v is None: return "Object()"
    if isinstance(v, bool): return "Object(%s)" % ("true" if v else "false")
    if isinstance(v, int):
        if v == -9223372036854775808: return "Object(std::numeric_limits<std::int64_t>::min())"
        return "Object(std::int64_t{%d})" % v
    if isinstance(v, float):
        if v != v: return "Object(std::nan(\"\"))"
        if v in (float('inf'), float('-inf')):
            return "Object(%sstd::numeric_limits<double>::infinity())" % ("-" if v < 0 else "")
        return "Object(%r)" % v
    if isinstance(v, str): return "Object(std::string(%s))" % cpp(v)
    return "Object(List{Object(std::int64_t{1}), Object(std::int64_t{2})})"
keep = random.Random(1)
for v in values:
    for s in sorted(specs):
        if rng.random() > 0.12 and s not in ("", ",", "x5", "<<5", "08,"):
            continue
        try:
            r = format(v, s)
            if any(0xd800 <= ord(c) <= 0xdfff for c in r): continue
            want = r
        except Exception as e:
            want = type(e).__name__ + ": " + str(e)
        line = "    {%s, %s, %s}," % (val(v), cpp(s), cpp(want))
        if keep.random() < 0.4 or '"", ' in line[:60]:
            print(line)
