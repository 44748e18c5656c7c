//! Three-valued evaluation of `test`/`[` expressions and sh pattern matching.
//!
//! `None` means "not decidable statically" (an operand of unknown value, a runtime-only
//! property such as `-t` or `-nt`).

use super::eval::Val;

/// `Some(answer)` or `None` when not decidable.
pub(crate) type Tri = Option<bool>;

/// Longest operand the pattern operations work on; longer values give an unknown result.
const MAX_PATTERN_INPUT: usize = 4096;

/// What `test` needs to know beyond its operands.
pub(crate) trait CondEnv {
    /// A file test (`-f`, `-d`, `-x`, …) on a known path.
    fn file_test(&self, op: &str, path: &str) -> Tri;
    /// `-v NAME`: whether the variable is set.
    fn var_set(&self, name: &str) -> Tri;
}

pub(crate) fn not(t: Tri) -> Tri {
    t.map(|b| !b)
}

pub(crate) fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

pub(crate) fn or(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

pub(crate) fn is_unary(op: &str) -> bool {
    matches!(
        op,
        "-z" | "-n"
            | "-e"
            | "-f"
            | "-d"
            | "-x"
            | "-s"
            | "-r"
            | "-w"
            | "-L"
            | "-h"
            | "-b"
            | "-c"
            | "-p"
            | "-S"
            | "-t"
            | "-g"
            | "-u"
            | "-k"
            | "-O"
            | "-G"
            | "-N"
            | "-v"
            | "-a"
    )
}

pub(crate) fn is_binary(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

fn non_empty(v: &Val) -> Tri {
    v.known().map(|s| !s.is_empty())
}

pub(crate) fn unary(op: &str, v: &Val, env: &dyn CondEnv) -> Tri {
    match op {
        "-z" => not(non_empty(v)),
        "-n" => non_empty(v),
        "-v" => env.var_set(v.known()?),
        "-t" => None,
        _ => env.file_test(op, v.known()?),
    }
}

/// String equality; a value known to differ from `x` (`Val::Not`) compares unequal to `x`.
pub(crate) fn equal(a: &Val, b: &Val) -> Tri {
    match (a, b) {
        (Val::Not(x), y) | (y, Val::Not(x)) => (y.known() == Some(x.as_str())).then_some(false),
        _ => Some(a.known()? == b.known()?),
    }
}

fn number(v: &Val) -> Option<i64> {
    v.known()?.trim().parse().ok()
}

pub(crate) fn binary(op: &str, a: &Val, b: &Val) -> Tri {
    let num = |f: fn(i64, i64) -> bool| {
        if let (Some(x), Some(y)) = (number(a), number(b)) {
            return Some(f(x, y));
        }
        // `$(id -u)` of a named non-root user against 0.
        match op {
            "-eq" => equal(a, b).and_then(|e| (!e).then_some(false)),
            "-ne" => equal(a, b).and_then(|e| (!e).then_some(true)),
            _ => None,
        }
    };
    match op {
        "=" | "==" => equal(a, b),
        "!=" => not(equal(a, b)),
        "<" => Some(a.known()? < b.known()?),
        ">" => Some(a.known()? > b.known()?),
        "-eq" => num(|x, y| x == y),
        "-ne" => num(|x, y| x != y),
        "-lt" => num(|x, y| x < y),
        "-le" => num(|x, y| x <= y),
        "-gt" => num(|x, y| x > y),
        "-ge" => num(|x, y| x >= y),
        _ => None,
    }
}

fn is(v: &Val, s: &str) -> bool {
    v.known() == Some(s)
}

/// `test ARGS…` (without the closing `]`), following the POSIX rules by argument count and
/// a precedence parser (`!` > `-a` > `-o`, parentheses) beyond four arguments.
pub(crate) fn test(args: &[Val], env: &dyn CondEnv) -> Tri {
    match args {
        [] => Some(false),
        [a] => non_empty(a),
        [a, b] if is(a, "!") => not(non_empty(b)),
        [a, b] => a
            .known()
            .filter(|op| is_unary(op))
            .and_then(|op| unary(op, b, env)),
        [a, op, b] if op.known().is_some_and(is_binary) => binary(op.known()?, a, b),
        [a, rest @ ..] if is(a, "!") => not(test(rest, env)),
        [a, b, c] if is(a, "(") && is(c, ")") => test(std::slice::from_ref(b), env),
        [a, op, b] if is(op, "-a") => and(non_empty(a), non_empty(b)),
        [a, op, b] if is(op, "-o") => or(non_empty(a), non_empty(b)),
        [a, inner @ .., z] if args.len() == 4 && is(a, "(") && is(z, ")") => test(inner, env),
        _ => {
            let mut p = TestParser { args, i: 0, env };
            let t = p.or();
            if p.i == args.len() {
                t
            } else {
                None
            }
        }
    }
}

struct TestParser<'a> {
    args: &'a [Val],
    i: usize,
    env: &'a dyn CondEnv,
}

impl TestParser<'_> {
    fn at(&self, s: &str) -> bool {
        self.args.get(self.i).is_some_and(|v| is(v, s))
    }

    fn or(&mut self) -> Tri {
        let mut t = self.and();
        while self.at("-o") {
            self.i += 1;
            t = or(t, self.and());
        }
        t
    }

    fn and(&mut self) -> Tri {
        let mut t = self.not();
        while self.at("-a") {
            self.i += 1;
            t = and(t, self.not());
        }
        t
    }

    fn not(&mut self) -> Tri {
        if self.at("!") {
            self.i += 1;
            return not(self.not());
        }
        self.primary()
    }

    fn primary(&mut self) -> Tri {
        let args = self.args;
        let a = args.get(self.i)?;
        if is(a, "(") {
            self.i += 1;
            let t = self.or();
            if !self.at(")") {
                self.i = args.len() + 1;
                return None;
            }
            self.i += 1;
            return t;
        }
        if let (Some(op), Some(b)) = (args.get(self.i + 1), args.get(self.i + 2)) {
            if op.known().is_some_and(is_binary) {
                self.i += 3;
                return binary(op.known().unwrap_or_default(), a, b);
            }
        }
        if let (Some(op), Some(b)) = (a.known().filter(|op| is_unary(op)), args.get(self.i + 1)) {
            self.i += 2;
            return unary(op, b, self.env);
        }
        self.i += 1;
        non_empty(a)
    }
}

