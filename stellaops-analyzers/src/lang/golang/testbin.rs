//! Test-only builders of minimal ELF, PE and Mach-O files: just the tables goblin reads
//! (headers, program headers / load commands, section tables) around caller-given section
//! bytes at caller-given virtual addresses. Shared by the golang, rust and dotnet tests.

/// Little helper writing integers of one byte order.
struct W {
    buf: Vec<u8>,
    be: bool,
}

impl W {
    fn new(be: bool) -> Self {
        W {
            buf: Vec::new(),
            be,
        }
    }
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u16(&mut self, v: u16) {
        let b = if self.be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.buf.extend_from_slice(&b);
    }
    fn u32(&mut self, v: u32) {
        let b = if self.be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.buf.extend_from_slice(&b);
    }
    fn u64(&mut self, v: u64) {
        let b = if self.be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.buf.extend_from_slice(&b);
    }
    /// A 4- or 8-byte word.
    fn word(&mut self, is_64: bool, v: u64) {
        if is_64 {
            self.u64(v);
        } else {
            self.u32(u32::try_from(v).expect("32-bit word"));
        }
    }
    fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn name16(&mut self, name: &str) {
        let mut n = [0u8; 16];
        n[..name.len()].copy_from_slice(name.as_bytes());
        self.bytes(&n);
    }
    fn align(&mut self, to: usize) {
        while self.buf.len() % to != 0 {
            self.buf.push(0);
        }
    }
}

/// A section to place in a built file.
#[derive(Debug, Clone)]
pub(crate) struct Sec {
    pub(crate) name: String,
    /// Virtual address (PE: RVA).
    pub(crate) addr: u64,
    pub(crate) data: Vec<u8>,
    pub(crate) write: bool,
    pub(crate) exec: bool,
}

impl Sec {
    pub(crate) fn new(name: &str, addr: u64, data: Vec<u8>) -> Self {
        Sec {
            name: name.to_owned(),
            addr,
            data,
            write: false,
            exec: false,
        }
    }
    pub(crate) fn writable(mut self) -> Self {
        self.write = true;
        self
    }
}

/// An ELF executable: one `PT_LOAD` per section with a non-zero address, and a section
/// header table naming every section.
pub(crate) fn elf(is_64: bool, big_endian: bool, secs: &[Sec]) -> Vec<u8> {
    let (ehsize, phentsize, shentsize) = if is_64 { (64, 56, 64) } else { (52, 32, 40) };
    let loads: Vec<&Sec> = secs.iter().filter(|s| s.addr != 0).collect();
    let mut w = W::new(big_endian);
    // Reserve header + program headers, fill later.
    w.buf.resize(ehsize + phentsize * loads.len(), 0);
    w.align(16);
    let mut offsets = Vec::new();
    for s in secs {
        w.align(16);
        offsets.push(w.buf.len() as u64);
        w.bytes(&s.data);
    }
    let mut shstrtab = vec![0u8];
    let mut name_offsets = Vec::new();
    for s in secs.iter().map(|s| s.name.as_str()).chain([".shstrtab"]) {
        name_offsets.push(shstrtab.len() as u32);
        shstrtab.extend_from_slice(s.as_bytes());
        shstrtab.push(0);
    }
    let shstrtab_off = w.buf.len() as u64;
    w.bytes(&shstrtab);
    w.align(8);
    let shoff = w.buf.len() as u64;
    // Section headers: null, sections, .shstrtab.
    w.buf.resize(w.buf.len() + shentsize, 0);
    let shdr = |w: &mut W, name: u32, typ: u32, flags: u64, addr: u64, off: u64, size: u64| {
        w.u32(name);
        w.u32(typ);
        w.word(is_64, flags);
        w.word(is_64, addr);
        w.word(is_64, off);
        w.word(is_64, size);
        w.u32(0);
        w.u32(0);
        w.word(is_64, 16);
        w.word(is_64, 0);
    };
    for (i, s) in secs.iter().enumerate() {
        let flags = if s.addr != 0 { 2 } else { 0 }
            | if s.write { 1 } else { 0 }
            | if s.exec { 4 } else { 0 };
        shdr(
            &mut w,
            name_offsets[i],
            1,
            flags,
            s.addr,
            offsets[i],
            s.data.len() as u64,
        );
    }
    shdr(
        &mut w,
        name_offsets[secs.len()],
        3,
        0,
        0,
        shstrtab_off,
        shstrtab.len() as u64,
    );
    let shnum = (secs.len() + 2) as u16;

    let mut h = W::new(big_endian);
    h.bytes(b"\x7fELF");
    h.u8(if is_64 { 2 } else { 1 });
    h.u8(if big_endian { 2 } else { 1 });
    h.u8(1);
    h.bytes(&[0; 9]);
    h.u16(2); // ET_EXEC
    h.u16(if is_64 { 62 } else { 3 });
    h.u32(1);
    h.word(is_64, 0x401000);
    h.word(is_64, if loads.is_empty() { 0 } else { ehsize as u64 });
    h.word(is_64, shoff);
    h.u32(0);
    h.u16(ehsize as u16);
    h.u16(phentsize as u16);
    h.u16(loads.len() as u16);
    h.u16(shentsize as u16);
    h.u16(shnum);
    h.u16(shnum - 1);
    for s in &loads {
        let i = secs
            .iter()
            .position(|x| std::ptr::eq(x, *s))
            .expect("section");
        let flags = 4 | if s.write { 2 } else { 0 } | if s.exec { 1 } else { 0 };
        let (off, size) = (offsets[i], s.data.len() as u64);
        if is_64 {
            h.u32(1);
            h.u32(flags);
            h.u64(off);
            h.u64(s.addr);
            h.u64(s.addr);
            h.u64(size);
            h.u64(size);
            h.u64(0x1000);
        } else {
            for v in [1, off, s.addr, s.addr, size, size, u64::from(flags), 0x1000] {
                h.u32(v as u32);
            }
        }
    }
    w.buf[..h.buf.len()].copy_from_slice(&h.buf);
    w.buf
}

