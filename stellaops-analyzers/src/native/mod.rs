//! Native binaries: format sniffing and the dynamic-linking facts of ELF, PE and Mach-O files
//! (thin and fat/universal) as a [`BinaryInfo`].
//!
//! Built on goblin's header and table parsers (ELF file/program/section headers, PE DOS/COFF/
//! optional headers and section table, Mach-O load commands); the structures goblin does not
//! bound for us (ELF dynamic section, version needs and notes, PE import and export
//! directories, fat headers) are read here with every offset, size and count checked against
//! the buffer. Nothing else is parsed (no symbols, relocations or code), so the cost is linear
//! in the tables read and a damaged table we do not need cannot hide the ones we do.
//!
//! **Strictness:** [`parse_binary`] returns facts for the whole file or an `Err`: when a table
//! it reads (or a string a table names) lies outside the file, the file is truncated or
//! corrupt, and a partial dependency list would be a wrong fact. (The one exception is the PE
//! version resource, best effort: unreadable means an empty `pe_version`.) Errors are short
//! messages (`"ELF section headers out of bounds"`). It never panics and allocates at most in
//! proportion to the input (lists are capped at [`MAX_NAMES`] entries, strings at
//! [`MAX_NAME_LEN`] bytes).

mod elf;
mod macho;
mod pe;
#[cfg(test)]
mod tests;

pub use stellaops_core::binary::{BinaryFormat, BinaryInfo, BinaryKind};

/// Most entries accepted in one list (`DT_NEEDED`, version needs, PE imports); more is an
/// error. Real binaries have a few hundred at most.
pub const MAX_NAMES: usize = 10_000;
/// Longest string accepted (library name, path, version name), in bytes; a longer or
/// unterminated string is an error.
pub const MAX_NAME_LEN: usize = 4096;
/// Most architectures accepted in a fat Mach-O header. `0xcafebabe` is also the magic of
/// Java class files, whose next four bytes (minor and major version, major >= 45) read as a
/// count of 45 or more: a count in `1..=MAX_FAT_ARCHES` is a fat Mach-O.
pub const MAX_FAT_ARCHES: u32 = 32;

const MH_MAGIC: u32 = 0xfeed_face;
const MH_CIGAM: u32 = 0xcefa_edfe;
const MH_MAGIC_64: u32 = 0xfeed_facf;
const MH_CIGAM_64: u32 = 0xcffa_edfe;
const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
/// Offset of `e_lfanew` (the PE header's offset) in the DOS header.
const DOS_LFANEW: usize = 0x3c;
/// Largest `e_lfanew` taken for a PE file by [`sniff`] (linkers write 0x40..0x200).
const MAX_LFANEW: u32 = 0x1000_0000;

/// The format of a native binary from its first bytes, or `None` when they are none of
/// ELF, PE or Mach-O. A cheap pre-filter: [`parse_binary`] decides.
///
/// - ELF: `\x7fELF`, and (given 6 bytes) a valid class and byte order.
/// - PE: `MZ`; given 64 bytes, `e_lfanew` (at 0x3c) must be at least 4 and below
///   0x1000_0000, and when `head` reaches `e_lfanew + 4`, the `PE\0\0` signature must be
///   there. A plain DOS `MZ` program usually fails these checks, but not always.
/// - Mach-O: `0xfeedface` / `0xfeedfacf` in either byte order.
/// - Fat Mach-O: `0xcafebabe` / `0xcafebabf` followed by an architecture count in
///   `1..=`[`MAX_FAT_ARCHES`] (needs 8 bytes; a Java class file has a larger number there).
///
/// Pass at least 64 bytes, or the whole file when it is shorter.
#[must_use]
pub fn sniff(head: &[u8]) -> Option<BinaryFormat> {
    if head.starts_with(b"\x7fELF") {
        let valid = |at: usize| head.get(at).is_none_or(|b| matches!(b, 1 | 2));
        return (valid(4) && valid(5)).then_some(BinaryFormat::Elf);
    }
    if head.starts_with(b"MZ") {
        let Some(lfanew) = le_u32(head, DOS_LFANEW) else {
            return Some(BinaryFormat::Pe);
        };
        if !(4..MAX_LFANEW).contains(&lfanew) {
            return None;
        }
        let sig_at = usize::try_from(lfanew).ok()?;
        let sig_ok = head
            .get(sig_at..sig_at.checked_add(4)?)
            .is_none_or(|sig| sig == b"PE\0\0");
        return sig_ok.then_some(BinaryFormat::Pe);
    }
    match be_u32(head, 0)? {
        MH_MAGIC | MH_CIGAM | MH_MAGIC_64 | MH_CIGAM_64 => Some(BinaryFormat::MachO),
        FAT_MAGIC | FAT_MAGIC_64 => {
            let count = be_u32(head, 4)?;
            (1..=MAX_FAT_ARCHES)
                .contains(&count)
                .then_some(BinaryFormat::MachO)
        }
        _ => None,
    }
}

/// The dynamic-linking facts of an ELF, PE or Mach-O file (see [`BinaryInfo`] for each
/// field's source). `Err` with a short message when `bytes` is none of these formats
/// (per [`sniff`]) or when a table it needs is truncated or corrupt. For PE files the
/// version resource is read with [`crate::lang::dotnet::pe_version_info`].
pub fn parse_binary(bytes: &[u8]) -> Result<BinaryInfo, String> {
    match sniff(bytes) {
        Some(BinaryFormat::Elf) => elf::parse(bytes),
        Some(BinaryFormat::Pe) => pe::parse(bytes),
        Some(BinaryFormat::MachO) => macho::parse(bytes),
        None => Err("not an ELF, PE or Mach-O file".to_owned()),
    }
}

/// `bytes[offset..offset + len]` with every conversion and bound checked.
fn range(bytes: &[u8], offset: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let len = usize::try_from(len).ok()?;
    bytes.get(start..start.checked_add(len)?)
}

/// The NUL-terminated string at the start of `bytes` (lossy UTF-8), or `None` when no NUL
/// comes within `bytes` and [`MAX_NAME_LEN`] bytes.
fn c_str(bytes: &[u8]) -> Option<String> {
    let window = bytes.get(..bytes.len().min(MAX_NAME_LEN + 1))?;
    let end = window.iter().position(|&b| b == 0)?;
    Some(String::from_utf8_lossy(window.get(..end)?).into_owned())
}

/// `list` without later duplicates (each name stays at its first position).
fn dedup_keep_first(list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .filter(|name| seen.insert(name.clone()))
        .collect()
}

fn read<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    read(bytes, at).map(u32::from_be_bytes)
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    read(bytes, at).map(u32::from_le_bytes)
}

/// Integers of one byte order.
#[derive(Debug, Clone, Copy)]
struct Endian {
    little: bool,
}

impl Endian {
    fn u16(self, bytes: &[u8], at: usize) -> Option<u16> {
        let b = read(bytes, at)?;
        Some(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32(self, bytes: &[u8], at: usize) -> Option<u32> {
        let b = read(bytes, at)?;
        Some(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn u64(self, bytes: &[u8], at: usize) -> Option<u64> {
        let b = read(bytes, at)?;
        Some(if self.little {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }
}
