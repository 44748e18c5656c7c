//! Berkeley DB hash database reader for rpm's `Packages` file.
//!
//! Owns finding the header blobs in a Berkeley DB (libdb 4.x/5.x) hash database. Only what
//! rpmdb uses is read; all integers are little-endian (the byte order of every image rpm
//! runs on that matters; a big-endian file is reported as unsupported).
//!
//! ```text
//! file        = page 0 (metadata) .. page last_pgno, each `page_size` bytes
//! metadata    @12 u32 magic 0x061561 (hash)   @16 u32 version   @20 u32 page_size
//!             @24 u8 encrypt_alg (0)   @25 u8 type 8 (P_HASHMETA)   @32 u32 last_pgno
//! page header (26 bytes) @8 u32 pgno  @12 u32 prev_pgno  @16 u32 next_pgno
//!             @20 u16 entries  @22 u16 hf_offset  @24 u8 level  @25 u8 type
//! hash page   type 13 (P_HASH) or 2 (P_HASH_UNSORTED): after the header, `entries` u16
//!             item offsets, alternately key and value. Item length is the previous
//!             offset (or page_size for item 0) minus its own. Item byte 0 is its type:
//!             1 H_KEYDATA (bytes follow), 3 H_OFFPAGE (@4 u32 pgno, @8 u32 total length),
//!             2 H_DUPLICATE / 4 H_OFFDUP (not used by rpm)
//! overflow    type 7 (P_OVERFLOW): hf_offset data bytes after the header, chained by
//!             next_pgno until 0
//! ```
//!
//! The key of each record is the header instance number (u32); record 0 holds rpm's
//! instance counter, not a header, and is skipped. Every other value is one header blob.
//! Every page is walked in order (as rpm, syft and go-rpmdb do) rather than following hash
//! buckets. Each overflow page may belong to one value only, so chains that loop or are
//! shared are reported instead of being read again.

use super::{RpmDbError, RpmDbFormat, Sink};

const HASH_MAGIC: u32 = 0x0006_1561;
const BTREE_MAGIC: u32 = 0x0005_3162;
const QUEUE_MAGIC: u32 = 0x0004_2253;
const PAGE_HEADER: usize = 26;
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;
const H_KEYDATA: u8 = 1;
const H_DUPLICATE: u8 = 2;
const H_OFFPAGE: u8 = 3;
const H_OFFDUP: u8 = 4;
/// Size of an H_OFFPAGE item.
const OFFPAGE_SIZE: usize = 12;
/// The smallest Berkeley DB page; the metadata fields all fit in it.
const MIN_PAGE: usize = 512;

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    let bytes: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(bytes))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(bytes))
}

/// Whether `bytes` start with a Berkeley DB hash metadata page (either byte order).
pub(super) fn has_hash_magic(bytes: &[u8]) -> bool {
    le_u32(bytes, 12) == Some(HASH_MAGIC) || be_u32(bytes, 12) == Some(HASH_MAGIC)
}

fn error(message: String) -> RpmDbError {
    RpmDbError::new(RpmDbFormat::BerkeleyDb, message)
}

