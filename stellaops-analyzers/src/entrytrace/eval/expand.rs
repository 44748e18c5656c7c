//! Word expansion: parameters, field splitting, `"$@"`, patterns, command substitution.

use super::super::ast::{ParamExp, ParamOp, Word, WordPart};
use super::super::cond;
use super::super::lexer::is_assign_name;
use super::super::shell;
use super::{builtins::uid, Arg, Flow, Interp, State, Val, MAX_DEPTH, MAX_FIELDS, MAX_VALUE};

/// Splits on default IFS whitespace.
fn split_fields(s: &str) -> Vec<String> {
    s.split([' ', '\t', '\n'])
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

/// Escapes glob metacharacters so quoted text matches literally.
fn escape_glob(s: &str, out: &mut String) {
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Builds the fields of one word.
#[derive(Default)]
struct Fields {
    out: Vec<Arg>,
    cur: Option<Val>,
    splat: bool,
}

impl Fields {
    pub(super) fn add(&mut self, v: &Val) {
        self.cur = Some(match &self.cur {
            Some(c) => c.concat(v),
            None => v.clone(),
        });
    }

    pub(super) fn end(&mut self) {
        if let Some(c) = self.cur.take() {
            self.out.push(Arg::One(c));
        }
    }

    /// Adds an unquoted expansion result: field-split.
    pub(super) fn add_split(&mut self, v: &Val) {
        let Some(s) = v.known() else {
            self.splat = true;
            return;
        };
        let soft = v.is_soft();
        if s.starts_with([' ', '\t', '\n']) {
            self.end();
        }
        let pieces = split_fields(s);
        let n = pieces.len();
        for (i, p) in pieces.into_iter().enumerate() {
            if i > 0 {
                self.end();
            }
            self.add(&if soft { Val::Soft(p) } else { Val::Known(p) });
            if i + 1 == n && s.ends_with([' ', '\t', '\n']) {
                self.end();
            }
        }
    }

    pub(super) fn finish(mut self) -> Vec<Arg> {
        if self.splat {
            return vec![Arg::Splat];
        }
        self.end();
        self.out
    }
}

impl Interp<'_> {
    pub(super) fn lookup(&mut self, st: &State, name: &str) -> Option<Val> {
        match name {
            "#" => Some(if st.params.contains(&Arg::Splat) {
                Val::Unknown
            } else {
                Val::k(st.params.len().to_string())
            }),
            "0" => Some(st.zero.clone()),
            "?" => Some(match st.status {
                Some(true) => Val::k("0"),
                _ => Val::Unknown,
            }),
            "$" | "!" | "-" | "RANDOM" | "HOSTNAME" | "SECONDS" | "LINENO" => Some(Val::Unknown),
            "UID" | "EUID" => Some(uid(st.user.as_deref())),
            "FUNCNAME[@]" | "FUNCNAME[*]" => Some(Val::Unknown),
            _ if name.bytes().all(|c| c.is_ascii_digit()) => {
                let n: usize = name.parse().ok()?;
                let mut i = 1;
                for a in &st.params {
                    match a {
                        Arg::Splat => return Some(Val::Unknown),
                        Arg::One(v) if i == n => return Some(v.clone()),
                        Arg::One(_) => i += 1,
                    }
                }
                None
            }
            _ if name.contains('[') => {
                let (base, sub) = name.split_once('[')?;
                let sub = sub.trim_end_matches(']');
                if base == "FUNCNAME" {
                    let i: usize = sub.parse().ok()?;
                    let mut stack: Vec<&str> =
                        st.funcnames.iter().rev().map(String::as_str).collect();
                    if !stack.is_empty() {
                        stack.push("main");
                    }
                    return stack.get(i).map(|s| Val::k(*s));
                }
                if sub == "0" {
                    return self.lookup(st, base);
                }
                Some(Val::Unknown)
            }
            _ => st.vars.get(name).cloned(),
        }
    }

    /// `${#FUNCNAME[@]}` and friends.
    pub(super) fn length(&mut self, st: &State, name: &str) -> Val {
        match name {
            "FUNCNAME[@]" | "FUNCNAME[*]" | "FUNCNAME" => {
                let n = st.funcnames.len();
                Val::k(if n == 0 { 0 } else { n + 1 }.to_string())
            }
            "@" | "*" => self.lookup(st, "#").unwrap_or(Val::Unknown),
            _ if name.ends_with("[@]") || name.ends_with("[*]") => Val::Unknown,
            _ => match self.lookup(st, name) {
                Some(v) => v.map_text(|s| Some(s.chars().count().to_string())),
                None if self.soft_unset(st, name) => Val::Soft("0".to_string()),
                None => Val::k("0"),
            },
        }
    }

    /// A parameter expansion as one string (`$@` joined by spaces).
    pub(super) fn param(&mut self, st: &mut State, p: &ParamExp) -> Val {
        if matches!(p.name.as_str(), "@" | "*") {
            return match p.op {
                ParamOp::Plain => join_args(&st.params),
                ParamOp::Length => self.length(st, &p.name),
                _ => Val::Unknown,
            };
        }
        if p.op == ParamOp::Length {
            return self.length(st, &p.name);
        }
        let (value, soft_unset) = if p.indirect {
            match self.lookup(st, &p.name) {
                Some(Val::Known(n) | Val::Soft(n)) if !n.is_empty() => {
                    let v = self.lookup(st, &n);
                    let soft = v.is_none() && self.soft_unset(st, &n);
                    (v, soft)
                }
                Some(Val::Known(_) | Val::Soft(_)) | None => (None, false),
                Some(_) => (Some(Val::Unknown), false),
            }
        } else {
            let v = self.lookup(st, &p.name);
            let soft = v.is_none() && self.soft_unset(st, &p.name);
            (v, soft)
        };
        // A result decided by a value that may differ at run time is soft too.
        let soft = soft_unset || value.as_ref().is_some_and(Val::is_soft);
        let v = self.param_op(st, p, value);
        if soft {
            v.soften()
        } else {
            v
        }
    }

    pub(super) fn param_op(&mut self, st: &mut State, p: &ParamExp, value: Option<Val>) -> Val {
        let empty = Val::k("");
        let arg = |it: &mut Self, st: &mut State| match &p.arg {
            Some(w) => it.word_str(st, w),
            None => Val::k(""),
        };
        // Whether the value counts as "unset" for `-`/`=`/`+` (and empty too with `:`).
        let missing = |colon: bool| match &value {
            None => Some(true),
            Some(Val::Known(s) | Val::Soft(s)) => Some(colon && s.is_empty()),
            Some(_) => None,
        };
        match p.op {
            ParamOp::Plain | ParamOp::Error { .. } | ParamOp::Length => value.unwrap_or(empty),
            ParamOp::Default { colon } => match missing(colon) {
                Some(true) => arg(self, st),
                Some(false) => value.unwrap_or(empty),
                None => Val::Unknown,
            },
            ParamOp::Assign { colon } => match missing(colon) {
                Some(true) => {
                    let mut v = arg(self, st);
                    if value.is_none() && self.soft_unset(st, &p.name) {
                        v = v.soften();
                    }
                    if !p.indirect {
                        st.set(&p.name, v.clone());
                    }
                    v
                }
                Some(false) => value.unwrap_or(empty),
                None => Val::Unknown,
            },
            ParamOp::Alt { colon } => match missing(colon) {
                Some(true) => empty,
                Some(false) => arg(self, st),
                None => Val::Unknown,
            },
            ParamOp::TrimPrefix { longest } | ParamOp::TrimSuffix { longest } => {
                let prefix = matches!(p.op, ParamOp::TrimPrefix { .. });
                let text = value.unwrap_or(empty);
                let pat = match &p.arg {
                    Some(w) => self.pattern(st, w),
                    None => Some(String::new()),
                };
                match pat {
                    Some(pat) => text.map_text(|t| cond::trim(t, &pat, prefix, longest)),
                    None => Val::Unknown,
                }
            }
            ParamOp::Substring => {
                let spec = arg(self, st);
                match spec.known() {
                    Some(spec) => value.unwrap_or(empty).map_text(|t| substring(t, spec)),
                    None => Val::Unknown,
                }
            }
            ParamOp::Other => Val::Unknown,
        }
    }

    /// Whether an unset variable is unset only because the config does not set it.
    pub(super) fn soft_unset(&self, st: &State, name: &str) -> bool {
        is_assign_name(name) && !name.contains('[') && !st.hard_unset.contains(name)
    }

    /// Expands words into fields (splitting unquoted expansions, `"$@"` into its elements).
    pub(super) fn words(&mut self, st: &mut State, words: &[Word]) -> Vec<Arg> {
        let mut out = Vec::new();
        for w in words {
            out.extend(self.word_fields(st, w));
            if out.len() > MAX_FIELDS {
                return vec![Arg::Splat];
            }
        }
        out
    }

    pub(super) fn word_fields(&mut self, st: &mut State, w: &Word) -> Vec<Arg> {
        let mut f = Fields::default();
        for (i, part) in w.parts.iter().enumerate() {
            match part {
                WordPart::Lit(s) => {
                    if i == 0 && (s == "~" || s.starts_with("~/")) {
                        let home = self.lookup(st, "HOME").unwrap_or(Val::Unknown);
                        f.add(&home.concat(&Val::k(&s[1..])));
                    } else {
                        f.add(&Val::k(s.clone()));
                    }
                }
                WordPart::Quoted(s) => f.add(&Val::k(s.clone())),
                WordPart::DQuoted(inner) => {
                    if inner.is_empty() {
                        f.add(&Val::k(""));
                    }
                    for ip in inner {
                        match ip {
                            WordPart::Param(p) if p.name == "@" && p.op == ParamOp::Plain => {
                                let params = st.params.clone();
                                for (j, a) in params.iter().enumerate() {
                                    if j > 0 {
                                        f.end();
                                    }
                                    match a {
                                        Arg::One(v) => f.add(v),
                                        Arg::Splat => {
                                            if f.cur.is_some() {
                                                f.add(&Val::Unknown);
                                                f.end();
                                            }
                                            f.out.push(Arg::Splat);
                                        }
                                    }
                                }
                            }
                            other => {
                                let v = self.part_str(st, other);
                                f.add(&v);
                            }
                        }
                    }
                }
                WordPart::Param(p)
                    if matches!(p.name.as_str(), "@" | "*") && p.op == ParamOp::Plain =>
                {
                    let params = st.params.clone();
                    for a in &params {
                        match a {
                            Arg::One(v) => {
                                f.end();
                                f.add_split(v);
                            }
                            Arg::Splat => f.splat = true,
                        }
                    }
                }
                other => {
                    let v = self.part_str(st, other);
                    f.add_split(&v);
                }
            }
        }
        f.finish()
    }

    /// One part as a string, without splitting.
    pub(super) fn part_str(&mut self, st: &mut State, part: &WordPart) -> Val {
        match part {
            WordPart::Lit(s) | WordPart::Quoted(s) => Val::k(s.clone()),
            WordPart::DQuoted(inner) => {
                let mut v = Val::k("");
                for ip in inner {
                    v = v.concat(&self.part_str(st, ip));
                }
                v
            }
            WordPart::Param(p) => self.param(st, p),
            WordPart::CmdSub(text) => self.command_subst(st, text),
            WordPart::Arith(_) | WordPart::Array(_) => Val::Unknown,
        }
    }

    /// A word as one string (assignments, `case` words, `[[` operands).
    pub(super) fn word_str(&mut self, st: &mut State, w: &Word) -> Val {
        let mut v = Val::k("");
        for (i, part) in w.parts.iter().enumerate() {
            let pv = match part {
                WordPart::Lit(s) if i == 0 && (s == "~" || s.starts_with("~/")) => self
                    .lookup(st, "HOME")
                    .unwrap_or(Val::Unknown)
                    .concat(&Val::k(&s[1..])),
                _ => self.part_str(st, part),
            };
            v = v.concat(&pv);
        }
        v
    }

    /// A word as a glob pattern (quoted parts escaped); `None` when not known.
    pub(super) fn pattern(&mut self, st: &mut State, w: &Word) -> Option<String> {
        let mut out = String::new();
        for part in &w.parts {
            match part {
                WordPart::Lit(s) => out.push_str(s),
                WordPart::Quoted(s) => escape_glob(s, &mut out),
                WordPart::DQuoted(_) => escape_glob(self.part_str(st, part).known()?, &mut out),
                _ => out.push_str(self.part_str(st, part).known()?),
            }
        }
        Some(out)
    }

    pub(super) fn command_subst(&mut self, st: &State, text: &str) -> Val {
        if self.depth >= MAX_DEPTH {
            return Val::Unknown;
        }
        let Ok(script) = shell::parse(text) else {
            return Val::Unknown;
        };
        let mut sub = st.clone();
        sub.capture = Some(Vec::new());
        self.depth += 1;
        let flow = self.list(&mut sub, &script.body);
        self.depth -= 1;
        if !matches!(flow, Flow::Next | Flow::Exit | Flow::Return) {
            return Val::Unknown;
        }
        // Trailing newlines are removed; a single piece keeps its kind (`Val::Not`).
        let mut pieces = sub.capture.unwrap_or_default();
        while pieces
            .last()
            .and_then(Val::known)
            .is_some_and(|s| s.trim_end_matches('\n').is_empty())
        {
            pieces.pop();
        }
        if let Some(last) = pieces.last_mut().filter(|v| v.known().is_some()) {
            *last = last.map_text(|s| Some(s.trim_end_matches('\n').to_string()));
        }
        if let [only] = pieces.as_slice() {
            return only.clone();
        }
        let mut v = Val::k("");
        for piece in &pieces {
            v = v.concat(piece);
        }
        v
    }
}

fn join_args(args: &[Arg]) -> Val {
    let mut out = Vec::new();
    let mut soft = false;
    for a in args {
        match a {
            Arg::One(v) => match v.known() {
                Some(s) => {
                    soft |= v.is_soft();
                    out.push(s);
                }
                None => return Val::Unknown,
            },
            Arg::Splat => return Val::Unknown,
        }
    }
    if out.iter().map(|s| s.len() + 1).sum::<usize>() > MAX_VALUE {
        return Val::Unknown;
    }
    let joined = out.join(" ");
    if soft {
        Val::Soft(joined)
    } else {
        Val::Known(joined)
    }
}

/// bash `${X:offset[:length]}`.
fn substring(text: &str, spec: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = i64::try_from(chars.len()).ok()?;
    let (off, len) = match spec.split_once(':') {
        Some((o, l)) => (
            o.trim().parse::<i64>().ok()?,
            Some(l.trim().parse::<i64>().ok()?),
        ),
        None => (spec.trim().parse::<i64>().ok()?, None),
    };
    let start = if off < 0 {
        (n + off).max(0)
    } else {
        off.min(n)
    };
    let end = match len {
        None => n,
        Some(l) if l < 0 => (n + l).max(start),
        Some(l) => start.saturating_add(l).min(n),
    };
    let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    Some(chars.get(start..end)?.iter().collect())
}
