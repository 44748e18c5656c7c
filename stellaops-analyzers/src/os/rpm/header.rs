//! RPM header blob parser: one package's tags as rpmdb stores them.
//!
//! Owns decoding of the "header store" blob every rpmdb backend (SQLite, Berkeley DB, NDB)
//! holds per installed package, and typed access to its tags. All integers are big-endian:
//!
//! ```text
//! 0      u32 il     number of index entries
//! 4      u32 dl     length of the data store
//! 8      il × 16-byte index entries: i32 tag, u32 type, i32 offset (into the data store), u32 count
//! 8+16il dl bytes of data store
//! ```
//!
//! When the first entry is a region tag (`RPMTAG_HEADERIMAGE` 61, `RPMTAG_HEADERSIGNATURES` 62,
//! `RPMTAG_HEADERIMMUTABLE` 63) it must be a 16-byte `BIN` entry whose offset points at a
//! region trailer (itself an index entry, with the same tag, whose negated offset is
//! `16 × ril`, the number of entries in the region). Entries `1..ril` are the immutable
//! region; entries `ril..il` are "dribble" entries added after install, which replace region
//! entries with the same tag, as in rpm's `hdrblobImport`. Headers whose first tag is not a
//! region tag are legacy v3 headers and every entry is used.
//!
//! Every offset and count is checked against the blob before use; nothing is allocated from
//! an unchecked count. As in rpm's `hdrblobVerifyInfo`, each entry's data must start at or
//! after the end of the previous entry's, so decoding is linear in the blob size. Errors
//! name the entry and offset.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// `RPMTAG_HEADERIMAGE`: region tag of old header images.
const RPMTAG_HEADERIMAGE: i32 = 61;
/// `RPMTAG_HEADERSIGNATURES`: region tag of signature headers.
const RPMTAG_HEADERSIGNATURES: i32 = 62;
/// `RPMTAG_HEADERIMMUTABLE`: region tag of package headers.
const RPMTAG_HEADERIMMUTABLE: i32 = 63;
/// Tags below this (other than a leading region tag) are not data tags.
const HEADER_I18NTABLE: i32 = 100;

/// Size of one index entry (and of a region trailer).
const ENTRY_SIZE: usize = 16;

/// `RPM_NULL_TYPE`.
const TYPE_NULL: u32 = 0;
/// `RPM_CHAR_TYPE`.
const TYPE_CHAR: u32 = 1;
/// `RPM_INT8_TYPE`.
const TYPE_INT8: u32 = 2;
/// `RPM_INT16_TYPE`.
const TYPE_INT16: u32 = 3;
/// `RPM_INT32_TYPE`.
const TYPE_INT32: u32 = 4;
/// `RPM_INT64_TYPE`.
const TYPE_INT64: u32 = 5;
/// `RPM_STRING_TYPE`.
const TYPE_STRING: u32 = 6;
/// `RPM_BIN_TYPE`.
const TYPE_BIN: u32 = 7;
/// `RPM_STRING_ARRAY_TYPE`.
const TYPE_STRING_ARRAY: u32 = 8;
/// `RPM_I18NSTRING_TYPE`.
const TYPE_I18NSTRING: u32 = 9;

/// Tags read by [`super::package`].
pub(crate) mod tag {
    /// Package name (string).
    pub(crate) const NAME: i32 = 1000;
    /// Upstream version (string).
    pub(crate) const VERSION: i32 = 1001;
    /// Package release (string).
    pub(crate) const RELEASE: i32 = 1002;
    /// Epoch (int32).
    pub(crate) const EPOCH: i32 = 1003;
    /// One-line summary (i18n string).
    pub(crate) const SUMMARY: i32 = 1004;
    /// Installed size in bytes (int32).
    pub(crate) const SIZE: i32 = 1009;
    /// Vendor (string).
    pub(crate) const VENDOR: i32 = 1011;
    /// License (string).
    pub(crate) const LICENSE: i32 = 1014;
    /// Packager (string).
    pub(crate) const PACKAGER: i32 = 1015;
    /// Architecture (string).
    pub(crate) const ARCH: i32 = 1022;
    /// Legacy absolute file names (string array).
    pub(crate) const OLDFILENAMES: i32 = 1027;
    /// Source rpm file name (string).
    pub(crate) const SOURCERPM: i32 = 1044;
    /// Per-file index into `DIRNAMES` (int32 array).
    pub(crate) const DIRINDEXES: i32 = 1116;
    /// Per-file base names (string array).
    pub(crate) const BASENAMES: i32 = 1117;
    /// Directory names (string array).
    pub(crate) const DIRNAMES: i32 = 1118;
    /// Installed size in bytes for packages over 4 GiB (int64).
    pub(crate) const LONGSIZE: i32 = 5009;
    /// Module stream label (string).
    pub(crate) const MODULARITYLABEL: i32 = 5096;
}

