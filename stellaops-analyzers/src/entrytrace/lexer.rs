//! Tokenizer for the sh subset: words (with quotes, escapes, expansions), operators,
//! redirections, newlines. Here-document bodies are skipped at the newline that follows
//! their operator. Reserved words are ordinary words here; the parser recognises them.

use super::ast::{ParamExp, ParamOp, Redirect, Word, WordPart};
use super::shell::ParseError;

/// Nesting limit for `$(…)`, `${…}` and `` `…` `` inside each other.
const MAX_DEPTH: usize = 64;

type Result<T> = std::result::Result<T, ParseError>;

/// Control operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
    LParen,
    RParen,
    /// `;;`, `;&`, `;;&`: end of a case arm.
    CaseEnd,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Word(Word),
    Op(Op),
    Redir(Redirect),
    /// A bash `(( … ))` command.
    Arith(String),
    Newline,
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) line: usize,
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    line: usize,
    /// Here-documents whose bodies start after the next newline: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
    depth: usize,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `s` (the literal text before `=`) is an assignment name, `NAME`, `NAME+` or
/// `NAME[sub]`.
pub(crate) fn is_assign_name(s: &str) -> bool {
    let s = s.strip_suffix('+').unwrap_or(s);
    let name = match s.find('[') {
        Some(i) if s.ends_with(']') => &s[..i],
        Some(_) => return false,
        None => s,
    };
    let b = name.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name_char(c))
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Lexer {
            src,
            b: src.as_bytes(),
            pos: 0,
            line: 1,
            heredocs: Vec::new(),
            depth: 0,
        }
    }

    /// All tokens up to and including `Eof`.
    pub(crate) fn tokenize(mut self) -> Result<Vec<Token>> {
        let mut out = Vec::new();
        loop {
            let t = self.next_token()?;
            let end = t.tok == Tok::Eof;
            out.push(t);
            if end {
                return Ok(out);
            }
        }
    }

    fn err<T>(&self, line: usize, message: impl Into<String>) -> Result<T> {
        Err(ParseError {
            line,
            message: message.into(),
        })
    }

    fn peek(&self, k: usize) -> Option<u8> {
        self.b.get(self.pos + k).copied()
    }

    fn slice(&self, a: usize, b: usize) -> &'a str {
        self.src.get(a..b).unwrap_or("")
    }

    /// The character at `pos` (for non-ASCII literal text).
    fn take_char(&mut self) -> char {
        match self.src.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => {
                self.pos += c.len_utf8();
                c
            }
            None => {
                self.pos += 1;
                '\u{fffd}'
            }
        }
    }

    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek(0) {
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peek(1) == Some(b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                _ => break,
            }
        }
    }

    pub(crate) fn next_token(&mut self) -> Result<Token> {
        loop {
            self.skip_blanks();
            let line = self.line;
            let Some(c) = self.peek(0) else {
                return Ok(Token {
                    tok: Tok::Eof,
                    line,
                });
            };
            let tok = |tok| Ok(Token { tok, line });
            match c {
                b'#' => {
                    while self.peek(0).is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.read_heredoc_bodies();
                    return tok(Tok::Newline);
                }
                b';' => {
                    let (op, n) = match (self.peek(1), self.peek(2)) {
                        (Some(b';'), Some(b'&')) => (Op::CaseEnd, 3),
                        (Some(b';' | b'&'), _) => (Op::CaseEnd, 2),
                        _ => (Op::Semi, 1),
                    };
                    self.pos += n;
                    return tok(Tok::Op(op));
                }
                b'&' => match self.peek(1) {
                    Some(b'&') => {
                        self.pos += 2;
                        return tok(Tok::Op(Op::AndIf));
                    }
                    Some(b'>') => {
                        let op = if self.peek(2) == Some(b'>') {
                            "&>>"
                        } else {
                            "&>"
                        };
                        self.pos += op.len();
                        return self.redirect(None, op, line);
                    }
                    _ => {
                        self.pos += 1;
                        return tok(Tok::Op(Op::Amp));
                    }
                },
                b'|' => {
                    let op = if self.peek(1) == Some(b'|') {
                        Op::OrIf
                    } else {
                        Op::Pipe
                    };
                    self.pos += if matches!(self.peek(1), Some(b'|' | b'&')) {
                        2
                    } else {
                        1
                    };
                    return tok(Tok::Op(op));
                }
                b'(' => {
                    if self.peek(1) == Some(b'(') {
                        self.pos += 2;
                        let text = self.arith_body(line)?;
                        return tok(Tok::Arith(text));
                    }
                    self.pos += 1;
                    return tok(Tok::Op(Op::LParen));
                }
                b')' => {
                    self.pos += 1;
                    return tok(Tok::Op(Op::RParen));
                }
                b'<' | b'>' => {
                    if self.peek(1) == Some(b'(') {
                        // Process substitution `<(cmd)`: a word.
                        let word = self.word(false)?;
                        return tok(Tok::Word(word));
                    }
                    return self.redirect_op(None, line);
                }
                _ => {
                    let word = self.word(false)?;
                    if word.parts.is_empty() {
                        continue;
                    }
                    if let Some(fd) = word.as_plain().and_then(|s| {
                        s.bytes()
                            .all(|c| c.is_ascii_digit())
                            .then(|| s.parse::<u32>().ok())?
                    }) {
                        if matches!(self.peek(0), Some(b'<' | b'>')) {
                            return self.redirect_op(Some(fd), line);
                        }
                    }
                    return tok(Tok::Word(word));
                }
            }
        }
    }

    fn redirect_op(&mut self, fd: Option<u32>, line: usize) -> Result<Token> {
        let rest = self.slice(self.pos, (self.pos + 3).min(self.b.len()));
        let op = ["<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"]
            .into_iter()
            .find(|op| rest.starts_with(op))
            .unwrap_or(">");
        self.pos += op.len();
        self.redirect(fd, op, line)
    }

    fn redirect(&mut self, fd: Option<u32>, op: &'static str, line: usize) -> Result<Token> {
        self.skip_blanks();
        let starts_word = match self.peek(0) {
            None | Some(b'\n' | b';' | b'&' | b'|' | b'(' | b')') => false,
            Some(b'<' | b'>') => self.peek(1) == Some(b'('),
            Some(_) => true,
        };
        let target = if starts_word {
            self.word(false)?
        } else {
            Word::default()
        };
        if target.parts.is_empty() {
            return self.err(line, format!("expected a word after `{op}`"));
        }
        if op == "<<" || op == "<<-" {
            self.heredocs.push((target.to_text(), op == "<<-"));
        }
        Ok(Token {
            tok: Tok::Redir(Redirect { fd, op, target }),
            line,
        })
    }

    fn read_heredoc_bodies(&mut self) {
        for (delim, strip) in std::mem::take(&mut self.heredocs) {
            while self.pos < self.b.len() {
                let end = self.b[self.pos..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.b.len(), |i| self.pos + i);
                let text = self.slice(self.pos, end);
                let text = text.strip_suffix('\r').unwrap_or(text);
                let text = if strip {
                    text.trim_start_matches('\t')
                } else {
                    text
                };
                let done = text == delim;
                self.pos = (end + 1).min(self.b.len());
                if end < self.b.len() {
                    self.line += 1;
                }
                if done {
                    break;
                }
            }
        }
    }

    fn enter(&mut self, line: usize) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(line, "expansions nested too deeply");
        }
        Ok(())
    }

    /// A word. Outside `${…}` it ends at a blank or metacharacter; inside (`in_param`) it
    /// ends at an unquoted `}` (not consumed).
    fn word(&mut self, in_param: bool) -> Result<Word> {
        let line = self.line;
        let mut parts = Vec::new();
        let mut lit = String::new();
        fn flush(lit: &mut String, parts: &mut Vec<WordPart>) {
            if !lit.is_empty() {
                parts.push(WordPart::Lit(std::mem::take(lit)));
            }
        }
        while let Some(c) = self.peek(0) {
            if in_param {
                if c == b'}' {
                    break;
                }
            } else if matches!(
                c,
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
            ) {
                let process_subst = matches!(c, b'<' | b'>')
                    && self.peek(1) == Some(b'(')
                    && lit.is_empty()
                    && parts.is_empty();
                if !process_subst {
                    break;
                }
                self.pos += 2;
                let text = self.cmd_subst_body(line)?;
                parts.push(WordPart::CmdSub(text));
                continue;
            }
            match c {
                b'\\' => match self.peek(1) {
                    Some(b'\n') => {
                        self.pos += 2;
                        self.line += 1;
                    }
                    Some(_) => {
                        flush(&mut lit, &mut parts);
                        self.pos += 1;
                        let ch = self.take_char();
                        parts.push(WordPart::Quoted(ch.to_string()));
                    }
                    None => {
                        lit.push('\\');
                        self.pos += 1;
                    }
                },
                b'\'' => {
                    flush(&mut lit, &mut parts);
                    let text = self.single_quoted()?;
                    parts.push(WordPart::Quoted(text));
                }
                b'"' => {
                    flush(&mut lit, &mut parts);
                    let inner = self.double_quoted()?;
                    parts.push(WordPart::DQuoted(inner));
                }
                b'$' => match self.dollar(false)? {
                    Some(part) => {
                        flush(&mut lit, &mut parts);
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                b'`' => {
                    flush(&mut lit, &mut parts);
                    let text = self.backtick()?;
                    parts.push(WordPart::CmdSub(text));
                }
                b'=' if !in_param
                    && self.peek(1) == Some(b'(')
                    && parts.is_empty()
                    && is_assign_name(&lit) =>
                {
                    lit.push('=');
                    self.pos += 2;
                    flush(&mut lit, &mut parts);
                    let text = self.array_body(line)?;
                    parts.push(WordPart::Array(text));
                }
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                    lit.push('\n');
                }
                _ => lit.push(self.take_char()),
            }
        }
        if in_param && self.peek(0).is_none() {
            return self.err(line, "unterminated `${`");
        }
        flush(&mut lit, &mut parts);
        Ok(Word { parts, line })
    }

    fn single_quoted(&mut self) -> Result<String> {
        let line = self.line;
        let start = self.pos + 1;
        let Some(len) = self.b[start..].iter().position(|&c| c == b'\'') else {
            return self.err(line, "unterminated single quote");
        };
        let text = self.slice(start, start + len);
        self.line += text.matches('\n').count();
        self.pos = start + len + 1;
        Ok(text.to_string())
    }

    fn double_quoted(&mut self) -> Result<Vec<WordPart>> {
        let line = self.line;
        self.pos += 1;
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek(0) else {
                return self.err(line, "unterminated double quote");
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => match self.peek(1) {
                    Some(b'\n') => {
                        self.pos += 2;
                        self.line += 1;
                    }
                    Some(n @ (b'$' | b'`' | b'"' | b'\\')) => {
                        lit.push(char::from(n));
                        self.pos += 2;
                    }
                    _ => {
                        lit.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' => match self.dollar(true)? {
                    Some(part) => {
                        if !lit.is_empty() {
                            parts.push(WordPart::Lit(std::mem::take(&mut lit)));
                        }
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                b'`' => {
                    if !lit.is_empty() {
                        parts.push(WordPart::Lit(std::mem::take(&mut lit)));
                    }
                    let text = self.backtick()?;
                    parts.push(WordPart::CmdSub(text));
                }
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                    lit.push('\n');
                }
                _ => lit.push(self.take_char()),
            }
        }
        if !lit.is_empty() {
            parts.push(WordPart::Lit(lit));
        }
        Ok(parts)
    }

    /// After `$`: an expansion, or `None` for a literal `$` (consumed either way).
    fn dollar(&mut self, in_dquote: bool) -> Result<Option<WordPart>> {
        let line = self.line;
        self.pos += 1;
        let Some(c) = self.peek(0) else {
            return Ok(None);
        };
        let plain = |name: String| {
            Some(WordPart::Param(Box::new(ParamExp {
                name,
                indirect: false,
                op: ParamOp::Plain,
                arg: None,
            })))
        };
        Ok(match c {
            b'{' => {
                self.pos += 1;
                self.enter(line)?;
                let p = self.braced_param(line)?;
                self.depth -= 1;
                Some(WordPart::Param(Box::new(p)))
            }
            b'(' if self.peek(1) == Some(b'(') => {
                self.pos += 2;
                Some(WordPart::Arith(self.arith_body(line)?))
            }
            b'(' => {
                self.pos += 1;
                Some(WordPart::CmdSub(self.cmd_subst_body(line)?))
            }
            b'\'' if !in_dquote => Some(WordPart::Quoted(self.ansi_c_quoted()?)),
            b'"' if !in_dquote => Some(WordPart::Quoted(String::new())),
            c if is_name_start(c) => {
                let start = self.pos;
                while self.peek(0).is_some_and(is_name_char) {
                    self.pos += 1;
                }
                plain(self.slice(start, self.pos).to_string())
            }
            c if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.pos += 1;
                plain(char::from(c).to_string())
            }
            _ => None,
        })
    }

    /// After `${`.
    fn braced_param(&mut self, line: usize) -> Result<ParamExp> {
        let bad = |s: &Self| s.err(line, "bad substitution");
        // `${#X}` (length) vs `${#}` / `${#-x}`.
        if self.peek(0) == Some(b'#') && self.peek(1) != Some(b'}') {
            let save = self.pos;
            self.pos += 1;
            let name = self.param_name();
            if !name.is_empty() && self.peek(0) == Some(b'}') {
                self.pos += 1;
                return Ok(ParamExp {
                    name,
                    indirect: false,
                    op: ParamOp::Length,
                    arg: None,
                });
            }
            self.pos = save;
        }
        let mut indirect = false;
        if self.peek(0) == Some(b'!') && self.peek(1).is_some_and(|c| c != b'}') {
            self.pos += 1;
            indirect = true;
        }
        let name = self.param_name();
        if name.is_empty() {
            return bad(self);
        }
        let rest = self.slice(self.pos, (self.pos + 2).min(self.b.len()));
        let (op, n) = match rest.as_bytes() {
            [b'}', ..] => {
                self.pos += 1;
                return Ok(ParamExp {
                    name,
                    indirect,
                    op: ParamOp::Plain,
                    arg: None,
                });
            }
            [b':', b'-', ..] => (ParamOp::Default { colon: true }, 2),
            [b':', b'=', ..] => (ParamOp::Assign { colon: true }, 2),
            [b':', b'?', ..] => (ParamOp::Error { colon: true }, 2),
            [b':', b'+', ..] => (ParamOp::Alt { colon: true }, 2),
            [b':', ..] => (ParamOp::Substring, 1),
            [b'-', ..] => (ParamOp::Default { colon: false }, 1),
            [b'=', ..] => (ParamOp::Assign { colon: false }, 1),
            [b'?', ..] => (ParamOp::Error { colon: false }, 1),
            [b'+', ..] => (ParamOp::Alt { colon: false }, 1),
            [b'#', b'#', ..] => (ParamOp::TrimPrefix { longest: true }, 2),
            [b'#', ..] => (ParamOp::TrimPrefix { longest: false }, 1),
            [b'%', b'%', ..] => (ParamOp::TrimSuffix { longest: true }, 2),
            [b'%', ..] => (ParamOp::TrimSuffix { longest: false }, 1),
            // `${X/p/r}`, case modification, `${X@Q}`, `${!prefix*}`, `${!arr[@]}`.
            [b'/' | b'^' | b',' | b'@' | b'*', ..] => (ParamOp::Other, 0),
            _ => return bad(self),
        };
        self.pos += n;
        let arg = self.word(true)?;
        self.pos += 1; // `}`
        Ok(ParamExp {
            name,
            indirect,
            op,
            arg: Some(arg),
        })
    }

    /// A parameter name inside `${…}`: identifier, number or special character, with an
    /// optional `[subscript]`.
    fn param_name(&mut self) -> String {
        let start = self.pos;
        match self.peek(0) {
            Some(c) if is_name_start(c) => {
                while self.peek(0).is_some_and(is_name_char) {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(c) if b"@*#?-$!".contains(&c) => self.pos += 1,
            _ => return String::new(),
        }
        if self.peek(0) == Some(b'[') {
            if let Some(len) = self.b[self.pos..]
                .iter()
                .position(|&c| c == b']' || c == b'}')
            {
                if self.b[self.pos + len] == b']' {
                    self.pos += len + 1;
                }
            }
        }
        self.slice(start, self.pos).to_string()
    }

    /// After `$(` (or `<(`): the command text up to the matching `)`, tokenized on the way
    /// so quotes, comments and nested substitutions are honoured.
    fn cmd_subst_body(&mut self, line: usize) -> Result<String> {
        self.enter(line)?;
        let start = self.pos;
        let mut parens = 0usize;
        loop {
            let t = self.next_token()?;
            match t.tok {
                Tok::Op(Op::LParen) => parens += 1,
                Tok::Op(Op::RParen) if parens == 0 => break,
                Tok::Op(Op::RParen) => parens -= 1,
                Tok::Eof => return self.err(line, "unterminated `$(`"),
                _ => {}
            }
        }
        self.depth -= 1;
        Ok(self.slice(start, self.pos - 1).to_string())
    }

    /// After `$((` or `((`: the text up to the matching `))`.
    fn arith_body(&mut self, line: usize) -> Result<String> {
        let start = self.pos;
        let mut parens = 0usize;
        loop {
            match self.peek(0) {
                None => return self.err(line, "unterminated `((`"),
                Some(b'(') => parens += 1,
                Some(b')') if parens == 0 => {
                    if self.peek(1) == Some(b')') {
                        self.pos += 2;
                        return Ok(self.slice(start, self.pos - 2).to_string());
                    }
                    return self.err(line, "expected `))`");
                }
                Some(b')') => parens -= 1,
                Some(b'\n') => self.line += 1,
                Some(_) => {}
            }
            self.pos += 1;
        }
    }

    /// After `NAME=(`: the array literal text including its parentheses.
    fn array_body(&mut self, line: usize) -> Result<String> {
        let start = self.pos - 1;
        let mut parens = 0usize;
        loop {
            match self.peek(0) {
                None => return self.err(line, "unterminated array literal"),
                Some(b'(') => parens += 1,
                Some(b')') if parens == 0 => {
                    self.pos += 1;
                    return Ok(self.slice(start, self.pos).to_string());
                }
                Some(b')') => parens -= 1,
                Some(b'\'') => {
                    self.single_quoted()?;
                    continue;
                }
                Some(b'"') => {
                    self.double_quoted()?;
                    continue;
                }
                Some(b'\\') => self.pos += 1,
                Some(b'\n') => self.line += 1,
                Some(_) => {}
            }
            self.pos += 1;
        }
    }

    /// At `` ` ``: the command text with `` \` ``, `\\`, `\$` unescaped.
    fn backtick(&mut self) -> Result<String> {
        let line = self.line;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek(0) {
                None => return self.err(line, "unterminated backquote"),
                Some(b'`') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') if matches!(self.peek(1), Some(b'`' | b'\\' | b'$')) => {
                    out.push(char::from(self.b[self.pos + 1]));
                    self.pos += 2;
                }
                Some(c) => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    out.push(self.take_char());
                }
            }
        }
    }

    /// At `'` after `$`: bash ANSI-C quoting with the common escapes.
    fn ansi_c_quoted(&mut self) -> Result<String> {
        let line = self.line;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek(0) {
                None => return self.err(line, "unterminated `$'`"),
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') if self.peek(1).is_some() => {
                    let e = self.b[self.pos + 1];
                    self.pos += 2;
                    match e {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'e' | b'E' => out.push('\u{1b}'),
                        b'0' => out.push('\0'),
                        b'\\' | b'\'' | b'"' | b'?' => out.push(char::from(e)),
                        _ => {
                            out.push('\\');
                            self.pos -= 1;
                        }
                    }
                }
                Some(c) => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    out.push(self.take_char());
                }
            }
        }
    }
}