/// A PE image (PE32+ when `is_64`) with the given sections (`addr` = RVA) and, optionally,
/// a resource data directory entry.
pub(crate) fn pe(
    is_64: bool,
    image_base: u64,
    secs: &[Sec],
    resources: Option<(u32, u32)>,
) -> Vec<u8> {
    let mut w = W::new(false);
    w.bytes(b"MZ");
    w.buf.resize(0x3c, 0);
    w.u32(0x80);
    w.buf.resize(0x80, 0);
    w.bytes(b"PE\0\0");
    let opt_size: u16 = if is_64 { 240 } else { 224 };
    w.u16(if is_64 { 0x8664 } else { 0x14c });
    w.u16(secs.len() as u16);
    w.u32(0);
    w.u32(0);
    w.u32(0);
    w.u16(opt_size);
    w.u16(0x22);
    // Optional header.
    w.u16(if is_64 { 0x20b } else { 0x10b });
    w.u8(14);
    w.u8(0);
    for _ in 0..5 {
        w.u32(0); // code/data sizes, entry point, base of code
    }
    if !is_64 {
        w.u32(0); // base of data
    }
    w.word(is_64, image_base);
    w.u32(0x1000);
    w.u32(0x200);
    for _ in 0..6 {
        w.u16(0);
    }
    w.u32(0);
    w.u32(0x100000);
    w.u32(0x400);
    w.u32(0);
    w.u16(3);
    w.u16(0);
    for _ in 0..4 {
        w.word(is_64, 0x100000);
    }
    w.u32(0);
    w.u32(16);
    for i in 0..16 {
        let (rva, size) = if i == 2 {
            resources.unwrap_or((0, 0))
        } else {
            (0, 0)
        };
        w.u32(rva);
        w.u32(size);
    }
    let table = w.buf.len();
    w.buf.resize(table + 40 * secs.len(), 0);
    for (i, s) in secs.iter().enumerate() {
        w.align(16);
        let off = w.buf.len() as u32;
        w.bytes(&s.data);
        let mut e = W::new(false);
        let mut name = [0u8; 8];
        name[..s.name.len()].copy_from_slice(s.name.as_bytes());
        e.bytes(&name);
        e.u32(s.data.len() as u32);
        e.u32(s.addr as u32);
        e.u32(s.data.len() as u32);
        e.u32(off);
        e.u32(0);
        e.u32(0);
        e.u16(0);
        e.u16(0);
        let mut ch = 0x4000_0040u32; // initialized data, readable
        if s.write {
            ch |= 0x8000_0000;
        }
        if s.exec {
            ch |= 0x2000_0020;
        }
        e.u32(ch);
        let at = table + 40 * i;
        w.buf[at..at + 40].copy_from_slice(&e.buf);
    }
    w.buf
}

