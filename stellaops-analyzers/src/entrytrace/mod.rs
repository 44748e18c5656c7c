//! EntryTrace: from an image config's `Entrypoint`/`Cmd`/`Env`/`WorkingDir` to the program
//! the container really runs, with a `file:line` evidence chain
//! ([`stellaops_core::entry_trace::EntryTrace`]).
//!
//! [`trace`] follows wrappers (`tini`, `dumb-init`, `gosu`, `env`, …), `sh -c` strings and
//! shell entrypoint scripts — parsed by [`shell`] and interpreted symbolically (positional
//! parameters, variables, decidable `[`/`test` conditions, functions, `exec`) — up to a
//! launcher (`java`, `node`, `python`, `dotnet`) or a native binary. The image is seen only
//! through [`ImageFs`], so the analysis stays pure.
//!
//! **Architecture Invariant:** the trace never guesses silently. Each hop carries its
//! evidence; a hop that cannot be followed is an `Unresolved` entry; an undecidable condition
//! that influenced the result is written in the step's `notes`.
//!
//! # What is followed
//!
//! - `argv` = `Entrypoint ++ Cmd` (Docker rules); `PATH` from `Env` (default
//!   `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`); bare names through
//!   `PATH`, names with `/` against `WorkingDir`; `HOME` is `/root` for root.
//! - Shells (`sh`, `bash`, `dash`, `ash`, `zsh`, `ksh`, `mksh`, busybox applets): `-c STRING`
//!   with `$0 $1…` from the following arguments, `sh script args…`, or an interactive shell
//!   (terminal [`TerminalKind::Shell`](stellaops_core::entry_trace::TerminalKind::Shell)).
//! - Wrappers: `tini`/`docker-init`/`catatonit` (options, `--`), `dumb-init` (`-r/--rewrite`,
//!   `-c`, `--`), `gosu`/`su-exec` (user recorded), `env` (`-i`, `-u`, `-C`, `-S`, `K=V`),
//!   `exec`, `nice`, `nohup`, `setpriv` (`--reuid` recorded). `chroot` and s6/runit
//!   supervisors are recorded as unresolved.
//! - Files with `#!`: shell interpreters (also through `/usr/bin/env bash`) are interpreted;
//!   other interpreters run with the script as argument (`#!/usr/bin/env node` → Node with the
//!   script as app; unknown interpreters → `Other` with the script as app).
//! - Launchers by file name: `java` (`-jar`, `-cp`/`-classpath` + main class, `-m`, single
//!   source file), `node`/`nodejs` (script, `script.js`, `dir/index.js`; `-e` inline),
//!   `python*` (script, `-m module`, `-c` inline), `dotnet` (`X.dll`). Native binaries end the
//!   trace as `Native`.
//!
//! # How scripts are interpreted
//!
//! Positional parameters (`set --`, `shift`, function arguments), variables (`export`,
//! `local`, `readonly`, `declare -g`, `unset`, `${X:-d}`, `${X:=d}`, `${X#p}`, `${X%p}`,
//! `${#X}`, `${!X}`, `${X:o:l}`), the working directory (`cd`), functions, `eval` and `.` of
//! known text, `$(…)` of `echo`/`printf`/`command -v`/`which`/`id -u`/`id -un`/`whoami`/
//! `pwd`/`basename`/`dirname`. Conditions (`[`/`test`, `[[ … ]]`, `case`, `command -v`,
//! `!`, `&&`, `||`, `true`/`false`) are decided when their operands are known; file tests ask
//! the [`ImageFs`] (the image as built, not runtime volumes). `$(id -u)` follows the config
//! `User` and `gosu`/`su-exec`.
//!
//! - The script hands control to the first `exec` reached. Without one, the last external
//!   command run (not a short-lived utility such as `mkdir`, `chown` or `sleep`) is the next
//!   program, reached `via: command`. Without either, the script is the terminal
//!   ([`TerminalKind::Shell`](stellaops_core::entry_trace::TerminalKind::Shell)).
//! - An undecidable condition runs each alternative on a copy of the state: the first one
//!   that `exec`s wins (noted); alternatives that `exit` are dropped; the rest are merged and
//!   values that differ become unknown.
//! - Environment variables the config does not set are unset by default, but `docker run -e`
//!   may set them: when a decision that rests on one selects a branch that `exit`s, the other
//!   branch is taken instead (noted). Positional parameters come from `Cmd` as configured.
//! - Limits: 16 hops, a script re-run with the same arguments is a loop, 10 000 commands per
//!   trace, nesting of functions/`eval`/`$(…)` 32, loops 100 iterations.
//!
//! Not supported (their results are unknown): arithmetic, arrays, `${X/p/r}`, pathname
//! expansion of unquoted globs (kept literal), brace expansion, `read`/`getopts` values,
//! aliases, `trap`, here-document contents, `su -c`, process supervisors' service trees.

mod ast;
mod cond;
mod eval;
mod launch;
mod lexer;
mod parser;
mod paths;
mod resolve;
pub mod shell;

#[cfg(test)]
mod tests;

pub use resolve::trace;

/// A read-only view of an image's merged file tree, as much as the tracer needs.
///
/// Paths are absolute paths inside the image (`/usr/local/bin/node`).
pub trait ImageFs {
    /// Absolute real path after following symlinks inside the image root, None if missing.
    fn resolve(&self, path: &str) -> Option<String>;
    /// Whether a resolved path is a regular file.
    fn is_file(&self, real: &str) -> bool;
    /// Contents of a small text file (shell scripts with a shebang, up to 64 KiB), if captured.
    fn script(&self, real: &str) -> Option<&str>;
    /// Whether the file is a native binary (ELF/PE/Mach-O) per its parsed header.
    fn is_native(&self, real: &str) -> bool;
    /// Whether a resolved regular file has an execute bit set, when the mode is known.
    ///
    /// The default (`None`) makes the tracer fall back to "native binaries and `#!` scripts
    /// are executable, other files unknown" for `[ -x ]` and `command -v`.
    fn is_executable(&self, real: &str) -> Option<bool> {
        let _ = real;
        None
    }
}
