//! Simple commands: builtins (`exec`, `set`, `shift`, `export`/`local`, `cd`, `test`,
//! `command -v`, `eval`, `.`, …), function calls, external commands.

use super::super::ast::{Command, SimpleCommand, Word};
use super::super::cond::{self, Tri};
use super::super::lexer::is_assign_name;
use super::super::paths::{self, absolutize, basename};
use super::super::shell;
use super::conditions::TestEnv;
use super::{Arg, Flow, Interp, Launch, State, Val, MAX_DEPTH, MAX_FIELDS, MAX_VALUE};

/// Commands whose run does not make them the container's program.
fn is_utility(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "cat"
            | "sed"
            | "awk"
            | "gawk"
            | "mawk"
            | "grep"
            | "egrep"
            | "fgrep"
            | "cut"
            | "tr"
            | "head"
            | "sort"
            | "uniq"
            | "wc"
            | "tee"
            | "xargs"
            | "find"
            | "ls"
            | "mkdir"
            | "rmdir"
            | "rm"
            | "cp"
            | "mv"
            | "ln"
            | "chmod"
            | "chown"
            | "chgrp"
            | "touch"
            | "stat"
            | "readlink"
            | "realpath"
            | "basename"
            | "dirname"
            | "date"
            | "id"
            | "whoami"
            | "hostname"
            | "uname"
            | "sleep"
            | "usermod"
            | "useradd"
            | "groupadd"
            | "groupmod"
            | "addgroup"
            | "adduser"
            | "deluser"
            | "install"
            | "mktemp"
            | "getent"
            | "sync"
            | "envsubst"
            | "jq"
            | "yq"
            | "tar"
            | "gzip"
            | "gunzip"
            | "unzip"
            | "ldconfig"
            | "update-ca-certificates"
            | "curl"
            | "wget"
            | "test"
            | "["
            | "true"
            | "false"
            | "which"
            | "ps"
            | "kill"
            | "df"
            | "du"
            | "openssl"
            | "sha256sum"
            | "md5sum"
            | "base64"
            | "seq"
            | "nproc"
            | "expr"
    )
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        ":" | "."
            | "source"
            | "alias"
            | "bg"
            | "break"
            | "builtin"
            | "cd"
            | "command"
            | "continue"
            | "declare"
            | "echo"
            | "eval"
            | "exec"
            | "exit"
            | "export"
            | "false"
            | "fg"
            | "getopts"
            | "hash"
            | "jobs"
            | "kill"
            | "let"
            | "local"
            | "printf"
            | "pwd"
            | "read"
            | "readonly"
            | "return"
            | "set"
            | "shift"
            | "shopt"
            | "test"
            | "["
            | "times"
            | "trap"
            | "true"
            | "type"
            | "typeset"
            | "ulimit"
            | "umask"
            | "unalias"
            | "unset"
            | "wait"
            | "pushd"
            | "popd"
    )
}

pub(super) fn uid(user: Option<&str>) -> Val {
    match user.map(|u| u.split(':').next().unwrap_or(u)) {
        None | Some("" | "root" | "0") => Val::k("0"),
        Some(u) if u.bytes().all(|c| c.is_ascii_digit()) => Val::k(u),
        Some(_) => Val::Not("0".to_string()),
    }
}

fn user_name(user: Option<&str>) -> Val {
    match user.map(|u| u.split(':').next().unwrap_or(u)) {
        None | Some("" | "root" | "0") => Val::k("root"),
        Some(u) if u.bytes().all(|c| c.is_ascii_digit()) => Val::Unknown,
        Some(u) => Val::k(u),
    }
}

