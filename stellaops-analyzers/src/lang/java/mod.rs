//! Java archives (`.jar`, `.war`, `.ear`, Jenkins `.jpi`/`.hpi`): Maven packages from the
//! `pom.properties` files inside (a shaded jar holds several), else from
//! `META-INF/MANIFEST.MF`, else from the file name ([`Confidence::Low`]). Nested archives
//! (`BOOT-INF/lib/*.jar`, `WEB-INF/lib/*.jar`, EAR modules, any archive entry) are read into
//! memory and walked to [`JavaLimits::max_depth`].
//!
//! Only the central directory is read for every entry; only `pom.properties`, the manifest
//! (its main section) and nested archives are decompressed. Nothing is extracted, so entry
//! names escaping the archive root are harmless here; they are reported all the same.
//!
//! Untrusted input is bounded: entry count per archive, declared total size, per-entry
//! compression ratio, size of a nested archive, nesting depth, archives that contain an
//! enclosing archive (by sha256), and a budget for the whole walk (bytes decompressed, entries
//! read). Every problem is a [`Diagnostic`] naming the archive location and the entry; the
//! rest of the walk is kept.

mod identify;
mod manifest;
mod properties;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use stellaops_core::Diagnostic;
use zip::ZipArchive;

use self::identify::{Facts, Pom};
use self::manifest::{MainSectionEnd, Manifest};
use super::LangScan;

/// Whether `path` names a Java archive by its extension (`.jar .war .ear .jpi .hpi`, any case).
pub fn is_java_archive(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !stem.ends_with('/') && is_java_archive_ext(ext)
    })
}

fn is_java_archive_ext(ext: &str) -> bool {
    ["jar", "war", "ear", "jpi", "hpi"]
        .iter()
        .any(|known| ext.eq_ignore_ascii_case(known))
}

/// Bounds on what walking one archive may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JavaLimits {
    /// Deepest nesting walked (the archive given is depth 0).
    pub max_depth: usize,
    /// Most entries one archive may list (more: the archive is not read). Also the most
    /// entries (metadata files and nested archives) read in one walk.
    pub max_entries: usize,
    /// Largest declared total uncompressed size of one archive before it is reported as a
    /// possible zip bomb; also the most bytes decompressed in one walk.
    pub max_total_uncompressed: u64,
    /// Largest nested archive read into memory.
    pub max_entry_bytes: u64,
    /// Largest uncompressed/compressed ratio of an entry above 1 MiB; such an entry is not
    /// decompressed.
    pub max_ratio: u64,
}

impl Default for JavaLimits {
    fn default() -> Self {
        JavaLimits {
            max_depth: 8,
            max_entries: 200_000,
            max_total_uncompressed: 2 << 30,
            max_entry_bytes: 64 << 20,
            max_ratio: 100,
        }
    }
}

/// Entries at most this large are not ratio-checked (small files compress arbitrarily well
/// and are read with small caps anyway).
const RATIO_CHECK_FLOOR: u64 = 1 << 20;
/// Largest `pom.properties` read.
const MAX_POM_PROPERTIES_BYTES: u64 = 1 << 20;
/// Most bytes of a manifest read while looking for the end of its main section.
const MAX_MANIFEST_BYTES: u64 = 4 << 20;
/// Names of skipped entries quoted in one aggregated diagnostic.
const QUOTED_NAMES: usize = 3;

/// Walk one archive (bytes of the file as found at `path` in the image), nested archives to
/// `max_depth`.
pub fn scan_archive(path: &str, bytes: &[u8], limits: &JavaLimits) -> LangScan {
    scan_archive_launch(path, bytes, limits).0
}

/// How the archive's own manifest says to launch it (`java -jar`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JarLaunch {
    /// `Main-Class`.
    pub main_class: Option<String>,
    /// `Class-Path` entries (space-separated URLs relative to the archive's directory), in order.
    pub class_path: Vec<String>,
}

/// [`scan_archive`], plus the launch facts of the outermost archive's manifest.
pub fn scan_archive_launch(path: &str, bytes: &[u8], limits: &JavaLimits) -> (LangScan, JarLaunch) {
    let mut walk = Walk::new(limits, Vec::new());
    walk.archive(path, base_name(path), bytes, 0);
    (walk.out, walk.launch)
}

/// The part of `path` after its last `/`.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What an entry is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Manifest,
    PomProperties,
    Archive,
}