/// Why a header blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HeaderError {
    /// The blob ends before the part its counts announce.
    #[error("header blob is {have} bytes, its index and data need {need}")]
    Truncated {
        /// Bytes the counts require.
        need: u64,
        /// Bytes present.
        have: usize,
    },
    /// `il` is zero.
    #[error("header has no index entries")]
    NoEntries,
    /// The leading region entry or its trailer is inconsistent.
    #[error("region tag {tag}: {reason}")]
    BadRegion {
        /// The region tag.
        tag: i32,
        /// What is wrong.
        reason: &'static str,
    },
    /// An index entry points outside the data store or has an unknown type.
    #[error(
        "index entry {index} (tag {tag}, type {ty}, offset {offset}, count {count}): {reason}"
    )]
    BadEntry {
        /// Position in the index.
        index: usize,
        /// Its tag.
        tag: i32,
        /// Its type.
        ty: u32,
        /// Its data offset.
        offset: i32,
        /// Its element count.
        count: u32,
        /// What is wrong.
        reason: &'static str,
    },
    /// A tag has a type the caller cannot read as the requested kind.
    #[error("tag {tag} has type {ty}, expected {expected}")]
    WrongType {
        /// The tag.
        tag: i32,
        /// Its type.
        ty: u32,
        /// What was asked for.
        expected: &'static str,
    },
}

/// One validated index entry: its data is `data[start..start + len]`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    ty: u32,
    count: u32,
    start: usize,
    len: usize,
}

/// A decoded header: validated entries over the blob's data store.
#[derive(Debug)]
pub(crate) struct Header<'a> {
    data: &'a [u8],
    entries: BTreeMap<i32, Entry>,
}

/// A raw index entry as stored (big-endian fields decoded).
#[derive(Debug, Clone, Copy)]
struct RawEntry {
    tag: i32,
    ty: u32,
    offset: i32,
    count: u32,
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let end = at.checked_add(4)?;
    let b: [u8; 4] = bytes.get(at..end)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

fn raw_entry(bytes: &[u8], at: usize) -> Option<RawEntry> {
    Some(RawEntry {
        tag: be_u32(bytes, at)? as i32,
        ty: be_u32(bytes, at.checked_add(4)?)?,
        offset: be_u32(bytes, at.checked_add(8)?)? as i32,
        count: be_u32(bytes, at.checked_add(12)?)?,
    })
}

impl<'a> Header<'a> {
    /// Decode and validate a header blob. Trailing bytes after the data store are ignored.
    pub(crate) fn parse(blob: &'a [u8]) -> Result<Self, HeaderError> {
        let (il, dl) = match (be_u32(blob, 0), be_u32(blob, 4)) {
            (Some(il), Some(dl)) => (il, dl),
            _ => {
                return Err(HeaderError::Truncated {
                    need: 8,
                    have: blob.len(),
                })
            }
        };
        if il == 0 {
            return Err(HeaderError::NoEntries);
        }
        let data_start = 8 + u64::from(il) * ENTRY_SIZE as u64;
        let data_end = data_start + u64::from(dl);
        if data_end > blob.len() as u64 {
            return Err(HeaderError::Truncated {
                need: data_end,
                have: blob.len(),
            });
        }
        // Both fit in the blob, hence in usize.
        let (Ok(data_start), Ok(data_end)) =
            (usize::try_from(data_start), usize::try_from(data_end))
        else {
            return Err(HeaderError::Truncated {
                need: data_end,
                have: blob.len(),
            });
        };
        let index = blob.get(8..data_start).unwrap_or_default();
        let data = blob.get(data_start..data_end).unwrap_or_default();
        let raw = |i: usize| {
            i.checked_mul(ENTRY_SIZE)
                .and_then(|at| raw_entry(index, at))
        };
        let il = index.len() / ENTRY_SIZE;

        let first = raw(0).ok_or(HeaderError::NoEntries)?;
        let first_data = if is_region_tag(first.tag) {
            verify_region(first, data, il)?;
            1
        } else {
            0
        };

        let mut entries = BTreeMap::new();
        // End of the previous entry's data: like rpm, entries' data must not overlap and
        // must follow index order, which also keeps decoding linear in the blob size.
        let mut end = 0usize;
        for i in first_data..il {
            let Some(e) = raw(i) else { break };
            let bad = |reason| HeaderError::BadEntry {
                index: i,
                tag: e.tag,
                ty: e.ty,
                offset: e.offset,
                count: e.count,
                reason,
            };
            if e.tag < HEADER_I18NTABLE {
                return Err(bad("tag below the data tag range"));
            }
            let start = usize::try_from(e.offset).map_err(|_| bad("negative data offset"))?;
            if start > data.len() {
                return Err(bad("data offset past the data store"));
            }
            if start < end {
                return Err(bad("data overlaps the previous entry's"));
            }
            let len = data_length(e.ty, e.count, data, start).map_err(bad)?;
            end = start.saturating_add(len);
            // Later (dribble) entries replace earlier ones with the same tag.
            entries.insert(
                e.tag,
                Entry {
                    ty: e.ty,
                    count: e.count,
                    start,
                    len,
                },
            );
        }
        Ok(Header { data, entries })
    }