/// Whether `text` matches the sh pattern `pat` (`*`, `?`, `[…]`; `\x` is a literal `x`).
pub(crate) fn glob_match(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    matches_chars(&p, &t)
}

fn matches_chars(p: &[char], t: &[char]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('[') => match bracket(p, pi, t[ti]) {
                Some((true, next)) => Some(next - pi),
                Some((false, _)) => None,
                None => (t[ti] == '[').then_some(1),
            },
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == t[ti]).then_some(2),
            Some(&c) => (c == t[ti]).then_some(1),
            None => None,
        };
        match step {
            Some(n) => {
                pi += n;
                ti += 1;
            }
            None => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&'*') {
        pi += 1;
    }
    pi == p.len()
}

/// A bracket expression at `p[i] == '['` against `c`: `(matched, index after `]`)`, or
/// `None` when there is no closing `]` (then `[` is literal).
fn bracket(p: &[char], i: usize, c: char) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let negate = matches!(p.get(j), Some('!' | '^'));
    if negate {
        j += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let ch = *p.get(j)?;
        if ch == ']' && !first {
            return Some((matched != negate, j + 1));
        }
        first = false;
        if ch == '[' && p.get(j + 1) == Some(&':') {
            let rest: String = p[j + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                matched |= match class {
                    "alpha" => c.is_alphabetic(),
                    "digit" => c.is_ascii_digit(),
                    "alnum" => c.is_alphanumeric(),
                    "upper" => c.is_uppercase(),
                    "lower" => c.is_lowercase(),
                    "space" => c.is_whitespace(),
                    "punct" => c.is_ascii_punctuation(),
                    "xdigit" => c.is_ascii_hexdigit(),
                    _ => false,
                };
                j += 2 + class.chars().count() + 2;
                continue;
            }
        }
        let lo = if ch == '\\' {
            j += 1;
            *p.get(j)?
        } else {
            ch
        };
        if p.get(j + 1) == Some(&'-') && p.get(j + 2).is_some_and(|&h| h != ']') {
            let hi = p[j + 2];
            matched |= lo <= c && c <= hi;
            j += 3;
        } else {
            matched |= lo == c;
            j += 1;
        }
    }
}

