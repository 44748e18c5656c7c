//! A strict, bounded subset of YAML 1.2: exactly what `pnpm-lock.yaml` and yarn berry
//! `yarn.lock` files use, nothing guessed.
//!
//! Supported:
//! - block mappings and block sequences, nested by indentation (spaces only), including a
//!   sequence at the same indentation as its key and compact `- key: value` items;
//! - plain, `'single'` and `"double"` quoted scalars, as keys and as values;
//! - flow mappings and flow sequences (`{integrity: sha512-..}`, `[x64]`), nested, possibly
//!   spanning several lines;
//! - literal and folded block scalars (`|`, `>`): their lines are kept joined by `\n`
//!   (blank lines and comment-looking lines inside them are dropped, folding is not applied);
//! - `#` comments, `%` directives, several documents (`---`, `...`).
//!
//! Not supported, reported as an error naming the line: tabs in indentation, anchors and
//! aliases (`&a`, `*a`), tags (`!!str`), complex keys (`? `), plain or quoted scalars that
//! continue on the next line, content after `---` on the same line. Every scalar is a string
//! (no type resolution: `true`, `5.4` and `~` are the strings they spell). Nesting deeper
//! than [`MAX_DEPTH`] is an error, so the recursion is bounded whatever the input.

use std::fmt;

/// Deepest nesting of block and flow collections accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// One YAML node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// An empty value (`key:` with nothing under it).
    Null,
    /// A scalar, as written (quotes removed, escapes resolved).
    Scalar(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order (a repeated key is kept; lookups see the first).
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value of `key` when this is a mapping holding it.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The scalar string, when this is a scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries when this is a mapping, else nothing.
    pub(crate) fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(m) => m,
            _ => &[],
        }
    }
}

/// Why a document is not in the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// 1-based line number.
    pub(crate) line: usize,
    /// What is wrong.
    pub(crate) message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, YamlError> {
    Err(YamlError {
        line,
        message: message.into(),
    })
}

/// One significant line: indentation and text with the comment removed.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

/// Parses every document of `src`. Empty documents are left out.
pub(crate) fn parse_documents(src: &str) -> Result<Vec<Node>, YamlError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut docs = Vec::new();
    let mut current: Vec<Line<'_>> = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let no = i + 1;
        let after_spaces = raw.trim_start_matches(' ');
        let indent = raw.len() - after_spaces.len();
        let text = strip_comment(after_spaces).trim_end_matches([' ', '\t', '\r']);
        if text.trim_start_matches('\t').is_empty() {
            continue;
        }
        if text.starts_with('\t') {
            return err(no, "tab in indentation");
        }
        if indent == 0 && (text == "---" || text.starts_with("--- ")) {
            if text != "---" {
                return err(no, "content after `---` is not supported");
            }
            flush(&mut current, &mut docs)?;
            continue;
        }
        if indent == 0 && text == "..." {
            flush(&mut current, &mut docs)?;
            continue;
        }
        if indent == 0 && text.starts_with('%') && current.is_empty() {
            continue;
        }
        current.push(Line { no, indent, text });
    }
    flush(&mut current, &mut docs)?;
    Ok(docs)
}

fn flush<'a>(lines: &mut Vec<Line<'a>>, docs: &mut Vec<Node>) -> Result<(), YamlError> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut pos = 0;
    let node = parse_node(lines, &mut pos, 0, 0)?;
    if let Some(line) = lines.get(pos) {
        return err(line.no, "unexpected content (indentation does not match)");
    }
    docs.push(node);
    lines.clear();
    Ok(())
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

fn parse_node<'a>(
    lines: &mut [Line<'a>],
    pos: &mut usize,
    min_indent: usize,
    depth: usize,
) -> Result<Node, YamlError> {
    let Some(first) = lines.get(*pos).copied() else {
        return Ok(Node::Null);
    };
    if first.indent < min_indent {
        return Ok(Node::Null);
    }
    if depth > MAX_DEPTH {
        return err(first.no, format!("nested deeper than {MAX_DEPTH} levels"));
    }
    if is_seq_item(first.text) {
        parse_seq(lines, pos, first.indent, depth)
    } else {
        parse_map(lines, pos, first.indent, depth)
    }
}