    fn entry(&self, tag: i32) -> Option<(Entry, &'a [u8])> {
        let e = *self.entries.get(&tag)?;
        let bytes = self.data.get(e.start..e.start.checked_add(e.len)?)?;
        Some((e, bytes))
    }

    /// Whether the header has `tag`.
    pub(crate) fn has(&self, tag: i32) -> bool {
        self.entries.contains_key(&tag)
    }

    /// The first string of a `STRING`, `I18NSTRING` or `STRING_ARRAY` tag (lossy UTF-8).
    pub(crate) fn string(&self, tag: i32) -> Result<Option<String>, HeaderError> {
        Ok(self
            .strings_iter(tag)?
            .and_then(|mut it| it.next())
            .map(Cow::into_owned))
    }

    /// All strings of a `STRING_ARRAY`, `I18NSTRING` or `STRING` tag (lossy UTF-8).
    pub(crate) fn strings(&self, tag: i32) -> Result<Option<Vec<String>>, HeaderError> {
        Ok(self
            .strings_iter(tag)?
            .map(|it| it.map(Cow::into_owned).collect()))
    }

    /// Byte length of each string of a string-typed tag, without allocating the strings.
    pub(crate) fn string_lengths(&self, tag: i32) -> Result<Option<Vec<usize>>, HeaderError> {
        Ok(self
            .strings_iter(tag)?
            .map(|it| it.map(|s| s.len()).collect()))
    }

    fn strings_iter(
        &self,
        tag: i32,
    ) -> Result<Option<impl Iterator<Item = Cow<'a, str>>>, HeaderError> {
        let Some((e, bytes)) = self.entry(tag) else {
            return Ok(None);
        };
        if !matches!(e.ty, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING) {
            return Err(HeaderError::WrongType {
                tag,
                ty: e.ty,
                expected: "string",
            });
        }
        // `bytes` holds exactly `count` NUL-terminated strings (checked by `data_length`).
        let count = usize::try_from(e.count).unwrap_or(usize::MAX);
        Ok(Some(
            bytes
                .split(|&b| b == 0)
                .take(count)
                .map(String::from_utf8_lossy),
        ))
    }

