//! Minimal, panic-free views of executables (ELF, PE, Mach-O) built from goblin's header,
//! program-header, section and load-command tables: named sections with their file ranges,
//! and the file-backed address ranges needed to follow a virtual address to file bytes.
//!
//! Shared by the Go build-info reader, the cargo-auditable reader (`.dep-v0`) and the PE
//! version-resource reader. Only the tables are parsed (never symbols, relocations, imports or
//! exports), so one damaged table elsewhere in a file does not hide the ones we need. Every
//! offset and size read from the file is checked against the buffer; counts are bounded by
//! the buffer size before anything is allocated.

use goblin::container::{Container, Ctx, Endian};

/// The object format of an [`Exe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExeFormat {
    Elf,
    Pe,
    MachO,
}

/// One section, as the file's section table describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Section name (`.go.buildinfo`, `.rsrc`, `__go_buildinfo`), lossily decoded.
    pub(crate) name: String,
    /// Mach-O segment name (`__DATA`); empty for ELF and PE.
    pub(crate) segment: String,
    /// Virtual address (PE: image base + RVA).
    pub(crate) addr: u64,
    /// Offset of the section's bytes in the file.
    pub(crate) offset: u64,
    /// Number of bytes present in the file (0 for `SHT_NOBITS` / zero-fill sections).
    pub(crate) file_size: u64,
    /// ELF `sh_flags`, PE `Characteristics`, Mach-O section `flags`.
    pub(crate) flags: u64,
}

/// A file-backed range of the address space (ELF `PT_LOAD`, Mach-O segment, PE section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mapping {
    pub(crate) vaddr: u64,
    pub(crate) offset: u64,
    pub(crate) file_size: u64,
    pub(crate) writable: bool,
    pub(crate) executable: bool,
}

/// An executable's section and address tables over its bytes.
#[derive(Debug, Clone)]
pub(crate) struct Exe<'a> {
    pub(crate) format: ExeFormat,
    /// The bytes of this image (for a fat Mach-O, the chosen architecture's slice).
    pub(crate) bytes: &'a [u8],
    pub(crate) sections: Vec<Section>,
    pub(crate) mappings: Vec<Mapping>,
    /// PE only: the resource data directory (RVA, size).
    pub(crate) pe_resources: Option<(u32, u32)>,
    /// PE only: the image base (section addresses are image base + RVA); 0 otherwise.
    pub(crate) image_base: u64,
}

const ELF_MAGIC: &[u8] = b"\x7fELF";
const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const PF_W: u32 = 2;
const SHT_NOBITS: u32 = 8;
const SHN_XINDEX: usize = 0xffff;

const MH_MAGIC: u32 = 0xfeed_face;
const MH_CIGAM: u32 = 0xcefa_edfe;
const MH_MAGIC_64: u32 = 0xfeed_facf;
const MH_CIGAM_64: u32 = 0xcffa_edfe;
const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
/// Fat headers with more architectures than this are not Mach-O (0xcafebabe is also the
/// magic of Java class files, whose next word is a version number).
const MAX_FAT_ARCHES: usize = 32;
/// More sections than any real binary has; bounds the work on hostile Mach-O headers.
const MAX_MACHO_SECTIONS: usize = 4096;
const VM_PROT_WRITE: u32 = 2;
const VM_PROT_EXECUTE: u32 = 4;
const MACHO_SECTION_TYPE: u32 = 0xff;
const S_ZEROFILL: u32 = 0x1;
const S_GB_ZEROFILL: u32 = 0xc;
const S_THREAD_LOCAL_ZEROFILL: u32 = 0x12;

const IMAGE_SCN_MEM_EXECUTE: u32 = 0x2000_0000;
const IMAGE_SCN_MEM_WRITE: u32 = 0x8000_0000;
/// PE signature + COFF file header.
const PE_COFF_PREFIX: usize = 4 + 20;