fn parse_seq<'a>(
    lines: &mut [Line<'a>],
    pos: &mut usize,
    indent: usize,
    depth: usize,
) -> Result<Node, YamlError> {
    let mut items = Vec::new();
    while let Some(line) = lines.get(*pos).copied() {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return err(line.no, "unexpected indentation");
        }
        if !is_seq_item(line.text) {
            break;
        }
        let rest = line.text.get(1..).unwrap_or("").trim_start_matches(' ');
        if rest.is_empty() {
            *pos += 1;
            items.push(parse_node(lines, pos, indent + 1, depth + 1)?);
        } else if is_seq_item(rest) || split_key(rest, line.no)?.is_some() {
            // `- key: value` starts a mapping whose keys sit where `key` is (and `- - x` a
            // sequence whose items sit where the second `-` is).
            let inner = indent + (line.text.len() - rest.len());
            if let Some(slot) = lines.get_mut(*pos) {
                *slot = Line {
                    no: line.no,
                    indent: inner,
                    text: rest,
                };
            }
            if depth + 1 > MAX_DEPTH {
                return err(line.no, format!("nested deeper than {MAX_DEPTH} levels"));
            }
            items.push(if is_seq_item(rest) {
                parse_seq(lines, pos, inner, depth + 1)?
            } else {
                parse_map(lines, pos, inner, depth + 1)?
            });
        } else {
            *pos += 1;
            items.push(parse_value(rest, lines, pos, indent, line.no, depth + 1)?);
        }
    }
    Ok(Node::Seq(items))
}

fn parse_map<'a>(
    lines: &mut [Line<'a>],
    pos: &mut usize,
    indent: usize,
    depth: usize,
) -> Result<Node, YamlError> {
    let mut entries = Vec::new();
    while let Some(line) = lines.get(*pos).copied() {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return err(line.no, "unexpected indentation");
        }
        if is_seq_item(line.text) {
            return err(line.no, "a sequence item where a mapping key was expected");
        }
        let Some((key, value)) = split_key(line.text, line.no)? else {
            return err(line.no, "expected `key: value`");
        };
        *pos += 1;
        let node = if value.is_empty() {
            match lines.get(*pos).copied() {
                Some(next) if next.indent > indent => {
                    parse_node(lines, pos, indent + 1, depth + 1)?
                }
                Some(next) if next.indent == indent && is_seq_item(next.text) => {
                    if depth + 1 > MAX_DEPTH {
                        return err(next.no, format!("nested deeper than {MAX_DEPTH} levels"));
                    }
                    parse_seq(lines, pos, indent, depth + 1)?
                }
                _ => Node::Null,
            }
        } else {
            parse_value(value, lines, pos, indent, line.no, depth + 1)?
        };
        entries.push((key, node));
    }
    Ok(Node::Map(entries))
}

/// A value written after `key: ` or `- ` on line `no`; `pos` is already past that line.
fn parse_value<'a>(
    value: &'a str,
    lines: &mut [Line<'a>],
    pos: &mut usize,
    indent: usize,
    no: usize,
    depth: usize,
) -> Result<Node, YamlError> {
    match value.chars().next() {
        Some('|' | '>') => {
            let header = value.get(1..).unwrap_or("");
            if !header.chars().all(|c| matches!(c, '+' | '-' | '1'..='9')) || header.len() > 2 {
                return err(no, "malformed block scalar header");
            }
            let mut text = Vec::new();
            while let Some(line) = lines.get(*pos) {
                if line.indent <= indent {
                    break;
                }
                text.push(line.text);
                *pos += 1;
            }
            Ok(Node::Scalar(text.join("\n")))
        }
        Some('{' | '[') => {
            let mut buf = value.to_owned();
            let mut brackets = FlowBrackets::default();
            brackets.feed(value);
            while brackets.open > 0 {
                let Some(line) = lines.get(*pos) else {
                    return err(no, "unterminated flow collection");
                };
                if line.indent <= indent {
                    return err(line.no, "unterminated flow collection");
                }
                buf.push(' ');
                buf.push_str(line.text);
                brackets.feed(" ");
                brackets.feed(line.text);
                *pos += 1;
            }
            parse_flow(&buf, no, depth)
        }
        Some('&' | '*') => err(no, "anchors and aliases are not supported"),
        Some('!') => err(no, "tags are not supported"),
        Some('"' | '\'') => {
            let (s, rest) = parse_quoted(value).or_else(|m| err(no, m))?;
            if !rest.trim().is_empty() {
                return err(no, "unexpected text after a quoted scalar");
            }
            Ok(Node::Scalar(s))
        }
        _ => Ok(Node::Scalar(value.to_owned())),
    }
}

