//! `stella scan`: resolve the reference, read layers in parallel into fragments (reusing
//! cached fragments by layer digest), compose, and render the requested SBOM format.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use stellaops_analyzers::capture::cache::FileCache;
use stellaops_analyzers::entrytrace;
use stellaops_analyzers::image::manifest::{ContainerConfig, PlatformSpec};
use stellaops_analyzers::image::{scan_layer_with, AnalyzerSet, LayerOptions};
use stellaops_analyzers::tree_view::TreeView;
use stellaops_analyzers::Limits;
use stellaops_core::entry_trace::EntryConfig;
use stellaops_core::fragment::LayerFragment;
use stellaops_core::sbom::{DocumentContext, Subject, SubjectKind};
use stellaops_core::{compose, Inventory};

use crate::cache::{FileFactCache, FragmentCache};
use crate::progress::Progress;
use crate::source::archive::ArchiveIndex;
use crate::source::image::{resolve_docker_archive, resolve_oci, ResolvedImage};
use crate::source::{dir, Reference};

/// Which components a scan reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// Everything installed.
    Inventory,
    /// Only the entrypoint's closure (needs an image config with Entrypoint or Cmd).
    Usage,
}

/// Parse `--analyzers`: `lang`, `bin`, comma-separated, or `none`.
pub fn parse_analyzers(text: &str) -> Result<AnalyzerSet> {
    let mut set = AnalyzerSet {
        lang: false,
        binaries: false,
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "lang" => set.lang = true,
            "bin" => set.binaries = true,
            "none" => {}
            other => bail!("unknown analyzer {other:?} (known: lang, bin, none)"),
        }
    }
    Ok(set)
}

/// Options of one scan.
pub struct ScanOptions {
    /// Inventory or usage view.
    pub view: View,
    /// Analyzers besides the OS package databases.
    pub analyzers: AnalyzerSet,
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
    let files: Arc<dyn FileCache> = Arc::new(FileFactCache::new(
        opts.cache.as_ref().map(|c| c.root().to_path_buf()),
    ));
    let image = match &reference {
        Reference::Dir(path) => {
            if opts.view == View::Usage {
                bail!("--view usage needs an image: a directory has no Entrypoint or Cmd");
            }
            let fragment = dir::scan_dir(path, opts.limits, opts.analyzers, Some(files))
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
    let fragments = scan_layers(&image, opts, &files)?;
    let mut inventory = compose(&fragments);
    match image.container.as_ref().map(entry_config) {
        Some(config) if !(config.entrypoint.is_empty() && config.cmd.is_empty()) => {
            let view = TreeView::new(&fragments);
            let trace = entrytrace::trace(&config, &view);
            let closure = stellaops_core::usage::mark(&fragments, &trace, &mut inventory);
            for lib in &closure.missing_libraries {
                inventory
                    .diagnostics
                    .push(stellaops_core::Diagnostic::warning(
                        None,
                        format!(
                        "usage view: shared library {lib} needed by the entrypoint's closure is \
                         not in the image's library search path"
                    ),
                    ));
            }
            inventory.diagnostics.sort();
            inventory.entry_trace = Some(trace);
        }
        _ if opts.view == View::Usage => {
            bail!("--view usage needs an image config with Entrypoint or Cmd; this image has none")
        }
        _ => {}
    }
    if opts.view == View::Usage {
        inventory.components.retain(|c| c.used_by_entrypoint);
    }
    Ok(ScanResult {
        subject: image.subject,
        created: image.created,
        inventory,
    })
}

/// The image config's start command in EntryTrace's terms.
fn entry_config(c: &ContainerConfig) -> EntryConfig {
    EntryConfig {
        entrypoint: c.entrypoint.clone().unwrap_or_default(),
        cmd: c.cmd.clone().unwrap_or_default(),
        env: c.env.clone().unwrap_or_default(),
        working_dir: c.working_dir.clone().filter(|w| !w.is_empty()),
        user: c.user.clone().filter(|u| !u.is_empty()),
    }
}

fn scan_layers(
    image: &ResolvedImage,
    opts: &ScanOptions,
    files: &Arc<dyn FileCache>,
) -> Result<Vec<LayerFragment>> {
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
                let result = scan_one(layer, location, opts, files);
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
    files: &Arc<dyn FileCache>,
) -> Result<LayerFragment> {
    let key = layer
        .diff_id
        .clone()
        .or_else(|| layer.digest.clone())
        .map(|k| format!("{k}#{}", opts.analyzers.key()));
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
    let options = LayerOptions {
        limits: opts.limits,
        analyzers: opts.analyzers,
        files: Some(files.clone()),
    };
    let fragment = scan_layer_with(reader, layer.clone(), &options)?;
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