/// `${X#pat}` (`prefix`) or `${X%pat}`, shortest or longest match; `None` for inputs too
/// long to try.
pub(crate) fn trim(text: &str, pat: &str, prefix: bool, longest: bool) -> Option<String> {
    if text.len() > MAX_PATTERN_INPUT {
        return None;
    }
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let n = t.len();
    let cuts: Box<dyn Iterator<Item = usize>> = match (prefix, longest) {
        (true, false) | (false, true) => Box::new(0..=n),
        (true, true) | (false, false) => Box::new((0..=n).rev()),
    };
    for k in cuts {
        let (part, rest) = if prefix {
            (&t[..k], &t[k..])
        } else {
            (&t[k..], &t[..k])
        };
        if matches_chars(&p, part) {
            return Some(rest.iter().collect());
        }
    }
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFiles;
    impl CondEnv for NoFiles {
        fn file_test(&self, _: &str, _: &str) -> Tri {
            Some(false)
        }
        fn var_set(&self, _: &str) -> Tri {
            None
        }
    }

    fn t(args: &[&str]) -> Tri {
        let vals: Vec<Val> = args.iter().map(|s| Val::Known((*s).to_string())).collect();
        test(&vals, &NoFiles)
    }

    #[test]
    fn test_expressions() {
        assert_eq!(t(&[]), Some(false));
        assert_eq!(t(&["x"]), Some(true));
        assert_eq!(t(&[""]), Some(false));
        assert_eq!(t(&["-z", ""]), Some(true));
        assert_eq!(t(&["!", "-z", ""]), Some(false));
        assert_eq!(t(&["a", "=", "a"]), Some(true));
        assert_eq!(t(&["a", "!=", "a"]), Some(false));
        assert_eq!(t(&["10", "-gt", "9"]), Some(true));
        assert_eq!(t(&["(", "a", ")"]), Some(true));
        assert_eq!(t(&["a", "=", "b", "-o", "-n", "x"]), Some(true));
        assert_eq!(t(&["a", "=", "a", "-a", "!", "-f", "/x"]), Some(true));
        assert_eq!(
            t(&["(", "a", "=", "b", ")", "-o", "(", "c", "=", "c", ")"]),
            Some(true)
        );
        assert_eq!(t(&["-f", "/x"]), Some(false));
        let unknown = [Val::Unknown, Val::Known("=".into()), Val::Known("x".into())];
        assert_eq!(test(&unknown, &NoFiles), None);
        let not0 = [
            Val::Not("0".into()),
            Val::Known("=".into()),
            Val::Known("0".into()),
        ];
        assert_eq!(test(&not0, &NoFiles), Some(false));
        let not0 = [
            Val::Not("0".into()),
            Val::Known("-ne".into()),
            Val::Known("0".into()),
        ];
        assert_eq!(test(&not0, &NoFiles), Some(true));
    }

    #[test]
    fn glob_patterns() {
        assert!(glob_match("*", ""));
        assert!(glob_match("-*", "-v"));
        assert!(!glob_match("-*", "v"));
        assert!(glob_match("*.js", "app.js"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[!a]x", "bx"));
        assert!(!glob_match("[!a]x", "ax"));
        assert!(glob_match("[a-c][[:digit:]]", "b7"));
        assert!(glob_match("\\*", "*"));
        assert!(!glob_match("\\*", "x"));
        assert!(glob_match("[", "["));
        assert!(glob_match(
            "*/libnss_wrapper.so",
            "/usr/lib/libnss_wrapper.so"
        ));
    }

    #[test]
    fn trims() {
        assert_eq!(trim("--help", "-", true, false).as_deref(), Some("-help"));
        assert_eq!(trim("node", "-", true, false).as_deref(), Some("node"));
        assert_eq!(
            trim("a.tar.gz", ".*", false, false).as_deref(),
            Some("a.tar")
        );
        assert_eq!(trim("a.tar.gz", ".*", false, true).as_deref(), Some("a"));
        assert_eq!(trim("/usr/bin/x", "*/", true, true).as_deref(), Some("x"));
        assert_eq!(
            trim("/usr/bin/x", "*/", true, false).as_deref(),
            Some("usr/bin/x")
        );
    }
}
