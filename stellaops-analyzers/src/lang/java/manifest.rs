//! `META-INF/MANIFEST.MF`: the main section only (JAR File Specification, "Manifest
//! Specification"). Lines end in CRLF, LF or CR; a line starting with one space continues the
//! previous header; the main section ends at the first empty line. Header names are
//! case-insensitive. Lines that are not `Name: value` headers are skipped, and so are the
//! continuation lines that follow them.

/// The main section of a manifest, headers in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Manifest {
    headers: Vec<(String, String)>,
}

impl Manifest {
    /// Parse the main section of `bytes` (UTF-8; invalid sequences are replaced).
    pub(super) fn parse(bytes: &[u8]) -> Manifest {
        let text = String::from_utf8_lossy(bytes);
        let mut headers: Vec<(String, String)> = Vec::new();
        // Whether the last line read was a header (continuations append to it).
        let mut in_header = false;
        for line in lines(&text) {
            if line.is_empty() {
                break;
            }
            if let Some(rest) = line.strip_prefix(' ') {
                if in_header {
                    if let Some((_, value)) = headers.last_mut() {
                        value.push_str(rest);
                    }
                }
                continue;
            }
            match header(line) {
                Some((name, value)) => {
                    headers.push((name.to_owned(), value.to_owned()));
                    in_header = true;
                }
                None => in_header = false,
            }
        }
        Manifest { headers }
    }

    /// The value of header `name` (case-insensitive; the last one wins, as in
    /// `java.util.jar.Attributes`), trimmed; `None` when absent or blank.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// All headers, in file order (duplicates kept).
    #[cfg(test)]
    pub(super) fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// Split on CRLF, LF or CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\r', '\n']) {
            Some(at) => {
                let line = current.get(..at)?;
                let after = current.get(at..)?;
                let skip = if after.starts_with("\r\n") { 2 } else { 1 };
                rest = after.get(skip..);
                Some(line)
            }
            None => {
                rest = None;
                // A final line without terminator still counts; an empty tail does not.
                (!current.is_empty()).then_some(current)
            }
        }
    })
}

/// `Name: value` with a valid header name (alphanumerics, `-`, `_`). The specification asks
/// for `": "`; a missing space after the colon is tolerated.
fn header(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| (name, value.strip_prefix(' ').unwrap_or(value)))
}

/// Incremental search for the empty line that ends the main section, so that only the main
/// section of a long (signed) manifest is decompressed.
#[derive(Debug, Clone, Copy)]
pub(super) struct MainSectionEnd {
    line_start: bool,
    after_cr: bool,
}

impl Default for MainSectionEnd {
    fn default() -> Self {
        MainSectionEnd {
            line_start: true,
            after_cr: false,
        }
    }
}

impl MainSectionEnd {
    /// Feed the next bytes; `true` once an empty line has been seen.
    pub(super) fn feed(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\r' | b'\n' => {
                    if self.line_start {
                        return true;
                    }
                    self.line_start = true;
                    self.after_cr = b == b'\r';
                }
                _ => {
                    self.line_start = false;
                    self.after_cr = false;
                }
            }
        }
        false
    }
}