impl Interp<'_> {
    pub(super) fn simple(&mut self, st: &mut State, c: &SimpleCommand) -> Flow {
        let decl = c.words.first().and_then(Word::as_plain).filter(|w| {
            matches!(*w, "export" | "local" | "readonly" | "declare" | "typeset")
                && !st.funcs.contains_key(*w)
        });
        if let Some(builtin) = decl {
            let args: Vec<DeclArg> = c.words[1..].iter().map(|w| self.decl_arg(st, w)).collect();
            self.declare(st, builtin, args, c.line);
            st.status = Some(true);
            return Flow::Next;
        }
        let argv = self.words(st, &c.words);
        let mut assigns = Vec::new();
        for a in &c.assigns {
            let mut v = self.word_str(st, &a.value);
            if a.append {
                let old = self.lookup(st, &a.name).unwrap_or(Val::k(""));
                v = old.concat(&v);
            }
            let name = if a.name.contains('[') {
                None
            } else {
                Some(a.name.clone())
            };
            assigns.push((name, v));
        }
        if argv.is_empty() {
            for (name, v) in assigns {
                if let Some(name) = name {
                    st.set(&name, v);
                }
            }
            if c.redirects.iter().any(|r| r.op == "<") && c.assigns.is_empty() {
                st.output(Val::Unknown); // `$(< file)`
            }
            st.status = Some(true);
            return Flow::Next;
        }
        let redirected = c
            .redirects
            .iter()
            .any(super::super::ast::Redirect::redirects_stdout);
        let ctx = Ctx {
            line: c.line,
            redirected,
            assigns,
        };
        self.run_command(st, argv, &ctx, true)
    }

    /// The program a command hands control to. Inside `eval` text or a sourced file, the
    /// line is the one of the `eval`/`.` command in the script.
    fn launch(&self, st: &State, argv: Vec<Arg>, ctx: &Ctx, exec: bool) -> Launch {
        let mut env = st.env();
        for (name, v) in &ctx.assigns {
            if let Some(name) = name {
                env.insert(name.clone(), v.clone());
            }
        }
        Launch {
            argv,
            env,
            cwd: st.cwd.clone(),
            line: self.line_at.unwrap_or(ctx.line),
            exec,
        }
    }

    fn out(st: &mut State, ctx: &Ctx, v: Val) {
        if !ctx.redirected {
            st.output(v);
        }
    }

    fn run_command(&mut self, st: &mut State, argv: Vec<Arg>, ctx: &Ctx, functions: bool) -> Flow {
        let Some(name) = argv.first().and_then(Arg::known).map(str::to_string) else {
            // A program name not known statically (`"$@"`, `$CMD`).
            st.last = Some(self.launch(st, argv, ctx, false));
            Self::out(st, ctx, Val::Unknown);
            st.status = None;
            return Flow::Next;
        };
        let args: Vec<Arg> = argv[1..].to_vec();
        if functions {
            if let Some(f) = st.funcs.get(&name).cloned() {
                return self.call(st, &name, &f, args, ctx.line);
            }
        }
        let known_args = || {
            args.iter()
                .map(|a| a.known().map(str::to_string))
                .collect::<Option<Vec<String>>>()
        };
        st.status = Some(true);
        match name.as_str() {
            ":" | "true" | "wait" | "trap" | "umask" | "ulimit" | "shopt" | "hash" | "alias"
            | "unalias" | "times" | "jobs" | "bg" | "fg" => {}
            "false" => st.status = Some(false),
            "exec" => {
                let mut rest = args.as_slice();
                while let Some(opt) = rest.first().and_then(Arg::known) {
                    match opt {
                        "-c" | "-l" | "-cl" | "-lc" => rest = &rest[1..],
                        "-a" => rest = rest.get(2..).unwrap_or_default(),
                        "--" => {
                            rest = &rest[1..];
                            break;
                        }
                        _ => break,
                    }
                }
                if rest.is_empty() {
                    for (name, v) in &ctx.assigns {
                        if let Some(name) = name {
                            st.set(name, v.clone());
                        }
                    }
                    return Flow::Next;
                }
                return Flow::Exec(self.launch(st, rest.to_vec(), ctx, true));
            }
            "command" | "builtin" | "type" | "which" => {
                return self.command_builtin(st, &name, args, ctx)
            }
            "echo" | "printf" => {
                if st.capture.is_some() && !ctx.redirected {
                    let v = known_args()
                        .filter(|a| a.iter().map(|s| s.len() + 1).sum::<usize>() <= MAX_VALUE)
                        .and_then(|a| {
                            if name == "echo" {
                                Some(echo(&a))
                            } else {
                                printf(&a)
                            }
                        })
                        .map_or(Val::Unknown, Val::Known);
                    st.output(v);
                }
            }
            "set" => {
                set_builtin(st, &args);
                if st.params.len() > MAX_FIELDS {
                    st.params = vec![Arg::Splat];
                }
            }
            "shift" => {
                let n = match args.first() {
                    None => Some(1),
                    Some(a) => a.known().and_then(|s| s.parse::<usize>().ok()),
                };
                shift(st, n);
            }
            "export" | "local" | "readonly" | "declare" | "typeset" => {
                let args = args
                    .iter()
                    .map(|a| a.known().map_or(DeclArg::Unknown, DeclArg::from_text))
                    .collect();
                self.declare(st, &name, args, ctx.line);
            }
            "unset" => {
                let mut funcs = false;
                for a in &args {
                    match a.known() {
                        Some("-f") => funcs = true,
                        Some("-v") => funcs = false,
                        Some(n) if funcs => {
                            st.funcs.remove(n);
                        }
                        Some(n) => {
                            st.vars.remove(n);
                            st.hard_unset.insert(n.to_string());
                        }
                        None => st.note(ctx.line, "`unset` of a name not known statically"),
                    }
                }
            }
            "cd" | "pushd" => self.cd(st, args.first()),
            "popd" => st.cwd = Val::Unknown,
            "pwd" => {
                let v = st.cwd.clone();
                Self::out(st, ctx, v.concat(&Val::k("\n")));
            }
            "test" | "[" => {
                let mut vals = Vec::new();
                for a in &args {
                    match a {
                        Arg::One(v) => vals.push(v.clone()),
                        Arg::Splat => {
                            st.status = None;
                            return Flow::Next;
                        }
                    }
                }
                self.soft += vals.iter().filter(|v| v.is_soft()).count();
                if name == "[" {
                    if vals.last().and_then(Val::known) != Some("]") {
                        st.status = None;
                        return Flow::Next;
                    }
                    vals.pop();
                }
                let status = cond::test(&vals, &TestEnv { it: self, st });
                st.status = status;
            }
            "return" | "exit" => {
                if let Some(a) = args.first() {
                    st.status = a
                        .known()
                        .and_then(|s| s.parse::<i64>().ok())
                        .map(|n| n == 0);
                }
                return if name == "exit" {
                    Flow::Exit
                } else {
                    Flow::Return
                };
            }
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(Arg::known)
                    .and_then(|s| s.parse::<u32>().ok())
                    .unwrap_or(1)
                    .max(1);
                return if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                };
            }
            "eval" => return self.eval_builtin(st, &args, ctx.line),
            "." | "source" => return self.source(st, &args, ctx.line),
            "read" | "getopts" | "mapfile" | "readarray" => {
                let mut skip_next = false;
                for a in &args {
                    if skip_next {
                        skip_next = false;
                        continue;
                    }
                    match a.known() {
                        Some("-p" | "-t" | "-u" | "-d" | "-n" | "-N") => skip_next = true,
                        Some(s) if s.starts_with('-') => {}
                        Some(s) if lexer_name(s) => st.set(s, Val::Unknown),
                        _ => {}
                    }
                }
                if name == "getopts" {
                    st.set("OPTARG", Val::Unknown);
                    st.set("OPTIND", Val::Unknown);
                }
                st.status = None;
            }
            "let" => st.status = None,
            "id" => {
                let a = known_args().unwrap_or_default();
                let flags: String = a.iter().filter_map(|s| s.strip_prefix('-')).collect();
                let v = if flags.contains('u') && flags.contains('n') {
                    user_name(st.user.as_deref())
                } else if flags == "u" {
                    uid(st.user.as_deref())
                } else {
                    Val::Unknown
                };
                Self::out(st, ctx, v);
                Self::out(st, ctx, Val::k("\n"));
            }
            "whoami" => {
                let v = user_name(st.user.as_deref());
                Self::out(st, ctx, v);
                Self::out(st, ctx, Val::k("\n"));
            }
            "basename" | "dirname" => {
                let v = match args.first().and_then(Arg::known) {
                    Some(p) if name == "basename" => {
                        let b = basename(p).to_string();
                        let b = match args.get(1).and_then(Arg::known) {
                            Some(suffix) if b != suffix => {
                                b.strip_suffix(suffix).unwrap_or(&b).to_string()
                            }
                            _ => b,
                        };
                        Val::Known(b)
                    }
                    Some(p) => Val::Known(match p.trim_end_matches('/').rsplit_once('/') {
                        Some(("", _)) => "/".to_string(),
                        Some((d, _)) => d.to_string(),
                        None => ".".to_string(),
                    }),
                    None => Val::Unknown,
                };
                Self::out(st, ctx, v.concat(&Val::k("\n")));
            }
            _ => {
                if !is_utility(basename(&name)) {
                    st.last = Some(self.launch(st, argv.clone(), ctx, false));
                }
                Self::out(st, ctx, Val::Unknown);
                st.status = None;
            }
        }
        Flow::Next
    }

    fn call(
        &mut self,
        st: &mut State,
        name: &str,
        body: &Command,
        args: Vec<Arg>,
        line: usize,
    ) -> Flow {
        if self.depth >= MAX_DEPTH {
            st.note(
                line,
                format!("function `{name}` not followed: nesting limit"),
            );
            st.status = None;
            return Flow::Next;
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut st.params, args);
        st.locals.push(Vec::new());
        st.funcnames.push(name.to_string());
        let flow = self.command(st, body);
        st.funcnames.pop();
        for (n, old) in st.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(v) => {
                    st.vars.insert(n, v);
                }
                None => {
                    st.vars.remove(&n);
                }
            }
        }
        st.params = saved;
        self.depth -= 1;
        match flow {
            Flow::Return | Flow::Break(_) | Flow::Continue(_) => Flow::Next,
            f => f,
        }
    }

    /// A `NAME=value`, `NAME` or `-flags` argument of a declaration builtin, expanded
    /// without field splitting (`export "$var"="$val"` included).
    fn decl_arg(&mut self, st: &mut State, w: &Word) -> DeclArg {
        let vals: Vec<Val> = w.parts.iter().map(|p| self.part_str(st, p)).collect();
        let mut prefix = String::new();
        for (i, v) in vals.iter().enumerate() {
            let Some(text) = v.known() else {
                return DeclArg::Unknown;
            };
            if let Some((name, first)) = text.split_once('=') {
                prefix.push_str(name);
                let mut value = Val::k(first);
                for rest in &vals[i + 1..] {
                    value = value.concat(rest);
                }
                return DeclArg::Assign(prefix, value);
            }
            prefix.push_str(text);
        }
        DeclArg::from_text(&prefix)
    }

    fn declare(&mut self, st: &mut State, builtin: &str, args: Vec<DeclArg>, line: usize) {
        let mut array = false;
        let mut export = builtin == "export";
        let mut global = false;
        for a in args {
            let (name, value) = match a {
                DeclArg::Flags(flags) => {
                    array |= flags.contains('a') || flags.contains('A');
                    export |= flags.starts_with('-') && flags.contains('x');
                    global |= flags.starts_with('-') && flags.contains('g');
                    continue;
                }
                DeclArg::Unknown => {
                    st.note(line, format!("`{builtin}` of a name not known statically"));
                    continue;
                }
                DeclArg::Name(n) => (n, None),
                DeclArg::Assign(n, v) => (n, Some(v)),
            };
            let (name, append) = match name.strip_suffix('+') {
                Some(n) => (n.to_string(), true),
                None => (name, false),
            };
            if !lexer_name(&name) {
                continue;
            }
            let local = builtin == "local"
                || (matches!(builtin, "declare" | "typeset") && !global && !st.locals.is_empty());
            if local {
                let prev = st.vars.get(&name).cloned();
                if let Some(frame) = st.locals.last_mut() {
                    if !frame.iter().any(|(n, _)| *n == name) {
                        frame.push((name.clone(), prev));
                    }
                }
            }
            match value {
                Some(_) if array => st.set(&name, Val::Unknown),
                Some(v) if append => {
                    let old = self.lookup(st, &name).unwrap_or(Val::k(""));
                    st.set(&name, old.concat(&v));
                }
                Some(v) => st.set(&name, v),
                None if local => {
                    st.vars.remove(&name);
                    st.hard_unset.insert(name.clone());
                }
                None => {}
            }
            if export {
                st.exported.insert(name);
            }
        }
    }

    fn cd(&mut self, st: &mut State, target: Option<&Arg>) {
        let dest = match target {
            None => self.lookup(st, "HOME").unwrap_or(Val::k("/")),
            Some(a) => match a.known() {
                Some("-") | None => Val::Unknown,
                Some(p) => Val::k(p),
            },
        };
        let new = match (dest.known(), st.cwd.known()) {
            (Some(p), _) if p.starts_with('/') => dest.map_text(|p| Some(absolutize("/", p))),
            (Some(_), Some(cwd)) => dest.map_text(|p| Some(absolutize(cwd, p))),
            _ => Val::Unknown,
        };
        st.status = match new.known() {
            Some(p) => {
                Some(self.fs.resolve(p).is_some_and(|r| !self.fs.is_file(&r))).filter(|b| *b)
            }
            None => None,
        };
        st.set("PWD", new.clone());
        st.cwd = new;
    }

    fn command_builtin(&mut self, st: &mut State, name: &str, args: Vec<Arg>, ctx: &Ctx) -> Flow {
        let mut rest = args.as_slice();
        let mut query = matches!(name, "type" | "which");
        while let Some(opt) = rest.first().and_then(Arg::known) {
            match opt {
                "-v" | "-V" | "-P" | "-p" | "-t" | "-a" | "-s" if name != "builtin" => {
                    query |= opt != "-p" || name != "command";
                    rest = &rest[1..];
                }
                "--" => {
                    rest = &rest[1..];
                    break;
                }
                _ => break,
            }
        }
        if !query {
            if rest.is_empty() {
                return Flow::Next;
            }
            return self.run_command(st, rest.to_vec(), ctx, false);
        }
        let mut status = Some(true);
        let mut out = Val::k("");
        for a in rest {
            let (found, text) = match a.known() {
                None => (None, Val::Unknown),
                Some(n) => self.command_v(st, n),
            };
            status = cond::and(status, found);
            if found != Some(false) {
                out = out.concat(&text).concat(&Val::k("\n"));
            }
        }
        st.status = status;
        Self::out(st, ctx, out);
        Flow::Next
    }

    /// `command -v NAME`: (found?, printed text).
    fn command_v(&mut self, st: &State, name: &str) -> (Tri, Val) {
        if st.funcs.contains_key(name) || is_builtin(name) {
            return (Some(true), Val::k(name));
        }
        if name.is_empty() {
            return (Some(false), Val::k(""));
        }
        let cwd = st.cwd.known().unwrap_or("/");
        if name.contains('/') {
            if !name.starts_with('/') && st.cwd.known().is_none() {
                return (None, Val::Unknown);
            }
            let found = match self.fs.resolve(&absolutize(cwd, name)) {
                Some(real) if self.fs.is_file(&real) => paths::executable(self.fs, &real),
                _ => Some(false),
            };
            let text = match found {
                Some(true) => Val::k(name),
                Some(false) => Val::k(""),
                None => Val::Unknown,
            };
            return (found, text);
        }
        let Some(path) = st.path_var() else {
            return (None, Val::Unknown);
        };
        match paths::lookup(self.fs, &path, cwd, name) {
            Some((found, _)) => (Some(true), Val::Known(found)),
            None => (Some(false), Val::k("")),
        }
    }

    fn eval_builtin(&mut self, st: &mut State, args: &[Arg], line: usize) -> Flow {
        let text: Option<Vec<&str>> = args.iter().map(Arg::known).collect();
        let parsed = text.map(|t| shell::parse(&t.join(" ")));
        match parsed {
            Some(Ok(script)) if self.depth < MAX_DEPTH => {
                self.depth += 1;
                let outer = self.line_at.replace(self.line_at.unwrap_or(line));
                let flow = self.list(st, &script.body);
                self.line_at = outer;
                self.depth -= 1;
                flow
            }
            _ => {
                st.note(
                    line,
                    "`eval` of text not known statically (or not parsable): not followed",
                );
                st.status = None;
                Flow::Next
            }
        }
    }

    fn source(&mut self, st: &mut State, args: &[Arg], line: usize) -> Flow {
        let fs = self.fs;
        let found = args.first().and_then(Arg::known).and_then(|p| {
            let cwd = st.cwd.known().unwrap_or("/");
            let real = if p.contains('/') {
                fs.resolve(&absolutize(cwd, p))?
            } else {
                paths::lookup(fs, &st.path_var()?, cwd, p)
                    .map(|(_, r)| r)
                    .or_else(|| fs.resolve(&absolutize(cwd, p)))?
            };
            fs.script(&real)
                .map(|text| (real.clone(), shell::parse(text)))
        });
        match found {
            Some((_, Ok(script))) if self.depth < MAX_DEPTH => {
                self.depth += 1;
                let saved =
                    (args.len() > 1).then(|| std::mem::replace(&mut st.params, args[1..].to_vec()));
                let outer = self.line_at.replace(self.line_at.unwrap_or(line));
                let flow = self.list(st, &script.body);
                self.line_at = outer;
                if let Some(p) = saved {
                    st.params = p;
                }
                self.depth -= 1;
                match flow {
                    Flow::Return => Flow::Next,
                    f => f,
                }
            }
            _ => {
                st.note(
                    line,
                    "sourced file not followed (unknown name, not captured, or not parsable)",
                );
                st.status = None;
                Flow::Next
            }
        }
    }
}

