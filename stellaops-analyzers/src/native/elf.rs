//! ELF: header, program and section headers via goblin; `PT_INTERP`, the dynamic section
//! (`PT_DYNAMIC`), its string table, version needs (`DT_VERNEED`) and notes read here.

use goblin::container::{Container, Ctx};
use goblin::elf::program_header::ProgramHeader;
use goblin::elf::section_header::SectionHeader;
use goblin::elf::Elf;

use super::{c_str, range, BinaryFormat, BinaryInfo, BinaryKind, Endian, MAX_NAMES};

const ET_REL: u16 = 1;
const ET_EXEC: u16 = 2;
const ET_DYN: u16 = 3;

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_NOTE: u32 = 4;
const SHT_NOTE: u32 = 7;

const DT_NULL: u64 = 0;
const DT_NEEDED: u64 = 1;
const DT_STRTAB: u64 = 5;
const DT_STRSZ: u64 = 10;
const DT_SONAME: u64 = 14;
const DT_RPATH: u64 = 15;
const DT_RUNPATH: u64 = 29;
const DT_FLAGS_1: u64 = 0x6fff_fffb;
const DT_VERNEED: u64 = 0x6fff_fffe;
const DT_VERNEEDNUM: u64 = 0x6fff_ffff;
const DF_1_PIE: u64 = 0x0800_0000;

const NT_GNU_BUILD_ID: u32 = 3;

pub(super) fn parse(bytes: &[u8]) -> Result<BinaryInfo, String> {
    let header = Elf::parse_header(bytes).map_err(|_| "ELF header truncated or invalid")?;
    let container = header
        .container()
        .map_err(|_| "ELF header has an invalid class")?;
    let endian = header
        .endianness()
        .map_err(|_| "ELF header has an invalid byte order")?;
    let ctx = Ctx::new(container, endian);
    let is_64 = container == Container::Big;
    let en = Endian {
        little: endian.is_little(),
    };

    let phdrs = if header.e_phnum == 0 {
        Vec::new()
    } else {
        let off =
            usize::try_from(header.e_phoff).map_err(|_| "ELF program headers out of bounds")?;
        ProgramHeader::parse(bytes, off, usize::from(header.e_phnum), ctx)
            .map_err(|_| "ELF program headers out of bounds")?
    };
    // Read (bounds-checked by goblin, count included) even though only notes of object files
    // come from it: a section table outside the file means a truncated file.
    let shdrs = if header.e_shoff == 0 {
        Vec::new()
    } else {
        let off =
            usize::try_from(header.e_shoff).map_err(|_| "ELF section headers out of bounds")?;
        SectionHeader::parse(bytes, off, usize::from(header.e_shnum), ctx)
            .map_err(|_| "ELF section headers out of bounds")?
    };

    let mut info = BinaryInfo::new(BinaryFormat::Elf);
    info.arch = arch(header.e_machine, is_64, en.little).map(str::to_owned);

    if let Some(p) = phdrs.iter().find(|p| p.p_type == PT_INTERP) {
        let raw = range(bytes, p.p_offset, p.p_filesz).ok_or("ELF PT_INTERP out of bounds")?;
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        let interp = String::from_utf8_lossy(raw.get(..end).unwrap_or_default()).into_owned();
        info.interpreter = (!interp.is_empty()).then_some(interp);
    }

    let loads: Vec<&ProgramHeader> = phdrs.iter().filter(|p| p.p_type == PT_LOAD).collect();
    let va_to_offset = |addr: u64| -> Option<u64> {
        loads.iter().find_map(|p| {
            let rel = addr.checked_sub(p.p_vaddr)?;
            (rel < p.p_filesz).then(|| p.p_offset.checked_add(rel))?
        })
    };

    let mut flags_1 = 0;
    if let Some(p) = phdrs.iter().find(|p| p.p_type == PT_DYNAMIC) {
        let data = range(bytes, p.p_offset, p.p_filesz).ok_or("ELF PT_DYNAMIC out of bounds")?;
        let dynamic = Dynamic::parse(data, is_64, en);
        if dynamic.needed.len() + dynamic.rpath.len() + dynamic.runpath.len() > MAX_NAMES {
            return Err(format!(
                "ELF has more than {MAX_NAMES} dynamic string entries"
            ));
        }
        flags_1 = dynamic.flags_1;
        if dynamic.needs_strings() {
            let strtab = dynamic
                .strtab
                .and_then(va_to_offset)
                .and_then(|off| {
                    let rest = u64::try_from(bytes.len()).ok()?.checked_sub(off)?;
                    range(bytes, off, dynamic.strsz.unwrap_or(rest))
                })
                .ok_or("ELF dynamic string table out of bounds")?;
            let string = |off: u64| -> Result<String, String> {
                usize::try_from(off)
                    .ok()
                    .and_then(|off| strtab.get(off..))
                    .and_then(c_str)
                    .ok_or_else(|| "ELF dynamic string out of bounds".to_owned())
            };
            for &off in &dynamic.needed {
                info.needed.push(string(off)?);
            }
            if let Some(off) = dynamic.soname {
                info.soname = Some(string(off)?);
            }
            for &off in &dynamic.rpath {
                info.rpath.extend(split_path(&string(off)?));
            }
            for &off in &dynamic.runpath {
                info.runpath.extend(split_path(&string(off)?));
            }
            if let Some(addr) = dynamic.verneed {
                let start = va_to_offset(addr)
                    .and_then(|off| usize::try_from(off).ok())
                    .and_then(|off| bytes.get(off..))
                    .ok_or("ELF version needs out of bounds")?;
                let count = dynamic.verneednum.unwrap_or(u64::MAX);
                info.symbol_versions = version_needs(start, count, en, &string)?;
                info.max_glibc = max_glibc(&info.symbol_versions);
            }
        }
    }

    // The GNU build id: from PT_NOTE segments, or (object files) SHT_NOTE sections.
    for p in phdrs.iter().filter(|p| p.p_type == PT_NOTE) {
        let data = range(bytes, p.p_offset, p.p_filesz).ok_or("ELF PT_NOTE out of bounds")?;
        if let Some(id) = gnu_build_id(data, p.p_align, en)? {
            info.build_id = Some(id);
            break;
        }
    }
    if info.build_id.is_none() && phdrs.is_empty() {
        for s in shdrs.iter().filter(|s| s.sh_type == SHT_NOTE) {
            let data = range(bytes, s.sh_offset, s.sh_size).ok_or("ELF SHT_NOTE out of bounds")?;
            if let Some(id) = gnu_build_id(data, s.sh_addralign, en)? {
                info.build_id = Some(id);
                break;
            }
        }
    }

    info.kind = match header.e_type {
        ET_REL => BinaryKind::Relocatable,
        ET_EXEC => BinaryKind::Executable,
        // A PIE says so in DT_FLAGS_1 (binutils >= 2.26, lld); older PIEs are recognised by
        // their interpreter. A shared library may have an interpreter too (glibc's libc.so.6
        // prints its version when run) but also has a DT_SONAME.
        ET_DYN
            if flags_1 & DF_1_PIE != 0 || (info.interpreter.is_some() && info.soname.is_none()) =>
        {
            BinaryKind::Executable
        }
        ET_DYN => BinaryKind::SharedLibrary,
        _ => BinaryKind::Other,
    };
    info.is_static =
        info.kind == BinaryKind::Executable && info.interpreter.is_none() && info.needed.is_empty();
    Ok(info)
}