/// Read every header blob of a Berkeley DB hash `Packages` file into `sink`.
pub(super) fn read(bytes: &[u8], sink: &mut Sink) -> Result<(), RpmDbError> {
    if bytes.len() < MIN_PAGE {
        return Err(error(format!(
            "file is {} bytes, shorter than a {MIN_PAGE}-byte metadata page",
            bytes.len()
        )));
    }
    let magic = le_u32(bytes, 12).unwrap_or_default();
    if magic != HASH_MAGIC {
        let be = be_u32(bytes, 12).unwrap_or_default();
        let what = if be == HASH_MAGIC {
            "big-endian Berkeley DB hash database; only little-endian is supported".to_owned()
        } else if [magic, be].contains(&BTREE_MAGIC) {
            "Berkeley DB btree database, not a hash database".to_owned()
        } else if [magic, be].contains(&QUEUE_MAGIC) {
            "Berkeley DB queue database, not a hash database".to_owned()
        } else {
            format!("unknown magic 0x{magic:08x} at offset 12, expected 0x{HASH_MAGIC:06x}")
        };
        return Err(error(what));
    }
    let page_size = le_u32(bytes, 20).unwrap_or_default();
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(error(format!("invalid page size {page_size} at offset 20")));
    }
    let page_size = page_size as usize;
    let encrypt = bytes.get(24).copied().unwrap_or_default();
    if encrypt != 0 {
        return Err(error(format!(
            "encrypted database (algorithm {encrypt} at offset 24) is not supported"
        )));
    }
    let meta_type = bytes.get(25).copied().unwrap_or_default();
    if meta_type != P_HASHMETA {
        return Err(error(format!(
            "page 0 has type {meta_type}, expected {P_HASHMETA} (hash metadata)"
        )));
    }
    if bytes.len() < page_size {
        return Err(error(format!(
            "file is {} bytes, shorter than its {page_size}-byte metadata page",
            bytes.len()
        )));
    }
    let last_pgno = le_u32(bytes, 32).unwrap_or_default();
    let declared = u64::from(last_pgno) + 1;
    let whole_pages = bytes.len() / page_size;
    let pages = usize::try_from(declared).map_or(whole_pages, |d| d.min(whole_pages));
    if declared > whole_pages as u64 {
        sink.warn(format!(
            "Berkeley DB rpmdb is truncated: metadata declares {declared} pages of {page_size} \
             bytes (last page {last_pgno}), file holds {whole_pages} whole pages; reading those"
        ));
    }
    let db = Db {
        bytes,
        page_size,
        pages,
    };
    let mut used = vec![false; pages];
    for pgno in 1..pages {
        let Some(page) = db.page(pgno) else { break };
        let ty = page.get(25).copied().unwrap_or_default();
        if ty == P_HASH || ty == P_HASH_UNSORTED {
            read_hash_page(&db, pgno, page, &mut used, sink);
        }
    }
    Ok(())
}

/// The file viewed as pages.
struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    /// Whole pages usable (bounded by both metadata and file length).
    pages: usize,
}

impl<'a> Db<'a> {
    fn page(&self, pgno: usize) -> Option<&'a [u8]> {
        if pgno >= self.pages {
            return None;
        }
        let start = pgno.checked_mul(self.page_size)?;
        self.bytes.get(start..start.checked_add(self.page_size)?)
    }
}

fn read_hash_page(db: &Db<'_>, pgno: usize, page: &[u8], used: &mut [bool], sink: &mut Sink) {
    let entries = usize::from(le_u16(page, 20).unwrap_or_default());
    let index_end = PAGE_HEADER + 2 * entries;
    if index_end > page.len() {
        sink.warn(format!(
            "Berkeley DB page {pgno}: {entries} item offsets overrun the page; page skipped"
        ));
        return;
    }
    if entries % 2 != 0 {
        sink.warn(format!(
            "Berkeley DB page {pgno}: odd item count {entries}; last item ignored"
        ));
    }
    for pair in 0..entries / 2 {
        let key = item(page, 2 * pair, index_end);
        let value = item(page, 2 * pair + 1, index_end);
        let (Some(key), Some((value_offset, value))) = (key, value) else {
            sink.warn(format!(
                "Berkeley DB page {pgno}: record {pair} has an item offset outside the page; skipped"
            ));
            continue;
        };
        // Record 0 (key: u32 zero) is rpm's instance counter, not a header.
        if key.1 == [H_KEYDATA, 0, 0, 0, 0] {
            continue;
        }
        let location = format!("Berkeley DB page {pgno} offset {value_offset}");
        match value.first().copied() {
            Some(H_KEYDATA) => sink.header(&location, value.get(1..).unwrap_or_default()),
            Some(H_OFFPAGE) => match overflow_value(db, value, used) {
                Ok(blob) => sink.header(&location, &blob),
                Err(e) => sink.warn(format!("{location}: {e}; record skipped")),
            },
            Some(t @ (H_DUPLICATE | H_OFFDUP)) => sink.warn(format!(
                "{location}: duplicate-set item (type {t}) is not used by rpm; record skipped"
            )),
            t => sink.warn(format!(
                "{location}: unknown item type {t:?}; record skipped"
            )),
        }
    }
}