/// An argument of `export`/`local`/`declare`/`readonly`/`typeset`.
enum DeclArg {
    Flags(String),
    Name(String),
    Assign(String, Val),
    Unknown,
}

impl DeclArg {
    fn from_text(s: &str) -> DeclArg {
        if (s.starts_with('-') || s.starts_with('+'))
            && s.len() > 1
            && s[1..].bytes().all(|c| c.is_ascii_alphabetic())
        {
            return DeclArg::Flags(s.to_string());
        }
        match s.split_once('=') {
            Some((n, v)) => DeclArg::Assign(n.to_string(), Val::k(v)),
            None => DeclArg::Name(s.to_string()),
        }
    }
}

/// Per-command context.
struct Ctx {
    line: usize,
    redirected: bool,
    assigns: Vec<(Option<String>, Val)>,
}

fn lexer_name(s: &str) -> bool {
    is_assign_name(s) && !s.ends_with('+') && !s.contains('[')
}

/// `echo [-n|-e|-E] ARGS…`.
fn echo(args: &[String]) -> String {
    let (newline, words) = match args.first().map(String::as_str) {
        Some("-n") => (false, &args[1..]),
        Some("-e" | "-E") => (true, &args[1..]),
        _ => (true, args),
    };
    let mut s = words.join(" ");
    if newline {
        s.push('\n');
    }
    s
}

