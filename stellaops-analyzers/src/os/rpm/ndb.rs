//! NDB reader for rpm's native `Packages.db` (rpm 4.16+, the SUSE default).
//!
//! Owns finding the header blobs in an NDB package database (rpm `lib/backend/ndb/rpmpkg.c`).
//! All integers are little-endian u32:
//!
//! ```text
//! @0   header (32 bytes): magic "RpmP", version (0), generation, slot_npages, next pkgidx, ...
//! @0   slot pages: slot_npages × 4096 bytes of 16-byte slots; the header occupies slots 0-1
//!      slot: magic "Slot", pkgidx (0 = free), blkoff, blkcnt
//! @blkoff × 16   blob: header (16 bytes) magic "BlbS", pkgidx, timestamp, bloblen,
//!                then bloblen bytes of RPM header blob, then a checksummed tail
//! ```
//!
//! Every slot and blob is checked against the file length; a bad slot or blob is a warning
//! and the other slots are read. The tail's Adler-32 checksum is not verified.

use std::collections::BTreeMap;

use super::{RpmDbError, RpmDbFormat, Sink};

const HEADER_MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const BLOB_MAGIC: &[u8; 4] = b"BlbS";
const HEADER_SIZE: usize = 32;
const SLOT_PAGE: usize = 4096;
const SLOT_SIZE: usize = 16;
const BLOCK_SIZE: u64 = 16;
const BLOB_HEADER: usize = 16;
/// Slots 0 and 1 are the database header.
const FIRST_SLOT: usize = HEADER_SIZE / SLOT_SIZE;

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

/// Whether `bytes` start with the NDB header magic.
pub(super) fn has_magic(bytes: &[u8]) -> bool {
    bytes.starts_with(HEADER_MAGIC)
}

fn error(message: String) -> RpmDbError {
    RpmDbError::new(RpmDbFormat::Ndb, message)
}

/// Read every header blob of an NDB `Packages.db` file into `sink`.
pub(super) fn read(bytes: &[u8], sink: &mut Sink) -> Result<(), RpmDbError> {
    if bytes.len() < HEADER_SIZE {
        return Err(error(format!(
            "file is {} bytes, shorter than the {HEADER_SIZE}-byte header",
            bytes.len()
        )));
    }
    if !has_magic(bytes) {
        return Err(error(format!(
            "bad magic {:02x?} at offset 0, expected \"RpmP\"",
            bytes.get(..4).unwrap_or_default()
        )));
    }
    let version = le_u32(bytes, 4).unwrap_or_default();
    if version != 0 {
        return Err(error(format!(
            "unsupported NDB version {version} at offset 4"
        )));
    }
    let npages = le_u32(bytes, 12).unwrap_or_default();
    if npages == 0 {
        return Err(error(
            "header at offset 12 declares no slot pages".to_owned(),
        ));
    }
    let slots_end = u64::from(npages) * SLOT_PAGE as u64;
    if slots_end > bytes.len() as u64 {
        return Err(error(format!(
            "truncated: {npages} slot pages need {slots_end} bytes, file is {} bytes",
            bytes.len()
        )));
    }
    let slot_area = bytes
        .get(..usize::try_from(slots_end).unwrap_or(usize::MAX))
        .unwrap_or_default();
    // Blob byte ranges already read (start -> end): blobs never overlap in a sound file, and
    // refusing overlaps keeps the work linear when slots are forged to share one blob.
    let mut read_ranges: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, slot) in slot_area
        .chunks_exact(SLOT_SIZE)
        .enumerate()
        .skip(FIRST_SLOT)
    {
        let at = i * SLOT_SIZE;
        if slot.get(..4) != Some(SLOT_MAGIC.as_slice()) {
            sink.warn(format!(
                "NDB slot {i} at offset {at}: bad slot magic; slot skipped"
            ));
            continue;
        }
        let pkgidx = le_u32(slot, 4).unwrap_or_default();
        if pkgidx == 0 {
            continue;
        }
        let blkoff = le_u32(slot, 8).unwrap_or_default();
        let location = format!("NDB slot {i} (package index {pkgidx}, block {blkoff})");
        match blob(bytes, pkgidx, blkoff).and_then(|(start, b)| {
            claim(
                &mut read_ranges,
                start,
                start.saturating_add(BLOB_HEADER + b.len()),
            )?;
            Ok(b)
        }) {
            Ok(b) => sink.header(&location, b),
            Err(e) => sink.warn(format!("{location}: {e}; package skipped")),
        }
    }
    Ok(())
}

/// Record `start..end` as read, unless it overlaps a range read before.
fn claim(ranges: &mut BTreeMap<usize, usize>, start: usize, end: usize) -> Result<(), String> {
    let before = ranges.range(..=start).next_back();
    let after = ranges.range(start..).next();
    if before.is_some_and(|(_, &e)| e > start) || after.is_some_and(|(&s, _)| s < end) {
        return Err(format!(
            "blob at offset {start} overlaps a blob of another slot"
        ));
    }
    ranges.insert(start, end);
    Ok(())
}

