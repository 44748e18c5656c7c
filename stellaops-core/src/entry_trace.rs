//! EntryTrace: what a container really runs.
//!
//! An image config names a program (`Entrypoint` + `Cmd`), but the process that ends up
//! running is often several hops away: `tini -- docker-entrypoint.sh node app.js` runs a
//! shell script that `exec`s `node`, which runs `app.js`. An [`EntryTrace`] records each hop
//! as a [`TraceStep`] with its evidence (`config:Entrypoint`,
//! `/usr/local/bin/docker-entrypoint.sh:12`), the [`Terminal`] program reached, and every hop
//! that could not be followed as an [`Unresolved`] entry (never silently dropped).
//!
//! The tracer itself lives in `stellaops_analyzers::entrytrace`; this module is the model.

use serde::{Deserialize, Serialize};

/// The parts of an OCI/Docker image config that decide what a container runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryConfig {
    /// `Entrypoint` (exec form; a shell-form entrypoint is stored as `["/bin/sh", "-c", …]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entrypoint: Vec<String>,
    /// `Cmd`: the default arguments to the entrypoint, or the program when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cmd: Vec<String>,
    /// `Env`, as `KEY=VALUE` strings in config order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// `WorkingDir`; `/` when absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// `User` (`name`, `uid`, `name:group`, `uid:gid`); root when absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// The traced chain from the config to the terminal program.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryTrace {
    /// The config the trace started from.
    pub config: EntryConfig,
    /// The programs run, in order; the last one is the terminal program when there is one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<TraceStep>,
    /// The program the container ends up running, when it could be determined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<Terminal>,
    /// Hops that could not be followed (missing files, dynamic program names, loops, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<Unresolved>,
}

/// One program invocation in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// The program as written (`node`, `./start.sh`, `/usr/bin/env`).
    pub program: String,
    /// The absolute real path inside the image after `PATH` lookup and symlinks; `None` when
    /// the program was not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// The full argument vector, `argv[0]` included. An argument whose value is not known
    /// statically is shown as `${?}`; an unknown number of arguments as `${?@}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub argv: Vec<String>,
    /// What the program was treated as.
    pub kind: StepKind,
    /// How control reached this program.
    pub via: StepVia,
    /// Where this invocation was written: `config:Entrypoint`, `config:Cmd`,
    /// `/usr/local/bin/docker-entrypoint.sh:12`, or `config:Cmd/-c:1` for line 1 of a
    /// `sh -c` string.
    pub evidence: String,
    /// Assumptions made while interpreting this step (an undecidable condition and the
    /// branch taken, arguments of unknown value skipped, …), with their lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What a step's program was treated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// A shell run with `-c STRING`: the string was parsed and interpreted.
    ShellC,
    /// A shell script (`#!` sh/bash/dash/ash, or a file given to a shell): interpreted.
    Script,
    /// A shell with neither `-c` nor a script: an interactive shell (terminal).
    Shell,
    /// A file run through its non-shell `#!` interpreter.
    Shebang,
    /// A wrapper that runs its arguments (`tini`, `dumb-init`, `gosu`, `su-exec`, `env`,
    /// `exec`, `nice`, `nohup`, `setpriv`).
    Wrapper,
    /// A language launcher (`java`, `node`, `python*`, `dotnet`): terminal.
    Launcher,
    /// A native binary (ELF/PE/Mach-O): terminal.
    Native,
    /// A file that is none of the above (terminal of kind `Other`).
    Other,
    /// The program could not be found or classified.
    Unknown,
}

/// How control reached a step's program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepVia {
    /// `Entrypoint` + `Cmd` of the config.
    Config,
    /// An `exec` in a script or `-c` string: the shell is replaced.
    Exec,
    /// A plain command in a script or `-c` string (the last program it runs): the shell stays
    /// as the parent process.
    Command,
    /// Arguments handed on by the previous step (a wrapper, or a `#!` line).
    Argv,
}

/// The program the container ends up running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Terminal {
    /// Absolute real path in the image: the interpreter for launchers (`/usr/local/bin/node`),
    /// the script itself for [`TerminalKind::Shell`].
    pub program: String,
    /// What kind of program it is.
    pub kind: TerminalKind,
    /// The application run by a launcher: absolute paths of the jar or classpath entries
    /// (plus `class:MAIN`), the `.js` script, the Python script or `module:NAME` for
    /// `python -m`, the `.dll`, or the script of a non-shell `#!` interpreter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app: Vec<String>,
    /// The working directory at that point (after `cd` in scripts, `env -C`); `None` when it
    /// is not known statically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// The user it runs as after `gosu`/`su-exec`/`setpriv`, else the config `User`; `None`
    /// means root (the config default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Kinds of terminal programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TerminalKind {
    /// A native executable.
    Native,
    /// A JVM (`java`).
    Java,
    /// Node.js (`node`, `nodejs`).
    Node,
    /// CPython (`python`, `python3`, `python3.12`, …).
    Python,
    /// .NET (`dotnet`).
    Dotnet,
    /// A shell script that runs nothing recognisable at its end, or an interactive shell.
    Shell,
    /// Anything else (another `#!` interpreter, a file of unknown type).
    Other,
}

/// A hop that could not be followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unresolved {
    /// Index into [`EntryTrace::steps`] of the step it concerns (`steps.len()` when it
    /// happened before any step could be recorded).
    pub step: usize,
    /// Why, in words.
    pub reason: String,
}
