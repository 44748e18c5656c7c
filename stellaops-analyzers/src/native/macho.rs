//! Mach-O: load commands via goblin (`LC_ID_DYLIB`, `LC_LOAD*_DYLIB`, `LC_RPATH`,
//! `LC_LOAD_DYLINKER`, `LC_UUID`); the header fields and the fat header (32- and 64-bit,
//! which goblin 0.10 does not read) read here.

use goblin::container::Container;
use goblin::mach::load_command::{CommandVariant, LoadCommand};

use super::{
    be_u32, c_str, dedup_keep_first, range, read, BinaryFormat, BinaryInfo, BinaryKind, Endian,
    FAT_MAGIC, FAT_MAGIC_64, MAX_FAT_ARCHES, MH_CIGAM, MH_CIGAM_64, MH_MAGIC, MH_MAGIC_64,
};

const MH_OBJECT: u32 = 1;
const MH_EXECUTE: u32 = 2;
const MH_DYLIB: u32 = 6;
const MH_BUNDLE: u32 = 8;
const MH_DYLIB_STUB: u32 = 9;

pub(super) fn parse(bytes: &[u8]) -> Result<BinaryInfo, String> {
    match be_u32(bytes, 0) {
        Some(FAT_MAGIC) => fat(bytes, false),
        Some(FAT_MAGIC_64) => fat(bytes, true),
        _ => thin(bytes),
    }
}

/// A fat (universal) file: every slice must be a Mach-O file that parses; the result is the
/// first slice's facts with every slice's architecture in `archs` and the slices' `needed`
/// and `rpath` merged in slice order (later duplicates dropped).
fn fat(bytes: &[u8], is_64: bool) -> Result<BinaryInfo, String> {
    const TRUNCATED: &str = "fat Mach-O header truncated";
    let count = be_u32(bytes, 4).ok_or(TRUNCATED)?;
    if !(1..=MAX_FAT_ARCHES).contains(&count) {
        return Err("fat Mach-O architecture count out of range".to_owned());
    }
    // fat_arch: cputype, cpusubtype, offset, size, align (u32s; fat_arch_64 has u64 offset
    // and size, and a reserved u32).
    let entry = if is_64 { 32 } else { 20 };
    let mut merged: Option<BinaryInfo> = None;
    for i in 0..count {
        let at = 8 + entry * usize::try_from(i).map_err(|_| TRUNCATED)?;
        let (offset, size) = if is_64 {
            let word = |at| read(bytes, at).map(u64::from_be_bytes);
            (word(at + 8), word(at + 16))
        } else {
            let word = |at| be_u32(bytes, at).map(u64::from);
            (word(at + 8), word(at + 12))
        };
        let (Some(offset), Some(size)) = (offset, size) else {
            return Err(TRUNCATED.to_owned());
        };
        let slice = range(bytes, offset, size).ok_or("fat Mach-O slice out of bounds")?;
        if !matches!(
            be_u32(slice, 0),
            Some(MH_MAGIC | MH_CIGAM | MH_MAGIC_64 | MH_CIGAM_64)
        ) {
            return Err("fat Mach-O slice is not a Mach-O file".to_owned());
        }
        let info = thin(slice)?;
        match &mut merged {
            None => {
                let mut first = info;
                first.archs.extend(first.arch.clone());
                merged = Some(first);
            }
            Some(m) => {
                m.archs.extend(info.arch);
                m.needed.extend(info.needed);
                m.rpath.extend(info.rpath);
            }
        }
    }
    let mut info = merged.ok_or(TRUNCATED)?;
    info.needed = dedup_keep_first(info.needed);
    info.rpath = dedup_keep_first(info.rpath);
    Ok(info)
}