/// Splits `key: value` (or `key:`), the key plain or quoted. `None` when the text is not a
/// mapping entry.
fn split_key(text: &str, no: usize) -> Result<Option<(String, &str)>, YamlError> {
    match text.chars().next() {
        Some('"' | '\'') => {
            let (key, rest) = parse_quoted(text).or_else(|m| err(no, m))?;
            let rest = rest.trim_start_matches(' ');
            match rest.strip_prefix(':') {
                Some(value) if value.is_empty() || value.starts_with(' ') => {
                    Ok(Some((key, value.trim_start_matches(' '))))
                }
                _ => Ok(None),
            }
        }
        Some('{' | '[') => Ok(None),
        Some('?') if text == "?" || text.starts_with("? ") => {
            err(no, "complex keys (`? `) are not supported")
        }
        Some('&' | '*' | '!') => err(no, "anchors, aliases and tags are not supported"),
        _ => {
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == ':' && matches!(chars.peek(), None | Some((_, ' '))) {
                    let key = text.get(..i).unwrap_or("").trim_end_matches(' ');
                    let value = text.get(i + 1..).unwrap_or("").trim_start_matches(' ');
                    return Ok(Some((key.to_owned(), value)));
                }
            }
            Ok(None)
        }
    }
}

/// Removes a trailing `# comment` (a `#` at the start or after whitespace, outside quotes).
fn strip_comment(s: &str) -> &str {
    let mut chars = s.char_indices().peekable();
    let mut prev_blank = true;
    let mut token_start = true;
    while let Some((i, c)) = chars.next() {
        match c {
            '#' if prev_blank => return s.get(..i).unwrap_or(s),
            '"' | '\'' if token_start => {
                let mut closed = false;
                while let Some((_, ch)) = chars.next() {
                    if c == '"' && ch == '\\' {
                        chars.next();
                    } else if ch == c {
                        if c == '\'' && matches!(chars.peek(), Some((_, '\''))) {
                            chars.next();
                        } else {
                            closed = true;
                            break;
                        }
                    }
                }
                if !closed {
                    return s;
                }
                prev_blank = false;
                token_start = false;
                continue;
            }
            _ => {}
        }
        prev_blank = c == ' ' || c == '\t';
        token_start = prev_blank || matches!(c, '[' | '{' | ',');
    }
    s
}

/// Parses a quoted scalar at the start of `s`; returns it and the text after the closing quote.
fn parse_quoted(s: &str) -> Result<(String, &str), String> {
    let mut chars = s.char_indices();
    let Some((_, quote)) = chars.next() else {
        return Err("expected a quoted scalar".into());
    };
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if quote == '\'' && s.get(i + 1..).is_some_and(|r| r.starts_with('\'')) {
                chars.next();
                out.push('\'');
                continue;
            }
            return Ok((out, s.get(i + 1..).unwrap_or("")));
        }
        if quote == '"' && c == '\\' {
            let Some((_, e)) = chars.next() else { break };
            let hex_len = match e {
                'x' => 2,
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            if hex_len > 0 {
                let mut code = 0u32;
                for _ in 0..hex_len {
                    let digit = chars.next().and_then(|(_, h)| h.to_digit(16));
                    let Some(d) = digit else {
                        return Err("malformed escape in a double-quoted scalar".into());
                    };
                    code = code * 16 + d;
                }
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                continue;
            }
            out.push(match e {
                '0' => '\0',
                'a' => '\u{7}',
                'b' => '\u{8}',
                't' | '\t' => '\t',
                'n' => '\n',
                'v' => '\u{b}',
                'f' => '\u{c}',
                'r' => '\r',
                'e' => '\u{1b}',
                ' ' => ' ',
                '"' => '"',
                '/' => '/',
                '\\' => '\\',
                'N' => '\u{85}',
                '_' => '\u{a0}',
                'L' => '\u{2028}',
                'P' => '\u{2029}',
                _ => return Err(format!("unknown escape `\\{e}` in a double-quoted scalar")),
            });
            continue;
        }
        out.push(c);
    }
    Err("unterminated quoted scalar (multi-line scalars are not supported)".into())
}