impl<'a> Exe<'a> {
    /// Parse the tables of an ELF, PE or Mach-O file (a fat Mach-O yields its first
    /// architecture that parses). `Ok(None)` when `bytes` is none of these formats;
    /// `Err` when it claims to be one but its tables cannot be read.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Option<Exe<'a>>, String> {
        if bytes.starts_with(ELF_MAGIC) {
            return parse_elf(bytes).map(Some);
        }
        if bytes.starts_with(b"MZ") {
            return parse_pe(bytes).map(Some);
        }
        match read_u32(bytes, 0, Endian::Big) {
            Some(MH_MAGIC | MH_CIGAM | MH_MAGIC_64 | MH_CIGAM_64) => parse_macho(bytes).map(Some),
            Some(FAT_MAGIC | FAT_MAGIC_64) => parse_fat(bytes),
            _ => Ok(None),
        }
    }

    /// The first section called `name` (and, when given, in Mach-O segment `segment`).
    pub(crate) fn section(&self, name: &str, segment: Option<&str>) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.name == name && segment.is_none_or(|seg| s.segment == seg))
    }

    /// The file bytes of a section, or `None` when its range lies outside the file.
    pub(crate) fn section_data(&self, section: &Section) -> Option<&'a [u8]> {
        file_range(self.bytes, section.offset, section.file_size)
    }

    /// File offset of `addr`, when a file-backed mapping holds `len` bytes from it.
    pub(crate) fn va_to_offset(&self, addr: u64, len: u64) -> Option<u64> {
        let in_range = |vaddr: u64, offset: u64, size: u64| -> Option<u64> {
            let rel = addr.checked_sub(vaddr)?;
            if rel.checked_add(len)? > size {
                return None;
            }
            offset.checked_add(rel)
        };
        self.mappings
            .iter()
            .find_map(|m| in_range(m.vaddr, m.offset, m.file_size))
            .or_else(|| {
                self.sections
                    .iter()
                    .filter(|s| s.addr != 0)
                    .find_map(|s| in_range(s.addr, s.offset, s.file_size))
            })
    }

    /// `len` bytes of the file at virtual address `addr`, or `None` when they are not all
    /// backed by the file.
    pub(crate) fn read_va(&self, addr: u64, len: u64) -> Option<&'a [u8]> {
        let offset = self.va_to_offset(addr, len)?;
        file_range(self.bytes, offset, len)
    }
}

/// `bytes[offset..offset + len]` with every conversion and bound checked.
pub(crate) fn file_range(bytes: &[u8], offset: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let len = usize::try_from(len).ok()?;
    bytes.get(start..start.checked_add(len)?)
}

fn read_u32(bytes: &[u8], at: usize, endian: Endian) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if endian.is_little() {
        u32::from_le_bytes(b)
    } else {
        u32::from_be_bytes(b)
    })
}

/// A NUL-terminated name from fixed-size bytes, lossily decoded.
fn c_name(raw: &[u8]) -> String {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    String::from_utf8_lossy(raw.get(..end).unwrap_or_default()).into_owned()
}

