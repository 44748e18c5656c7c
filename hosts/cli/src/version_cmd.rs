//! `stella version compare|satisfies`: the ecosystem version rules from the command line.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use stellaops_policy::version::{self, Ecosystem};

/// Print -1, 0 or 1 for `a` vs `b`.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<()> {
    let ordering = version::compare(ecosystem, a, b)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", ordering as i8)?;
    Ok(())
}

/// Read `A<TAB>B` lines from stdin; print one result per line. An unparsable pair prints
/// `error: <reason>` on its line and the rest go on. Returns the number of error lines.
pub fn compare_batch(ecosystem: Ecosystem) -> Result<usize> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut errors = 0;
    for (n, line) in stdin.split(b'\n').enumerate() {
        let line = line.context("reading stdin")?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches('\r');
        match line.split_once('\t') {
            Some((a, b)) => match version::compare(ecosystem, a, b) {
                Ok(o) => writeln!(out, "{}", o as i8)?,
                Err(e) => {
                    errors += 1;
                    writeln!(out, "error: {e}")?;
                }
            },
            None => {
                errors += 1;
                writeln!(out, "error: line {} is not A<TAB>B", n + 1)?;
            }
        }
    }
    out.flush()?;
    Ok(errors)
}

/// Print `true` or `false`.
pub fn satisfies(ecosystem: Ecosystem, v: &str, range: &str) -> Result<bool> {
    let ok = version::satisfies(ecosystem, v, range)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{ok}")?;
    Ok(ok)
}
