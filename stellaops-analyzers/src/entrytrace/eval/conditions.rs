//! Conditions: file tests for `test`/`[` against the image, and `[[ … ]]` expressions.

use super::super::ast::CondItem;
use super::super::cond::{self, CondEnv, Tri};
use super::super::paths::{self, absolutize};
use super::builtins::uid;
use super::{Interp, State, Val};

/// File tests and `-v` for `test`/`[[`.
pub(super) struct TestEnv<'a, 'f> {
    pub(super) it: &'a Interp<'f>,
    pub(super) st: &'a State,
}

impl CondEnv for TestEnv<'_, '_> {
    fn file_test(&self, op: &str, path: &str) -> Tri {
        let fs = self.it.fs;
        let abs = if path.starts_with('/') {
            absolutize("/", path)
        } else {
            absolutize(self.st.cwd.known()?, path)
        };
        let real = fs.resolve(&abs);
        let Some(real) = real else {
            // Missing from the image; `-L`/`-h` could still be a dangling link.
            return if matches!(op, "-L" | "-h") {
                None
            } else {
                Some(false)
            };
        };
        let file = fs.is_file(&real);
        match op {
            "-e" | "-a" => Some(true),
            "-f" => Some(file),
            "-d" => Some(!file),
            "-x" => {
                if file {
                    paths::executable(fs, &real)
                } else {
                    None
                }
            }
            "-s" => {
                if !file {
                    return None;
                }
                match fs.script(&real) {
                    Some(text) => Some(!text.is_empty()),
                    None if fs.is_native(&real) => Some(true),
                    None => None,
                }
            }
            "-r" if file && uid(self.st.user.as_deref()) == Val::k("0") => Some(true),
            _ => None,
        }
    }

    fn var_set(&self, name: &str) -> Tri {
        if self.st.vars.contains_key(name) {
            Some(true)
        } else if self.st.hard_unset.contains(name) {
            Some(false)
        } else {
            None
        }
    }
}

/// `[[ … ]]`: `||` < `&&` < `!` < primaries; `==`/`!=` match patterns, `=~` is unknown.
pub(super) struct BracketParser<'a> {
    pub(super) items: &'a [CondItem],
    pub(super) i: usize,
}

impl BracketParser<'_> {
    fn at_op(&self, op: &str) -> bool {
        matches!(self.items.get(self.i), Some(CondItem::Op(o)) if *o == op)
    }

    pub(super) fn or(&mut self, it: &mut Interp<'_>, st: &mut State) -> Tri {
        let mut t = self.and(it, st);
        while self.at_op("||") {
            self.i += 1;
            let r = self.and(it, st);
            t = cond::or(t, r);
        }
        t
    }

    fn and(&mut self, it: &mut Interp<'_>, st: &mut State) -> Tri {
        let mut t = self.not(it, st);
        while self.at_op("&&") {
            self.i += 1;
            let r = self.not(it, st);
            t = cond::and(t, r);
        }
        t
    }

    fn not(&mut self, it: &mut Interp<'_>, st: &mut State) -> Tri {
        if self.at_op("!") {
            self.i += 1;
            return cond::not(self.not(it, st));
        }
        self.primary(it, st)
    }

    fn primary(&mut self, it: &mut Interp<'_>, st: &mut State) -> Tri {
        let items = self.items;
        if self.at_op("(") {
            self.i += 1;
            let t = self.or(it, st);
            if !self.at_op(")") {
                self.i = items.len() + 1;
                return None;
            }
            self.i += 1;
            return t;
        }
        let Some(CondItem::Word(a)) = items.get(self.i) else {
            self.i = items.len() + 1;
            return None;
        };
        let op = match items.get(self.i + 1) {
            Some(CondItem::Word(w)) => w.as_plain(),
            Some(CondItem::Op(o @ ("<" | ">"))) => Some(*o),
            _ => None,
        };
        if let (Some(op), Some(CondItem::Word(b))) = (op, items.get(self.i + 2)) {
            if cond::is_binary(op) || op == "=~" {
                self.i += 3;
                let left = it.word_str(st, a);
                return match op {
                    "==" | "=" | "!=" => {
                        it.soft += usize::from(left.is_soft());
                        let m = match (left.known(), it.pattern(st, b)) {
                            (Some(l), Some(p)) => Some(cond::glob_match(&p, l)),
                            _ => None,
                        };
                        if op == "!=" {
                            cond::not(m)
                        } else {
                            m
                        }
                    }
                    "=~" => None,
                    _ => {
                        let right = it.word_str(st, b);
                        it.soft += usize::from(left.is_soft() || right.is_soft());
                        cond::binary(op, &left, &right)
                    }
                };
            }
        }
        if let (Some(op), Some(CondItem::Word(b))) = (a.as_plain(), items.get(self.i + 1)) {
            if cond::is_unary(op) {
                self.i += 2;
                let v = it.word_str(st, b);
                it.soft += usize::from(v.is_soft());
                let env = TestEnv { it, st };
                return cond::unary(op, &v, &env);
            }
        }
        self.i += 1;
        let v = it.word_str(st, a);
        it.soft += usize::from(v.is_soft());
        v.known().map(|s| !s.is_empty())
    }
}