/// Counts the open brackets of a flow collection, fed line by line (linear in the input).
#[derive(Default)]
struct FlowBrackets {
    open: usize,
    quote: Option<char>,
    escaped: bool,
    after: Option<char>,
}

impl FlowBrackets {
    fn feed(&mut self, s: &str) {
        for c in s.chars() {
            if let Some(q) = self.quote {
                if self.escaped {
                    self.escaped = false;
                } else if q == '"' && c == '\\' {
                    self.escaped = true;
                } else if c == q {
                    // `''` inside a single-quoted scalar reopens it on the next char.
                    self.quote = None;
                }
                self.after = Some(c);
                continue;
            }
            let token_start = matches!(self.after, None | Some(' ' | '{' | '[' | ',' | ':'));
            match c {
                '"' | '\'' if token_start || (c == '\'' && self.after == Some('\'')) => {
                    self.quote = Some(c);
                }
                '{' | '[' => self.open += 1,
                '}' | ']' => self.open = self.open.saturating_sub(1),
                _ => {}
            }
            self.after = Some(c);
        }
    }
}

/// Recursive-descent parser of one flow collection.
struct Flow<'a> {
    s: &'a str,
    i: usize,
    no: usize,
}

fn parse_flow(s: &str, no: usize, depth: usize) -> Result<Node, YamlError> {
    let mut p = Flow { s, i: 0, no };
    let node = p.value(depth)?;
    p.skip_ws();
    if p.i < s.len() {
        return err(no, "unexpected text after a flow collection");
    }
    Ok(node)
}