fn role(name: &str) -> Option<Role> {
    if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
        Some(Role::Manifest)
    } else if base_name(name) == "pom.properties" {
        Some(Role::PomProperties)
    } else if is_java_archive(name) {
        Some(Role::Archive)
    } else {
        None
    }
}

/// One entry worth decompressing.
struct Wanted {
    index: usize,
    name: String,
    role: Role,
    size: u64,
}

/// Entries skipped for one reason, reported once per archive.
#[derive(Default)]
struct Skipped {
    count: usize,
    names: Vec<String>,
}

impl Skipped {
    fn add(&mut self, name: &str) {
        self.count += 1;
        if self.names.len() < QUOTED_NAMES {
            self.names.push(name.to_owned());
        }
    }

    fn describe(&self) -> String {
        let quoted: Vec<String> = self.names.iter().map(|n| format!("{n:?}")).collect();
        let more = if self.count > self.names.len() {
            ", ..."
        } else {
            ""
        };
        format!("{} entries ({}{more})", self.count, quoted.join(", "))
    }
}

/// State of one walk.
struct Walk<'l> {
    limits: &'l JavaLimits,
    out: LangScan,
    /// Entries (metadata files, nested archives) decompressed so far.
    reads: usize,
    /// Bytes decompressed so far.
    inflated: u64,
    /// The walk budget ran out (reported once).
    exhausted: bool,
    /// sha256 of the archives enclosing the one being read.
    ancestors: Vec<[u8; 32]>,
    /// Launch facts of the outermost archive.
    launch: JarLaunch,
}

impl<'l> Walk<'l> {
    fn new(limits: &'l JavaLimits, ancestors: Vec<[u8; 32]>) -> Self {
        Walk {
            limits,
            out: LangScan::default(),
            reads: 0,
            inflated: 0,
            exhausted: false,
            ancestors,
            launch: JarLaunch::default(),
        }
    }

    fn warn(&mut self, location: &str, message: String) {
        self.out
            .diagnostics
            .push(Diagnostic::warning(Some(location.to_owned()), message));
    }

    fn error(&mut self, location: &str, message: String) {
        self.out
            .diagnostics
            .push(Diagnostic::error(Some(location.to_owned()), message));
    }

    /// Read one archive found at `location` (file name `file_name`), `depth` levels deep.
    fn archive(&mut self, location: &str, file_name: &str, bytes: &[u8], depth: usize) {
        let sha256: [u8; 32] = Sha256::digest(bytes).into();
        if self.ancestors.contains(&sha256) {
            self.warn(
                location,
                format!(
                    "archive is a copy of an enclosing archive (sha256 {}); not walked again",
                    hex::encode(sha256)
                ),
            );
            return;
        }
        if let Some(count) = declared_entry_count(bytes) {
            if count > self.limits.max_entries as u64 {
                self.error(
                    location,
                    format!(
                        "archive lists {count} entries, more than the limit of {}; not read",
                        self.limits.max_entries
                    ),
                );
                return;
            }
        }
        let mut zip = match ZipArchive::new(Cursor::new(bytes)) {
            Ok(zip) => zip,
            Err(e) => {
                self.error(location, format!("not a readable zip archive: {e}"));
                return;
            }
        };
        if zip.len() > self.limits.max_entries {
            self.error(
                location,
                format!(
                    "archive lists {} entries, more than the limit of {}; not read",
                    zip.len(),
                    self.limits.max_entries
                ),
            );
            return;
        }

        let wanted = self.survey(location, &zip);

        // Metadata first: this archive's own packages precede those of nested archives.
        let mut manifest = None;
        let mut poms = Vec::new();
        for entry in wanted.iter().filter(|w| w.role != Role::Archive) {
            match entry.role {
                Role::Manifest => {
                    if let Some(bytes) = self.read(&mut zip, location, entry, MAX_MANIFEST_BYTES) {
                        let parsed = Manifest::parse(&bytes);
                        // Two manifests differing in case: the first read decides.
                        if depth == 0 && self.launch == JarLaunch::default() {
                            self.launch = JarLaunch {
                                main_class: parsed.get("Main-Class").map(|v| v.trim().to_owned()),
                                class_path: parsed
                                    .get("Class-Path")
                                    .map(|v| v.split_whitespace().map(str::to_owned).collect())
                                    .unwrap_or_default(),
                            };
                        }
                        manifest = Some(parsed);
                    }
                }
                Role::PomProperties => {
                    if entry.size > MAX_POM_PROPERTIES_BYTES {
                        self.warn(
                            location,
                            format!(
                                "entry {:?}: {} bytes, too large for a pom.properties; not read",
                                entry.name, entry.size
                            ),
                        );
                        continue;
                    }
                    let Some(bytes) =
                        self.read(&mut zip, location, entry, MAX_POM_PROPERTIES_BYTES)
                    else {
                        continue;
                    };
                    let props = properties::parse(&bytes);
                    match Pom::from_properties(&entry.name, &props) {
                        Some(pom) => poms.push(pom),
                        None => self.warn(
                            location,
                            format!(
                                "entry {:?}: no groupId, artifactId and version; ignored",
                                entry.name
                            ),
                        ),
                    }
                }
                Role::Archive => {}
            }
        }
        let mut hashes = BTreeMap::new();
        hashes.insert("sha1".to_owned(), hex::encode(Sha1::digest(bytes)));
        hashes.insert("sha256".to_owned(), hex::encode(sha256));
        let facts = Facts {
            location,
            file_name,
            manifest: manifest.as_ref(),
            poms: &poms,
            hashes: &hashes,
        };
        self.out.packages.extend(identify::packages(&facts));

        // Then nested archives, depth first, in entry order.
        for entry in wanted.iter().filter(|w| w.role == Role::Archive) {
            let inner = format!("{location}!/{}", entry.name);
            if depth >= self.limits.max_depth {
                self.warn(
                    &inner,
                    format!(
                        "nested archive deeper than the limit of {} levels; not read",
                        self.limits.max_depth
                    ),
                );
                continue;
            }
            if entry.size > self.limits.max_entry_bytes {
                self.warn(
                    location,
                    format!(
                        "entry {:?}: nested archive of {} bytes, more than the limit of {}; \
                         not read",
                        entry.name, entry.size, self.limits.max_entry_bytes
                    ),
                );
                continue;
            }
            let Some(nested) = self.read(&mut zip, location, entry, self.limits.max_entry_bytes)
            else {
                continue;
            };
            self.ancestors.push(sha256);
            self.archive(&inner, base_name(&entry.name), &nested, depth + 1);
            self.ancestors.pop();
        }
    }