/// The entries of a dynamic section we use (string-table offsets and addresses unresolved).
#[derive(Debug, Default)]
struct Dynamic {
    needed: Vec<u64>,
    soname: Option<u64>,
    rpath: Vec<u64>,
    runpath: Vec<u64>,
    strtab: Option<u64>,
    strsz: Option<u64>,
    flags_1: u64,
    verneed: Option<u64>,
    verneednum: Option<u64>,
}

impl Dynamic {
    /// The entries of `data` up to `DT_NULL` (or its end). Bounded by `data`'s length.
    fn parse(data: &[u8], is_64: bool, en: Endian) -> Dynamic {
        let entsize = if is_64 { 16 } else { 8 };
        let mut d = Dynamic::default();
        for entry in data.chunks_exact(entsize) {
            let (tag, val) = if is_64 {
                (en.u64(entry, 0), en.u64(entry, 8))
            } else {
                (
                    en.u32(entry, 0).map(u64::from),
                    en.u32(entry, 4).map(u64::from),
                )
            };
            let (Some(tag), Some(val)) = (tag, val) else {
                break;
            };
            match tag {
                DT_NULL => break,
                DT_NEEDED => d.needed.push(val),
                DT_SONAME => {
                    d.soname.get_or_insert(val);
                }
                DT_RPATH => d.rpath.push(val),
                DT_RUNPATH => d.runpath.push(val),
                DT_STRTAB => {
                    d.strtab.get_or_insert(val);
                }
                DT_STRSZ => {
                    d.strsz.get_or_insert(val);
                }
                DT_FLAGS_1 => d.flags_1 |= val,
                DT_VERNEED => {
                    d.verneed.get_or_insert(val);
                }
                DT_VERNEEDNUM => {
                    d.verneednum.get_or_insert(val);
                }
                _ => {}
            }
        }
        d
    }

    fn needs_strings(&self) -> bool {
        !self.needed.is_empty()
            || self.soname.is_some()
            || !self.rpath.is_empty()
            || !self.runpath.is_empty()
            || self.verneed.is_some()
    }
}

/// A `DT_RPATH` / `DT_RUNPATH` value split on `:`, empty parts dropped.
fn split_path(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(':')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
}