/// The header blob of package `pkgidx` stored at block `blkoff`, with its file offset.
fn blob(bytes: &[u8], pkgidx: u32, blkoff: u32) -> Result<(usize, &[u8]), String> {
    let start = usize::try_from(u64::from(blkoff) * BLOCK_SIZE)
        .ok()
        .filter(|&s| s.checked_add(BLOB_HEADER).is_some_and(|e| e <= bytes.len()))
        .ok_or_else(|| {
            format!(
                "blob header at offset {} is beyond the {}-byte file",
                u64::from(blkoff) * BLOCK_SIZE,
                bytes.len()
            )
        })?;
    let head = bytes.get(start..start + BLOB_HEADER).unwrap_or_default();
    if head.get(..4) != Some(BLOB_MAGIC.as_slice()) {
        return Err(format!("bad blob magic at offset {start}"));
    }
    let blob_pkgidx = le_u32(head, 4).unwrap_or_default();
    if blob_pkgidx != pkgidx {
        return Err(format!(
            "blob at offset {start} belongs to package index {blob_pkgidx}"
        ));
    }
    let len = le_u32(head, 12).unwrap_or_default() as usize;
    let data = start + BLOB_HEADER;
    data.checked_add(len)
        .and_then(|end| bytes.get(data..end))
        .map(|b| (start, b))
        .ok_or_else(|| {
            format!(
                "blob at offset {start} declares {len} bytes, past the end of the {}-byte file",
                bytes.len()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::super::header::tag;
    use super::super::header::tests::{build, Val};
    use super::*;

    fn put(b: &mut Vec<u8>, at: usize, v: &[u8]) {
        if b.len() < at + v.len() {
            b.resize(at + v.len(), 0);
        }
        b[at..at + v.len()].copy_from_slice(v);
    }

    fn database(names: &[&str]) -> Vec<u8> {
        let mut db = vec![0u8; SLOT_PAGE];
        put(&mut db, 0, HEADER_MAGIC);
        put(&mut db, 12, &1u32.to_le_bytes());
        for i in FIRST_SLOT..SLOT_PAGE / SLOT_SIZE {
            put(&mut db, i * SLOT_SIZE, SLOT_MAGIC);
        }
        for (n, name) in names.iter().enumerate() {
            let blob = build(&[
                (tag::NAME, Val::Str(name)),
                (tag::VERSION, Val::Str("1")),
                (tag::RELEASE, Val::Str("2")),
            ]);
            let pkgidx = n as u32 + 1;
            let off = db.len().next_multiple_of(16);
            let slot = (FIRST_SLOT + n) * SLOT_SIZE;
            put(&mut db, slot + 4, &pkgidx.to_le_bytes());
            put(&mut db, slot + 8, &((off / 16) as u32).to_le_bytes());
            put(&mut db, off, BLOB_MAGIC);
            put(&mut db, off + 4, &pkgidx.to_le_bytes());
            put(&mut db, off + 12, &(blob.len() as u32).to_le_bytes());
            put(&mut db, off + 16, &blob);
            let end = db.len();
            put(&mut db, end, b"tail-of-12by");
        }
        db
    }

    fn scan(bytes: &[u8]) -> Result<Sink, RpmDbError> {
        let mut sink = Sink::default();
        read(bytes, &mut sink)?;
        Ok(sink)
    }

    #[test]
    fn reads_every_used_slot() {
        let sink = scan(&database(&["a", "b", "c"])).unwrap();
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        let names: Vec<&str> = sink.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn bad_slot_or_blob_is_a_warning() {
        let mut db = database(&["a", "b"]);
        db[FIRST_SLOT * SLOT_SIZE] = b'X';
        let sink = scan(&db).unwrap();
        assert_eq!(sink.packages.len(), 1);
        assert!(sink.diagnostics[0].message.contains("slot 2"));

        let mut db = database(&["a", "b"]);
        let slot = (FIRST_SLOT + 1) * SLOT_SIZE;
        db[slot + 8..slot + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        let sink = scan(&db).unwrap();
        assert_eq!(sink.packages.len(), 1);
        assert!(sink.diagnostics[0].message.contains("beyond"));
    }

    #[test]
    fn slots_sharing_a_blob_are_read_once() {
        let mut db = database(&["a", "b"]);
        // Point slot 3 (package 2) at package 1's blob, relabelled as package 2.
        let (s2, s3) = (FIRST_SLOT * SLOT_SIZE, (FIRST_SLOT + 1) * SLOT_SIZE);
        let blk: [u8; 4] = db[s2 + 8..s2 + 12].try_into().unwrap();
        db[s3 + 8..s3 + 12].copy_from_slice(&blk);
        db[s3 + 4..s3 + 8].copy_from_slice(&1u32.to_le_bytes());
        let sink = scan(&db).unwrap();
        assert_eq!(sink.packages.len(), 1);
        assert!(
            sink.diagnostics[0].message.contains("overlaps"),
            "{:?}",
            sink.diagnostics
        );
    }

    #[test]
    fn header_problems_are_errors() {
        assert!(scan(b"").is_err());
        assert!(scan(&[0u8; 64]).unwrap_err().message.contains("magic"));
        let mut db = database(&["a"]);
        db[12..16].copy_from_slice(&1000u32.to_le_bytes());
        assert!(scan(&db).unwrap_err().message.contains("truncated"));
        db[4] = 1;
        assert!(scan(&db).unwrap_err().message.contains("version"));
    }

    #[test]
    fn truncation_is_a_warning_or_an_error() {
        let db = database(&["a", "b"]);
        for cut in (0..db.len()).step_by(29) {
            match scan(&db[..cut]) {
                Err(_) => {}
                Ok(sink) => assert!(
                    !sink.diagnostics.is_empty() || cut >= db.len() - 12,
                    "cut at {cut}"
                ),
            }
        }
    }

    #[test]
    fn byte_flips_do_not_panic() {
        let db = database(&["a"]);
        for i in 0..db.len() {
            let mut b = db.clone();
            b[i] ^= 0x5a;
            let _ = scan(&b);
        }
    }
}