    /// One pass over the central directory: pick the entries to read, report the suspicious
    /// ones (names escaping the root, encryption, compression ratio, declared total size).
    fn survey(&mut self, location: &str, zip: &ZipArchive<Cursor<&[u8]>>) -> Vec<Wanted> {
        let mut wanted = Vec::new();
        let mut escaping = Skipped::default();
        let mut encrypted = Skipped::default();
        let mut bombs = Skipped::default();
        let mut unreadable = 0usize;
        let mut total: u128 = 0;
        for index in 0..zip.len() {
            let Ok(entry) = zip.by_index_data(index) else {
                unreadable += 1;
                continue;
            };
            let name = match entry.name() {
                Ok(name) => name.into_owned(),
                Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
            };
            total = total.saturating_add(u128::from(entry.size()));
            if escapes_root(&name) {
                escaping.add(&name);
            }
            if entry.is_dir() {
                continue;
            }
            let role = role(&name);
            if entry.encrypted() {
                if let Some(role) = role {
                    self.warn(
                        location,
                        format!("entry {name:?}: encrypted; {} not read", role_noun(role)),
                    );
                } else {
                    encrypted.add(&name);
                }
                continue;
            }
            if ratio_exceeded(entry.size(), entry.compressed_size(), self.limits.max_ratio) {
                if let Some(role) = role {
                    self.warn(
                        location,
                        format!(
                            "entry {name:?}: {} bytes compressed to {}, a ratio above {} \
                             (possible zip bomb); {} not read",
                            entry.size(),
                            entry.compressed_size(),
                            self.limits.max_ratio,
                            role_noun(role)
                        ),
                    );
                } else {
                    bombs.add(&name);
                }
                continue;
            }
            if let Some(role) = role {
                wanted.push(Wanted {
                    index,
                    name,
                    role,
                    size: entry.size(),
                });
            }
        }
        if escaping.count > 0 {
            self.warn(
                location,
                format!(
                    "{} with names escaping the archive root (zip slip); nothing is extracted",
                    escaping.describe()
                ),
            );
        }
        if encrypted.count > 0 {
            self.warn(location, format!("{} are encrypted", encrypted.describe()));
        }
        if bombs.count > 0 {
            self.warn(
                location,
                format!(
                    "{} have a compression ratio above {} (possible zip bomb)",
                    bombs.describe(),
                    self.limits.max_ratio
                ),
            );
        }
        if unreadable > 0 {
            self.warn(
                location,
                format!("{unreadable} central directory entries could not be read"),
            );
        }
        if total > u128::from(self.limits.max_total_uncompressed) {
            self.warn(
                location,
                format!(
                    "entries declare {total} uncompressed bytes in total, more than the limit \
                     of {} (possible zip bomb); only metadata and nested archives are read",
                    self.limits.max_total_uncompressed
                ),
            );
        }
        wanted
    }

