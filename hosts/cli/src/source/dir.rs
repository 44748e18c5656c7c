//! `dir:` scans: walk a directory (or a whole root file system) as one layer, without
//! following symlinks, reading only the files the analyzers ask for.

use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use std::sync::Arc;

use stellaops_analyzers::capture::cache::FileCache;
use stellaops_analyzers::image::builder::{LayerBuilder, RawKind};
use stellaops_analyzers::image::AnalyzerSet;
use stellaops_analyzers::Limits;
use stellaops_core::fragment::{LayerFragment, LayerRef};

/// Top-level pseudo file systems skipped when the root scanned is `/`.
const SKIP_AT_SYSTEM_ROOT: [&str; 3] = ["proc", "sys", "dev"];

/// Kernel pseudo file systems: their mount points are skipped wherever they appear under
/// the scanned root (e.g. a chroot with `/proc` mounted), since they hold no installed state.
const PSEUDO_FS: [&str; 14] = [
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "cgroup",
    "cgroup2",
    "debugfs",
    "tracefs",
    "securityfs",
    "pstore",
    "bpf",
    "mqueue",
    "hugetlbfs",
    "fusectl",
];

/// Mount points of pseudo file systems, from `/proc/self/mountinfo` (empty when unreadable).
fn pseudo_mount_points() -> Vec<std::path::PathBuf> {
    let Ok(text) = fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let mount_point = left.split(' ').nth(4)?;
            let fs_type = right.split(' ').next()?;
            PSEUDO_FS
                .contains(&fs_type)
                .then(|| std::path::PathBuf::from(unescape_mount(mount_point)))
        })
        .collect()
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape_mount(text: &str) -> String {
    text.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

/// Opens the file only if the analyzers read from it.
struct LazyFile<'a> {
    path: &'a Path,
    file: Option<File>,
}

impl Read for LazyFile<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.file.is_none() {
            self.file = Some(File::open(self.path)?);
        }
        match &mut self.file {
            Some(f) => f.read(buf),
            None => Ok(0),
        }
    }
}

/// Walk `root` into a fragment. Lockfiles are read too (their packages marked declared).
pub fn scan_dir(
    root: &Path,
    limits: Limits,
    analyzers: AnalyzerSet,
    files: Option<Arc<dyn FileCache>>,
) -> io::Result<LayerFragment> {
    let mut builder = LayerBuilder::new(LayerRef::default(), limits)
        .source_tree(true)
        .analyzers(analyzers)
        .file_cache(files);
    // Walk the canonical root: every path below it is then canonical too (links are not
    // followed), so mount points compare directly.
    let root = root.canonicalize()?;
    let system_root = root == Path::new("/");
    let pseudo = pseudo_mount_points();
    let mut stack = vec![(root.clone(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                builder.warn(
                    Some(format!("/{rel}")),
                    format!("directory not readable: {e}"),
                );
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
        names.sort_by_key(fs::DirEntry::file_name);
        for entry in names.into_iter().rev() {
            let name = entry.file_name();
            let rel_path = if rel.is_empty() {
                String::from_utf8_lossy(name.as_bytes()).into_owned()
            } else {
                format!("{rel}/{}", String::from_utf8_lossy(name.as_bytes()))
            };
            if system_root && rel.is_empty() && SKIP_AT_SYSTEM_ROOT.contains(&rel_path.as_str()) {
                continue;
            }
            let path = entry.path();
            let meta = match fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    builder.warn(Some(format!("/{rel_path}")), format!("not readable: {e}"));
                    continue;
                }
            };
            let ft = meta.file_type();
            let kind = if ft.is_dir() {
                if pseudo.contains(&path) {
                    continue;
                }
                stack.push((path.clone(), rel_path.clone()));
                RawKind::Dir
            } else if ft.is_symlink() {
                let target = fs::read_link(&path)
                    .map(|t| t.as_os_str().as_bytes().to_vec())
                    .unwrap_or_default();
                RawKind::Symlink { target }
            } else if ft.is_file() {
                RawKind::File {
                    size: meta.len(),
                    mode: std::os::unix::fs::PermissionsExt::mode(&meta.permissions()),
                }
            } else {
                RawKind::Other
            };
            let mut content = LazyFile {
                path: &path,
                file: None,
            };
            if let Err(e) = builder.add(rel_path.as_bytes(), kind, &mut content) {
                builder.warn(Some(format!("/{rel_path}")), format!("not readable: {e}"));
            }
        }
    }
    Ok(builder.finish())
}
