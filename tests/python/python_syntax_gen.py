"""Random Python 3.11 programs in asyncdemo's subset, for the front end's
round trip (parse_roundtrip.py): every statement and expression the subset
has, in random combinations and random spellings (number forms, string
prefixes and escapes, f-strings with conversions, specs, nested fields and
self-documenting fields, Unicode names, implicit and explicit line joining,
comments, semicolons, tabs, redundant parentheses). What it writes is valid
Python (CPython checks each program anyway); what it means does not matter.

    python3 python_syntax_gen.py SEED    prints one program
"""
import random
import sys

(P_TUPLE, P_LAMBDA, P_COND, P_OR, P_AND, P_NOT, P_CMP, P_BOR, P_BXOR, P_BAND, P_SHIFT, P_SUM,
 P_TERM, P_UNARY, P_POWER, P_AWAIT, P_PRIMARY, P_ATOM) = range(18)

NAMES = ["a", "b", "c", "x", "y", "total", "value", "task", "_x", "café", "ñu", "Δt", "変数",
         "переменная", "match", "case", "_", "type", "print", "asyncio", "results", "i", "j"]
FUNCS = ["f", "g", "print", "len", "asyncio.sleep", "asyncio.gather", "obj.method", "sum"]
BINARY = [("|", P_BOR), ("^", P_BXOR), ("&", P_BAND), ("<<", P_SHIFT), (">>", P_SHIFT),
          ("+", P_SUM), ("-", P_SUM), ("*", P_TERM), ("/", P_TERM), ("//", P_TERM),
          ("%", P_TERM), ("@", P_TERM)]
COMPARE = ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"]
AUGMENTED = ["+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="]
INTS = ["0", "7", "42", "1_000", "0x1F", "0XaB", "0x_ff", "0o17", "0O7_7", "0b1010", "0B1_0",
        "00", "0_0", "9223372036854775807", "123456789"]
FLOATS = ["1.5", ".5", "1.", "1e10", "1E-3", "1.5e+3", "1_0.0_1", "0.0", "1e400", "00.5",
          "5e-324", "3.14159", "0e0", "1_000.5"]
SPECS = ["", ">10", ".2f", "^8", "<5", "08.3f", ",", "_", "+", "#x", "x", "e", "%", " ", "*^12",
         ".1%", "=+6", "010d", "g", "#o"]


