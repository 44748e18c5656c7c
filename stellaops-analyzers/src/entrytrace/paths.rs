//! Path helpers shared by the interpreter and the resolver: lexical normalisation, `PATH`
//! lookup, executability.

use super::ImageFs;

/// The `PATH` Docker uses when the config sets none.
pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// `path` made absolute against `cwd` and normalised lexically (`.`, `..`, `//`), with `..`
/// clamped at the root.
pub(crate) fn absolutize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The last path component.
pub(crate) fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Executability of a resolved regular file: the mode when the image view knows it, else
/// native binaries and `#!` scripts count as executable and anything else is unknown.
pub(crate) fn executable(fs: &dyn ImageFs, real: &str) -> Option<bool> {
    if let Some(x) = fs.is_executable(real) {
        return Some(x);
    }
    if fs.is_native(real) || fs.script(real).is_some_and(|s| s.starts_with("#!")) {
        Some(true)
    } else {
        None
    }
}

/// An executable regular file found by `PATH` lookup: `(path as found, real path)`.
///
/// An empty `PATH` entry means the working directory, as in sh. Files whose mode is unknown
/// count as executable (what sits in `PATH` directories almost always is).
pub(crate) fn lookup(
    fs: &dyn ImageFs,
    path_var: &str,
    cwd: &str,
    name: &str,
) -> Option<(String, String)> {
    for dir in path_var.split(':') {
        let candidate = if dir.is_empty() {
            absolutize(cwd, name)
        } else {
            absolutize(cwd, &format!("{dir}/{name}"))
        };
        if let Some(real) = fs.resolve(&candidate) {
            if fs.is_file(&real) && executable(fs, &real) != Some(false) {
                return Some((candidate, real));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolutize_normalises() {
        assert_eq!(absolutize("/app", "server.js"), "/app/server.js");
        assert_eq!(absolutize("/app/", "./a/../b//c"), "/app/b/c");
        assert_eq!(absolutize("/app", "/x/./y"), "/x/y");
        assert_eq!(absolutize("/", "../../etc"), "/etc");
        assert_eq!(absolutize("/", "."), "/");
        assert_eq!(basename("/usr/bin/python3.12"), "python3.12");
        assert_eq!(basename("node"), "node");
        assert_eq!(basename("/app/"), "app");
    }
}
