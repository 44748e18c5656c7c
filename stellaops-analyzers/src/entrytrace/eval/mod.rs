//! Symbolic interpretation of an entrypoint script: which program does it hand control to?
//!
//! Values are known strings, unknown, or "known to differ from X" (`$(id -u)` of a named
//! non-root user). The interpreter tracks variables, exported names, positional parameters
//! (`set --`, `shift`, function calls), the working directory (`cd`), functions, and decides
//! `[`/`test`/`[[`/`case` when the operands are known (file tests ask the [`ImageFs`]).
//!
//! Rules for what cannot be decided (also in the module docs of `entrytrace`):
//!
//! - An undecidable condition runs every alternative on a copy of the state. If one of them
//!   ends in `exec`, the first such alternative (in source order) is taken and a note is
//!   recorded. Alternatives that `exit` are dropped. The remaining states are merged: values
//!   that differ become unknown.
//! - Environment variables absent from the config are unset (the default `docker run`), but
//!   `docker run -e` may set them: a condition decided only thanks to such an unset variable
//!   is treated as undecidable when the branch it selects would `exit`.
//! - The script hands control to the first `exec` reached; without one, to the last external
//!   command run (not a known short-lived utility such as `mkdir` or `chown`).
//! - Loops run at most [`MAX_ITERATIONS`] times; function, `eval`, `.` and `$(…)` nesting is
//!   bounded by [`MAX_DEPTH`]; the whole trace by [`BUDGET`] commands.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::ast::{AndOr, AndOrOp, CaseArm, Command, Pipeline, Script, Word};
use super::cond::{self, Tri};
use super::paths;
use super::ImageFs;
use conditions::BracketParser;

mod builtins;
mod conditions;
mod expand;

/// Function/`eval`/`.`/`$(…)` nesting limit.
const MAX_DEPTH: usize = 32;
/// Iterations of one `while`/`until` loop.
const MAX_ITERATIONS: usize = 100;
/// Commands evaluated per trace (all scripts, all explored alternatives).
pub(crate) const BUDGET: usize = 10_000;
/// Nesting of commands and explored alternatives (bounds the interpreter's stack).
const MAX_NEST: usize = 200;
/// Longest value kept; longer ones become unknown.
const MAX_VALUE: usize = 1 << 16;
/// Most fields or positional parameters kept; more become an unknown number.
const MAX_FIELDS: usize = 4096;

/// A value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Known(String),
    /// Known by default, but derived from an environment variable the config does not set,
    /// which `docker run -e` may set.
    Soft(String),
    Unknown,
    /// Unknown, but not equal to this string.
    Not(String),
}