/// A Mach-O segment of [`macho`]: sections are laid out back to back (16-aligned) from the
/// segment's address, so the first section's address is `vmaddr`.
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    pub(crate) name: String,
    pub(crate) vmaddr: u64,
    pub(crate) prot: u32,
    pub(crate) sections: Vec<(String, Vec<u8>)>,
}

impl Seg {
    pub(crate) fn new(name: &str, vmaddr: u64, prot: u32, sections: &[(&str, Vec<u8>)]) -> Self {
        Seg {
            name: name.to_owned(),
            vmaddr,
            prot,
            sections: sections
                .iter()
                .map(|(n, d)| ((*n).to_owned(), d.clone()))
                .collect(),
        }
    }
}

/// A 64-bit little-endian Mach-O executable with `LC_SEGMENT_64` commands.
pub(crate) fn macho(segs: &[Seg]) -> Vec<u8> {
    let sizeofcmds: usize = segs.iter().map(|s| 72 + 80 * s.sections.len()).sum();
    let mut w = W::new(false);
    w.u32(0xfeed_facf);
    w.u32(0x0100_0007);
    w.u32(3);
    w.u32(2);
    w.u32(segs.len() as u32);
    w.u32(sizeofcmds as u32);
    w.u32(0);
    w.u32(0);
    let cmds_at = w.buf.len();
    w.buf.resize(cmds_at + sizeofcmds, 0);
    let mut cmd_at = cmds_at;
    for seg in segs {
        w.align(16);
        let fileoff = w.buf.len() as u64;
        let mut sect_offs = Vec::new();
        for (_, data) in &seg.sections {
            w.align(16);
            sect_offs.push(w.buf.len() as u64);
            w.bytes(data);
        }
        let filesize = w.buf.len() as u64 - fileoff;
        let mut c = W::new(false);
        c.u32(0x19);
        c.u32((72 + 80 * seg.sections.len()) as u32);
        c.name16(&seg.name);
        c.u64(seg.vmaddr);
        c.u64(filesize.max(1));
        c.u64(fileoff);
        c.u64(filesize);
        c.u32(seg.prot);
        c.u32(seg.prot);
        c.u32(seg.sections.len() as u32);
        c.u32(0);
        for ((name, data), off) in seg.sections.iter().zip(&sect_offs) {
            c.name16(name);
            c.name16(&seg.name);
            c.u64(seg.vmaddr + (off - fileoff));
            c.u64(data.len() as u64);
            c.u32(*off as u32);
            c.u32(4);
            c.u32(0);
            c.u32(0);
            c.u32(0);
            c.u32(0);
            c.u32(0);
            c.u32(0);
        }
        w.buf[cmd_at..cmd_at + c.buf.len()].copy_from_slice(&c.buf);
        cmd_at += c.buf.len();
    }
    w.buf
}

/// A fat (universal) Mach-O holding `slices`, each 4096-aligned.
pub(crate) fn fat(slices: &[Vec<u8>]) -> Vec<u8> {
    let mut w = W::new(true);
    w.u32(0xcafe_babe);
    w.u32(slices.len() as u32);
    let mut off = 4096usize;
    let mut placed = Vec::new();
    for s in slices {
        w.u32(0x0100_0007);
        w.u32(3);
        w.u32(off as u32);
        w.u32(s.len() as u32);
        w.u32(12);
        placed.push(off);
        off = (off + s.len()).div_ceil(4096) * 4096;
    }
    for (s, at) in slices.iter().zip(placed) {
        w.buf.resize(at, 0);
        w.bytes(s);
    }
    w.buf
}

/// Byte-level mutations for robustness tests: flip, overwrite with extreme values, truncate.
pub(crate) fn mutations(base: &[u8], seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut b = base.to_vec();
        if b.is_empty() {
            out.push(b);
            continue;
        }
        for _ in 0..1 + next() % 4 {
            let at = (next() % b.len() as u64) as usize;
            match next() % 5 {
                0 => b[at] ^= 1 << (next() % 8),
                1 => b[at] = 0xff,
                2 => b[at] = 0,
                3 => {
                    let end = (at + 4).min(b.len());
                    for x in &mut b[at..end] {
                        *x = 0xff;
                    }
                }
                _ => b[at] = b[at].wrapping_add(0x40),
            }
        }
        if next() % 8 == 0 {
            let keep = (next() % b.len() as u64) as usize;
            b.truncate(keep);
        }
        out.push(b);
    }
    out
}
