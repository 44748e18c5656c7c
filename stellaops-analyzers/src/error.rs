//! Errors that end the reading of a whole input (a layer, a manifest).

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LayerErrorKind {
    /// The stream could not be read.
    Io,
    /// The compressed or tar stream is damaged or cut short.
    Corrupt,
    /// A digest does not match what the image claims.
    DigestMismatch,
    /// A resource limit was exceeded (size, ratio, entry count).
    Limit,
}

/// A layer that could not be read, naming the layer and (when known) the last path reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("layer {layer}{}: {message}", path.as_ref().map(|p| format!(" at {p}")).unwrap_or_default())]
pub struct LayerError {
    /// What went wrong.
    pub kind: LayerErrorKind,
    /// Layer digest (or other name).
    pub layer: String,
    /// Last path reached in the layer.
    pub path: Option<String>,
    /// Explanation.
    pub message: String,
}

impl LayerError {
    pub(crate) fn new(
        kind: LayerErrorKind,
        layer: &str,
        path: Option<&str>,
        message: String,
    ) -> Self {
        LayerError {
            kind,
            layer: layer.to_owned(),
            path: path.map(str::to_owned),
            message,
        }
    }
}

/// A manifest, index or config that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {message}")]
pub struct ManifestError {
    /// Which document (e.g. `index.json`, `manifest sha256:...`).
    pub what: String,
    /// Explanation.
    pub message: String,
}

impl ManifestError {
    pub(crate) fn new(what: impl Into<String>, message: impl Into<String>) -> Self {
        ManifestError {
            what: what.into(),
            message: message.into(),
        }
    }
}