/// `printf FORMAT ARGS…` for `%s`, `%d`, `%%` and backslash escapes; `None` otherwise.
fn printf(args: &[String]) -> Option<String> {
    let (fmt, mut rest) = args.split_first()?;
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\\' => out.push('\\'),
                _ => return None,
            },
            '%' => match chars.next()? {
                '%' => out.push('%'),
                's' | 'd' => {
                    if let Some((a, r)) = rest.split_first() {
                        out.push_str(a);
                        rest = r;
                    }
                }
                _ => return None,
            },
            c => out.push(c),
        }
    }
    rest.is_empty().then_some(out)
}

fn set_builtin(st: &mut State, args: &[Arg]) {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.known() {
            Some("--") => {
                st.params = args[i + 1..].to_vec();
                return;
            }
            // `-o NAME` (also combined: `-eo pipefail`).
            Some(s) if (s.starts_with('-') || s.starts_with('+')) && s.len() > 1 => {
                i += if s.ends_with('o') { 2 } else { 1 };
            }
            Some("-") => {
                st.params = args[i + 1..].to_vec();
                return;
            }
            Some(_) => {
                st.params = args[i..].to_vec();
                return;
            }
            None => {
                st.params = vec![Arg::Splat];
                return;
            }
        }
    }
}

fn shift(st: &mut State, n: Option<usize>) {
    let Some(n) = n else {
        st.params = vec![Arg::Splat];
        st.status = None;
        return;
    };
    let known = st
        .params
        .iter()
        .take_while(|a| matches!(a, Arg::One(_)))
        .count();
    if n <= known {
        st.params.drain(..n);
    } else if known < st.params.len() {
        st.params = vec![Arg::Splat];
        st.status = None;
    } else {
        st.status = Some(false);
    }
}