    /// All values of an `INT8`/`INT16`/`INT32`/`INT64`/`CHAR` tag, zero-extended.
    pub(crate) fn ints(&self, tag: i32) -> Result<Option<Vec<u64>>, HeaderError> {
        let Some((e, bytes)) = self.entry(tag) else {
            return Ok(None);
        };
        let width = match e.ty {
            TYPE_CHAR | TYPE_INT8 => 1,
            TYPE_INT16 => 2,
            TYPE_INT32 => 4,
            TYPE_INT64 => 8,
            _ => {
                return Err(HeaderError::WrongType {
                    tag,
                    ty: e.ty,
                    expected: "integer",
                })
            }
        };
        Ok(Some(
            bytes
                .chunks_exact(width)
                .map(|c| c.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
                .collect(),
        ))
    }

    /// The first value of an integer tag.
    pub(crate) fn int(&self, tag: i32) -> Result<Option<u64>, HeaderError> {
        Ok(self.ints(tag)?.and_then(|v| v.first().copied()))
    }
}

fn is_region_tag(tag: i32) -> bool {
    matches!(
        tag,
        RPMTAG_HEADERIMAGE | RPMTAG_HEADERSIGNATURES | RPMTAG_HEADERIMMUTABLE
    )
}

/// Check a leading region entry and its trailer as rpm's `hdrblobVerifyRegion` does.
fn verify_region(region: RawEntry, data: &[u8], il: usize) -> Result<(), HeaderError> {
    let bad = |reason| HeaderError::BadRegion {
        tag: region.tag,
        reason,
    };
    if region.ty != TYPE_BIN || region.count as usize != ENTRY_SIZE {
        return Err(bad("region entry is not a 16-byte BIN entry"));
    }
    let at = usize::try_from(region.offset).map_err(|_| bad("negative trailer offset"))?;
    let trailer = raw_entry(data, at).ok_or(bad("trailer lies outside the data store"))?;
    let trailer_tag = if region.tag == RPMTAG_HEADERSIGNATURES && trailer.tag == RPMTAG_HEADERIMAGE
    {
        // Some old packages have HEADERIMAGE in the signature region trailer.
        RPMTAG_HEADERSIGNATURES
    } else {
        trailer.tag
    };
    if trailer_tag != region.tag || trailer.ty != TYPE_BIN || trailer.count as usize != ENTRY_SIZE {
        return Err(bad("trailer does not match the region entry"));
    }
    let size = trailer
        .offset
        .checked_neg()
        .and_then(|s| usize::try_from(s).ok())
        .ok_or(bad("trailer offset is not negative"))?;
    if size % ENTRY_SIZE != 0 || size / ENTRY_SIZE > il {
        return Err(bad("region entry count does not fit the index"));
    }
    Ok(())
}

/// Length in bytes of an entry's data starting at `start`, bounded by the data store.
fn data_length(ty: u32, count: u32, data: &[u8], start: usize) -> Result<usize, &'static str> {
    let rest = data.get(start..).ok_or("data offset past the data store")?;
    let count_usize = usize::try_from(count).map_err(|_| "count too large")?;
    let width: usize = match ty {
        TYPE_STRING if count != 1 => return Err("STRING entry with count other than 1"),
        TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING => {
            // Each string needs at least its NUL: reject impossible counts before scanning.
            if count_usize > rest.len() {
                return Err("more strings than data bytes");
            }
            let mut len = 0usize;
            for _ in 0..count_usize {
                let tail = rest.get(len..).ok_or("string runs past the data store")?;
                let nul = tail
                    .iter()
                    .position(|&b| b == 0)
                    .ok_or("string runs past the data store")?;
                len = len + nul + 1;
            }
            return Ok(len);
        }
        TYPE_NULL => 0,
        TYPE_CHAR | TYPE_INT8 | TYPE_BIN => 1,
        TYPE_INT16 => 2,
        TYPE_INT32 => 4,
        TYPE_INT64 => 8,
        _ => return Err("unknown data type"),
    };
    if start % width.max(1) != 0 {
        return Err("misaligned data offset");
    }
    let len = width
        .checked_mul(count_usize)
        .ok_or("data length overflows")?;
    if len > rest.len() {
        return Err("data runs past the data store");
    }
    Ok(len)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tag value to encode in a test header.
    pub(crate) enum Val<'a> {
        /// `STRING`.
        Str(&'a str),
        /// `STRING_ARRAY`.
        Strs(&'a [&'a str]),
        /// `I18NSTRING`.
        I18n(&'a [&'a str]),
        /// `INT32` array.
        I32(&'a [u32]),
        /// `INT16` array.
        I16(&'a [u16]),
        /// `INT64` array.
        I64(&'a [u64]),
        /// `BIN`.
        Bin(&'a [u8]),
    }

    /// Build an rpmdb-style header blob (immutable region + the given tags), like rpm does.
    pub(crate) fn build(tags: &[(i32, Val<'_>)]) -> Vec<u8> {
        let mut index: Vec<[u32; 4]> = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        for (tag, val) in tags {
            let (ty, align, count, bytes): (u32, usize, usize, Vec<u8>) = match val {
                Val::Str(s) => (TYPE_STRING, 1, 1, [s.as_bytes(), &[0]].concat()),
                Val::Strs(v) | Val::I18n(v) => (
                    if matches!(val, Val::Strs(_)) {
                        TYPE_STRING_ARRAY
                    } else {
                        TYPE_I18NSTRING
                    },
                    1,
                    v.len(),
                    v.iter()
                        .flat_map(|s| [s.as_bytes(), &[0]].concat())
                        .collect(),
                ),
                Val::I32(v) => (
                    TYPE_INT32,
                    4,
                    v.len(),
                    v.iter().flat_map(|x| x.to_be_bytes()).collect(),
                ),
                Val::I16(v) => (
                    TYPE_INT16,
                    2,
                    v.len(),
                    v.iter().flat_map(|x| x.to_be_bytes()).collect(),
                ),
                Val::I64(v) => (
                    TYPE_INT64,
                    8,
                    v.len(),
                    v.iter().flat_map(|x| x.to_be_bytes()).collect(),
                ),
                Val::Bin(b) => (TYPE_BIN, 1, b.len(), b.to_vec()),
            };
            while data.len() % align != 0 {
                data.push(0);
            }
            index.push([*tag as u32, ty, data.len() as u32, count as u32]);
            data.extend_from_slice(&bytes);
        }
        // Region trailer: tag 63, BIN, offset -(16 * ril), count 16.
        let ril = index.len() + 1;
        let trailer_at = data.len();
        for v in [
            RPMTAG_HEADERIMMUTABLE as u32,
            TYPE_BIN,
            (-((ril * ENTRY_SIZE) as i32)) as u32,
            16,
        ] {
            data.extend_from_slice(&v.to_be_bytes());
        }
        index.insert(
            0,
            [
                RPMTAG_HEADERIMMUTABLE as u32,
                TYPE_BIN,
                trailer_at as u32,
                16,
            ],
        );
        let mut blob = Vec::new();
        blob.extend_from_slice(&(index.len() as u32).to_be_bytes());
        blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
        for e in &index {
            for v in e {
                blob.extend_from_slice(&v.to_be_bytes());
            }
        }
        blob.extend_from_slice(&data);
        blob
    }

    fn sample() -> Vec<u8> {
        build(&[
            (tag::NAME, Val::Str("bash")),
            (tag::EPOCH, Val::I32(&[2])),
            (tag::SUMMARY, Val::I18n(&["The shell", "Die Shell"])),
            (tag::BASENAMES, Val::Strs(&["bash", "sh"])),
            (1030, Val::I16(&[0o100755, 0o120777])),
            (tag::LONGSIZE, Val::I64(&[1 << 40])),
            (259, Val::Bin(&[1, 2, 3])),
        ])
    }

    #[test]
    fn reads_typed_values() {
        let blob = sample();
        let h = Header::parse(&blob).unwrap();
        assert_eq!(h.string(tag::NAME).unwrap().as_deref(), Some("bash"));
        assert_eq!(h.int(tag::EPOCH).unwrap(), Some(2));
        assert_eq!(
            h.string(tag::SUMMARY).unwrap().as_deref(),
            Some("The shell")
        );
        assert_eq!(
            h.strings(tag::BASENAMES).unwrap(),
            Some(vec!["bash".to_owned(), "sh".to_owned()])
        );
        assert_eq!(h.string_lengths(tag::BASENAMES).unwrap(), Some(vec![4, 2]));
        assert_eq!(h.ints(1030).unwrap(), Some(vec![0o100755, 0o120777]));
        assert_eq!(h.int(tag::LONGSIZE).unwrap(), Some(1 << 40));
        assert_eq!(h.string(tag::VERSION).unwrap(), None);
        assert!(h.has(259));
        assert!(!h.has(tag::VERSION));
        assert!(matches!(
            h.int(tag::NAME),
            Err(HeaderError::WrongType { tag: 1000, .. })
        ));
        assert!(matches!(
            h.string(tag::EPOCH),
            Err(HeaderError::WrongType { .. })
        ));
    }

    #[test]
    fn legacy_header_without_region() {
        // il=1, dl=4: NAME "ab\0" padded.
        let mut blob = vec![0, 0, 0, 1, 0, 0, 0, 4];
        for v in [tag::NAME as u32, TYPE_STRING, 0, 1] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        blob.extend_from_slice(b"ab\0\0");
        let h = Header::parse(&blob).unwrap();
        assert_eq!(h.string(tag::NAME).unwrap().as_deref(), Some("ab"));
    }

    #[test]
    fn overlapping_entry_data_is_rejected() {
        // Two legacy entries sharing offset 0: rpm refuses overlapping data, and so do we.
        let mut blob = vec![0, 0, 0, 2, 0, 0, 0, 4];
        for v in [
            tag::NAME as u32,
            TYPE_STRING,
            0,
            1,
            tag::VERSION as u32,
            TYPE_STRING,
            0,
            1,
        ] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        blob.extend_from_slice(b"ab\0\0");
        assert!(matches!(
            Header::parse(&blob),
            Err(HeaderError::BadEntry { index: 1, .. })
        ));
    }

    #[test]
    fn dribble_entries_replace_region_entries() {
        let mut blob = build(&[(tag::NAME, Val::Str("old"))]);
        // Append a dribble NAME entry after the region: il += 1, new data "new\0".
        let il = u32::from_be_bytes(blob[0..4].try_into().unwrap());
        let dl = u32::from_be_bytes(blob[4..8].try_into().unwrap());
        let index_end = 8 + il as usize * 16;
        let mut out = Vec::new();
        out.extend_from_slice(&(il + 1).to_be_bytes());
        out.extend_from_slice(&(dl + 4).to_be_bytes());
        out.extend_from_slice(&blob[8..index_end]);
        for v in [tag::NAME as u32, TYPE_STRING, dl, 1] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&blob[index_end..]);
        out.extend_from_slice(b"new\0");
        blob = out;
        let h = Header::parse(&blob).unwrap();
        assert_eq!(h.string(tag::NAME).unwrap().as_deref(), Some("new"));
    }

    #[test]
    fn rejects_bad_region_trailer() {
        let mut blob = sample();
        let il = u32::from_be_bytes(blob[0..4].try_into().unwrap()) as usize;
        let dl = u32::from_be_bytes(blob[4..8].try_into().unwrap()) as usize;
        // Trailer is the last 16 bytes of the data store; corrupt its tag.
        let trailer = 8 + il * 16 + dl - 16;
        blob[trailer + 3] = 62;
        assert!(matches!(
            Header::parse(&blob),
            Err(HeaderError::BadRegion { tag: 63, .. })
        ));
    }

    #[test]
    fn rejects_counts_beyond_the_blob() {
        // il huge: truncated, no allocation.
        assert!(matches!(
            Header::parse(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Err(HeaderError::Truncated { .. })
        ));
        assert!(matches!(
            Header::parse(&[0, 0, 0, 0, 0, 0, 0, 0]),
            Err(HeaderError::NoEntries)
        ));
        assert!(matches!(
            Header::parse(&[0, 0, 0]),
            Err(HeaderError::Truncated { .. })
        ));
        // A string array entry claiming u32::MAX strings in a 4-byte data store.
        let mut blob = vec![0, 0, 0, 1, 0, 0, 0, 4];
        for v in [tag::BASENAMES as u32, TYPE_STRING_ARRAY, 0, u32::MAX] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        blob.extend_from_slice(b"ab\0\0");
        assert!(matches!(
            Header::parse(&blob),
            Err(HeaderError::BadEntry { .. })
        ));
        // An INT32 entry whose count overruns the data store.
        let mut blob = vec![0, 0, 0, 1, 0, 0, 0, 4];
        for v in [tag::SIZE as u32, TYPE_INT32, 0, 0x4000_0000] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        blob.extend_from_slice(&[0; 4]);
        assert!(matches!(
            Header::parse(&blob),
            Err(HeaderError::BadEntry { .. })
        ));
    }

    #[test]
    fn every_truncation_and_byte_flip_is_an_error_or_a_value() {
        let blob = sample();
        for cut in 0..blob.len() {
            // Cutting the data store always loses bytes the counts announce.
            assert!(Header::parse(&blob[..cut]).is_err(), "cut at {cut}");
        }
        for i in 0..blob.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut b = blob.clone();
                b[i] ^= flip;
                if let Ok(h) = Header::parse(&b) {
                    for t in [tag::NAME, tag::EPOCH, tag::SUMMARY, tag::BASENAMES, 1030] {
                        let _ = h.strings(t);
                        let _ = h.ints(t);
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            if let Ok(h) = Header::parse(&bytes) {
                for t in [tag::NAME, tag::EPOCH, tag::BASENAMES, tag::DIRINDEXES] {
                    let _ = h.strings(t);
                    let _ = h.ints(t);
                }
            }
        }
    }
}
