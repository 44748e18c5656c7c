//! PE: DOS, COFF and optional headers and the section table via goblin; the import and
//! export directories read here; the version resource by
//! [`crate::lang::dotnet::pe_version_info`].

use goblin::pe::section_table::SectionTable;

use super::{c_str, dedup_keep_first, le_u32, BinaryFormat, BinaryInfo, BinaryKind, MAX_NAMES};

const IMAGE_FILE_EXECUTABLE_IMAGE: u16 = 0x0002;
const IMAGE_FILE_DLL: u16 = 0x2000;
/// PE signature + COFF file header.
const PE_COFF_PREFIX: usize = 4 + 20;
/// `IMAGE_IMPORT_DESCRIPTOR`: five `u32`s, the fourth the DLL name's RVA.
const IMPORT_DESCRIPTOR_SIZE: usize = 20;
/// Offset of the `Name` RVA in `IMAGE_EXPORT_DIRECTORY`.
const EXPORT_NAME: usize = 12;

pub(super) fn parse(bytes: &[u8]) -> Result<BinaryInfo, String> {
    let header =
        goblin::pe::header::Header::parse(bytes).map_err(|_| "PE header truncated or invalid")?;
    let coff = header.coff_header;
    let mut offset = usize::try_from(header.dos_header.pe_pointer)
        .ok()
        .and_then(|p| p.checked_add(PE_COFF_PREFIX))
        .and_then(|p| p.checked_add(usize::from(coff.size_of_optional_header)))
        .ok_or("PE section table out of bounds")?;
    let sections = coff
        .sections(bytes, &mut offset)
        .map_err(|_| "PE section table out of bounds")?;

    let mut info = BinaryInfo::new(BinaryFormat::Pe);
    info.arch = arch(coff.machine).map(str::to_owned);
    info.kind = if coff.characteristics & IMAGE_FILE_DLL != 0 {
        BinaryKind::SharedLibrary
    } else if coff.characteristics & IMAGE_FILE_EXECUTABLE_IMAGE != 0 {
        BinaryKind::Executable
    } else {
        BinaryKind::Other
    };

    if let Some(opt) = header.optional_header {
        let image = Image {
            bytes,
            sections: &sections,
            size_of_headers: opt.windows_fields.size_of_headers,
        };
        let dirs = &opt.data_directories;
        if let Some(dir) = dirs.get_import_table().filter(|d| d.virtual_address != 0) {
            info.needed = image.imports(dir.virtual_address)?;
        }
        if let Some(dir) = dirs.get_export_table().filter(|d| d.virtual_address != 0) {
            const OOB: &str = "PE export directory out of bounds";
            let at = image.offset(dir.virtual_address).ok_or(OOB)?;
            let name_rva = le_u32(bytes, at.saturating_add(EXPORT_NAME)).ok_or(OOB)?;
            if name_rva != 0 {
                info.soname = Some(
                    image
                        .string(name_rva)
                        .ok_or("PE export name out of bounds")?,
                );
            }
        }
    }
    info.pe_version = crate::lang::dotnet::pe_version_info(bytes).unwrap_or_default();
    Ok(info)
}

/// A PE image's bytes and section table, to follow RVAs to file offsets.
struct Image<'a> {
    bytes: &'a [u8],
    sections: &'a [SectionTable],
    size_of_headers: u32,
}

impl Image<'_> {
    /// The file offset of `rva`: in the headers (mapped as they are in the file) or in the
    /// file-backed part of a section. `None` when no file byte backs it.
    fn offset(&self, rva: u32) -> Option<usize> {
        let off = if rva < self.size_of_headers {
            rva
        } else {
            self.sections.iter().find_map(|s| {
                let rel = rva.checked_sub(s.virtual_address)?;
                let backed = if s.virtual_size == 0 {
                    s.size_of_raw_data
                } else {
                    s.virtual_size.min(s.size_of_raw_data)
                };
                (rel < backed).then(|| s.pointer_to_raw_data.checked_add(rel))?
            })?
        };
        let off = usize::try_from(off).ok()?;
        (off < self.bytes.len()).then_some(off)
    }

    /// The NUL-terminated string at `rva`.
    fn string(&self, rva: u32) -> Option<String> {
        c_str(self.bytes.get(self.offset(rva)?..)?)
    }

    /// The DLL names of the import descriptors at `rva`, up to the all-zero descriptor, in
    /// order, later duplicates dropped.
    fn imports(&self, rva: u32) -> Result<Vec<String>, String> {
        const OOB: &str = "PE import directory out of bounds";
        let mut at = self.offset(rva).ok_or(OOB)?;
        let mut names = Vec::new();
        for _ in 0..=MAX_NAMES {
            let descriptor = self
                .bytes
                .get(at..at.saturating_add(IMPORT_DESCRIPTOR_SIZE))
                .ok_or(OOB)?;
            if descriptor.iter().all(|&b| b == 0) {
                return Ok(dedup_keep_first(names));
            }
            let name_rva = le_u32(descriptor, 12).ok_or(OOB)?;
            let name = self
                .string(name_rva)
                .ok_or("PE import name out of bounds")?;
            names.push(name);
            at += IMPORT_DESCRIPTOR_SIZE;
        }
        Err(format!("PE has more than {MAX_NAMES} import descriptors"))
    }
}

/// The normalised architecture name of a COFF `Machine`.
fn arch(machine: u16) -> Option<&'static str> {
    Some(match machine {
        0x014c => "i386",
        0x8664 => "x86_64",
        0xaa64 => "aarch64",
        0x01c0 | 0x01c2 | 0x01c4 => "arm",
        0x0200 => "ia64",
        0x5032 => "riscv32",
        0x5064 => "riscv64",
        0x6264 => "loongarch64",
        _ => return None,
    })
}
