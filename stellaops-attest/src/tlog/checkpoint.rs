//! C2SP tlog-checkpoint: the signed tree head of a log, as a signed note whose text is
//!
//! ```text
//! <origin>
//! <tree size, decimal, no leading zeros>
//! <root hash, standard base64 of 32 bytes>
//! [extension lines, each non-empty]
//! ```
//!
//! Parsing is strict: exactly one spelling is accepted for every checkpoint (no signs or
//! leading zeros in the size, canonical padded base64, exactly 32 root bytes, no empty
//! extension lines), so a checkpoint cannot be re-encoded into a different text that still
//! carries a valid signature.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use thiserror::Error;

use super::hash::Hash;
use super::note::{open_note, sign_note, NoteError, NoteSigner, NoteVerifier};

/// Errors of checkpoint formatting, parsing and verification.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CheckpointError {
    /// The signed-note layer failed (malformed note, bad or missing signature).
    #[error(transparent)]
    Note(#[from] NoteError),
    /// The note text is not a well-formed checkpoint body.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The checkpoint belongs to another log.
    #[error("checkpoint origin {found:?} is not the expected origin {expected:?}")]
    OriginMismatch {
        /// Origin the caller expected.
        expected: String,
        /// Origin found in the checkpoint.
        found: String,
    },
}

/// A log checkpoint (tree head).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Log identity, e.g. `log.example.com/stella` (non-empty, one line).
    pub origin: String,
    /// Number of entries in the tree.
    pub size: u64,
    /// RFC 6962 root hash of the tree.
    pub root: Hash,
    /// Opaque extension lines (non-empty, one line each). Not recommended by the spec.
    pub extensions: Vec<String>,
}

fn valid_line(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| (c as u32) < 0x20)
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: impl Into<String>, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.into(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text (body) of the checkpoint, ending in a newline.
    pub fn format(&self) -> Result<String, CheckpointError> {
        if !valid_line(&self.origin) {
            return Err(CheckpointError::Malformed(
                "origin must be a non-empty line without control characters",
            ));
        }
        if !self.extensions.iter().all(|e| valid_line(e)) {
            return Err(CheckpointError::Malformed(
                "extension lines must be non-empty lines without control characters",
            ));
        }
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        Ok(s)
    }

    /// Parses a checkpoint body (a note text, ending in a newline).
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::Malformed("text does not end in a newline"))?;
        let mut lines = body.split('\n');
        let origin = lines.next().unwrap_or_default();
        if !valid_line(origin) {
            return Err(CheckpointError::Malformed("empty origin line"));
        }
        let size = lines
            .next()
            .ok_or(CheckpointError::Malformed("missing tree size line"))?;
        if size.is_empty()
            || !size.bytes().all(|b| b.is_ascii_digit())
            || (size.len() > 1 && size.starts_with('0'))
        {
            return Err(CheckpointError::Malformed(
                "tree size is not a decimal without leading zeros",
            ));
        }
        let size: u64 = size
            .parse()
            .map_err(|_| CheckpointError::Malformed("tree size does not fit in 64 bits"))?;
        let root = lines
            .next()
            .ok_or(CheckpointError::Malformed("missing root hash line"))?;
        let root = STANDARD.decode(root).map_err(|_| {
            CheckpointError::Malformed("root hash is not canonical standard base64")
        })?;
        let root: Hash = root
            .try_into()
            .map_err(|_| CheckpointError::Malformed("root hash is not 32 bytes"))?;
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        if !extensions.iter().all(|e| valid_line(e)) {
            return Err(CheckpointError::Malformed("empty extension line"));
        }
        Ok(Self {
            origin: origin.to_string(),
            size,
            root,
            extensions,
        })
    }
}

/// Signs a checkpoint with the log's key; returns the signed note.
pub fn sign_checkpoint(cp: &Checkpoint, signer: &NoteSigner) -> Result<String, CheckpointError> {
    Ok(sign_note(&cp.format()?, &[signer])?)
}

