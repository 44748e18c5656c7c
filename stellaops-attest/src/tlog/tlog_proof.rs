//! C2SP tlog-proof: a self-contained, offline-verifiable proof that an entry is in a log
//! (a "spicy signature", file extension `.tlog-proof`):
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! [extra <base64 opaque data>]
//! index <entry index, decimal, no leading zeros>
//! <inclusion proof hashes, base64, one per line, leaf sibling first>
//!
//! <the signed checkpoint, verbatim>
//! ```
//!
//! The extra data is *not* authenticated. Verification ([`verify_tlog_proof`]) checks the
//! checkpoint signature and origin, then the inclusion of the entry in the checkpointed tree.
//! Witness cosignatures in the checkpoint are ignored (reported as unverified signatures by
//! the note layer); cosignature policies are out of scope here.

use base64::{engine::general_purpose::STANDARD, Engine as _};

use super::checkpoint::Checkpoint;
use super::hash::Hash;
use super::note::NoteVerifier;
use super::{verify_entry, VerifyError};

/// First line of a tlog-proof.
pub const TLOG_PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

/// A parsed tlog-proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque, unauthenticated extra data (`extra` line), if any.
    pub extra: Option<Vec<u8>>,
    /// Index of the entry in the log.
    pub index: u64,
    /// Inclusion proof of the entry in the checkpointed tree.
    pub proof: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: String,
}

impl TlogProof {
    /// Encodes the proof. The checkpoint must be a signed note (ending in a newline).
    pub fn format(&self) -> String {
        let mut s = String::with_capacity(64 + self.proof.len() * 45 + self.checkpoint.len());
        s.push_str(TLOG_PROOF_HEADER);
        s.push('\n');
        if let Some(extra) = &self.extra {
            s.push_str("extra ");
            s.push_str(&STANDARD.encode(extra));
            s.push('\n');
        }
        s.push_str(&format!("index {}\n", self.index));
        for h in &self.proof {
            s.push_str(&STANDARD.encode(h));
            s.push('\n');
        }
        s.push('\n');
        s.push_str(&self.checkpoint);
        s
    }

    /// Parses a tlog-proof (the checkpoint is kept verbatim and checked only when verifying).
    pub fn parse(bytes: &[u8]) -> Result<Self, VerifyError> {
        let bad = VerifyError::MalformedTlogProof;
        let text = core::str::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
        let mut rest = text;
        let mut next_line = || -> Result<&str, VerifyError> {
            let (line, tail) = rest.split_once('\n').ok_or(bad("unterminated line"))?;
            rest = tail;
            Ok(line)
        };
        if next_line()? != TLOG_PROOF_HEADER {
            return Err(bad("first line is not c2sp.org/tlog-proof@v1"));
        }
        let mut line = next_line()?;
        let extra = match line.strip_prefix("extra ") {
            Some(b64) => {
                let data = STANDARD
                    .decode(b64)
                    .map_err(|_| bad("extra data is not standard base64"))?;
                line = next_line()?;
                Some(data)
            }
            None => None,
        };
        let index = line
            .strip_prefix("index ")
            .filter(|d| {
                !d.is_empty()
                    && d.bytes().all(|b| b.is_ascii_digit())
                    && (d.len() == 1 || !d.starts_with('0'))
            })
            .and_then(|d| d.parse::<u64>().ok())
            .ok_or(bad("missing or malformed index line"))?;
        let mut proof = Vec::new();
        loop {
            let line = next_line()?;
            if line.is_empty() {
                break;
            }
            if proof.len() == 64 {
                return Err(bad("more than 64 proof hashes"));
            }
            let h = STANDARD
                .decode(line)
                .ok()
                .and_then(|h| Hash::try_from(h.as_slice()).ok())
                .ok_or(bad("proof line is not a base64 32-byte hash"))?;
            proof.push(h);
        }
        if rest.is_empty() {
            return Err(bad("missing checkpoint"));
        }
        Ok(Self {
            extra,
            index,
            proof,
            checkpoint: rest.to_string(),
        })
    }
}

/// Verifies a tlog-proof for `entry`: the checkpoint is signed by `verifier` for `origin`,
/// and the entry is at the stated index of the checkpointed tree. Returns the parsed proof
/// and the checkpoint.
pub fn verify_tlog_proof(
    bytes: &[u8],
    entry: &[u8],
    verifier: &NoteVerifier,
    origin: &str,
) -> Result<(TlogProof, Checkpoint), VerifyError> {
    let p = TlogProof::parse(bytes)?;
    let cp = verify_entry(
        entry,
        p.index,
        &p.proof,
        p.checkpoint.as_bytes(),
        verifier,
        origin,
    )?;
    Ok((p, cp))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Test-only: reads the spec example.
    fn spec_example() -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/fixtures/attestation/c2sp/notes/tlog-proof.note0.txt");
        stellaops_testkit::fs::read(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"))
    }

    #[test]
    fn spec_example_parses_and_round_trips() {
        let bytes = spec_example();
        let p = TlogProof::parse(&bytes).expect("spec example");
        assert_eq!(p.index, 73_894);
        assert_eq!(p.proof.len(), 5);
        assert!(p.extra.as_ref().is_some_and(|e| !e.is_empty()));
        assert!(p.checkpoint.starts_with("example.com/fancylog\n109482\n"));
        assert_eq!(p.format().as_bytes(), bytes.as_slice());
    }

    #[test]
    fn malformed_proofs() {
        let h = STANDARD.encode([1u8; 32]);
        let cp = "o\n1\nAAAA\n\n\u{2014} o AAAAAA==\n";
        let ok = format!("{TLOG_PROOF_HEADER}\nindex 0\n{h}\n\n{cp}");
        assert!(TlogProof::parse(ok.as_bytes()).is_ok());
        for bad in [
            format!("c2sp.org/tlog-proof@v2\nindex 0\n\n{cp}"),
            format!("{TLOG_PROOF_HEADER}\nindex 01\n\n{cp}"),
            format!("{TLOG_PROOF_HEADER}\nindex -1\n\n{cp}"),
            format!("{TLOG_PROOF_HEADER}\nindex\n\n{cp}"),
            format!("{TLOG_PROOF_HEADER}\nextra !!\nindex 0\n\n{cp}"),
            format!("{TLOG_PROOF_HEADER}\nindex 0\n{}\n\n{cp}", &h[..40]),
            format!("{TLOG_PROOF_HEADER}\nindex 0\n{h}\n"),
            format!("{TLOG_PROOF_HEADER}\nindex 0\n{h}"),
            format!("{TLOG_PROOF_HEADER}\nindex 0\n{h}\n\n"),
            format!(
                "{TLOG_PROOF_HEADER}\nindex 0\n{}\n{cp}",
                format!("{h}\n").repeat(65)
            ),
        ] {
            assert!(
                TlogProof::parse(bad.as_bytes()).is_err(),
                "accepted {bad:?}"
            );
        }
    }
}