/// Item `index` of a hash page as (offset, bytes), bounded by the page.
fn item(page: &[u8], index: usize, index_end: usize) -> Option<(usize, &[u8])> {
    let offset = usize::from(le_u16(page, PAGE_HEADER + 2 * index)?);
    let end = match index.checked_sub(1) {
        None => page.len(),
        Some(prev) => usize::from(le_u16(page, PAGE_HEADER + 2 * prev)?),
    };
    if offset < index_end || offset >= end || end > page.len() {
        // An H_OFFPAGE item has a fixed size even if the offsets disagree.
        return None;
    }
    Some((offset, page.get(offset..end)?))
}

/// Reassemble an H_OFFPAGE value by following its overflow chain.
fn overflow_value(db: &Db<'_>, item: &[u8], used: &mut [bool]) -> Result<Vec<u8>, String> {
    if item.len() < OFFPAGE_SIZE {
        return Err(format!(
            "off-page item is {} bytes, expected {OFFPAGE_SIZE}",
            item.len()
        ));
    }
    let first = le_u32(item, 4).unwrap_or_default();
    let total = le_u32(item, 8).unwrap_or_default() as usize;
    if total > db.bytes.len() {
        return Err(format!(
            "off-page value claims {total} bytes, more than the whole file"
        ));
    }
    let mut out = Vec::with_capacity(total);
    let mut pgno = first as usize;
    while pgno != 0 {
        let page = db.page(pgno).ok_or_else(|| {
            format!(
                "overflow page {pgno} (chain from page {first}) is beyond the {} pages read",
                db.pages
            )
        })?;
        let seen = used.get_mut(pgno).ok_or("overflow page out of range")?;
        if *seen {
            return Err(format!(
                "overflow page {pgno} (chain from page {first}) is already part of another value or loops"
            ));
        }
        *seen = true;
        let ty = page.get(25).copied().unwrap_or_default();
        if ty != P_OVERFLOW {
            return Err(format!(
                "page {pgno} (chain from page {first}) has type {ty}, expected {P_OVERFLOW} (overflow)"
            ));
        }
        let len = usize::from(le_u16(page, 22).unwrap_or_default());
        let chunk = page.get(PAGE_HEADER..PAGE_HEADER + len).ok_or_else(|| {
            format!("overflow page {pgno} claims {len} bytes, more than the page")
        })?;
        if out.len() + chunk.len() > total {
            return Err(format!(
                "overflow chain from page {first} holds more than the {total} bytes announced"
            ));
        }
        out.extend_from_slice(chunk);
        pgno = le_u32(page, 16).unwrap_or_default() as usize;
    }
    if out.len() != total {
        return Err(format!(
            "overflow chain from page {first} holds {} bytes, {total} announced",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::header::tag;
    use super::super::header::tests::{build, Val};
    use super::*;

    const PS: usize = 512;

    fn set_u16(b: &mut [u8], at: usize, v: u16) {
        b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    fn set_u32(b: &mut [u8], at: usize, v: u32) {
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    /// A 512-byte-page hash database: page 1 holds record 0 (counter) and, per blob, an
    /// H_OFFPAGE value whose overflow chain starts at page 2.
    fn database(blobs: &[Vec<u8>]) -> Vec<u8> {
        let mut pages: Vec<Vec<u8>> = vec![vec![0; PS], vec![0; PS]];
        let mut items: Vec<Vec<u8>> =
            vec![vec![H_KEYDATA, 0, 0, 0, 0], vec![H_KEYDATA, 9, 0, 0, 0]];
        for (n, blob) in blobs.iter().enumerate() {
            let first = pages.len() as u32;
            let chunks: Vec<&[u8]> = blob.chunks(PS - PAGE_HEADER).collect();
            for (i, chunk) in chunks.iter().enumerate() {
                let mut p = vec![0; PS];
                let pgno = pages.len();
                set_u32(&mut p, 8, pgno as u32);
                let next = if i + 1 < chunks.len() {
                    pgno as u32 + 1
                } else {
                    0
                };
                set_u32(&mut p, 16, next);
                set_u16(&mut p, 20, 1);
                set_u16(&mut p, 22, chunk.len() as u16);
                p[25] = P_OVERFLOW;
                p[PAGE_HEADER..PAGE_HEADER + chunk.len()].copy_from_slice(chunk);
                pages.push(p);
            }
            items.push(vec![H_KEYDATA, n as u8 + 1, 0, 0, 0]);
            let mut off = vec![H_OFFPAGE, 0, 0, 0];
            off.extend_from_slice(&first.to_le_bytes());
            off.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            items.push(off);
        }
        // Page 1: hash page with the items packed from the end.
        let hash = &mut pages[1];
        hash[25] = P_HASH;
        set_u16(hash, 20, items.len() as u16);
        let mut end = PS;
        for (i, it) in items.iter().enumerate() {
            let start = end - it.len();
            hash[start..end].copy_from_slice(it);
            set_u16(hash, PAGE_HEADER + 2 * i, start as u16);
            end = start;
        }
        let meta = &mut pages[0];
        set_u32(meta, 12, HASH_MAGIC);
        set_u32(meta, 16, 9);
        set_u32(meta, 20, PS as u32);
        meta[25] = P_HASHMETA;
        let last = pages.len() as u32 - 1;
        set_u32(&mut pages[0], 32, last);
        pages.concat()
    }

    fn blob(name: &str) -> Vec<u8> {
        let files: Vec<String> = (0..60).map(|i| format!("file-{i}")).collect();
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        let idx = vec![0u32; files.len()];
        build(&[
            (tag::NAME, Val::Str(name)),
            (tag::VERSION, Val::Str("1.0")),
            (tag::RELEASE, Val::Str("1")),
            (tag::DIRINDEXES, Val::I32(&idx)),
            (tag::BASENAMES, Val::Strs(&files)),
            (tag::DIRNAMES, Val::Strs(&["/usr/share/x/"])),
        ])
    }

    fn scan(bytes: &[u8]) -> Result<Sink, RpmDbError> {
        let mut sink = Sink::default();
        read(bytes, &mut sink)?;
        Ok(sink)
    }

    #[test]
    fn reads_multi_page_overflow_values_and_skips_record_zero() {
        let db = database(&[blob("a"), blob("b")]);
        let sink = scan(&db).unwrap();
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        let names: Vec<&str> = sink.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(sink.packages[0].files.len(), 60);
    }

    #[test]
    fn wrong_magic_and_big_endian_are_errors() {
        let mut db = database(&[blob("a")]);
        db[12..16].copy_from_slice(&HASH_MAGIC.to_be_bytes());
        assert!(has_hash_magic(&db));
        let e = scan(&db).unwrap_err();
        assert!(e.message.contains("big-endian"), "{e}");
        db[12..16].copy_from_slice(&BTREE_MAGIC.to_le_bytes());
        assert!(scan(&db).unwrap_err().message.contains("btree"));
        db[12..16].copy_from_slice(&[1, 2, 3, 4]);
        assert!(scan(&db).unwrap_err().message.contains("offset 12"));
        assert!(scan(&[]).is_err());
    }

    #[test]
    fn looping_overflow_chain_is_a_warning() {
        let mut db = database(&[blob("a"), blob("b")]);
        // Point page 2's next at itself.
        set_u32(&mut db, 2 * PS + 16, 2);
        let sink = scan(&db).unwrap();
        assert_eq!(sink.packages.len(), 1);
        assert_eq!(sink.diagnostics.len(), 1, "{:?}", sink.diagnostics);
        assert!(sink.diagnostics[0].message.contains("page 1 offset"));
    }

    #[test]
    fn truncation_is_a_warning_or_an_error() {
        let db = database(&[blob("a"), blob("b")]);
        for cut in (0..db.len()).step_by(37) {
            match scan(&db[..cut]) {
                Err(_) => {}
                Ok(sink) => assert!(!sink.diagnostics.is_empty(), "cut at {cut}"),
            }
        }
    }

    #[test]
    fn byte_flips_do_not_panic() {
        let db = database(&[blob("a")]);
        for i in 0..db.len() {
            let mut b = db.clone();
            b[i] ^= 0xa5;
            let _ = scan(&b);
        }
    }
}
