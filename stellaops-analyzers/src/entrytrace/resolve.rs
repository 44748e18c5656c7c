//! The tracer: follows `Entrypoint` + `Cmd` hop by hop to the terminal program.

use std::collections::{BTreeMap, BTreeSet};

use stellaops_core::entry_trace::{
    EntryConfig, EntryTrace, StepKind, StepVia, Terminal, TerminalKind, TraceStep, Unresolved,
};

use super::eval::{self, Arg, Outcome, Start, Val};
use super::launch;
use super::paths::{self, absolutize, basename};
use super::shell;
use super::ImageFs;

/// Programs followed before giving up (wrappers, scripts, re-execs).
const MAX_HOPS: usize = 16;

const SHELLS: [&str; 7] = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];

/// Traces what a container started from `config` runs, looking at the image through `fs`.
///
/// `argv` is `Entrypoint ++ Cmd` (just `Cmd` without an entrypoint), `PATH` comes from `Env`
/// (Docker's default when unset), relative paths resolve against `WorkingDir`. Each program
/// becomes a [`TraceStep`]; wrappers, `sh -c` strings and shell scripts are followed, a
/// launcher or native binary ends the trace as its [`Terminal`]. What cannot be followed is
/// recorded in [`EntryTrace::unresolved`] and the steps reached so far are kept.
pub fn trace(config: &EntryConfig, fs: &dyn ImageFs) -> EntryTrace {
    let mut t = Tracer {
        fs,
        steps: Vec::new(),
        unresolved: Vec::new(),
        terminal: None,
        seen: BTreeSet::new(),
        budget: eval::BUDGET,
    };
    t.run(config);
    EntryTrace {
        config: config.clone(),
        steps: t.steps,
        terminal: t.terminal,
        unresolved: t.unresolved,
    }
}

/// The next program to run and its context.
struct Hop {
    argv: Vec<Arg>,
    env: BTreeMap<String, Val>,
    cwd: Val,
    user: Option<String>,
    via: StepVia,
    evidence: String,
    /// Set when a `#!` line handed this script to its interpreter.
    shebang_script: Option<String>,
}

impl Hop {
    fn next(&self, argv: Vec<Arg>) -> Hop {
        Hop {
            argv,
            env: self.env.clone(),
            cwd: self.cwd.clone(),
            user: self.user.clone(),
            via: StepVia::Argv,
            evidence: self.evidence.clone(),
            shebang_script: self.shebang_script.clone(),
        }
    }

    fn path_var(&self) -> Option<&str> {
        match self.env.get("PATH") {
            None => Some(paths::DEFAULT_PATH),
            Some(v) => v.known(),
        }
    }
}

fn show(a: &Arg) -> String {
    match a {
        Arg::One(v) => v.known().unwrap_or("${?}").to_string(),
        Arg::Splat => "${?@}".to_string(),
    }
}

fn known(v: &str) -> Arg {
    Arg::One(Val::Known(v.to_string()))
}

struct Tracer<'f> {
    fs: &'f dyn ImageFs,
    steps: Vec<TraceStep>,
    unresolved: Vec<Unresolved>,
    terminal: Option<Terminal>,
    /// Scripts interpreted, with their arguments and user (loop guard).
    seen: BTreeSet<String>,
    /// Commands left to interpret in this trace.
    budget: usize,
}