fn parse_elf(bytes: &[u8]) -> Result<Exe<'_>, String> {
    use goblin::elf::{program_header::ProgramHeader, section_header::SectionHeader, Elf};
    let header = Elf::parse_header(bytes).map_err(|e| format!("ELF header: {e}"))?;
    let container = header.container().map_err(|e| format!("ELF header: {e}"))?;
    let endian = header
        .endianness()
        .map_err(|e| format!("ELF header: {e}"))?;
    let ctx = Ctx::new(container, endian);

    let mut problems = Vec::new();
    let phdrs = match usize::try_from(header.e_phoff) {
        _ if header.e_phnum == 0 => Vec::new(),
        Ok(off) => ProgramHeader::parse(bytes, off, usize::from(header.e_phnum), ctx)
            .unwrap_or_else(|e| {
                problems.push(format!("program headers: {e}"));
                Vec::new()
            }),
        Err(_) => {
            problems.push("program header offset out of range".to_owned());
            Vec::new()
        }
    };
    let shdrs = match usize::try_from(header.e_shoff) {
        Ok(off) => SectionHeader::parse(bytes, off, usize::from(header.e_shnum), ctx)
            .unwrap_or_else(|e| {
                problems.push(format!("section headers: {e}"));
                Vec::new()
            }),
        Err(_) => {
            problems.push("section header offset out of range".to_owned());
            Vec::new()
        }
    };
    if phdrs.is_empty() && shdrs.is_empty() && !problems.is_empty() {
        return Err(format!("ELF tables unreadable: {}", problems.join("; ")));
    }

    let mappings = phdrs
        .iter()
        .filter(|p| p.p_type == PT_LOAD)
        .map(|p| Mapping {
            vaddr: p.p_vaddr,
            offset: p.p_offset,
            file_size: p.p_filesz,
            writable: p.p_flags & PF_W != 0,
            executable: p.p_flags & PF_X != 0,
        })
        .collect();

    let mut strndx = usize::from(header.e_shstrndx);
    if strndx == SHN_XINDEX {
        strndx = shdrs
            .first()
            .and_then(|s| usize::try_from(s.sh_link).ok())
            .unwrap_or(0);
    }
    let strtab = shdrs
        .get(strndx)
        .and_then(|s| file_range(bytes, s.sh_offset, s.sh_size))
        .unwrap_or_default();
    let sections = shdrs
        .iter()
        .map(|s| Section {
            name: strtab.get(s.sh_name..).map(c_name).unwrap_or_default(),
            segment: String::new(),
            addr: s.sh_addr,
            offset: s.sh_offset,
            file_size: if s.sh_type == SHT_NOBITS {
                0
            } else {
                s.sh_size
            },
            flags: s.sh_flags,
        })
        .collect();
    Ok(Exe {
        format: ExeFormat::Elf,
        bytes,
        sections,
        mappings,
        pe_resources: None,
        image_base: 0,
    })
}

fn parse_pe(bytes: &[u8]) -> Result<Exe<'_>, String> {
    let header = goblin::pe::header::Header::parse(bytes).map_err(|e| format!("PE header: {e}"))?;
    let image_base = header
        .optional_header
        .map_or(0, |o| o.windows_fields.image_base);
    let pe_resources = header
        .optional_header
        .and_then(|o| o.data_directories.get_resource_table().copied())
        .map(|d| (d.virtual_address, d.size));
    let mut offset = usize::try_from(header.dos_header.pe_pointer)
        .ok()
        .and_then(|p| p.checked_add(PE_COFF_PREFIX))
        .and_then(|p| p.checked_add(usize::from(header.coff_header.size_of_optional_header)))
        .ok_or("PE section table offset out of range")?;
    let table = header
        .coff_header
        .sections(bytes, &mut offset)
        .map_err(|e| format!("PE section table: {e}"))?;
    let mut sections = Vec::with_capacity(table.len());
    let mut mappings = Vec::with_capacity(table.len());
    for s in &table {
        let addr = image_base.wrapping_add(u64::from(s.virtual_address));
        sections.push(Section {
            name: s
                .name()
                .map(str::to_owned)
                .unwrap_or_else(|_| c_name(&s.name)),
            segment: String::new(),
            addr,
            offset: u64::from(s.pointer_to_raw_data),
            file_size: u64::from(s.size_of_raw_data),
            flags: u64::from(s.characteristics),
        });
        mappings.push(Mapping {
            vaddr: addr,
            offset: u64::from(s.pointer_to_raw_data),
            file_size: u64::from(s.size_of_raw_data),
            writable: s.characteristics & IMAGE_SCN_MEM_WRITE != 0,
            executable: s.characteristics & IMAGE_SCN_MEM_EXECUTE != 0,
        });
    }
    Ok(Exe {
        format: ExeFormat::Pe,
        bytes,
        sections,
        mappings,
        pe_resources,
        image_base,
    })
}

fn parse_fat(bytes: &[u8]) -> Result<Option<Exe<'_>>, String> {
    let fat = match goblin::mach::MultiArch::new(bytes) {
        Ok(fat) if fat.narches > 0 && fat.narches <= MAX_FAT_ARCHES => fat,
        // Not a fat Mach-O (a Java class file shares the magic) or an unreadable one.
        _ => return Ok(None),
    };
    let mut first_error = None;
    for arch in fat.iter_arches().take(MAX_FAT_ARCHES) {
        let arch = arch.map_err(|e| format!("fat Mach-O header: {e}"))?;
        let slice = arch.slice(bytes);
        match read_u32(slice, 0, Endian::Big) {
            Some(MH_MAGIC | MH_CIGAM | MH_MAGIC_64 | MH_CIGAM_64) => match parse_macho(slice) {
                Ok(exe) => return Ok(Some(exe)),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            },
            _ => {
                first_error.get_or_insert_with(|| "fat Mach-O slice is not Mach-O".to_owned());
            }
        }
    }
    Err(first_error.unwrap_or_else(|| "fat Mach-O has no usable architecture".to_owned()))
}