impl<'a> Flow<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.i += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.i += c.len_utf8();
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, YamlError> {
        if depth > MAX_DEPTH {
            return err(self.no, format!("nested deeper than {MAX_DEPTH} levels"));
        }
        self.skip_ws();
        match self.peek() {
            Some('{') => self.map(depth),
            Some('[') => self.seq(depth),
            Some('"' | '\'') => Ok(Node::Scalar(self.quoted()?)),
            Some('&' | '*' | '!') => err(self.no, "anchors, aliases and tags are not supported"),
            _ => Ok(Node::Scalar(self.plain(false))),
        }
    }

    fn quoted(&mut self) -> Result<String, YamlError> {
        let rest = self.rest();
        let (s, after) = parse_quoted(rest).or_else(|m| err(self.no, m))?;
        self.i += rest.len() - after.len();
        Ok(s)
    }

    /// A plain scalar up to `,`, `]`, `}` (and, for a key, up to a `:` indicator).
    fn plain(&mut self, key: bool) -> String {
        let rest = self.rest();
        let mut end = rest.len();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let stop = match c {
                ',' | ']' | '}' => true,
                ':' if key => matches!(chars.peek(), None | Some((_, ' ' | ',' | '}' | ']'))),
                _ => false,
            };
            if stop {
                end = i;
                break;
            }
        }
        self.i += end;
        rest.get(..end).unwrap_or("").trim().to_owned()
    }

    fn map(&mut self, depth: usize) -> Result<Node, YamlError> {
        self.bump(); // `{`
        let mut entries = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(Node::Map(entries));
                }
                None => return err(self.no, "unterminated flow mapping"),
                _ => {}
            }
            let key = match self.peek() {
                Some('"' | '\'') => self.quoted()?,
                Some('{' | '[') => return err(self.no, "complex keys are not supported"),
                _ => self.plain(true),
            };
            self.skip_ws();
            let value = if self.peek() == Some(':') {
                self.bump();
                self.skip_ws();
                if matches!(self.peek(), Some(',' | '}')) {
                    Node::Null
                } else {
                    self.value(depth + 1)?
                }
            } else {
                Node::Null
            };
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(',') => self.bump(),
                Some('}') => {}
                _ => return err(self.no, "expected `,` or `}` in a flow mapping"),
            }
        }
    }

    fn seq(&mut self, depth: usize) -> Result<Node, YamlError> {
        self.bump(); // `[`
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(']') => {
                    self.bump();
                    return Ok(Node::Seq(items));
                }
                None => return err(self.no, "unterminated flow sequence"),
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.bump(),
                Some(']') => {}
                _ => return err(self.no, "expected `,` or `]` in a flow sequence"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Node {
        let mut docs = parse_documents(src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    fn s(v: &str) -> Node {
        Node::Scalar(v.into())
    }

    #[test]
    fn block_and_flow() {
        let doc = one(
            "a: 1\n'b c': \"x\\ty\" # note\nmap:\n  k: v\n  empty:\nseq:\n- one\n- k: v\n  k2: v2\n\
             flow: {integrity: sha512-x==, tarball: https://h/x.tgz}\nlist: [x64, 'a b']\n\
             multi: {a: 1,\n  b: [2, 3]}\nblock: |\n  line1\n  line2\nafter: 'it''s'\n",
        );
        assert_eq!(doc.get("a"), Some(&s("1")));
        assert_eq!(doc.get("b c"), Some(&s("x\ty")));
        assert_eq!(doc.get("map").and_then(|m| m.get("k")), Some(&s("v")));
        assert_eq!(
            doc.get("map").and_then(|m| m.get("empty")),
            Some(&Node::Null)
        );
        assert_eq!(
            doc.get("seq"),
            Some(&Node::Seq(vec![
                s("one"),
                Node::Map(vec![("k".into(), s("v")), ("k2".into(), s("v2"))])
            ]))
        );
        let flow = doc.get("flow").cloned().unwrap_or(Node::Null);
        assert_eq!(flow.get("tarball"), Some(&s("https://h/x.tgz")));
        assert_eq!(doc.get("list"), Some(&Node::Seq(vec![s("x64"), s("a b")])));
        assert_eq!(
            doc.get("multi").and_then(|m| m.get("b")),
            Some(&Node::Seq(vec![s("2"), s("3")]))
        );
        assert_eq!(doc.get("block"), Some(&s("line1\nline2")));
        assert_eq!(doc.get("after"), Some(&s("it's")));
    }

    #[test]
    fn keys_with_colons_and_parens() {
        let doc = one(
            "file:foo/bar.tgz:\n  v: 1\n/@babel/x@7.0.0(@babel/core@7.1.0):\n  v: 2\n\
             a@https://h/x/v0.4.0: {}\n",
        );
        let keys: Vec<&str> = doc.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "file:foo/bar.tgz",
                "/@babel/x@7.0.0(@babel/core@7.1.0)",
                "a@https://h/x/v0.4.0"
            ]
        );
        assert_eq!(doc.entries().get(2).map(|e| &e.1), Some(&Node::Map(vec![])));
    }

    #[test]
    fn documents() {
        let docs = parse_documents("%YAML 1.2\n---\na: 1\n---\nb: 2\n...\n").unwrap_or_default();
        assert_eq!(docs.len(), 2);
        assert!(parse_documents("").is_ok_and(|d| d.is_empty()));
        assert!(parse_documents("# only a comment\n\n").is_ok_and(|d| d.is_empty()));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "a: 1\n  b: 2\n",
            "a:\n\tb: 1\n",
            "just text\n",
            "a: &x 1\n",
            "a: *x\n",
            "a: !!str 1\n",
            "a: \"open\n",
            "a: {b: 1\n",
            "? complex\n",
            "a: [1, 2\nb: 3\n",
            "a: {b: 1} junk\n",
            "- a\nb: 1\n",
        ] {
            assert!(parse_documents(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn long_flow_collections_are_linear() {
        // 200k lines of one flow sequence: must not rescan the growing buffer per line.
        let mut src = String::from("a: [\n");
        for i in 0..200_000 {
            src.push_str(&format!("  'x{i}',\n"));
        }
        src.push_str("  ]\n");
        let doc = one(&src);
        assert!(matches!(doc.get("a"), Some(Node::Seq(items)) if items.len() == 200_000));
        let quoted = one("a: ['it''s ]', \"q\\\" ]\", {k: '['}]\n");
        assert_eq!(
            quoted.get("a"),
            Some(&Node::Seq(vec![
                s("it's ]"),
                s("q\" ]"),
                Node::Map(vec![("k".into(), s("["))])
            ]))
        );
    }

    #[test]
    fn depth_is_bounded() {
        let mut deep = String::new();
        for i in 0..200 {
            deep.push_str(&" ".repeat(i));
            deep.push_str("k:\n");
        }
        assert!(parse_documents(&deep).is_err());
        let flow = format!("a: {}{}\n", "[".repeat(500), "]".repeat(500));
        assert!(parse_documents(&flow).is_err());
        let seqs = format!("{}x\n", "- ".repeat(500));
        assert!(parse_documents(&seqs).is_err());
    }
}