impl Tracer<'_> {
    fn unresolved(&mut self, step: usize, reason: impl Into<String>) {
        self.unresolved.push(Unresolved {
            step,
            reason: reason.into(),
        });
    }

    fn push(&mut self, hop: &Hop, program: &str, resolved: Option<&str>, kind: StepKind) -> usize {
        self.steps.push(TraceStep {
            program: program.to_string(),
            resolved: resolved.map(str::to_string),
            argv: hop.argv.iter().map(show).collect(),
            kind,
            via: hop.via,
            evidence: hop.evidence.clone(),
            notes: Vec::new(),
        });
        self.steps.len() - 1
    }

    fn finish(&mut self, hop: &Hop, program: &str, kind: TerminalKind, app: Vec<String>) {
        self.terminal = Some(Terminal {
            program: program.to_string(),
            kind,
            app,
            working_dir: hop.cwd.known().map(str::to_string),
            user: hop.user.clone(),
        });
    }

    fn run(&mut self, config: &EntryConfig) {
        let (argv, evidence) = if config.entrypoint.is_empty() {
            (config.cmd.clone(), "config:Cmd")
        } else {
            (
                config
                    .entrypoint
                    .iter()
                    .chain(&config.cmd)
                    .cloned()
                    .collect(),
                "config:Entrypoint",
            )
        };
        if argv.is_empty() {
            self.unresolved(0, "the config has neither Entrypoint nor Cmd");
            return;
        }
        let mut env = BTreeMap::new();
        for kv in &config.env {
            if let Some((k, v)) = kv.split_once('=') {
                env.insert(k.to_string(), Val::Known(v.to_string()));
            }
        }
        let user = config.user.clone().filter(|u| !u.is_empty());
        env.entry("PATH".to_string())
            .or_insert_with(|| Val::Known(paths::DEFAULT_PATH.to_string()));
        let root = matches!(
            user.as_deref().map(|u| u.split(':').next().unwrap_or(u)),
            None | Some("root" | "0")
        );
        env.entry("HOME".to_string()).or_insert(if root {
            Val::Known("/root".to_string())
        } else {
            Val::Unknown
        });
        let cwd = match config.working_dir.as_deref() {
            Some(w) if !w.is_empty() => absolutize("/", w),
            _ => "/".to_string(),
        };
        let mut hop = Hop {
            argv: argv.iter().map(|s| known(s)).collect(),
            env,
            cwd: Val::Known(cwd),
            user,
            via: StepVia::Config,
            evidence: evidence.to_string(),
            shebang_script: None,
        };
        for _ in 0..MAX_HOPS {
            match self.step(hop) {
                Some(next) => hop = next,
                None => return,
            }
        }
        let last = self.steps.len().saturating_sub(1);
        self.unresolved(last, format!("stopped after {MAX_HOPS} hops"));
    }

    /// Finds a program: `PATH` lookup for bare names, else relative to the working directory.
    fn find(&self, program: &str, hop: &Hop) -> Result<String, String> {
        if program.contains('/') {
            let abs = match (hop.cwd.known(), program.starts_with('/')) {
                (_, true) => absolutize("/", program),
                (Some(cwd), false) => absolutize(cwd, program),
                _ => {
                    return Err(format!(
                        "`{program}` is relative to a working directory not known statically"
                    ))
                }
            };
            return match self.fs.resolve(&abs) {
                Some(real) if self.fs.is_file(&real) => Ok(real),
                Some(real) => Err(format!("`{abs}` ({real}) is not a regular file")),
                None => Err(format!("`{abs}` not found in the image")),
            };
        }
        let Some(path) = hop.path_var() else {
            return Err(format!("`{program}`: PATH is not known statically"));
        };
        let cwd = hop.cwd.known().unwrap_or("/");
        paths::lookup(self.fs, path, cwd, program)
            .map(|(_, real)| real)
            .ok_or_else(|| format!("`{program}` not found in PATH ({path})"))
    }

    fn step(&mut self, hop: Hop) -> Option<Hop> {
        let Some(first) = hop.argv.first() else {
            let idx = self.steps.len();
            self.unresolved(idx, "empty command");
            return None;
        };
        let Some(program) = first.known().map(str::to_string) else {
            let idx = self.push(&hop, "${?}", None, StepKind::Unknown);
            self.unresolved(
                idx,
                "the program name is not known statically (a variable or \"$@\" of unknown value)",
            );
            return None;
        };
        if program == "exec" {
            // `exec` as a config program (it is a shell builtin, not a file).
            let idx = self.push(&hop, &program, None, StepKind::Wrapper);
            return self.wrapped(idx, &hop, skip_exec_options(&hop.argv));
        }
        let real = match self.find(&program, &hop) {
            Ok(real) => real,
            Err(reason) => {
                let idx = self.push(&hop, &program, None, StepKind::Unknown);
                self.unresolved(idx, reason);
                return None;
            }
        };
        let mut name = basename(&real).to_string();
        let mut hop = hop;
        if matches!(name.as_str(), "busybox" | "toybox") {
            let written = basename(&program);
            if matches!(written, "busybox" | "toybox") {
                match hop.argv.get(1).and_then(Arg::known) {
                    Some(applet) => {
                        name = basename(applet).to_string();
                        hop.argv.remove(0);
                    }
                    None => {
                        let idx = self.push(&hop, &program, Some(&real), StepKind::Native);
                        let _ = idx;
                        self.finish(&hop, &real, TerminalKind::Native, Vec::new());
                        return None;
                    }
                }
            } else {
                name = written.to_string();
            }
        }
        if SHELLS.contains(&name.as_str()) {
            return self.shell(&hop, &program, &real);
        }
        if let Some(r) = self.wrapper(&hop, &program, &real, &name) {
            return r;
        }
        let kind =
            launch::launcher_kind(&name).or_else(|| launch::launcher_kind(basename(&program)));
        if let Some(kind) = kind {
            let idx = self.push(&hop, &program, Some(&real), StepKind::Launcher);
            let info = launch::analyze(kind, &hop.argv[1..], hop.cwd.known(), self.fs);
            self.steps[idx].notes.extend(info.notes);
            for p in info.problems {
                self.unresolved(idx, p);
            }
            self.finish(&hop, &real, kind, info.app);
            return None;
        }
        if let Some(text) = self.fs.script(&real).filter(|t| t.starts_with("#!")) {
            return self.shebang(&hop, &program, &real, text);
        }
        if self.fs.is_native(&real) {
            let idx = self.push(&hop, &program, Some(&real), StepKind::Native);
            let _ = idx;
            match hop.shebang_script.clone() {
                Some(script) => self.finish(&hop, &real, TerminalKind::Other, vec![script]),
                None => self.finish(&hop, &real, TerminalKind::Native, Vec::new()),
            }
            return None;
        }
        let idx = self.push(&hop, &program, Some(&real), StepKind::Other);
        self.unresolved(
            idx,
            format!("`{real}` is neither a native binary nor a captured `#!` script"),
        );
        self.finish(&hop, &real, TerminalKind::Other, Vec::new());
        None
    }

    /// Continues with the wrapped command of a wrapper step.
    fn wrapped(&mut self, idx: usize, hop: &Hop, rest: Vec<Arg>) -> Option<Hop> {
        if rest.is_empty() {
            self.unresolved(
                idx,
                format!("`{}` without a command to run", self.steps[idx].program),
            );
            return None;
        }
        Some(hop.next(rest))
    }

    /// Wrappers: `Some(next)` when `name` is one (`Some(None)` when it ends the trace).
    fn wrapper(&mut self, hop: &Hop, program: &str, real: &str, name: &str) -> Option<Option<Hop>> {
        let argv = &hop.argv;
        let text = |i: usize| argv.get(i).and_then(Arg::known);
        let rest = match name {
            "tini" | "tini-static" | "docker-init" | "catatonit" => {
                let mut i = 1;
                while let Some(a) = text(i) {
                    if a == "--" {
                        i += 1;
                        break;
                    }
                    let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) else {
                        break;
                    };
                    i += 1;
                    // `-p SIGNAL`, `-e CODE` take a value (attached or next).
                    if let Some(j) = flags.find(['p', 'e']) {
                        if j + 1 == flags.len() {
                            i += 1;
                        }
                    }
                }
                argv.get(i..).unwrap_or_default().to_vec()
            }
            "dumb-init" => {
                let mut i = 1;
                while let Some(a) = text(i) {
                    match a {
                        "--" => {
                            i += 1;
                            break;
                        }
                        "-r" | "--rewrite" => i += 2,
                        _ if a.starts_with('-') && a.len() > 1 => i += 1,
                        _ => break,
                    }
                }
                argv.get(i..).unwrap_or_default().to_vec()
            }
            "gosu" | "su-exec" => {
                let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
                let Some(user) = argv.get(1) else {
                    self.unresolved(idx, format!("`{name}` without a user"));
                    return Some(None);
                };
                let mut next = hop.next(argv[2..].to_vec());
                next.user = Some(
                    user.known()
                        .map_or_else(|| "${?}".to_string(), str::to_string),
                );
                if next.argv.is_empty() {
                    self.unresolved(idx, format!("`{name}` without a command to run"));
                    return Some(None);
                }
                return Some(Some(next));
            }
            "env" => return Some(self.env_wrapper(hop, program, real)),
            "exec" => skip_exec_options(argv),
            "nohup" => {
                let i = if text(1) == Some("--") { 2 } else { 1 };
                argv.get(i..).unwrap_or_default().to_vec()
            }
            "nice" => {
                let mut i = 1;
                while let Some(a) = text(i) {
                    match a {
                        "-n" | "--adjustment" => i += 2,
                        "--" => {
                            i += 1;
                            break;
                        }
                        _ if a.starts_with('-') && a.len() > 1 => i += 1,
                        _ => break,
                    }
                }
                argv.get(i..).unwrap_or_default().to_vec()
            }
            "setpriv" => {
                let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
                let mut user = hop.user.clone();
                let mut i = 1;
                while let Some(a) = text(i) {
                    let (opt, attached) = match a.split_once('=') {
                        Some((o, v)) => (o, Some(v.to_string())),
                        None => (a, None),
                    };
                    match opt {
                        "--reuid" | "--ruid" | "--euid" | "--regid" | "--rgid" | "--egid"
                        | "--groups" | "--inh-caps" | "--ambient-caps" | "--bounding-set"
                        | "--securebits" | "--pdeathsig" | "--selinux-label"
                        | "--apparmor-profile" | "--landlock-access" | "--landlock-rule" => {
                            let value = match attached {
                                Some(v) => Some(v),
                                None => {
                                    i += 1;
                                    text(i).map(str::to_string)
                                }
                            };
                            if matches!(opt, "--reuid" | "--ruid") {
                                user = Some(value.unwrap_or_else(|| "${?}".to_string()));
                            }
                            i += 1;
                        }
                        "--" => {
                            i += 1;
                            break;
                        }
                        _ if a.starts_with('-') && a.len() > 1 => i += 1,
                        _ => break,
                    }
                }
                let mut next = hop.next(argv.get(i..).unwrap_or_default().to_vec());
                next.user = user;
                return Some(self.wrapped(idx, &next, next.argv.clone()));
            }
            "chroot" => {
                let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
                self.unresolved(
                    idx,
                    "`chroot` changes the root directory: the command inside is not followed",
                );
                return Some(None);
            }
            _ if name.starts_with("s6-") || matches!(name, "runsvdir" | "runsv" | "svscan") => {
                let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
                self.unresolved(
                    idx,
                    format!(
                        "`{name}` is a process supervisor: the services it runs are not followed"
                    ),
                );
                return Some(None);
            }
            _ => return None,
        };
        let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
        Some(self.wrapped(idx, hop, rest))
    }

    /// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE]… [COMMAND [ARG]…]`.
    fn env_wrapper(&mut self, hop: &Hop, program: &str, real: &str) -> Option<Hop> {
        let mut next = hop.next(Vec::new());
        let mut args: Vec<Arg> = hop.argv[1..].to_vec();
        let mut i = 0;
        while let Some(a) = args.get(i).and_then(Arg::known).map(str::to_string) {
            let value_of =
                |args: &[Arg], i: usize, attached: Option<&str>| -> (Option<String>, usize) {
                    match attached {
                        Some(v) => (Some(v.to_string()), i + 1),
                        None => (
                            args.get(i + 1).and_then(Arg::known).map(str::to_string),
                            i + 2,
                        ),
                    }
                };
            match a.as_str() {
                "-" | "-i" | "--ignore-environment" => {
                    next.env.clear();
                    i += 1;
                }
                "--" => {
                    i += 1;
                    break;
                }
                _ if a == "-u" || a == "--unset" || a.starts_with("--unset=") => {
                    let (v, ni) = value_of(&args, i, a.strip_prefix("--unset="));
                    if let Some(v) = v {
                        next.env.remove(&v);
                    }
                    i = ni;
                }
                _ if a == "-C" || a == "--chdir" || a.starts_with("--chdir=") => {
                    let (v, ni) = value_of(&args, i, a.strip_prefix("--chdir="));
                    next.cwd = match (v, next.cwd.known()) {
                        (Some(d), _) if d.starts_with('/') => Val::Known(absolutize("/", &d)),
                        (Some(d), Some(cwd)) => Val::Known(absolutize(cwd, &d)),
                        _ => Val::Unknown,
                    };
                    i = ni;
                }
                _ if a.starts_with("-S")
                    || a == "--split-string"
                    || a.starts_with("--split-string=") =>
                {
                    let attached = a
                        .strip_prefix("--split-string=")
                        .or_else(|| a.strip_prefix("-S").filter(|s| !s.is_empty()));
                    let (v, ni) = value_of(&args, i, attached.map(str::trim_start));
                    let words: Vec<Arg> = v
                        .unwrap_or_default()
                        .split_whitespace()
                        .map(known)
                        .collect();
                    args.splice(i..ni.min(args.len()), words);
                }
                _ if a.starts_with('-') && a.len() > 1 => i += 1,
                _ => match a.split_once('=') {
                    Some((k, v)) if !k.is_empty() => {
                        next.env.insert(k.to_string(), Val::Known(v.to_string()));
                        i += 1;
                    }
                    _ => break,
                },
            }
        }
        let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
        next.argv = args.get(i..).unwrap_or_default().to_vec();
        if next.argv.is_empty() {
            // `env` alone prints the environment: it is the program.
            self.steps[idx].kind = StepKind::Native;
            self.finish(hop, real, TerminalKind::Native, Vec::new());
            return None;
        }
        Some(next)
    }

    /// A shell binary: `-c STRING`, a script file, or an interactive shell.
    fn shell(&mut self, hop: &Hop, program: &str, real: &str) -> Option<Hop> {
        let args = &hop.argv[1..];
        let mut i = 0;
        let mut command_mode = false;
        while let Some(a) = args.get(i) {
            let Some(a) = a.known() else {
                let idx = self.push(hop, program, Some(real), StepKind::ShellC);
                self.unresolved(idx, "shell options not known statically");
                return None;
            };
            match a {
                "--" | "-" => {
                    i += 1;
                    break;
                }
                "--rcfile" | "--init-file" => i += 2,
                _ if a.starts_with("--") => i += 1,
                _ if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 => {
                    command_mode |= a.starts_with('-') && a.contains('c');
                    // `-o NAME` (also combined: `-eo pipefail`).
                    i += if a.ends_with('o') { 2 } else { 1 };
                }
                _ => break,
            }
        }
        let rest = args.get(i..).unwrap_or_default();
        if command_mode {
            let idx = self.push(hop, program, Some(real), StepKind::ShellC);
            let Some(text) = rest.first().and_then(Arg::known).map(str::to_string) else {
                self.unresolved(idx, "`-c` without a command string known statically");
                return None;
            };
            let zero = rest
                .get(1)
                .and_then(Arg::known)
                .unwrap_or(program)
                .to_string();
            let params = rest.get(2..).unwrap_or_default().to_vec();
            let start = self.start(hop, params, zero, None);
            let evidence = format!("{}/-c", hop.evidence);
            return self.interpret(idx, hop, &text, real, start, &evidence, real);
        }
        let Some(script) = rest.first() else {
            let idx = self.push(hop, program, Some(real), StepKind::Shell);
            let _ = idx;
            self.finish(hop, real, TerminalKind::Shell, Vec::new());
            return None;
        };
        // `sh script.sh args…`: the shell, then the script.
        let idx = self.push(hop, program, Some(real), StepKind::Wrapper);
        let Some(path) = script.known().map(str::to_string) else {
            self.unresolved(idx, "the script given to the shell is not known statically");
            return None;
        };
        let abs = match (hop.cwd.known(), path.starts_with('/')) {
            (_, true) => absolutize("/", &path),
            (Some(cwd), false) => absolutize(cwd, &path),
            _ => {
                self.unresolved(
                    idx,
                    format!("`{path}` is relative to a working directory not known statically"),
                );
                return None;
            }
        };
        let mut next = hop.next(rest.to_vec());
        next.shebang_script = None;
        let Some(script_real) = self.fs.resolve(&abs) else {
            let idx = self.push(&next, &path, None, StepKind::Unknown);
            self.unresolved(idx, format!("`{abs}` not found in the image"));
            return None;
        };
        self.script(&next, &path, &script_real)
    }

    /// Interprets a shell script file run with `argv = [script, args…]`.
    fn script(&mut self, hop: &Hop, program: &str, real: &str) -> Option<Hop> {
        let idx = self.push(hop, program, Some(real), StepKind::Script);
        let Some(text) = self.fs.script(real) else {
            self.unresolved(idx, format!("the content of `{real}` was not captured"));
            return None;
        };
        let params = hop.argv[1..].to_vec();
        let start = self.start(hop, params, program.to_string(), Some(real.to_string()));
        self.interpret(idx, hop, text, real, start, real, real)
    }

    fn start(&self, hop: &Hop, params: Vec<Arg>, zero: String, source: Option<String>) -> Start {
        Start {
            params,
            zero,
            env: hop.env.clone(),
            cwd: hop.cwd.clone(),
            user: hop.user.clone(),
            source,
        }
    }

    /// Parses and interprets shell text; `shell_terminal` is the program reported when the
    /// text runs nothing recognisable.
    #[allow(clippy::too_many_arguments)]
    fn interpret(
        &mut self,
        idx: usize,
        hop: &Hop,
        text: &str,
        key: &str,
        start: Start,
        evidence: &str,
        shell_terminal: &str,
    ) -> Option<Hop> {
        let guard = format!("{key}\0{:?}\0{:?}\0{text}", start.params, start.user);
        if !self.seen.insert(guard) {
            self.unresolved(
                idx,
                format!("`{key}` runs itself again with the same arguments (loop)"),
            );
            return None;
        }
        let script = match shell::parse(text) {
            Ok(s) => s,
            Err(e) => {
                self.unresolved(idx, format!("cannot parse `{key}`: {e}"));
                return None;
            }
        };
        let run = eval::run(&script, start, self.fs, &mut self.budget);
        self.steps[idx].notes.extend(run.notes);
        match run.outcome {
            Outcome::Launch(l) => Some(Hop {
                argv: l.argv,
                env: l.env,
                cwd: l.cwd,
                user: hop.user.clone(),
                via: if l.exec {
                    StepVia::Exec
                } else {
                    StepVia::Command
                },
                evidence: format!("{evidence}:{}", l.line),
                shebang_script: None,
            }),
            Outcome::Ends => {
                self.finish(hop, shell_terminal, TerminalKind::Shell, Vec::new());
                None
            }
            Outcome::Abort(reason) => {
                self.unresolved(idx, format!("`{key}`: {reason}"));
                None
            }
        }
    }

    /// A file with a `#!` line.
    fn shebang(&mut self, hop: &Hop, program: &str, real: &str, text: &str) -> Option<Hop> {
        let line = text[2..].lines().next().unwrap_or_default().trim();
        let (interp, arg) = match line.split_once([' ', '\t']) {
            Some((i, a)) => (i, Some(a.trim()).filter(|a| !a.is_empty())),
            None => (line, None),
        };
        if interp.is_empty() {
            let idx = self.push(hop, program, Some(real), StepKind::Shebang);
            self.unresolved(idx, format!("`{real}` has an empty `#!` line"));
            return None;
        }
        let mut shell = SHELLS.contains(&basename(interp));
        if basename(interp) == "env" {
            let first = arg
                .unwrap_or_default()
                .split_whitespace()
                .find(|w| !w.starts_with('-'));
            shell = first.is_some_and(|w| SHELLS.contains(&basename(w)));
        }
        if shell {
            return self.script(hop, program, real);
        }
        let idx = self.push(hop, program, Some(real), StepKind::Shebang);
        let _ = idx;
        let mut argv = vec![known(interp)];
        argv.extend(arg.map(known));
        argv.push(known(real));
        argv.extend(hop.argv[1..].iter().cloned());
        let mut next = hop.next(argv);
        next.shebang_script = Some(real.to_string());
        Some(next)
    }
}

fn skip_exec_options(argv: &[Arg]) -> Vec<Arg> {
    let mut i = 1;
    while let Some(a) = argv.get(i).and_then(Arg::known) {
        match a {
            "-c" | "-l" | "-cl" | "-lc" => i += 1,
            "-a" => i += 2,
            "--" => {
                i += 1;
                break;
            }
            _ => break,
        }
    }
    argv.get(i..).unwrap_or_default().to_vec()
}
