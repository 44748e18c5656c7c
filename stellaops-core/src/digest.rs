//! Content digests in OCI form (`sha256:<64 lowercase hex>`).

use sha2::{Digest as _, Sha256};

/// Why a digest string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid digest {value:?}: {reason}")]
pub struct DigestError {
    value: String,
    reason: &'static str,
}

/// A validated `sha256:<hex>` digest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Digest(String);

impl Sha256Digest {
    /// Parse `sha256:<64 lowercase hex>`; other algorithms are rejected.
    pub fn parse(value: &str) -> Result<Self, DigestError> {
        let err = |reason| DigestError {
            value: value.chars().take(100).collect(),
            reason,
        };
        let hex = value
            .strip_prefix("sha256:")
            .ok_or_else(|| err("only sha256 digests are supported"))?;
        if hex.len() != 64 {
            return Err(err("expected 64 hex digits"));
        }
        if !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(err("expected lowercase hex digits"));
        }
        Ok(Sha256Digest(value.to_owned()))
    }

    /// Digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self::from_raw(&Sha256::digest(bytes))
    }

    /// From a raw 32-byte hash.
    pub fn from_raw(raw: &[u8]) -> Self {
        Sha256Digest(format!("sha256:{}", hex::encode(raw)))
    }

    /// The hex part, without `sha256:`.
    pub fn hex(&self) -> &str {
        &self.0["sha256:".len()..]
    }

    /// The full `sha256:<hex>` string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let d = Sha256Digest::of(b"");
        assert_eq!(
            d.as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(Sha256Digest::parse(d.as_str()).unwrap(), d);
        assert!(Sha256Digest::parse("sha512:00").is_err());
        assert!(Sha256Digest::parse("sha256:ABC").is_err());
        assert!(Sha256Digest::parse(&format!("sha256:{}", "G".repeat(64))).is_err());
    }
}