/// Opens a signed checkpoint: the note must carry a valid signature by `verifier` (other
/// signatures, e.g. witness cosignatures, are ignored), its body must parse, and its origin
/// must be `expected_origin`.
pub fn verify_checkpoint(
    bytes: &[u8],
    verifier: &NoteVerifier,
    expected_origin: &str,
) -> Result<Checkpoint, CheckpointError> {
    let note = open_note(bytes, core::slice::from_ref(verifier))?;
    let cp = Checkpoint::parse(&note.text)?;
    if cp.origin != expected_origin {
        return Err(CheckpointError::OriginMismatch {
            expected: expected_origin.to_string(),
            found: cp.origin,
        });
    }
    Ok(cp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlog::hash::leaf_hash;

    fn signer() -> NoteSigner {
        NoteSigner::from_seed("log.example/stella", &[42u8; 32]).expect("seed")
    }

    #[test]
    fn format_and_parse_round_trip() {
        let mut cp = Checkpoint::new("log.example/stella", 20_852_163, leaf_hash(b"x"));
        let text = cp.format().expect("format");
        assert_eq!(Checkpoint::parse(&text), Ok(cp.clone()));
        cp.extensions = vec!["ext one".into(), "\u{2014} two".into()];
        let text = cp.format().expect("format");
        assert!(text.ends_with("ext one\n\u{2014} two\n"));
        assert_eq!(Checkpoint::parse(&text), Ok(cp.clone()));
        let zero = Checkpoint::new("o", 0, crate::tlog::hash::empty_root());
        assert_eq!(
            zero.format().as_deref(),
            Ok("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        );
        // Invalid origins / extensions cannot be formatted.
        assert!(Checkpoint::new("", 1, [0; 32]).format().is_err());
        assert!(Checkpoint::new("a\nb", 1, [0; 32]).format().is_err());
        cp.extensions = vec![String::new()];
        assert!(cp.format().is_err());
    }

    #[test]
    fn spec_example_body_parses() {
        let text =
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        let cp = Checkpoint::parse(text).expect("spec body");
        assert_eq!(cp.origin, "example.com/behind-the-sofa");
        assert_eq!(cp.size, 20_852_163);
        assert_eq!(cp.format().as_deref(), Ok(text));
    }

    #[test]
    fn strict_parsing() {
        let root = STANDARD.encode([7u8; 32]);
        let ok = format!("o\n5\n{root}\n");
        assert!(Checkpoint::parse(&ok).is_ok());
        for bad in [
            format!("o\n5\n{root}"),                           // no final newline
            format!("\n5\n{root}\n"),                          // empty origin
            format!("o\n05\n{root}\n"),                        // leading zero
            format!("o\n+5\n{root}\n"),                        // sign
            format!("o\n-5\n{root}\n"),                        // sign
            format!("o\n 5\n{root}\n"),                        // space
            format!("o\n\n{root}\n"),                          // empty size
            format!("o\n18446744073709551616\n{root}\n"),      // 2^64
            format!("o\n5\n{}\n", STANDARD.encode([7u8; 31])), // short root
            format!("o\n5\n{}\n", STANDARD.encode([7u8; 33])), // long root
            format!("o\n5\n{}\n", root.trim_end_matches('=')), // unpadded
            format!("o\n5\n{}\n", root.replace('H', "-")),     // not the standard alphabet
            format!("o\n5\n{root}\n\n"),                       // empty extension line
            format!("o\n5\n{root}\next\n\n"),                  // empty extension line
            "o\n5\n".to_string(),                              // missing root
            "o\n".to_string(),                                 // missing size
            String::new(),
        ] {
            assert!(Checkpoint::parse(&bad).is_err(), "accepted {bad:?}");
        }
        // Non-canonical base64 of the right length: [7; 32] ends in "Bwc=", "Bwd=" decodes to
        // the same bytes in a lenient decoder (non-zero trailing bits) and must be rejected.
        assert!(root.ends_with("Bwc="));
        let noncanon = format!("{}d=", &root[..root.len() - 2]);
        assert!(Checkpoint::parse(&format!("o\n5\n{noncanon}\n")).is_err());
        assert_eq!(
            Checkpoint::parse(&format!("o\n18446744073709551615\n{root}\n")).map(|c| c.size),
            Ok(u64::MAX)
        );
    }

    #[test]
    fn sign_and_verify() {
        let s = signer();
        let cp = Checkpoint::new("log.example/stella", 12, leaf_hash(b"r"));
        let note = sign_checkpoint(&cp, &s).expect("sign");
        assert_eq!(
            verify_checkpoint(note.as_bytes(), &s.verifier(), "log.example/stella"),
            Ok(cp)
        );
        assert_eq!(
            verify_checkpoint(note.as_bytes(), &s.verifier(), "log.example/other"),
            Err(CheckpointError::OriginMismatch {
                expected: "log.example/other".into(),
                found: "log.example/stella".into()
            })
        );
        let other = NoteSigner::from_seed("log.example/stella", &[43u8; 32]).expect("seed");
        assert_eq!(
            verify_checkpoint(note.as_bytes(), &other.verifier(), "log.example/stella"),
            Err(CheckpointError::Note(NoteError::NoVerifiedSignature {
                unverified: 1
            }))
        );
    }

    /// A forged checkpoint: the old signature over a changed size, root or origin.
    #[test]
    fn forged_checkpoints_are_rejected() {
        let s = signer();
        let cp = Checkpoint::new("log.example/stella", 12, leaf_hash(b"r"));
        let note = sign_checkpoint(&cp, &s).expect("sign");
        let sig_block = &note[note.rfind("\n\n").expect("block") + 1..];
        let forge = |body: Checkpoint| format!("{}{sig_block}", body.format().expect("format"));
        let forgeries = [
            Checkpoint {
                size: 13,
                ..cp.clone()
            },
            Checkpoint {
                size: 11,
                ..cp.clone()
            },
            Checkpoint {
                root: leaf_hash(b"other"),
                ..cp.clone()
            },
            Checkpoint {
                origin: "log.example/stellb".into(),
                ..cp.clone()
            },
            Checkpoint {
                extensions: vec!["x".into()],
                ..cp.clone()
            },
        ];
        for f in forgeries {
            let forged = forge(f.clone());
            assert!(
                matches!(
                    verify_checkpoint(forged.as_bytes(), &s.verifier(), &f.origin),
                    Err(CheckpointError::Note(NoteError::InvalidSignature { .. }))
                ),
                "{forged}"
            );
        }
        // A validly signed note whose body is not a checkpoint.
        let not_cp = sign_note("hello\n", &[&s]).expect("sign");
        assert_eq!(
            verify_checkpoint(not_cp.as_bytes(), &s.verifier(), "hello"),
            Err(CheckpointError::Malformed("missing tree size line"))
        );
    }
}