impl Val {
    /// The text of a known (or soft) value.
    pub(crate) fn known(&self) -> Option<&str> {
        match self {
            Val::Known(s) | Val::Soft(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn is_soft(&self) -> bool {
        matches!(self, Val::Soft(_))
    }

    fn concat(&self, other: &Val) -> Val {
        if self.known().map_or(0, str::len) + other.known().map_or(0, str::len) > MAX_VALUE {
            return Val::Unknown;
        }
        match (self, other) {
            (Val::Known(a), Val::Known(b)) => Val::Known(format!("{a}{b}")),
            (Val::Known(a) | Val::Soft(a), Val::Known(b) | Val::Soft(b)) => {
                Val::Soft(format!("{a}{b}"))
            }
            _ => Val::Unknown,
        }
    }

    fn soften(self) -> Val {
        match self {
            Val::Known(s) => Val::Soft(s),
            v => v,
        }
    }

    /// Keeps the text of a known value, with another value's softness.
    fn map_text(&self, f: impl FnOnce(&str) -> Option<String>) -> Val {
        match self {
            Val::Known(s) => f(s).map_or(Val::Unknown, Val::Known),
            Val::Soft(s) => f(s).map_or(Val::Unknown, Val::Soft),
            _ => Val::Unknown,
        }
    }

    fn k(s: impl Into<String>) -> Val {
        Val::Known(s.into())
    }
}

/// One argument after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    One(Val),
    /// Any number of arguments of unknown value (`"$@"` when unknown, `$X` unquoted when
    /// unknown).
    Splat,
}

impl Arg {
    pub(crate) fn known(&self) -> Option<&str> {
        match self {
            Arg::One(v) => v.known(),
            Arg::Splat => None,
        }
    }
}

/// A program the script hands control to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Launch {
    pub(crate) argv: Vec<Arg>,
    /// The exported environment at that point.
    pub(crate) env: BTreeMap<String, Val>,
    pub(crate) cwd: Val,
    pub(crate) line: usize,
    /// `exec` (the shell is replaced) or a plain command (the shell waits).
    pub(crate) exec: bool,
}

/// Where interpretation starts.
pub(crate) struct Start {
    pub(crate) params: Vec<Arg>,
    /// `$0`.
    pub(crate) zero: String,
    /// The exported environment.
    pub(crate) env: BTreeMap<String, Val>,
    pub(crate) cwd: Val,
    pub(crate) user: Option<String>,
    /// The script's path (`$BASH_SOURCE`), if a file.
    pub(crate) source: Option<String>,
}

pub(crate) enum Outcome {
    Launch(Launch),
    /// Ran nothing recognisable: the shell itself is the terminal program.
    Ends,
    /// Interpretation stopped (budget); the reason.
    Abort(String),
}

pub(crate) struct Run {
    pub(crate) outcome: Outcome,
    /// Assumptions made, `line N: …`.
    pub(crate) notes: Vec<String>,
}

/// Interprets `script` from `start`, spending from `budget` (commands evaluated).
pub(crate) fn run(script: &Script, start: Start, fs: &dyn ImageFs, budget: &mut usize) -> Run {
    let mut vars = start.env.clone();
    let exported: BTreeSet<String> = start.env.keys().cloned().collect();
    if let Some(src) = &start.source {
        vars.insert("BASH_SOURCE".to_string(), Val::k(src.clone()));
    }
    if let Some(cwd) = start.cwd.known() {
        vars.insert("PWD".to_string(), Val::k(cwd));
    }
    let mut st = State {
        vars,
        exported,
        hard_unset: BTreeSet::new(),
        params: start.params,
        zero: Val::k(start.zero),
        cwd: start.cwd,
        user: start.user,
        funcs: BTreeMap::new(),
        funcnames: Vec::new(),
        status: Some(true),
        last: None,
        notes: Vec::new(),
        capture: None,
        locals: Vec::new(),
    };
    let mut it = Interp {
        fs,
        budget: *budget,
        depth: 0,
        line_at: None,
        nest: 0,
        soft: 0,
        abort: None,
    };
    let flow = it.list(&mut st, &script.body);
    *budget = it.budget;
    let outcome = match flow {
        Flow::Exec(launch) => Outcome::Launch(launch),
        Flow::Abort => Outcome::Abort(
            it.abort
                .unwrap_or_else(|| "interpretation stopped".to_string()),
        ),
        _ => st.last.take().map_or(Outcome::Ends, Outcome::Launch),
    };
    Run {
        outcome,
        notes: st.notes,
    }
}

#[derive(Debug, Clone)]
enum Flow {
    Next,
    Exec(Launch),
    Exit,
    Return,
    Break(u32),
    Continue(u32),
    Abort,
}

#[derive(Clone)]
struct State {
    vars: BTreeMap<String, Val>,
    exported: BTreeSet<String>,
    /// Names the script unset: unset for sure, not "maybe set at run time".
    hard_unset: BTreeSet<String>,
    params: Vec<Arg>,
    zero: Val,
    cwd: Val,
    user: Option<String>,
    funcs: BTreeMap<String, Rc<Command>>,
    /// Function call stack (`FUNCNAME`), innermost last.
    funcnames: Vec<String>,
    status: Tri,
    /// The last external command run (candidate when the script ends without `exec`).
    last: Option<Launch>,
    notes: Vec<String>,
    /// Standard output collected for `$(…)`.
    capture: Option<Vec<Val>>,
    /// `local` saves per function call: (name, previous value).
    locals: Vec<Vec<(String, Option<Val>)>>,
}

impl State {
    fn note(&mut self, line: usize, msg: impl AsRef<str>) {
        let n = format!("line {line}: {}", msg.as_ref());
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    fn output(&mut self, v: Val) {
        if let Some(out) = &mut self.capture {
            out.push(v);
        }
    }

    fn set(&mut self, name: &str, v: Val) {
        self.hard_unset.remove(name);
        self.vars.insert(name.to_string(), v);
    }

    fn env(&self) -> BTreeMap<String, Val> {
        self.exported
            .iter()
            .filter_map(|k| Some((k.clone(), self.vars.get(k)?.clone())))
            .collect()
    }

    fn path_var(&self) -> Option<String> {
        match self.vars.get("PATH") {
            None => Some(paths::DEFAULT_PATH.to_string()),
            Some(v) => v.known().map(str::to_string),
        }
    }

    /// Merges an alternative's state into this one: what differs becomes unknown.
    fn merge(&mut self, other: &State) {
        let keys: BTreeSet<String> = self.vars.keys().chain(other.vars.keys()).cloned().collect();
        for k in keys {
            let (a, b) = (self.vars.get(&k), other.vars.get(&k));
            if a != b {
                let same_text = a.and_then(Val::known).is_some()
                    && a.and_then(Val::known) == b.and_then(Val::known);
                let v = if same_text {
                    a.cloned().map_or(Val::Unknown, Val::soften)
                } else {
                    Val::Unknown
                };
                self.vars.insert(k, v);
            }
        }
        self.exported.extend(other.exported.iter().cloned());
        self.hard_unset.retain(|k| other.hard_unset.contains(k));
        if self.params != other.params {
            self.params = vec![Arg::Splat];
        }
        if self.cwd != other.cwd {
            self.cwd = Val::Unknown;
        }
        for (k, f) in &other.funcs {
            self.funcs.entry(k.clone()).or_insert_with(|| f.clone());
        }
        if self.status != other.status {
            self.status = None;
        }
        if self.last.is_none() {
            self.last.clone_from(&other.last);
        }
        for n in &other.notes {
            if !self.notes.contains(n) {
                self.notes.push(n.clone());
            }
        }
        if let (Some(a), Some(b)) = (&mut self.capture, &other.capture) {
            if a != b {
                *a = vec![Val::Unknown];
            }
        }
    }
}

/// An alternative explored when a condition is not decidable.
enum Alt<'x> {
    List(&'x [AndOr]),
    IfRest {
        clauses: &'x [(Vec<AndOr>, Vec<AndOr>)],
        otherwise: Option<&'x [AndOr]>,
    },
    CaseRest {
        word: Val,
        arms: &'x [CaseArm],
    },
    /// Run the pipelines of an and-or list from here.
    AndOrRest(&'x [(AndOrOp, Pipeline)]),
    /// Skip the first pipeline, assuming this status, then continue.
    AndOrSkip(&'x [(AndOrOp, Pipeline)], bool),
    Empty,
}

struct Interp<'f> {
    fs: &'f dyn ImageFs,
    budget: usize,
    depth: usize,
    /// The line of the outermost `eval`/`.` being run, for evidence.
    line_at: Option<usize>,
    /// Current nesting of commands and explored alternatives (stack guard).
    nest: usize,
    /// Counts conditions that inspected a [`Val::Soft`] value.
    soft: usize,
    abort: Option<String>,
}

impl<'f> Interp<'f> {
    fn stop(&mut self, reason: &str) -> Flow {
        if self.abort.is_none() {
            self.abort = Some(reason.to_string());
        }
        Flow::Abort
    }

    // ---- control flow ----------------------------------------------------------------

    fn list(&mut self, st: &mut State, list: &[AndOr]) -> Flow {
        for item in list {
            let flow = self.and_or(st, item);
            if !matches!(flow, Flow::Next) {
                return flow;
            }
        }
        Flow::Next
    }

    fn and_or(&mut self, st: &mut State, ao: &AndOr) -> Flow {
        if ao.background {
            let mut sub = st.clone();
            let _ = self.and_or(
                &mut sub,
                &AndOr {
                    background: false,
                    ..ao.clone()
                },
            );
            if self.abort.is_some() {
                return Flow::Abort;
            }
            if sub.last != st.last {
                st.last = sub.last;
            }
            st.notes = sub.notes;
            st.status = Some(true);
            return Flow::Next;
        }
        let soft = self.soft;
        let flow = self.pipeline(st, &ao.first);
        if !matches!(flow, Flow::Next) {
            return flow;
        }
        let soft = self.soft != soft;
        self.and_or_rest(st, &ao.rest, soft)
    }

    /// Continues an and-or list after a pipeline whose status is in `st`.
    fn and_or_rest(
        &mut self,
        st: &mut State,
        mut rest: &[(AndOrOp, Pipeline)],
        mut soft: bool,
    ) -> Flow {
        while let Some(((op, p), tail)) = rest.split_first() {
            let runs = match (op, st.status) {
                (_, None) => {
                    let skip_status = *op == AndOrOp::Or;
                    let alts = [Alt::AndOrRest(rest), Alt::AndOrSkip(tail, skip_status)];
                    return self.fork(st, &alts, pipeline_line(p));
                }
                (AndOrOp::And, Some(s)) => s,
                (AndOrOp::Or, Some(s)) => !s,
            };
            if soft {
                let status = st.status.unwrap_or(true);
                let (chosen, other) = if runs {
                    (Alt::AndOrRest(rest), Alt::AndOrSkip(tail, status))
                } else {
                    (Alt::AndOrSkip(tail, status), Alt::AndOrRest(rest))
                };
                return self.take(st, chosen, other, true, pipeline_line(p));
            }
            soft = false;
            if runs {
                let before = self.soft;
                let flow = self.pipeline(st, p);
                if !matches!(flow, Flow::Next) {
                    return flow;
                }
                soft = self.soft != before;
            }
            rest = tail;
        }
        Flow::Next
    }

    /// Runs the branch a decided condition selected; when the decision rested on variables
    /// that are only unset by default and the branch exits, both branches are explored.
    fn take(
        &mut self,
        st: &mut State,
        chosen: Alt<'_>,
        other: Alt<'_>,
        soft: bool,
        line: usize,
    ) -> Flow {
        if !soft {
            return self.alt(st, &chosen);
        }
        let mut trial = st.clone();
        let flow = self.alt(&mut trial, &chosen);
        if matches!(flow, Flow::Exit) {
            return self.fork(st, &[chosen, other], line);
        }
        *st = trial;
        flow
    }

    fn alt(&mut self, st: &mut State, alt: &Alt<'_>) -> Flow {
        if self.nest >= MAX_NEST {
            return self.stop("conditions nested too deeply");
        }
        self.nest += 1;
        let flow = self.alt_inner(st, alt);
        self.nest -= 1;
        flow
    }

    fn alt_inner(&mut self, st: &mut State, alt: &Alt<'_>) -> Flow {
        match alt {
            Alt::List(l) => self.list(st, l),
            Alt::IfRest { clauses, otherwise } => self.if_from(st, clauses, *otherwise),
            Alt::CaseRest { word, arms } => self.case_from(st, word, arms),
            Alt::AndOrRest(rest) => {
                let Some(((_, p), tail)) = rest.split_first() else {
                    return Flow::Next;
                };
                let soft = self.soft;
                let flow = self.pipeline(st, p);
                if !matches!(flow, Flow::Next) {
                    return flow;
                }
                let soft = self.soft != soft;
                self.and_or_rest(st, tail, soft)
            }
            Alt::AndOrSkip(tail, status) => {
                st.status = Some(*status);
                self.and_or_rest(st, tail, false)
            }
            Alt::Empty => {
                st.status = Some(true);
                Flow::Next
            }
        }
    }

    /// Explores alternatives when a condition is not decidable (see the module docs).
    fn fork(&mut self, st: &mut State, alts: &[Alt<'_>], line: usize) -> Flow {
        let mut results = Vec::with_capacity(alts.len());
        for a in alts {
            let mut s = st.clone();
            let flow = self.alt(&mut s, a);
            if matches!(flow, Flow::Abort) {
                return flow;
            }
            results.push((s, flow));
        }
        if let Some(i) = results.iter().position(|(_, f)| matches!(f, Flow::Exec(_))) {
            let (s, flow) = results.swap_remove(i);
            *st = s;
            if let Flow::Exec(l) = &flow {
                let at = if line > 0 {
                    format!(" at line {line}")
                } else {
                    String::new()
                };
                st.note(l.line, format!("a condition{at} is not decidable statically; assumed the branch that execs"));
            }
            return flow;
        }
        let total = results.len();
        let mut live = results
            .into_iter()
            .filter(|(_, f)| !matches!(f, Flow::Exit));
        let Some((mut merged, flow)) = live.next() else {
            return Flow::Exit;
        };
        let mut count = 1;
        for (s, _) in live {
            merged.merge(&s);
            count += 1;
        }
        if count < total && line > 0 {
            merged.note(line, "assumed the branch that exits is not taken");
        }
        *st = merged;
        flow
    }

    fn if_from(
        &mut self,
        st: &mut State,
        mut clauses: &[(Vec<AndOr>, Vec<AndOr>)],
        otherwise: Option<&[AndOr]>,
    ) -> Flow {
        while let Some(((cond, body), rest)) = clauses.split_first() {
            let line = cond.first().map_or(0, first_line);
            let before = self.soft;
            let flow = self.list(st, cond);
            if !matches!(flow, Flow::Next) {
                return flow;
            }
            let soft = self.soft != before;
            let then = Alt::List(body);
            let els = Alt::IfRest {
                clauses: rest,
                otherwise,
            };
            match st.status {
                Some(true) => return self.take(st, then, els, soft, line),
                Some(false) if soft => return self.take(st, els, then, soft, line),
                Some(false) => clauses = rest,
                None => return self.fork(st, &[then, els], line),
            }
        }
        match otherwise {
            Some(l) => self.list(st, l),
            None => {
                st.status = Some(true);
                Flow::Next
            }
        }
    }

    fn case_from(&mut self, st: &mut State, word: &Val, mut arms: &[CaseArm]) -> Flow {
        while let Some((arm, rest)) = arms.split_first() {
            let mut m = Some(false);
            for p in &arm.patterns {
                let t = match (word, self.pattern(st, p)) {
                    (Val::Known(w) | Val::Soft(w), Some(pat)) => Some(cond::glob_match(&pat, w)),
                    (Val::Not(x), Some(pat)) if pat == *x => Some(false),
                    _ => None,
                };
                m = cond::or(m, t);
            }
            let line = arm.patterns.first().map_or(0, |w| w.line);
            let here = Alt::List(&arm.body);
            let next = Alt::CaseRest {
                word: word.clone(),
                arms: rest,
            };
            match m {
                Some(true) => return self.take(st, here, next, word.is_soft(), line),
                Some(false) if word.is_soft() => return self.take(st, next, here, true, line),
                Some(false) => arms = rest,
                None => return self.fork(st, &[here, next], line),
            }
        }
        st.status = Some(true);
        Flow::Next
    }

    fn pipeline(&mut self, st: &mut State, p: &Pipeline) -> Flow {
        let flow = if let [only] = p.commands.as_slice() {
            self.command(st, only)
        } else {
            let n = p.commands.len();
            for (i, c) in p.commands.iter().enumerate() {
                let mut sub = st.clone();
                sub.capture = None;
                let flow = self.command(&mut sub, c);
                match flow {
                    Flow::Abort => return flow,
                    Flow::Exec(l) => st.last = Some(Launch { exec: false, ..l }),
                    _ if sub.last != st.last => st.last = sub.last,
                    _ => {}
                }
                st.notes = sub.notes;
                if i + 1 == n {
                    st.status = sub.status;
                }
            }
            st.output(Val::Unknown);
            Flow::Next
        };
        if p.bang {
            st.status = cond::not(st.status);
        }
        flow
    }

    fn command(&mut self, st: &mut State, c: &Command) -> Flow {
        if self.budget == 0 {
            return self.stop("evaluation budget exhausted");
        }
        if self.nest >= MAX_NEST {
            return self.stop("commands nested too deeply");
        }
        self.budget -= 1;
        self.nest += 1;
        let flow = self.command_inner(st, c);
        self.nest -= 1;
        flow
    }

    fn command_inner(&mut self, st: &mut State, c: &Command) -> Flow {
        match c {
            Command::Simple(sc) => self.simple(st, sc),
            Command::If {
                clauses, otherwise, ..
            } => self.if_from(st, clauses, otherwise.as_deref()),
            Command::Case { word, arms, .. } => {
                let w = self.word_str(st, word);
                self.case_from(st, &w, arms)
            }
            Command::For {
                var,
                items,
                body,
                line,
            } => self.for_loop(st, var, items.as_deref(), body, *line),
            Command::Loop {
                until,
                cond,
                body,
                line,
            } => self.while_loop(st, *until, cond, body, *line),
            Command::Brace(l) => self.list(st, l),
            Command::Subshell(l) => {
                let mut sub = st.clone();
                let flow = self.list(&mut sub, l);
                match flow {
                    Flow::Abort => return flow,
                    Flow::Exec(l) => st.last = Some(Launch { exec: false, ..l }),
                    Flow::Exit => sub.status = None,
                    _ if sub.last != st.last => st.last = sub.last,
                    _ => {}
                }
                st.status = sub.status;
                st.notes = sub.notes;
                if st.capture.is_some() {
                    st.capture = sub.capture;
                }
                Flow::Next
            }
            Command::FuncDef { name, body, .. } => {
                st.funcs.insert(name.clone(), Rc::new((**body).clone()));
                st.status = Some(true);
                Flow::Next
            }
            Command::DoubleBracket { items, .. } => {
                let mut p = BracketParser { items, i: 0 };
                let t = p.or(self, st);
                st.status = if p.i == items.len() { t } else { None };
                Flow::Next
            }
            Command::Arith(_) => {
                st.status = None;
                Flow::Next
            }
        }
    }

    fn for_loop(
        &mut self,
        st: &mut State,
        var: &str,
        items: Option<&[Word]>,
        body: &[AndOr],
        line: usize,
    ) -> Flow {
        let values = match items {
            Some(words) => self.words(st, words),
            None => st.params.clone(),
        };
        if values.contains(&Arg::Splat) {
            st.set(var, Val::Unknown);
            return match self.fork(st, &[Alt::List(body), Alt::Empty], line) {
                Flow::Break(_) | Flow::Continue(_) => Flow::Next,
                f => f,
            };
        }
        for v in values {
            let Arg::One(v) = v else { continue };
            st.set(var, v);
            match self.list(st, body) {
                Flow::Next | Flow::Continue(1) => {}
                Flow::Break(1) => break,
                Flow::Break(n) => return Flow::Break(n - 1),
                Flow::Continue(n) => return Flow::Continue(n - 1),
                f => return f,
            }
        }
        Flow::Next
    }

    fn while_loop(
        &mut self,
        st: &mut State,
        until: bool,
        cond: &[AndOr],
        body: &[AndOr],
        line: usize,
    ) -> Flow {
        for _ in 0..MAX_ITERATIONS {
            let flow = self.list(st, cond);
            if !matches!(flow, Flow::Next) {
                return flow;
            }
            let go = if cond.is_empty() {
                None
            } else {
                st.status.map(|s| s != until)
            };
            match go {
                Some(false) => {
                    st.status = Some(true);
                    return Flow::Next;
                }
                Some(true) => match self.list(st, body) {
                    Flow::Next | Flow::Continue(1) => {}
                    Flow::Break(1) => return Flow::Next,
                    Flow::Break(n) => return Flow::Break(n - 1),
                    Flow::Continue(n) => return Flow::Continue(n - 1),
                    f => return f,
                },
                None => {
                    return match self.fork(st, &[Alt::List(body), Alt::Empty], line) {
                        Flow::Break(_) | Flow::Continue(_) => Flow::Next,
                        f => f,
                    };
                }
            }
        }
        st.note(
            line,
            format!("loop not followed past {MAX_ITERATIONS} iterations"),
        );
        st.status = None;
        Flow::Next
    }
}

fn first_line(ao: &AndOr) -> usize {
    pipeline_line(&ao.first)
}

fn pipeline_line(p: &Pipeline) -> usize {
    match p.commands.first() {
        Some(Command::Simple(s)) => s.line,
        Some(Command::If { line, .. } | Command::Case { line, .. } | Command::For { line, .. }) => {
            *line
        }
        Some(
            Command::Loop { line, .. }
            | Command::FuncDef { line, .. }
            | Command::DoubleBracket { line, .. },
        ) => *line,
        _ => 0,
    }
}
