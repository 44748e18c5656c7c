//! `requirements*.txt` (pip requirements files).
//!
//! The bytes are UTF-8 (an optional BOM is dropped) or, with a BOM, UTF-16 LE/BE. Lines
//! ending in `\` are joined with the next; `#` at the start of a line or after whitespace
//! starts a comment; option lines (`-r`, `-e`, `--hash`, ...) are skipped. A requirement
//! becomes a package only when exactly pinned: `name[extras] == version` (or `===`), the
//! name a PEP 508 name, the version made of `[A-Za-z0-9._+!-]` starting with a digit or `v`,
//! followed by nothing, a `;` marker, a `#` comment, `--` options or an `@ url`. Wildcards
//! (`==1.*`), ranges, unpinned, URL-only and templated lines are skipped without a
//! diagnostic.

use super::Collector;

pub(super) fn parse(out: &mut Collector, bytes: &[u8]) {
    let text = decode(out, bytes);
    let mut logical = String::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(continued) = line.strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        requirement_line(out, &logical);
        logical.clear();
    }
    if !logical.is_empty() {
        requirement_line(out, &logical);
    }
}

fn decode(out: &mut Collector, bytes: &[u8]) -> String {
    let utf16 = |big_endian: bool, body: &[u8]| {
        let units = body
            .chunks(2)
            .map(|pair| match (pair.first(), pair.get(1)) {
                (Some(&a), Some(&b)) if big_endian => u16::from_be_bytes([a, b]),
                (Some(&a), Some(&b)) => u16::from_le_bytes([a, b]),
                _ => 0xFFFD,
            });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(false, body);
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(true, body);
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match String::from_utf8(body.to_vec()) {
        Ok(s) => s,
        Err(_) => {
            out.warning("not valid UTF-8; invalid bytes replaced");
            String::from_utf8_lossy(body).into_owned()
        }
    }
}

fn requirement_line(out: &mut Collector, line: &str) {
    let line = strip_comment(line).trim();
    if line.is_empty() || line.starts_with('-') {
        return;
    }
    if let Some((name, version)) = pinned(line) {
        out.add(name, version, false);
    }
}

/// The line without a `#` comment (at the start or after whitespace).
fn strip_comment(line: &str) -> &str {
    let mut prev_blank = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_blank {
            return line.get(..i).unwrap_or(line);
        }
        prev_blank = c.is_whitespace();
    }
    line
}

/// `name[extras] == version ...` → (name, version) when exactly pinned.
fn pinned(line: &str) -> Option<(&str, &str)> {
    let name_len = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(line.len());
    let name = line.get(..name_len)?;
    let valid_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_name {
        return None;
    }
    let mut rest = line.get(name_len..)?.trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        rest = extras.get(extras.find(']')? + 1..)?.trim_start();
    }
    let rest = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))?
        .trim_start();
    let version_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '!' | '-')))
        .unwrap_or(rest.len());
    let version = rest.get(..version_len)?;
    if !version
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == 'v' || c == 'V')
    {
        return None;
    }
    let after = rest.get(version_len..)?;
    let tail = after.trim_start();
    let separated = after.len() != tail.len();
    let ok = tail.is_empty()
        || tail.starts_with(';')
        || tail.starts_with('#')
        || (separated && (tail.starts_with("--") || tail.starts_with('@')));
    ok.then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_lines() {
        for (line, want) in [
            ("flask == 4.0.0", Some(("flask", "4.0.0"))),
            ("urllib3===1.26.20", Some(("urllib3", "1.26.20"))),
            ("celery[redis, pytest] == 4.4.7", Some(("celery", "4.4.7"))),
            (
                "SomeProject ==5.4 ; python_version < '3.8'",
                Some(("SomeProject", "5.4")),
            ),
            ("Jinja2==3.0.0#comment", Some(("Jinja2", "3.0.0"))),
            ("argh==0.26.3 --hash=sha256:ab", Some(("argh", "0.26.3"))),
            (
                "local-version == 1.2.3+gcr.2",
                Some(("local-version", "1.2.3+gcr.2")),
            ),
            ("G == 3.7.1 @ git+https://x/y@v3.7.1", Some(("G", "3.7.1"))),
            ("python-gitlab==2.0.*", None),
            ("pyjwt==1.*,>=1.2", None),
            ("foo==1.0,<2", None),
            ("keyring >= 4.1.1", None),
            ("==2.3.4", None),
            ("foo=='invalid-version'", None),
            ("foo|bar=='1.2.4'", None),
            ("foo{bar}==%%", None),
            ("foo,bar&&foobar==1.2.3", None),
            ("-e https://github.com/pecan/pecan.git", None),
            ("name @ https://x/y.whl", None),
            ("foo-==1.0", None),
            ("foo[x==1.0", None),
        ] {
            assert_eq!(pinned(line), want, "{line:?}");
        }
    }
}