/// The version names of the `Elf*_Verneed` chain at the start of `data` (at most `count`
/// entries), sorted and deduplicated. Offsets (`vn_aux`, `vn_next`, `vna_next`) only move
/// forward, and the number of entries visited (`Verneed` and `Vernaux` together) is capped
/// at [`MAX_NAMES`], so this always ends.
fn version_needs(
    data: &[u8],
    count: u64,
    en: Endian,
    string: &dyn Fn(u64) -> Result<String, String>,
) -> Result<Vec<String>, String> {
    const OOB: &str = "ELF version needs out of bounds";
    let mut names = Vec::new();
    let mut visited = 0usize;
    let mut at = 0usize;
    let too_many = || format!("ELF has more than {MAX_NAMES} version-need entries");
    for _ in 0..count {
        visited += 1;
        if visited > MAX_NAMES {
            return Err(too_many());
        }
        let cnt = en.u16(data, at.saturating_add(2)).ok_or(OOB)?;
        let aux = en.u32(data, at.saturating_add(8)).ok_or(OOB)?;
        let next = en.u32(data, at.saturating_add(12)).ok_or(OOB)?;
        let mut aux_at = at
            .checked_add(usize::try_from(aux).map_err(|_| OOB)?)
            .ok_or(OOB)?;
        for _ in 0..cnt {
            visited += 1;
            if visited > MAX_NAMES {
                return Err(format!(
                    "ELF has more than {MAX_NAMES} version-need entries"
                ));
            }
            let name = en.u32(data, aux_at.saturating_add(8)).ok_or(OOB)?;
            let aux_next = en.u32(data, aux_at.saturating_add(12)).ok_or(OOB)?;
            names.push(string(u64::from(name))?);
            if aux_next == 0 {
                break;
            }
            aux_at = aux_at
                .checked_add(usize::try_from(aux_next).map_err(|_| OOB)?)
                .ok_or(OOB)?;
        }
        if next == 0 {
            break;
        }
        at = at
            .checked_add(usize::try_from(next).map_err(|_| OOB)?)
            .ok_or(OOB)?;
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// The highest numeric `GLIBC_x.y[.z]` of `names`, without its prefix.
pub(super) fn max_glibc(names: &[String]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| {
            let v = n.strip_prefix("GLIBC_")?;
            let parts: Vec<u64> = v
                .split('.')
                .map(|p| p.parse::<u64>().ok())
                .collect::<Option<_>>()?;
            Some((parts, v))
        })
        .max()
        .map(|(_, v)| v.to_owned())
}

/// The GNU build id (lowercase hex) among the notes in `data`, laid out with `align` (8 for
/// 8-aligned note segments, 4 otherwise).
fn gnu_build_id(data: &[u8], align: u64, en: Endian) -> Result<Option<String>, String> {
    const OOB: &str = "ELF note out of bounds";
    let align: usize = if align == 8 { 8 } else { 4 };
    let pad = |n: usize| n.checked_next_multiple_of(align).ok_or(OOB);
    let mut at = 0usize;
    // A trailing run shorter than a note header is padding.
    while data.len().saturating_sub(at) >= 12 {
        let namesz = usize::try_from(en.u32(data, at).ok_or(OOB)?).map_err(|_| OOB)?;
        let descsz = usize::try_from(en.u32(data, at + 4).ok_or(OOB)?).map_err(|_| OOB)?;
        let ntype = en.u32(data, at.saturating_add(8)).ok_or(OOB)?;
        let name_at = at + 12;
        // Name and descriptor each start aligned relative to the note area.
        let desc_at = pad(name_at.checked_add(namesz).ok_or(OOB)?)?;
        let name = data
            .get(name_at..name_at.checked_add(namesz).ok_or(OOB)?)
            .ok_or(OOB)?;
        let desc = data
            .get(desc_at..desc_at.checked_add(descsz).ok_or(OOB)?)
            .ok_or(OOB)?;
        if ntype == NT_GNU_BUILD_ID && name == b"GNU\0" && !desc.is_empty() {
            return Ok(Some(hex::encode(desc)));
        }
        at = pad(desc_at.checked_add(descsz).ok_or(OOB)?)?;
    }
    Ok(None)
}

/// The normalised architecture name of an ELF `e_machine`.
fn arch(machine: u16, is_64: bool, little: bool) -> Option<&'static str> {
    Some(match machine {
        2 | 18 => "sparc",
        3 => "i386",
        8 => match (is_64, little) {
            (true, true) => "mips64el",
            (true, false) => "mips64",
            (false, true) => "mipsel",
            (false, false) => "mips",
        },
        20 => "ppc",
        21 if little => "ppc64le",
        21 => "ppc64",
        22 if is_64 => "s390x",
        22 => "s390",
        40 => "arm",
        43 => "sparc64",
        50 => "ia64",
        // ELF32 x86-64 is the x32 ABI.
        62 if is_64 => "x86_64",
        62 => "x32",
        183 => "aarch64",
        243 if is_64 => "riscv64",
        243 => "riscv32",
        258 if is_64 => "loongarch64",
        258 => "loongarch32",
        _ => return None,
    })
}
