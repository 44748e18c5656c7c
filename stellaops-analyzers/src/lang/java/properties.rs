//! Java `.properties` text as `java.util.Properties.load` reads it (the format of Maven's
//! `pom.properties`): `#`/`!` comment lines, a key ending at the first unescaped `=`, `:` or
//! white space, one optional `=`/`:` separator surrounded by white space, backslash line
//! continuations and `\t \n \r \f \uXXXX` escapes.

use std::collections::BTreeMap;

/// Parse properties text; for a repeated key the last value wins (as `Properties` does).
pub(super) fn parse(bytes: &[u8]) -> BTreeMap<String, String> {
    let text = decode(bytes);
    let natural = natural_lines(&text);
    let mut out = BTreeMap::new();
    let mut i = 0;
    while let Some(&line) = natural.get(i) {
        i += 1;
        let first = trim_start(line);
        if first.is_empty() || first.starts_with('#') || first.starts_with('!') {
            continue;
        }
        // An odd number of trailing backslashes continues the logical line on the next
        // natural line, whose leading white space is dropped.
        let mut logical = String::new();
        let mut current = first;
        while ends_with_odd_backslashes(current) {
            logical.push_str(current.get(..current.len() - 1).unwrap_or(""));
            match natural.get(i) {
                Some(&next) => {
                    i += 1;
                    current = trim_start(next);
                }
                None => {
                    current = "";
                    break;
                }
            }
        }
        logical.push_str(current);
        let (key, value) = split_key_value(&logical);
        out.insert(unescape(key), unescape(value));
    }
    out
}

/// Lines split on CRLF, LF or CR.
fn natural_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        lines.push(rest.get(..at).unwrap_or(""));
        let after = rest.get(at..).unwrap_or("");
        let skip = if after.starts_with("\r\n") { 2 } else { 1 };
        rest = after.get(skip..).unwrap_or("");
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

/// UTF-8 when valid, else ISO-8859-1 (the encoding `Properties.load(InputStream)` assumes).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{c}')
}

fn trim_start(line: &str) -> &str {
    line.trim_start_matches(is_ws)
}

fn ends_with_odd_backslashes(line: &str) -> bool {
    line.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// Split a logical line into raw (still escaped) key and value.
fn split_key_value(line: &str) -> (&str, &str) {
    let mut escaped = false;
    let mut key_end = line.len();
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
        } else if c == '=' || c == ':' || is_ws(c) {
            key_end = i;
            break;
        }
    }
    let key = line.get(..key_end).unwrap_or("");
    let mut rest = trim_start(line.get(key_end..).unwrap_or(""));
    if let Some(after) = rest.strip_prefix(['=', ':']) {
        rest = trim_start(after);
    }
    (key, rest)
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => out.push(decoded),
                    // Malformed \u escape (Properties throws); keep the text as written.
                    _ => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}
