//! Native binaries (ELF, PE, Mach-O) as the analyzers find them: format, architecture, kind,
//! and the dynamic-linking facts a scanner needs to tie a binary to the libraries it loads
//! (`needed`, search paths, symbol-version requirements) or to identify it (`soname`,
//! build id, PE version resource).
//!
//! Pure data: `stellaops_analyzers::native::parse_binary` fills it from a file's bytes.
//! Serialized as camelCase JSON; empty collections, `None` and `false` are omitted. Every
//! collection has a documented order, so the same file always gives the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The object-file format of a native binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BinaryFormat {
    /// ELF (Linux and most other Unix systems): `"elf"`.
    Elf,
    /// PE/COFF image (Windows `.exe`, `.dll`): `"pe"`.
    Pe,
    /// Mach-O, thin or fat/universal (macOS, iOS): `"macho"`.
    MachO,
}

/// What a binary is for, as its header says.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum BinaryKind {
    /// A program: ELF `ET_EXEC`, or `ET_DYN` with a `PT_INTERP` or the `DF_1_PIE` flag (a
    /// position-independent executable, static PIE included); PE image without
    /// `IMAGE_FILE_DLL`; Mach-O `MH_EXECUTE`.
    Executable,
    /// A shared library: ELF `ET_DYN` that is not a PIE; PE with `IMAGE_FILE_DLL`; Mach-O
    /// `MH_DYLIB`, `MH_DYLIB_STUB` or `MH_BUNDLE` (a plug-in loaded at run time).
    SharedLibrary,
    /// An object file for the linker: ELF `ET_REL`, Mach-O `MH_OBJECT`.
    Relocatable,
    /// Anything else (core dumps, kernel extensions, dSYM companions, the dynamic linker
    /// itself as Mach-O `MH_DYLINKER`, PE images marked neither executable nor DLL).
    #[default]
    Other,
}

/// The dynamic-linking facts of one native binary.
///
/// **Fat (universal) Mach-O files** are summarised in one value: the top-level fields
/// (`arch`, `kind`, `interpreter`, `soname`, `buildId`) are those of the first slice that
/// parses; `archs` lists every slice's architecture in file order; `needed` and `rpath` are
/// the slices' lists concatenated in slice order with later duplicates dropped. For thin
/// files and for ELF and PE, `archs` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BinaryInfo {
    /// The object-file format.
    pub format: BinaryFormat,
    /// The CPU architecture, normalised to the names `uname -m` and the distributions use:
    /// `x86_64`, `i386`, `aarch64`, `arm`, `ppc`, `ppc64`, `ppc64le`, `s390`, `s390x`,
    /// `riscv32`, `riscv64`, `mips`, `mipsel`, `mips64`, `mips64el`, `loongarch64`, `sparc`,
    /// `sparc64`, `ia64`, `arm64_32` (Apple watchOS). `None` for a machine code we do not
    /// name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Every architecture of a fat Mach-O, in slice order; empty for any other file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archs: Vec<String>,
    /// What the binary is for.
    #[serde(default)]
    pub kind: BinaryKind,
    /// The program interpreter: ELF `PT_INTERP` (`/lib64/ld-linux-x86-64.so.2`), Mach-O
    /// `LC_LOAD_DYLINKER` (`/usr/lib/dyld`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<String>,
    /// The name the binary is loaded by: ELF `DT_SONAME`, Mach-O `LC_ID_DYLIB`, PE export
    /// directory name (`KERNEL32.dll`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soname: Option<String>,
    /// Libraries the loader must find, in file order: ELF `DT_NEEDED` (duplicates kept, as
    /// written); PE import-directory DLL names (later duplicates dropped); Mach-O
    /// `LC_LOAD_DYLIB`, `LC_LOAD_WEAK_DYLIB`, `LC_REEXPORT_DYLIB`, `LC_LAZY_LOAD_DYLIB` and
    /// `LC_LOAD_UPWARD_DYLIB` (later duplicates dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needed: Vec<String>,
    /// Library search path of ELF `DT_RPATH` (split on `:`, empty parts dropped) or Mach-O
    /// `LC_RPATH` (one entry per command, later duplicates dropped), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rpath: Vec<String>,
    /// Library search path of ELF `DT_RUNPATH` (split on `:`, empty parts dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runpath: Vec<String>,
    /// ELF symbol-version requirements (`.gnu.version_r`, `DT_VERNEED`) over all needed
    /// libraries: plain version names (`GLIBC_2.34`, `GCC_3.0`), sorted by bytes, without
    /// duplicates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbol_versions: Vec<String>,
    /// The highest `GLIBC_<n>.<n>[.<n>...]` of `symbol_versions`, compared numerically, as
    /// the bare version (`"2.34"`): the oldest glibc that can load the binary.
    /// `GLIBC_PRIVATE` and other non-numeric names are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_glibc: Option<String>,
    /// A build identifier, lowercase hex: the ELF GNU build-id note (`NT_GNU_BUILD_ID`), or
    /// the Mach-O `LC_UUID` (32 digits, no dashes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_id: Option<String>,
    /// PE version-resource strings (`StringFileInfo`: `FileVersion`, `ProductName`, ...),
    /// by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pe_version: BTreeMap<String, String>,
    /// An ELF executable that loads nothing: no `PT_INTERP` and no `DT_NEEDED` (static PIE
    /// included). Always `false` for PE and Mach-O.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_static: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl BinaryInfo {
    /// An empty value of `format`: kind [`BinaryKind::Other`], everything else absent.
    #[must_use]
    pub fn new(format: BinaryFormat) -> Self {
        BinaryInfo {
            format,
            arch: None,
            archs: Vec::new(),
            kind: BinaryKind::Other,
            interpreter: None,
            soname: None,
            needed: Vec::new(),
            rpath: Vec::new(),
            runpath: Vec::new(),
            symbol_versions: Vec::new(),
            max_glibc: None,
            build_id: None,
            pe_version: BTreeMap::new(),
            is_static: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_camel_case_and_skips_empty_fields() {
        let mut info = BinaryInfo::new(BinaryFormat::MachO);
        assert_eq!(
            serde_json::to_string(&info).unwrap(),
            r#"{"format":"macho","kind":"other"}"#
        );
        info.kind = BinaryKind::SharedLibrary;
        info.arch = Some("x86_64".into());
        info.symbol_versions = vec!["GLIBC_2.34".into()];
        info.max_glibc = Some("2.34".into());
        info.build_id = Some("ab".into());
        info.is_static = true;
        let json = serde_json::to_string(&info).unwrap();
        assert_eq!(
            json,
            r#"{"format":"macho","arch":"x86_64","kind":"sharedLibrary","symbolVersions":["GLIBC_2.34"],"maxGlibc":"2.34","buildId":"ab","isStatic":true}"#
        );
        assert_eq!(serde_json::from_str::<BinaryInfo>(&json).unwrap(), info);
    }

    #[test]
    fn format_names() {
        for (format, name) in [
            (BinaryFormat::Elf, "\"elf\""),
            (BinaryFormat::Pe, "\"pe\""),
            (BinaryFormat::MachO, "\"macho\""),
        ] {
            assert_eq!(serde_json::to_string(&format).unwrap(), name);
            assert_eq!(serde_json::from_str::<BinaryFormat>(name).unwrap(), format);
        }
    }
}