class Ctx:
    """Where an expression is written: what it may hold."""

    def __init__(self, async_=False, field=False, forbidden="", genexp=False):
        self.async_ = async_        # await allowed
        self.field = field          # inside an f-string's braces: no backslash, '#', newline
        self.forbidden = forbidden  # quote characters an enclosing f-string uses
        self.genexp = genexp

    def but(self, **kw):
        c = Ctx(self.async_, self.field, self.forbidden, self.genexp)
        for k, v in kw.items():
            setattr(c, k, v)
        return c


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.unique = 0

    def fresh(self, stem):
        self.unique += 1
        return f"{stem}{self.unique}"

    def chance(self, p):
        return self.r.random() < p

    def sp(self):
        return self.r.choice([" ", " ", " ", "  ", ""])

    def nl(self, ctx):
        """Maybe a line break inside brackets (implicit joining)."""
        if ctx.field or not self.chance(0.05):
            return ""
        return "\n" + " " * self.r.randint(0, 12)

    # -- expressions --------------------------------------------------------

    def expr(self, d, ctx, min_prec=P_LAMBDA):
        text, prec = self.raw_expr(d, ctx)
        if prec < min_prec or (prec < P_ATOM and self.chance(0.04)):
            text = "(" + self.nl(ctx) + text + self.nl(ctx) + ")"
        return text

    def raw_expr(self, d, ctx):
        if d <= 0:
            return self.atom(ctx)
        kinds = ["atom", "unary", "binary", "power", "compare", "boolean", "not", "cond", "call",
                 "attribute", "subscript", "list", "tuple", "set", "dict", "comp", "lambda",
                 "fstring", "string", "await"]
        weights = [6, 2, 5, 1, 3, 2, 1, 2, 5, 2, 3, 2, 2, 1, 2, 2, 1, 2, 2, 2]
        kind = self.r.choices(kinds, weights)[0]
        e = lambda p=P_LAMBDA, c=ctx: self.expr(d - 1, c, p)
        if kind == "atom":
            return self.atom(ctx)
        if kind == "unary":
            op = self.r.choice(["-", "+", "~"])
            return op + self.sp() * (op == "~") + e(P_UNARY), P_UNARY
        if kind == "not":
            return "not " + e(P_NOT), P_NOT
        if kind == "binary":
            op, p = self.r.choice(BINARY)
            return e(p) + self.sp() + op + self.sp() + e(p + 1), p
        if kind == "power":
            return e(P_AWAIT) + self.sp() + "**" + self.sp() + e(P_UNARY), P_POWER
        if kind == "compare":
            out = e(P_CMP + 1)
            for _ in range(self.r.randint(1, 3)):
                out += " " + self.r.choice(COMPARE) + " " + e(P_CMP + 1)
            return out, P_CMP
        if kind == "boolean":
            op = self.r.choice(["and", "or"])
            p = P_AND if op == "and" else P_OR
            return f" {op} ".join(e(p + 1) for _ in range(self.r.randint(2, 4))), p
        if kind == "cond":
            return e(P_COND + 1) + " if " + e(P_COND + 1) + " else " + e(P_LAMBDA), P_COND
        if kind == "call":
            return self.call(d, ctx), P_PRIMARY
        if kind == "attribute":
            return self.primary(d, ctx) + "." + self.r.choice(["real", "done", "x", "名前"]), P_PRIMARY
        if kind == "subscript":
            return self.primary(d, ctx) + "[" + self.subscript(d, ctx) + "]", P_PRIMARY
        if kind == "list":
            return "[" + self.items(d, ctx) + "]", P_ATOM
        if kind == "tuple":
            n = self.r.randint(0, 3)
            if n == 0:
                return "()", P_ATOM
            items = [self.star_or(d, ctx) for _ in range(n)]
            text = ", ".join(items) + ("," if n == 1 or self.chance(0.2) else "")
            return text, P_TUPLE
        if kind == "set":
            return "{" + self.items(d, ctx, at_least=1) + "}", P_ATOM
        if kind == "dict":
            pairs = []
            for _ in range(self.r.randint(0, 3)):
                if self.chance(0.2):
                    pairs.append("**" + e(P_BOR))
                else:
                    pairs.append(self.brace_safe(e()) + ":" + self.sp() + e())
            return "{" + self.nl(ctx) + ", ".join(pairs) + "}", P_ATOM
        if kind == "comp":
            return self.comprehension(d, ctx)
        if kind == "lambda":
            params = self.params(d, ctx, lambda_=True)
            body = self.expr(d - 1, ctx.but(async_=False), P_LAMBDA)
            return "lambda" + (" " + params if params else "") + ": " + body, P_LAMBDA
        if kind == "fstring":
            return self.fstring(d, ctx), P_ATOM
        if kind == "string":
            return self.strings(ctx), P_ATOM
        if kind == "await" and ctx.async_ and not ctx.genexp:
            return "await " + self.primary(d, ctx), P_AWAIT
        return self.atom(ctx)

    def brace_safe(self, text):
        # {{ would be a brace in an f-string: a space keeps a display apart
        return " " + text if text.startswith("{") else text

    def atom(self, ctx):
        k = self.r.random()
        if k < 0.45:
            return self.r.choice(NAMES), P_ATOM
        if k < 0.6:
            return self.r.choice(INTS), P_ATOM
        if k < 0.7:
            return self.r.choice(FLOATS), P_ATOM
        if k < 0.9:
            return self.strings(ctx), P_ATOM
        return self.r.choice(["True", "False", "None"]), P_ATOM

    def primary(self, d, ctx):
        """Something a call, attribute or subscript can follow."""
        k = self.r.random()
        if k < 0.5 or d <= 1:
            return self.r.choice(NAMES)
        if k < 0.7:
            return self.call(d - 1, ctx)
        return self.expr(d - 1, ctx, P_PRIMARY)

    def star_or(self, d, ctx):
        if self.chance(0.15):
            return "*" + self.expr(d - 1, ctx, P_BOR)
        return self.expr(d - 1, ctx)

    def items(self, d, ctx, at_least=0):
        n = self.r.randint(at_least, 4)
        out = ", ".join(self.star_or(d, ctx) for _ in range(n))
        if n and self.chance(0.2):
            out += ","
        return self.brace_safe(out)

    def call(self, d, ctx):
        f = self.r.choice(FUNCS) if self.chance(0.7) else self.primary(d, ctx)
        if self.chance(0.1):
            # a lone generator argument: f(x for x in y)
            text, _ = self.comprehension(d, ctx, kind="gen", bare=True)
            return f + "(" + text + ")"
        args = []
        for _ in range(self.r.randint(0, 3)):
            args.append(self.expr(d - 1, ctx))
        if self.chance(0.2):
            args.append("*" + self.expr(d - 1, ctx))
        used = set()
        for _ in range(self.r.randint(0, 2)):
            k = self.r.choice(["sep", "end", "name", "key", "timeout", "return_exceptions"])
            if k not in used:
                used.add(k)
                args.append(k + "=" + self.expr(d - 1, ctx))
        if self.chance(0.15):
            args.append("*" + self.expr(d - 1, ctx))
        if self.chance(0.15):
            args.append("**" + self.expr(d - 1, ctx))
        sep = "," + self.sp()
        trailing = "," if args and self.chance(0.1) else ""
        return f + "(" + self.nl(ctx) + sep.join(args) + trailing + ")"

    def subscript(self, d, ctx):
        def one():
            k = self.r.random()
            if k < 0.5:
                return self.expr(d - 1, ctx)
            if k < 0.6:
                return "*" + self.expr(d - 1, ctx, P_BOR)
            parts = [self.expr(d - 1, ctx) if self.chance(0.6) else "" for _ in range(3)]
            s = parts[0] + ":" + parts[1]
            if self.chance(0.4):
                s += ":" + parts[2]
            return s
        n = self.r.choice([1, 1, 1, 2, 3])
        out = ", ".join(one() for _ in range(n))
        if n == 1 and self.chance(0.1):
            out += ","
        return out

    def targets(self, d, ctx, allow_star=True, nested=False):
        """An assignment target: a name, an attribute, a subscript, or a
        tuple or list of them (one starred at most)."""
        k = self.r.random()
        if k < 0.55:
            return self.r.choice(NAMES)
        if k < 0.65:
            return self.primary(d, ctx) + "." + self.r.choice(["x", "value"])
        if k < 0.75:
            return self.primary(d, ctx) + "[" + self.expr(d - 1, ctx) + "]"
        n = self.r.randint(1, 3)
        star = self.r.randrange(n) if allow_star and self.chance(0.3) else -1
        items = []
        for i in range(n):
            t = self.targets(d - 1, ctx, allow_star=False, nested=True) if d > 0 else self.r.choice(NAMES)
            items.append("*" + t if i == star else t)
        body = ", ".join(items) + ("," if n == 1 else "")
        shape = self.r.choice(["paren", "list"] if nested else ["bare", "paren", "list"])
        if shape == "list":
            return "[" + ", ".join(items) + "]"
        if shape == "paren":
            return "(" + body + ")"
        return body

    def comprehension(self, d, ctx, kind=None, bare=False):
        kind = kind or self.r.choice(["list", "set", "dict", "gen"])
        inner = ctx.but(genexp=ctx.genexp or kind == "gen")
        clauses = ""
        for i in range(self.r.randint(1, 2)):
            target = self.r.choice(["x", "y", "k, v", "(k, v)", "i", "_", "a, *b"])
            # the first iterable is the enclosing scope's
            source = self.expr(d - 1, ctx if i == 0 else inner, P_OR)
            clauses += f" for {target} in {source}"
            for _ in range(self.r.randint(0, 2)):
                clauses += " if " + self.expr(d - 1, inner, P_OR)
        if kind == "dict":
            elt = self.brace_safe(self.expr(d - 1, inner)) + ": " + self.expr(d - 1, inner)
            return "{" + elt + clauses + "}", P_ATOM
        elt = self.expr(d - 1, inner)
        if kind == "list":
            return "[" + elt + clauses + "]", P_ATOM
        if kind == "set":
            return "{" + self.brace_safe(elt) + clauses + "}", P_ATOM
        if bare:
            return elt + clauses, P_ATOM
        return "(" + elt + clauses + ")", P_ATOM

    def params(self, d, ctx, lambda_=False):
        out = []
        names = iter(["p1", "p2", "p3", "p4", "p5", "p6", "p7"])
        default = False
        annotate = (lambda: "") if lambda_ else (
            lambda: (": " + self.expr(d - 1, ctx)) if self.chance(0.3) else "")
        for _ in range(self.r.randint(0, 3)):
            if default or self.chance(0.3):
                default = True
                a = annotate()
                out.append(next(names) + a + (" = " if a else "=") + self.expr(d - 1, ctx))
            else:
                out.append(next(names) + annotate())
        star = self.r.random()
        if star < 0.2:
            out.append("*" + next(names) + annotate())
        elif star < 0.3:
            out.append("*")
        if out and out[-1] == "*" or (out and out[-1].startswith("*") and self.chance(0.5)):
            for _ in range(self.r.randint(1 if out[-1] == "*" else 0, 2)):
                a = annotate()
                if self.chance(0.5):
                    out.append(next(names) + a + (" = " if a else "=") + self.expr(d - 1, ctx))
                else:
                    out.append(next(names) + a)
        if self.chance(0.2):
            out.append("**" + next(names) + annotate())
        return ", ".join(out)

    # -- strings --------------------------------------------------------------

    def quotes(self, ctx, triple_ok=True):
        options = [q for q in ["'", '"'] if q not in ctx.forbidden]
        q = self.r.choice(options)
        if triple_ok and self.chance(0.15):
            return q * 3
        return q

    def strings(self, ctx):
        if "'" in ctx.forbidden and '"' in ctx.forbidden:
            return self.r.choice(NAMES)  # no quotes left for a string here
        n = self.r.choice([1, 1, 1, 2, 3])
        parts = []
        for _ in range(n):
            parts.append(self.fstring(1, ctx) if self.chance(0.2) else self.string(ctx))
        return (" " if self.chance(0.8) else "").join(parts)

    def string(self, ctx):
        q = self.quotes(ctx)
        raw = self.chance(0.15)
        prefix = self.r.choice(["r", "R"]) if raw else self.r.choice(["", "", "", "u", "U"])
        return prefix + q + self.text(ctx, q, raw, braces=False) + q

    def text(self, ctx, q, raw, braces):
        out = ""
        for _ in range(self.r.randint(0, 6)):
            k = self.r.random()
            if k < 0.4:
                out += self.r.choice(["abc", "Hello", " ", "x y", "é", "日本", "✓", "0", "#",
                                      "{{0}}" if braces else "{0}"])
            elif k < 0.5:
                other = '"' if q[0] == "'" else "'"
                if other not in ctx.forbidden:
                    out += other
            elif k < 0.75 and not ctx.field:
                if raw:
                    out += self.r.choice(["\\d", "\\n", "\\w+", "\\" + q[0] + "x"])
                else:
                    out += self.r.choice(["\\n", "\\t", "\\\\", "\\'", '\\"', "\\x41", "\\u00e9",
                                          "\\U0001F600", "\\101", "\\0", "\\a", "\\d",
                                          "\\\n" if len(q) == 3 else "\\x7f"])
            elif k < 0.85 and len(q) == 3 and not ctx.field:
                out += "\n"
            elif braces:
                out += self.r.choice(["{{", "}}", "{{}}"])
            else:
                out += self.r.choice(["{", "}", "{}"])
        if len(q) == 3 and out.endswith(q[0]):
            out += " "
        return out

    def fstring(self, d, ctx):
        if "'" in ctx.forbidden and '"' in ctx.forbidden:
            return self.r.choice(NAMES)
        q = self.quotes(ctx, triple_ok=not ctx.field)
        raw = self.chance(0.15)
        prefix = self.r.choice(["rf", "fr", "Rf", "fR", "RF"] if raw else ["f", "F"])
        inner = ctx.but(field=True, forbidden=ctx.forbidden + q[0], genexp=ctx.genexp)
        out = ""
        for _ in range(self.r.randint(0, 4)):
            if self.chance(0.5):
                out += self.text(ctx, q, raw, braces=True)
            else:
                out += self.field(d, inner, 0)
        if len(q) == 3 and out.endswith(q[0]):
            out += " "
        return prefix + q + out + q

    def field(self, d, ctx, level):
        code = self.brace_safe(self.expr(max(d - 1, 0), ctx, P_COND))
        out = "{" + code
        if self.chance(0.2):
            out += self.r.choice(["=", " = ", "= ", " ="])
        if self.chance(0.25):
            out += "!" + self.r.choice("rsa")
        if self.chance(0.35):
            spec = self.r.choice(SPECS)
            if level == 0 and self.chance(0.3):
                spec = self.r.choice(["", ">", "<", "^"]) + self.field(0, ctx, 1) + self.r.choice(["", ".2f", "d"])
            out += ":" + spec
        return out + "}"

    # -- statements -----------------------------------------------------------

    def program(self):
        self.unit = self.r.choice(["    ", "    ", "  ", "\t"])
        lines = []
        if self.chance(0.2):
            lines.append("# a program written at random")
        if self.chance(0.3):
            lines.append("global g0")
        lines += self.block(0, Ctx(), {"func": False, "loop": False, "star": False}, 6, 3)
        return "\n".join(lines) + ("\n" if self.chance(0.9) else "")

    def block(self, indent, ctx, where, n, depth):
        lines = []
        for _ in range(self.r.randint(1, n)):
            lines += self.statement(indent, ctx, where, depth)
            if self.chance(0.1):
                lines.append("")
            if self.chance(0.05):
                lines.append(self.unit * indent + "# " + self.r.choice(["note", "ß", "TODO: x"]))
        return lines

    def line(self, indent, text, comment=True):
        out = self.unit * indent + text
        if comment and self.chance(0.05):
            out += "  # " + self.r.choice(["why", "über", "x = 1"])
        return out

    def simple(self, ctx, where, d):
        k = self.r.random()
        e = lambda p=P_LAMBDA: self.expr(d, ctx, p)
        if k < 0.2:
            return self.call(d, ctx)
        if k < 0.4:
            targets = " = ".join(self.targets(d - 1, ctx) for _ in range(self.r.randint(1, 2)))
            value = e() if self.chance(0.7) else ", ".join(self.star_or(d, ctx) for _ in range(2))
            return targets + self.sp() + "=" + self.sp() + value
        if k < 0.5:
            target = self.r.choice([self.r.choice(NAMES), "obj.x", "items[0]", "d[k]"])
            return target + " " + self.r.choice(AUGMENTED) + " " + e()
        if k < 0.55:
            target = self.r.choice([self.r.choice(NAMES), "obj.x", "items[0]"])
            return target + ": " + e() + (" = " + e() if self.chance(0.6) else "")
        if k < 0.6:
            return "pass"
        if k < 0.65 and where["loop"]:
            return self.r.choice(["break", "continue"])
        if k < 0.72 and where["func"] and not where["star"]:
            if self.chance(0.2):
                return "return"
            return "return " + (e() if self.chance(0.7) else self.star_or(d, ctx) + ", " + e())
        if k < 0.77:
            if self.chance(0.2):
                return "raise"
            return "raise " + e() + (" from " + e() if self.chance(0.3) else "")
        if k < 0.8:
            return "import " + self.r.choice(["asyncio", "time", "random as rnd", "os.path as p",
                                              "asyncio, time"])
        if k < 0.83:
            names = self.r.choice(["sleep", "sleep, time", "(sleep as s, time,)", "(gather)",
                                   "sleep as zzz"])
            return "from " + self.r.choice(["time", "asyncio", "a.b"]) + " import " + names
        if k < 0.87:
            return "assert " + e() + (", " + e() if self.chance(0.5) else "")
        if k < 0.9:
            return "del " + ", ".join(self.targets(d - 1, ctx, allow_star=False)
                                      for _ in range(self.r.randint(1, 2)))
        return e(P_TUPLE) if self.chance(0.5) else self.call(d, ctx)

    def statement(self, indent, ctx, where, depth):
        d = self.r.randint(1, 4)
        k = self.r.random()
        if depth <= 0 or k < 0.5:
            stmts = [self.simple(ctx, where, d) for _ in range(self.r.choice([1, 1, 1, 2]))]
            text = (";" + self.sp()).join(stmts) + (";" if self.chance(0.03) else "")
            if self.chance(0.03) and " = " in text:
                text = text.replace(" = ", " = \\\n" + self.unit * (indent + 1), 1)
            return [self.line(indent, text)]
        inner = dict(where)
        kind = self.r.choice(["if", "while", "for", "try", "with", "def", "def", "nonlocal"])
        lines = []
        body = lambda w=inner, c=ctx, n=3: self.block(indent + 1, c, w, n, depth - 1)
        if kind == "if":
            lines.append(self.line(indent, "if " + self.expr(d, ctx) + ":"))
            lines += body()
            for _ in range(self.r.randint(0, 2)):
                lines.append(self.line(indent, "elif " + self.expr(d, ctx) + ":"))
                lines += body()
            if self.chance(0.4):
                lines.append(self.line(indent, "else:"))
                lines += body()
        elif kind == "while":
            lines.append(self.line(indent, "while " + self.expr(d, ctx) + ":"))
            lines += body(dict(inner, loop=True, star=False))
            if self.chance(0.3):
                lines.append(self.line(indent, "else:"))
                lines += body()
        elif kind == "for":
            async_ = "async " if ctx.async_ and self.chance(0.2) else ""
            lines.append(self.line(indent, async_ + "for " + self.targets(d - 1, ctx) + " in " +
                                   self.expr(d, ctx, P_TUPLE) + ":"))
            lines += body(dict(inner, loop=True, star=False))
            if self.chance(0.3):
                lines.append(self.line(indent, "else:"))
                lines += body()
        elif kind == "try":
            lines.append(self.line(indent, "try:"))
            lines += body()
            star = self.chance(0.3)
            handlers = self.r.randint(0 if not star else 1, 2)
            for i in range(handlers):
                kw = "except*" if star else "except"
                if not star and i == handlers - 1 and self.chance(0.3):
                    head = "except:"
                else:
                    t = self.r.choice(["ValueError", "(ValueError, TypeError)", "asyncio.CancelledError",
                                       "Exception"])
                    head = kw + " " + t + (" as err" if self.chance(0.5) else "") + ":"
                lines.append(self.line(indent, head))
                lines += body(dict(inner, star=True, loop=False) if star else inner)
            if handlers and self.chance(0.3):
                lines.append(self.line(indent, "else:"))
                lines += body()
            if not handlers or self.chance(0.3):
                lines.append(self.line(indent, "finally:"))
                lines += body()
        elif kind == "with":
            async_ = "async " if ctx.async_ and self.chance(0.3) else ""
            items = []
            for _ in range(self.r.randint(1, 3)):
                item = self.expr(d, ctx)
                if self.chance(0.5):
                    item += " as " + self.targets(0, ctx, allow_star=False, nested=True)
                items.append(item)
            text = ", ".join(items)
            if self.chance(0.3):
                text = "(" + text + ("," if self.chance(0.3) else "") + ")"
            lines.append(self.line(indent, async_ + "with " + text + ":"))
            lines += body()
        elif kind == "def":
            async_ = self.chance(0.5)
            name = self.fresh("fn")
            params = self.params(d, ctx)
            ret = " -> " + self.expr(d, ctx) if self.chance(0.2) else ""
            lines.append(self.line(indent, ("async " if async_ else "") + f"def {name}({params}){ret}:"))
            fctx = Ctx(async_=async_)
            fwhere = {"func": True, "loop": False, "star": False}
            if self.chance(0.2):
                lines.append(self.line(indent + 1, "global g1, g2"))
                lines.append(self.line(indent + 1, "g1 = 1"))
            lines += self.block(indent + 1, fctx, fwhere, 4, depth - 1)
        else:  # nonlocal, as a closure uses it
            outer, inner_f, v = self.fresh("outer"), self.fresh("inner"), self.fresh("v")
            u = self.unit
            lines += [self.line(indent, f"def {outer}():"), u * (indent + 1) + f"{v} = 0",
                      u * (indent + 1) + f"def {inner_f}():",
                      u * (indent + 2) + f"nonlocal {v}", u * (indent + 2) + f"{v} += 1",
                      u * (indent + 1) + f"{inner_f}()"]
        return lines


if __name__ == "__main__":
    print(Gen(int(sys.argv[1]) if len(sys.argv) > 1 else 0).program(), end="")