/// A thin Mach-O file (32- or 64-bit, either byte order).
fn thin(bytes: &[u8]) -> Result<BinaryInfo, String> {
    const TRUNCATED: &str = "Mach-O header truncated";
    const OOB: &str = "Mach-O load commands out of bounds";
    let (_, ctx) = goblin::mach::parse_magic_and_ctx(bytes, 0).map_err(|_| TRUNCATED)?;
    let ctx = ctx.ok_or("Mach-O header has an unknown magic")?;
    let en = Endian {
        little: ctx.le.is_little(),
    };
    let header_size: usize = if ctx.container == Container::Big {
        32
    } else {
        28
    };
    let field = |at| en.u32(bytes, at).ok_or(TRUNCATED);
    let (cputype, filetype, ncmds, sizeofcmds) = (field(4)?, field(12)?, field(16)?, field(20)?);
    let ncmds = usize::try_from(ncmds).map_err(|_| OOB)?;
    let sizeofcmds = usize::try_from(sizeofcmds).map_err(|_| OOB)?;
    let end = header_size.checked_add(sizeofcmds).ok_or(OOB)?;
    if end > bytes.len() || ncmds > sizeofcmds / 8 {
        return Err(OOB.to_owned());
    }

    let mut info = BinaryInfo::new(BinaryFormat::MachO);
    info.arch = arch(cputype).map(str::to_owned);
    info.kind = match filetype {
        MH_OBJECT => BinaryKind::Relocatable,
        MH_EXECUTE => BinaryKind::Executable,
        MH_DYLIB | MH_BUNDLE | MH_DYLIB_STUB => BinaryKind::SharedLibrary,
        _ => BinaryKind::Other,
    };
    let mut offset = header_size;
    for _ in 0..ncmds {
        let at = offset;
        if at.checked_add(8).is_none_or(|e| e > end) {
            return Err(OOB.to_owned());
        }
        let cmd = LoadCommand::parse(bytes, &mut offset, ctx.le)
            .map_err(|_| "Mach-O load command truncated")?;
        let cmdsize = cmd.command.cmdsize();
        if cmdsize < 8 || at.checked_add(cmdsize).is_none_or(|e| e > end) {
            return Err("Mach-O load command size out of bounds".to_owned());
        }
        // An lc_str: the offset of a NUL-terminated string inside this command.
        let text = |lc_str: u32| -> Result<String, String> {
            usize::try_from(lc_str)
                .ok()
                .filter(|&o| o >= 8)
                .and_then(|o| bytes.get(at.checked_add(o)?..at + cmdsize))
                .and_then(c_str)
                .ok_or_else(|| "Mach-O load command string out of bounds".to_owned())
        };
        match cmd.command {
            CommandVariant::IdDylib(c) if info.soname.is_none() => {
                info.soname = Some(text(c.dylib.name)?);
            }
            CommandVariant::LoadDylib(c)
            | CommandVariant::LoadWeakDylib(c)
            | CommandVariant::ReexportDylib(c)
            | CommandVariant::LazyLoadDylib(c)
            | CommandVariant::LoadUpwardDylib(c) => info.needed.push(text(c.dylib.name)?),
            CommandVariant::Rpath(c) => info.rpath.push(text(c.path)?),
            CommandVariant::LoadDylinker(c) if info.interpreter.is_none() => {
                info.interpreter = Some(text(c.name)?);
            }
            CommandVariant::Uuid(c) => {
                info.build_id.get_or_insert_with(|| hex::encode(c.uuid));
            }
            _ => {}
        }
    }
    info.needed = dedup_keep_first(info.needed);
    info.rpath = dedup_keep_first(info.rpath);
    Ok(info)
}

/// The normalised architecture name of a Mach-O `cputype`.
fn arch(cputype: u32) -> Option<&'static str> {
    Some(match cputype {
        7 => "i386",
        0x0100_0007 => "x86_64",
        12 => "arm",
        0x0100_000c => "aarch64",
        0x0200_000c => "arm64_32",
        18 => "ppc",
        0x0100_0012 => "ppc64",
        _ => return None,
    })
}
