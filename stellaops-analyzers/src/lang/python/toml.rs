//! A strict, bounded subset of TOML 1.0: enough for `poetry.lock`, `uv.lock`, `pdm.lock` and
//! `pylock.toml`.
//!
//! Supported: `[table]` and `[[array.of.tables]]` headers (dotted, quoted segments), dotted
//! keys, bare/basic/literal keys, basic and literal strings (single- and multi-line, all TOML
//! escapes), arrays (multi-line, trailing comma, comments inside), inline tables (also
//! spanning lines, as TOML 1.1 allows), booleans, comments. Integers, floats and dates are
//! kept as their source text ([`Value::Other`]), not validated or converted. Redefining a key
//! in the same table is an error; re-opening a `[table]` is tolerated. Nesting of arrays and
//! inline tables deeper than [`MAX_DEPTH`] is an error, so recursion is bounded.

use std::collections::BTreeMap;
use std::fmt;

/// Deepest nesting of arrays and inline tables accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// A table: keys in sorted order.
pub(crate) type Table = BTreeMap<String, Value>;

/// One TOML value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A number or date-time, as written.
    Other(String),
    /// An array (also an array of tables).
    Array(Vec<Value>),
    /// A table.
    Table(Table),
}

impl Value {
    /// The string, when this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The table, when this is one.
    pub(crate) fn as_table(&self) -> Option<&Table> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The items, when this is an array.
    pub(crate) fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// Why a document is not in the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TomlError {
    /// 1-based line number.
    pub(crate) line: usize,
    /// What is wrong.
    pub(crate) message: String,
}

impl fmt::Display for TomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parses a whole document into its root table.
pub(crate) fn parse(src: &str) -> Result<Table, TomlError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut p = Parser {
        s: src,
        i: 0,
        line: 1,
    };
    let mut root = Table::new();
    let mut current: Vec<String> = Vec::new();
    loop {
        p.skip_blank(true);
        match p.peek() {
            None => break,
            Some('[') => {
                p.bump();
                let array = p.peek() == Some('[');
                if array {
                    p.bump();
                }
                p.skip_ws();
                let keys = p.key_path()?;
                p.skip_ws();
                p.expect(']')?;
                if array {
                    p.expect(']')?;
                }
                p.end_of_line()?;
                let line = p.line;
                let (last, parents) = keys
                    .split_last()
                    .ok_or_else(|| p.error("empty table header"))?;
                let parent = table_at(&mut root, parents, line)?;
                if array {
                    let slot = parent
                        .entry(last.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    match slot {
                        Value::Array(items) => items.push(Value::Table(Table::new())),
                        _ => return Err(p.error(format!("`{last}` is not an array of tables"))),
                    }
                } else {
                    descend(parent, last, line)?;
                }
                current = keys;
            }
            Some(_) => {
                let line = p.line;
                let table = table_at(&mut root, &current, line)?;
                p.key_value(table, 0)?;
                p.end_of_line()?;
            }
        }
    }
    Ok(root)
}

/// The table at `key` in `table` (created when absent); for an array of tables, its last
/// element.
fn descend<'t>(table: &'t mut Table, key: &str, line: usize) -> Result<&'t mut Table, TomlError> {
    let slot = table
        .entry(key.to_owned())
        .or_insert_with(|| Value::Table(Table::new()));
    match slot {
        Value::Table(t) => Ok(t),
        Value::Array(items) => match items.last_mut() {
            Some(Value::Table(t)) => Ok(t),
            _ => Err(TomlError {
                line,
                message: format!("`{key}` is not a table"),
            }),
        },
        _ => Err(TomlError {
            line,
            message: format!("`{key}` is not a table"),
        }),
    }
}

fn table_at<'t>(
    root: &'t mut Table,
    path: &[String],
    line: usize,
) -> Result<&'t mut Table, TomlError> {
    let mut table = root;
    for key in path {
        table = descend(table, key, line)?;
    }
    Ok(table)
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
    line: usize,
}

fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> TomlError {
        TomlError {
            line: self.line,
            message: message.into(),
        }
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn expect(&mut self, c: char) -> Result<(), TomlError> {
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(format!("expected `{c}`")))
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    /// Skips whitespace and comments, and newlines too when `newlines`.
    fn skip_blank(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                Some(' ' | '\t') => {
                    self.bump();
                }
                Some('\n' | '\r') if newlines => {
                    self.bump();
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    fn end_of_line(&mut self) -> Result<(), TomlError> {
        self.skip_blank(false);
        match self.peek() {
            None | Some('\n') => Ok(()),
            Some('\r') if self.rest().starts_with("\r\n") => Ok(()),
            Some(c) => Err(self.error(format!("unexpected `{c}` (expected end of line)"))),
        }
    }

    fn key_path(&mut self) -> Result<Vec<String>, TomlError> {
        let mut keys = Vec::new();
        loop {
            self.skip_ws();
            let key = match self.peek() {
                Some('"') => self.basic_string()?,
                Some('\'') => self.literal_string()?,
                Some(c) if is_bare(c) => {
                    let rest = self.rest();
                    let end = rest.find(|c: char| !is_bare(c)).unwrap_or(rest.len());
                    self.i += end;
                    rest.get(..end).unwrap_or("").to_owned()
                }
                _ => return Err(self.error("expected a key")),
            };
            keys.push(key);
            self.skip_ws();
            if self.peek() == Some('.') {
                self.bump();
            } else {
                return Ok(keys);
            }
        }
    }

    /// `key = value` into `table`.
    fn key_value(&mut self, table: &mut Table, depth: usize) -> Result<(), TomlError> {
        let keys = self.key_path()?;
        self.skip_ws();
        self.expect('=')?;
        self.skip_ws();
        let value = self.value(depth)?;
        let line = self.line;
        let (last, parents) = keys.split_last().ok_or_else(|| self.error("empty key"))?;
        let target = table_at(table, parents, line)?;
        if target.contains_key(last) {
            return Err(self.error(format!("key `{last}` defined twice")));
        }
        target.insert(last.clone(), value);
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Value, TomlError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let rest = self.rest();
        match self.peek() {
            Some('"') if rest.starts_with("\"\"\"") => self.multiline(true).map(Value::String),
            Some('"') => self.basic_string().map(Value::String),
            Some('\'') if rest.starts_with("'''") => self.multiline(false).map(Value::String),
            Some('\'') => self.literal_string().map(Value::String),
            Some('[') => self.array(depth),
            Some('{') => self.inline_table(depth),
            _ => {
                let token_len = |s: &str| {
                    s.find(|c: char| !(is_bare(c) || matches!(c, '+' | '.' | ':')))
                        .unwrap_or(s.len())
                };
                let mut end = token_len(rest);
                // A date-time written with a space: `1979-05-27 07:32:00`.
                let is_date = |s: &str| {
                    s.len() == 10
                        && s.chars().enumerate().all(|(i, c)| {
                            if i == 4 || i == 7 {
                                c == '-'
                            } else {
                                c.is_ascii_digit()
                            }
                        })
                };
                if rest.get(..end).is_some_and(is_date) {
                    let after = rest.get(end + 1..).unwrap_or("");
                    if rest.get(end..end + 1) == Some(" ")
                        && after.chars().next().is_some_and(|c| c.is_ascii_digit())
                    {
                        end += 1 + token_len(after);
                    }
                }
                let token = rest.get(..end).unwrap_or("");
                if token.is_empty() {
                    return Err(self.error("expected a value"));
                }
                self.i += end;
                Ok(match token {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Other(token.to_owned()),
                })
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, TomlError> {
        self.bump(); // `[`
        let mut items = Vec::new();
        loop {
            self.skip_blank(true);
            match self.peek() {
                Some(']') => {
                    self.bump();
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("unterminated array")),
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_blank(true);
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some(']') => {}
                _ => return Err(self.error("expected `,` or `]` in an array")),
            }
        }
    }

    fn inline_table(&mut self, depth: usize) -> Result<Value, TomlError> {
        self.bump(); // `{`
        let mut table = Table::new();
        loop {
            self.skip_blank(true);
            match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(Value::Table(table));
                }
                None => return Err(self.error("unterminated inline table")),
                _ => {}
            }
            self.key_value(&mut table, depth + 1)?;
            self.skip_blank(true);
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some('}') => {}
                _ => return Err(self.error("expected `,` or `}` in an inline table")),
            }
        }
    }

    fn literal_string(&mut self) -> Result<String, TomlError> {
        self.bump(); // `'`
        let rest = self.rest();
        match rest.find(['\'', '\n']) {
            Some(end) if rest.get(end..end + 1) == Some("'") => {
                self.i += end + 1;
                Ok(rest.get(..end).unwrap_or("").to_owned())
            }
            _ => Err(self.error("unterminated literal string")),
        }
    }

    fn basic_string(&mut self) -> Result<String, TomlError> {
        self.bump(); // `"`
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(self.error("unterminated string")),
                Some('"') => return Ok(out),
                Some('\\') => self.escape(&mut out)?,
                Some(c) => out.push(c),
            }
        }
    }

    /// `"""..."""` (basic: escapes apply) or `'''...'''` (literal).
    fn multiline(&mut self, basic: bool) -> Result<String, TomlError> {
        let delim = if basic { '"' } else { '\'' };
        for _ in 0..3 {
            self.bump();
        }
        if self.rest().starts_with("\r\n") {
            self.bump();
        }
        if self.peek() == Some('\n') {
            self.bump();
        }
        let mut out = String::new();
        loop {
            let rest = self.rest();
            let quotes = rest.chars().take_while(|&c| c == delim).count();
            if quotes >= 3 {
                // Up to two quotes may precede the closing delimiter.
                let extra = (quotes - 3).min(2);
                for _ in 0..extra {
                    out.push(delim);
                }
                for _ in 0..extra + 3 {
                    self.bump();
                }
                return Ok(out);
            }
            match self.bump() {
                None => return Err(self.error("unterminated multi-line string")),
                Some('\\') if basic => {
                    let after = self.rest();
                    let trimmed = after.trim_start_matches([' ', '\t']);
                    if trimmed.starts_with('\n') || trimmed.starts_with("\r\n") {
                        // Line-ending backslash: drop the newline and leading whitespace.
                        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                            self.bump();
                        }
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// The escape after a `\` (already consumed).
    fn escape(&mut self, out: &mut String) -> Result<(), TomlError> {
        let c = self
            .bump()
            .ok_or_else(|| self.error("unterminated escape"))?;
        let simple = match c {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            return Ok(());
        }
        let len = match c {
            'u' => 4,
            'U' => 8,
            _ => return Err(self.error(format!("unknown escape `\\{c}`"))),
        };
        let mut code = 0u32;
        for _ in 0..len {
            let digit = self.bump().and_then(|h| h.to_digit(16));
            let d = digit.ok_or_else(|| self.error("malformed unicode escape"))?;
            code = code * 16 + d;
        }
        let ch = char::from_u32(code).ok_or_else(|| self.error("escape is not a scalar value"))?;
        out.push(ch);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn lockfile_shapes() {
        let doc = parse(
            "version = 1 # comment\n\n[[package]]\nname = \"a\"\nsource = { registry = \"https://x\" }\n\
             deps = [\n  { name = \"b\", marker = \"x == \\\"y\\\"\" },\n  # c\n]\n\n\
             [package.extras]\ndev = ['q', \"r\"]\n\n[[package]]\nname = 'b'\n\
             \"quoted.key\" = \"\"\"\nline1\n  line2\"\"\"\na.b.c = true\nwhen = 1979-05-27 07:32:00Z\n\
             [metadata.files]\n\"a\" = []\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.get("version"), Some(&Value::Other("1".into())));
        let packages = doc
            .get("package")
            .and_then(Value::as_array)
            .unwrap_or_default();
        assert_eq!(packages.len(), 2);
        let first = packages
            .first()
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        assert_eq!(first.get("name"), Some(&s("a")));
        let dep = first
            .get("deps")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(Value::as_table)
            .and_then(|t| t.get("marker"))
            .cloned();
        assert_eq!(dep, Some(s("x == \"y\"")));
        let extras = first
            .get("extras")
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        assert_eq!(extras.get("dev"), Some(&Value::Array(vec![s("q"), s("r")])));
        let second = packages
            .get(1)
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        assert_eq!(second.get("quoted.key"), Some(&s("line1\n  line2")));
        assert_eq!(
            second.get("when"),
            Some(&Value::Other("1979-05-27 07:32:00Z".into()))
        );
        let abc = second
            .get("a")
            .and_then(Value::as_table)
            .and_then(|t| t.get("b"))
            .and_then(Value::as_table)
            .and_then(|t| t.get("c"));
        assert_eq!(abc, Some(&Value::Bool(true)));
        assert!(doc
            .get("metadata")
            .and_then(Value::as_table)
            .and_then(|m| m.get("files"))
            .is_some());
    }

    #[test]
    fn escapes_and_multiline() {
        let doc = parse(
            "a = \"\\u00e9\\t\\\\\"\nb = '''x''y'''\nc = \"\"\"one \\\n   two\"\"\"\nd = \"\"\"q\"\"\"\"\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.get("a"), Some(&s("é\t\\")));
        assert_eq!(doc.get("b"), Some(&s("x''y")));
        assert_eq!(doc.get("c"), Some(&s("one two")));
        assert_eq!(doc.get("d"), Some(&s("q\"\"")));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "a = \"open\n",
            "a = 1\na = 2\n",
            "a = [1, 2\n",
            "a = {b = 1\n",
            "[a\n",
            "a = 1 b = 2\n",
            "= 1\n",
            "a =\n",
            "a = \"\\q\"\n",
            "x = 1\n[x]\n",
            "[[a]]\n[[a.b]]\n[a.b.c]\nd=1\n[a]\ne = 1\n[[a]]\n[a.b]\nf = 2\n[[a.b]]\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse("").is_ok_and(|t| t.is_empty()));
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("a = {}{}\n", "[".repeat(1000), "]".repeat(1000));
        assert!(parse(&deep).is_err());
        let tables = format!("a = {}1{}\n", "{b = ".repeat(1000), "}".repeat(1000));
        assert!(parse(&tables).is_err());
    }
}
