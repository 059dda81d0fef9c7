/**
 * mod_expr's arithmetic for `expr`: + - * / % ^ and parentheses on numbers.
 * Returns FreeSWITCH's text (integers without a decimal point).
 */
export function evalExpr(input: string): string {
  const src = input.replace(/\s+/g, "");
  let i = 0;
  const peek = () => src[i];
  const num = (): number => {
    if (peek() === "(") {
      i++;
      const v = add();
      if (peek() === ")") i++;
      return v;
    }
    if (peek() === "-") {
      i++;
      return -num();
    }
    const m = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (!m) throw new Error("syntax");
    i += m[0].length;
    return Number.parseFloat(m[0]);
  };
  const pow = (): number => {
    const b = num();
    if (peek() === "^") {
      i++;
      return b ** pow();
    }
    return b;
  };
  const mul = (): number => {
    let v = pow();
    for (;;) {
      const c = peek();
      if (c !== "*" && c !== "/" && c !== "%") return v;
      i++;
      const r = pow();
      v = c === "*" ? v * r : c === "/" ? v / r : v % r;
    }
  };
  const add = (): number => {
    let v = mul();
    for (;;) {
      const c = peek();
      if (c !== "+" && c !== "-") return v;
      i++;
      const r = mul();
      v = c === "+" ? v + r : v - r;
    }
  };
  try {
    const v = add();
    if (i !== src.length || !Number.isFinite(v)) return "!err!";
    return Number.isInteger(v) ? String(v) : String(v);
  } catch {
    return "!err!";
  }
}
