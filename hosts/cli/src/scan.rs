//! `stella scan`: resolve the reference, read layers in parallel into fragments (reusing
//! cached fragments by layer digest), compose, and render the requested SBOM format.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{anyhow, Context, Result};
use stellaops_analyzers::image::manifest::PlatformSpec;
use stellaops_analyzers::{scan_layer, Limits};
use stellaops_core::fragment::LayerFragment;
use stellaops_core::sbom::{DocumentContext, Subject, SubjectKind};
use stellaops_core::{compose, Inventory};

use crate::cache::FragmentCache;
use crate::progress::Progress;
use crate::source::archive::ArchiveIndex;
use crate::source::image::{resolve_docker_archive, resolve_oci, ResolvedImage};
use crate::source::{dir, Reference};

/// Options of one scan.
pub struct ScanOptions {
    /// The reference as given.
    pub reference: String,
    /// Wanted platform.
    pub platform: PlatformSpec,
    /// Whether the platform was given explicitly.
    pub explicit_platform: bool,
    /// Resource limits.
    pub limits: Limits,
    /// Fragment cache, if enabled.
    pub cache: Option<FragmentCache>,
    /// Worker threads for layers.
    pub jobs: usize,
    /// Progress display.
    pub progress: Progress,
}

/// Result of a scan, ready for a writer.
pub struct ScanResult {
    /// What was scanned.
    pub subject: Subject,
    /// The image's created time, if any.
    pub created: Option<i64>,
    /// The composed inventory.
    pub inventory: Inventory,
}

/// Run a scan.
pub fn run(opts: &ScanOptions) -> Result<ScanResult> {
    let reference = Reference::parse(&opts.reference)?;
    let image = match &reference {
        Reference::Dir(path) => {
            let fragment = dir::scan_dir(path, opts.limits)
                .with_context(|| format!("cannot read directory {}", path.display()))?;
            let inventory = compose(std::slice::from_ref(&fragment));
            return Ok(ScanResult {
                subject: Subject {
                    reference: opts.reference.clone(),
                    kind: SubjectKind::Directory,
                    ..Subject::default()
                },
                created: None,
                inventory,
            });
        }
        Reference::OciDir(path) => resolve_oci(
            &opts.reference,
            None,
            path,
            &opts.platform,
            opts.explicit_platform,
        )?,
        Reference::OciArchive(path) => {
            let index = ArchiveIndex::open(path)?;
            resolve_oci(
                &opts.reference,
                Some(index),
                path,
                &opts.platform,
                opts.explicit_platform,
            )?
        }
        Reference::DockerArchive(path) => {
            let index = ArchiveIndex::open(path)?;
            resolve_docker_archive(
                &opts.reference,
                index,
                &opts.platform,
                opts.explicit_platform,
            )?
        }
    };
    let fragments = scan_layers(&image, opts)?;
    let inventory = compose(&fragments);
    Ok(ScanResult {
        subject: image.subject,
        created: image.created,
        inventory,
    })
}

fn scan_layers(image: &ResolvedImage, opts: &ScanOptions) -> Result<Vec<LayerFragment>> {
    let count = image.layers.len();
    let results: Mutex<Vec<Option<Result<LayerFragment>>>> =
        Mutex::new((0..count).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let bar = opts.progress.layers(count as u64);
    let workers = opts.jobs.clamp(1, count.max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((layer, location)) = image.layers.get(i) else {
                    break;
                };
                let result = scan_one(layer, location, opts);
                bar.inc(1);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(result);
                }
            });
        }
    });
    bar.finish_and_clear();
    let results = results
        .into_inner()
        .map_err(|_| anyhow!("a layer worker panicked"))?;
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| Err(anyhow!("layer {i} was not scanned"))))
        .collect()
}

fn scan_one(
    layer: &stellaops_core::fragment::LayerRef,
    location: &crate::source::image::LayerLocation,
    opts: &ScanOptions,
) -> Result<LayerFragment> {
    let key = layer.diff_id.clone().or_else(|| layer.digest.clone());
    if let (Some(cache), Some(key)) = (&opts.cache, &key) {
        if let Some(mut fragment) = cache.get(key) {
            // The cache is keyed by content; the manifest's blob digest may differ per image.
            fragment.layer.digest.clone_from(&layer.digest);
            fragment.layer.media_type.clone_from(&layer.media_type);
            fragment.layer.size = layer.size.or(fragment.layer.size);
            return Ok(fragment);
        }
    }
    let reader = location.open()?;
    let fragment = scan_layer(reader, layer.clone(), &opts.limits)?;
    if let (Some(cache), Some(key)) = (&opts.cache, &key) {
        cache.put(key, &fragment);
    }
    Ok(fragment)
}

/// The document context for a result: timestamp from `SOURCE_DATE_EPOCH`, else the image's
/// created time, else the Unix epoch; the wall clock only when `now` is asked for.
pub fn context(result: &ScanResult, now: bool) -> Result<DocumentContext> {
    let created_unix = if now {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
            .unwrap_or(0)
    } else if let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let text = epoch.to_string_lossy();
        text.trim()
            .parse::<i64>()
            .with_context(|| format!("SOURCE_DATE_EPOCH={text:?} is not an integer"))?
    } else {
        result.created.unwrap_or(0)
    };
    Ok(DocumentContext {
        subject: result.subject.clone(),
        created_unix,
        tool_name: "stella".to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Default location of the fragment cache.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("STELLAOPS_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("stellaops"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("stellaops"))
}