fn parse_macho(bytes: &[u8]) -> Result<Exe<'_>, String> {
    use goblin::mach::load_command::{CommandVariant, LoadCommand};
    use goblin::mach::segment::Segment;

    let (_, ctx) =
        goblin::mach::parse_magic_and_ctx(bytes, 0).map_err(|e| format!("Mach-O header: {e}"))?;
    let ctx = ctx.ok_or("Mach-O header: bad magic")?;
    let header_size = if ctx.container == Container::Big {
        32
    } else {
        28
    };
    let ncmds = read_u32(bytes, 16, ctx.le).ok_or("Mach-O header truncated")?;
    let sizeofcmds = read_u32(bytes, 20, ctx.le).ok_or("Mach-O header truncated")?;
    let ncmds = usize::try_from(ncmds).map_err(|_| "Mach-O ncmds out of range")?;
    let sizeofcmds = usize::try_from(sizeofcmds).map_err(|_| "Mach-O sizeofcmds out of range")?;
    if ncmds > sizeofcmds / 8 || sizeofcmds > bytes.len() {
        return Err(format!(
            "Mach-O header: {ncmds} load commands do not fit in {sizeofcmds} bytes"
        ));
    }

    let mut sections = Vec::new();
    let mut mappings = Vec::new();
    let mut offset = header_size;
    for _ in 0..ncmds {
        let at = offset;
        let cmd = LoadCommand::parse(bytes, &mut offset, ctx.le)
            .map_err(|e| format!("Mach-O load command at {at:#x}: {e}"))?;
        let cmdsize = cmd.command.cmdsize();
        if cmdsize < 8 {
            return Err(format!("Mach-O load command at {at:#x} has size {cmdsize}"));
        }
        let (segment, section_size, header_len) = match cmd.command {
            CommandVariant::Segment32(c) => (
                Segment::from_32_lossy(bytes, &c, cmd.offset, ctx)
                    .map_err(|e| format!("Mach-O segment: {e}"))?,
                68usize,
                56usize,
            ),
            CommandVariant::Segment64(c) => (
                Segment::from_64_lossy(bytes, &c, cmd.offset, ctx)
                    .map_err(|e| format!("Mach-O segment: {e}"))?,
                80,
                72,
            ),
            _ => continue,
        };
        let segname = c_name(&segment.segname);
        if segment.filesize != 0 && segname != "__PAGEZERO" {
            mappings.push(Mapping {
                vaddr: segment.vmaddr,
                offset: segment.fileoff,
                file_size: segment.filesize,
                writable: segment.initprot & VM_PROT_WRITE != 0,
                executable: segment.initprot & VM_PROT_EXECUTE != 0,
            });
        }
        // Sections live inside the load command: never read more than it can hold.
        let fits = cmdsize.saturating_sub(header_len) / section_size;
        let nsects = usize::try_from(segment.nsects)
            .unwrap_or(usize::MAX)
            .min(fits);
        for section in (&segment).into_iter().take(nsects) {
            if sections.len() >= MAX_MACHO_SECTIONS {
                break;
            }
            let Ok((s, _)) = section else { break };
            let kind = s.flags & MACHO_SECTION_TYPE;
            let zerofill = matches!(kind, S_ZEROFILL | S_GB_ZEROFILL | S_THREAD_LOCAL_ZEROFILL);
            sections.push(Section {
                name: c_name(&s.sectname),
                segment: c_name(&s.segname),
                addr: s.addr,
                offset: u64::from(s.offset),
                file_size: if zerofill { 0 } else { s.size },
                flags: u64::from(s.flags),
            });
        }
    }
    Ok(Exe {
        format: ExeFormat::MachO,
        bytes,
        sections,
        mappings,
        pe_resources: None,
        image_base: 0,
    })
}