    /// Decompress one wanted entry, at most `cap` bytes (a manifest stops at the end of its
    /// main section), within the walk budget.
    fn read(
        &mut self,
        zip: &mut ZipArchive<Cursor<&[u8]>>,
        location: &str,
        entry: &Wanted,
        cap: u64,
    ) -> Option<Vec<u8>> {
        if self.exhausted {
            return None;
        }
        let remaining = self
            .limits
            .max_total_uncompressed
            .saturating_sub(self.inflated);
        if self.reads >= self.limits.max_entries || entry.size.min(cap) > remaining {
            self.exhausted = true;
            self.warn(
                location,
                format!(
                    "walk budget exhausted at entry {:?} ({} entries, {} bytes decompressed; \
                     limits {} and {}); the rest of the walk is skipped",
                    entry.name,
                    self.reads,
                    self.inflated,
                    self.limits.max_entries,
                    self.limits.max_total_uncompressed
                ),
            );
            return None;
        }
        self.reads += 1;
        let result = zip.by_index(entry.index).and_then(|file| {
            let mut limited = file.take(cap.min(remaining));
            let mut buf = Vec::new();
            if entry.role == Role::Manifest {
                let mut end = MainSectionEnd::default();
                let mut chunk = [0u8; 16 * 1024];
                loop {
                    let n = limited.read(&mut chunk)?;
                    let Some(read) = chunk.get(..n) else { break };
                    if read.is_empty() {
                        break;
                    }
                    buf.extend_from_slice(read);
                    if end.feed(read) {
                        break;
                    }
                }
            } else {
                limited.read_to_end(&mut buf)?;
            }
            Ok(buf)
        });
        match result {
            Ok(buf) => {
                self.inflated = self.inflated.saturating_add(buf.len() as u64);
                Some(buf)
            }
            Err(e) => {
                self.warn(
                    location,
                    format!(
                        "entry {:?}: cannot decompress: {e}; {} not read",
                        entry.name,
                        role_noun(entry.role)
                    ),
                );
                None
            }
        }
    }
}

fn role_noun(role: Role) -> &'static str {
    match role {
        Role::Manifest => "manifest",
        Role::PomProperties => "pom.properties",
        Role::Archive => "nested archive",
    }
}

fn ratio_exceeded(size: u64, compressed: u64, max_ratio: u64) -> bool {
    size > RATIO_CHECK_FLOOR && size / compressed.max(1) > max_ratio
}

/// Absolute names (`/x`, `\x`, `C:x`) and names whose `..` components climb above the root.
fn escapes_root(name: &str) -> bool {
    let bytes = name.as_bytes();
    if matches!(bytes.first(), Some(b'/' | b'\\'))
        || (bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic))
    {
        return true;
    }
    let mut depth: usize = 0;
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// Entry count from the end of central directory record (zip64 when the classic field is
/// saturated), read before the central directory is parsed so that a huge count is refused
/// without allocating for it. `None` when the record is not found where expected (the zip
/// reader then decides, and its own count is checked too).
fn declared_entry_count(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const ZIP64_LOCATOR: &[u8] = b"PK\x06\x07";
    const ZIP64_EOCD: &[u8] = b"PK\x06\x06";
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(u16::MAX as usize);
    let at = (first..=last)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(EOCD))?;
    let total = u16::from_le_bytes(bytes.get(at + 10..at + 12)?.try_into().ok()?);
    if total != u16::MAX {
        return Some(u64::from(total));
    }
    let locator = at.checked_sub(20)?;
    if bytes.get(locator..locator + 4)? != ZIP64_LOCATOR {
        return Some(u64::from(total));
    }
    let offset = u64::from_le_bytes(bytes.get(locator + 8..locator + 16)?.try_into().ok()?);
    let offset = usize::try_from(offset).ok()?;
    if bytes.get(offset..offset.checked_add(4)?)? != ZIP64_EOCD {
        return None;
    }
    Some(u64::from_le_bytes(
        bytes.get(offset + 32..offset + 40)?.try_into().ok()?,
    ))
}
