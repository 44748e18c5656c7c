//! Streams one layer blob: hashes the compressed bytes, detects and decodes the compression,
//! hashes the tar (diff id), walks its entries into a [`LayerBuilder`], and checks both
//! digests against what the image claims. Nothing is buffered beyond the captured files.

use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::Arc;

use stellaops_core::fragment::{LayerFragment, LayerRef};

use crate::capture::cache::FileCache;
use crate::error::{LayerError, LayerErrorKind};
use crate::image::builder::{LayerBuilder, RawKind};
use crate::image::compression::{decoder, Compression};
use crate::image::hashing::{CountingBufRead, HashingReader};
use crate::image::{AnalyzerSet, Limits};

/// Read one layer blob into a fragment.
///
/// `layer.digest` / `layer.diff_id`, when set, are the digests the image claims; a mismatch
/// is an error. When unset they are filled from what was read.
pub fn scan_layer<R: Read>(
    blob: R,
    layer: LayerRef,
    limits: &Limits,
) -> Result<LayerFragment, LayerError> {
    let options = LayerOptions {
        limits: *limits,
        ..LayerOptions::default()
    };
    scan_layer_with(blob, layer, &options)
}

/// How a layer is read.
#[derive(Clone, Default)]
pub struct LayerOptions {
    /// Resource limits.
    pub limits: Limits,
    /// Analyzers to run.
    pub analyzers: AnalyzerSet,
    /// Parse results of binaries and archives by content digest, shared across layers.
    pub files: Option<Arc<dyn FileCache>>,
}

/// [`scan_layer`] with every option.
pub fn scan_layer_with<R: Read>(
    blob: R,
    layer: LayerRef,
    options: &LayerOptions,
) -> Result<LayerFragment, LayerError> {
    let limits = &options.limits;
    let name = layer.display_name().to_owned();
    let fail =
        |kind, path: Option<&str>, message: String| LayerError::new(kind, &name, path, message);

    let mut hashed = HashingReader::new(blob);
    let consumed = Rc::new(Cell::new(0u64));
    let tripped = Rc::new(RefCell::new(None::<String>));
    let mut builder = LayerBuilder::new(layer.clone(), *limits)
        .analyzers(options.analyzers)
        .file_cache(options.files.clone());

    let (diff_id, uncompressed) = {
        let mut source = CountingBufRead::new(
            BufReader::with_capacity(1 << 20, &mut hashed),
            consumed.clone(),
        );
        let head = source
            .fill_buf()
            .map_err(|e| fail(LayerErrorKind::Io, None, format!("cannot read blob: {e}")))?;
        let compression = Compression::detect(head);
        let guard = Guard {
            inner: decoder(compression, &mut source),
            produced: 0,
            limits: *limits,
            consumed: consumed.clone(),
            tripped: tripped.clone(),
        };
        let mut tar_stream = HashingReader::new(guard);
        let walk = walk_tar(&mut tar_stream, &mut builder);
        let stream_err = |e: io::Error, builder: &LayerBuilder| {
            let last = builder.last_path().map(|p| format!("/{p}"));
            match tripped.borrow().clone() {
                Some(msg) => fail(LayerErrorKind::Limit, last.as_deref(), msg),
                None => fail(
                    LayerErrorKind::Corrupt,
                    last.as_deref(),
                    format!(
                        "{} layer stream is corrupt or truncated: {e}",
                        compression.name()
                    ),
                ),
            }
        };
        if let Err(e) = walk {
            return Err(stream_err(e, &builder));
        }
        let done = tar_stream.finish().map_err(|e| stream_err(e, &builder))?;
        // Bytes after the end of the compressed stream still belong to the blob's digest.
        io::copy(&mut source, &mut io::sink())
            .map_err(|e| fail(LayerErrorKind::Io, None, format!("cannot read blob: {e}")))?;
        done
    };
    let (digest, size) = hashed
        .finish()
        .map_err(|e| fail(LayerErrorKind::Io, None, format!("cannot read blob: {e}")))?;

    if let Some(expected) = &layer.digest {
        if expected != digest.as_str() {
            return Err(fail(
                LayerErrorKind::DigestMismatch,
                None,
                format!("blob digest is {digest}, but the manifest says {expected}"),
            ));
        }
    }
    if let Some(expected) = &layer.diff_id {
        if expected != diff_id.as_str() {
            return Err(fail(
                LayerErrorKind::DigestMismatch,
                None,
                format!("uncompressed digest (diff id) is {diff_id}, but the image config says {expected}"),
            ));
        }
    }
    let out = builder.layer_mut();
    out.digest = Some(layer.digest.unwrap_or_else(|| digest.to_string()));
    out.diff_id = Some(diff_id.to_string());
    out.size = Some(size);
    out.uncompressed_size = Some(uncompressed);
    Ok(builder.finish())
}

fn walk_tar<R: Read>(stream: R, builder: &mut LayerBuilder) -> io::Result<()> {
    let mut archive = tar::Archive::new(stream);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let header = entry.header();
        let kind = match header.entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                RawKind::File {
                    size: entry.size(),
                    mode: header.mode().unwrap_or(0),
                }
            }
            tar::EntryType::Directory => RawKind::Dir,
            tar::EntryType::Symlink => RawKind::Symlink {
                target: entry
                    .link_name_bytes()
                    .map(|c| c.into_owned())
                    .unwrap_or_default(),
            },
            tar::EntryType::Link => RawKind::Hardlink {
                target: entry
                    .link_name_bytes()
                    .map(|c| c.into_owned())
                    .unwrap_or_default(),
            },
            _ => RawKind::Other,
        };
        let path = entry.path_bytes().into_owned();
        builder.add(&path, kind, &mut entry)?;
    }
    Ok(())
}

/// Enforces [`Limits`] on the decoded stream and remembers why it stopped it, since the tar
/// reader may rewrap the error.
struct Guard<R> {
    inner: R,
    produced: u64,
    limits: Limits,
    consumed: Rc<Cell<u64>>,
    tripped: Rc<RefCell<Option<String>>>,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        let problem = if self.produced > self.limits.max_layer_uncompressed {
            Some(format!(
                "layer expands past the limit of {} bytes",
                self.limits.max_layer_uncompressed
            ))
        } else if self.produced > self.limits.ratio_check_after
            && self.produced / self.consumed.get().max(1) > self.limits.max_compression_ratio
        {
            Some(format!(
                "decompression bomb: {} bytes from {} compressed bytes (ratio above {}:1)",
                self.produced,
                self.consumed.get(),
                self.limits.max_compression_ratio
            ))
        } else {
            None
        };
        if let Some(msg) = problem {
            *self.tripped.borrow_mut() = Some(msg.clone());
            return Err(io::Error::other(msg));
        }
        Ok(n)
    }
}
