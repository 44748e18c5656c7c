//! Normalisation of paths read from tar entries and directories.

/// Why an entry path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// A `..` component: the entry would land outside the image root.
    #[error("path escapes the image root with '..'")]
    Traversal,
    /// Not valid UTF-8.
    #[error("path is not valid UTF-8")]
    NotUtf8,
}

/// Normalise a tar path: no leading `/` or `./`, no `.` or empty components. `..` is refused
/// (never resolved), so an entry can never address anything outside the root. The root itself
/// normalises to the empty string.
pub fn normalize(raw: &[u8]) -> Result<String, PathError> {
    let text = std::str::from_utf8(raw).map_err(|_| PathError::NotUtf8)?;
    let mut out = String::with_capacity(text.len());
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(PathError::Traversal),
            _ => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(part);
            }
        }
    }
    Ok(out)
}

/// Parent directory of a normalised path (`""` for top-level entries).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Last component of a normalised path.
pub fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// Join a parent directory and a name.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_refuses_traversal() {
        assert_eq!(normalize(b"./usr//lib/./x").unwrap(), "usr/lib/x");
        assert_eq!(normalize(b"/etc/os-release").unwrap(), "etc/os-release");
        assert_eq!(normalize(b"./").unwrap(), "");
        assert_eq!(normalize(b"a/../../etc/passwd"), Err(PathError::Traversal));
        assert_eq!(normalize(b"\xff"), Err(PathError::NotUtf8));
        assert_eq!(parent("a/b/c"), "a/b");
        assert_eq!(file_name("a/b/c"), "c");
        assert_eq!(parent("c"), "");
    }
}
