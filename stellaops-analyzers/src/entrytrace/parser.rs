//! Recursive-descent parser over the lexer's tokens (POSIX grammar, plus the bash forms
//! common in entrypoints: `function f`, `[[ … ]]`, `(( … ))`, `for ((…))`).

use super::ast::{
    AndOr, AndOrOp, Assign, CaseArm, Command, CondItem, Pipeline, Script, SimpleCommand, Word,
    WordPart,
};
use super::lexer::{is_assign_name, Op, Tok, Token};
use super::shell::ParseError;

/// Nesting limit for compound commands.
const MAX_DEPTH: usize = 64;

/// Words that end a compound list when they start a command.
const TERMINATORS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

type Result<T> = std::result::Result<T, ParseError>;

pub(crate) struct Parser {
    toks: Vec<Token>,
    i: usize,
    depth: usize,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("`{}`", w.to_text()),
        Tok::Op(op) => match op {
            Op::Semi => "`;`",
            Op::Amp => "`&`",
            Op::AndIf => "`&&`",
            Op::OrIf => "`||`",
            Op::Pipe => "`|`",
            Op::LParen => "`(`",
            Op::RParen => "`)`",
            Op::CaseEnd => "`;;`",
        }
        .to_string(),
        Tok::Redir(r) => format!("`{}`", r.op),
        Tok::Arith(_) => "`((`".to_string(),
        Tok::Newline => "newline".to_string(),
        Tok::Eof => "end of input".to_string(),
    }
}

/// Splits `NAME=value` into an assignment.
fn as_assignment(word: &Word) -> Option<Assign> {
    let Some(WordPart::Lit(first)) = word.parts.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let lhs = &first[..eq];
    if !is_assign_name(lhs) {
        return None;
    }
    let (name, append) = match lhs.strip_suffix('+') {
        Some(n) => (n.to_string(), true),
        None => (lhs.to_string(), false),
    };
    let mut parts = Vec::new();
    if eq + 1 < first.len() {
        parts.push(WordPart::Lit(first[eq + 1..].to_string()));
    }
    parts.extend(word.parts[1..].iter().cloned());
    Some(Assign {
        name,
        value: Word {
            parts,
            line: word.line,
        },
        append,
    })
}

impl Parser {
    pub(crate) fn new(toks: Vec<Token>) -> Self {
        Parser {
            toks,
            i: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> &Tok {
        self.toks.get(self.i).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn line(&self) -> usize {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or(1, |t| t.line)
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks.get(self.i).map_or(Tok::Eof, |t| t.tok.clone());
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T> {
        Err(ParseError {
            line: self.line(),
            message: message.into(),
        })
    }

    fn unexpected<T>(&self) -> Result<T> {
        self.err(format!(
            "syntax error near unexpected {}",
            describe(self.peek())
        ))
    }

    fn at_word(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w.as_plain() == Some(kw))
    }

    fn expect_word(&mut self, kw: &str) -> Result<()> {
        if self.at_word(kw) {
            self.bump();
            Ok(())
        } else {
            self.err(format!("expected `{kw}`, found {}", describe(self.peek())))
        }
    }

    fn expect_op(&mut self, op: Op, what: &str) -> Result<()> {
        if *self.peek() == Tok::Op(op) {
            self.bump();
            Ok(())
        } else {
            self.err(format!(
                "expected `{what}`, found {}",
                describe(self.peek())
            ))
        }
    }

    fn skip_newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.bump();
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("commands nested too deeply");
        }
        Ok(())
    }

    pub(crate) fn script(&mut self) -> Result<Script> {
        let body = self.list()?;
        if *self.peek() != Tok::Eof {
            return self.unexpected();
        }
        Ok(Script { body })
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            Tok::Eof | Tok::Op(Op::RParen | Op::CaseEnd) => true,
            Tok::Word(w) => w.as_plain().is_some_and(|s| TERMINATORS.contains(&s)),
            _ => false,
        }
    }

    /// A compound list: and-or lists separated by `;`, `&` or newlines, up to a terminator.
    fn list(&mut self) -> Result<Vec<AndOr>> {
        self.enter()?;
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_terminator() {
                break;
            }
            let mut item = self.and_or()?;
            match self.peek() {
                Tok::Op(Op::Semi) | Tok::Newline => {
                    self.bump();
                }
                Tok::Op(Op::Amp) => {
                    self.bump();
                    item.background = true;
                }
                _ if self.at_terminator() => {}
                _ => return self.unexpected(),
            }
            out.push(item);
        }
        self.depth -= 1;
        Ok(out)
    }

    fn and_or(&mut self) -> Result<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::Op(Op::AndIf) => AndOrOp::And,
                Tok::Op(Op::OrIf) => AndOrOp::Or,
                _ => break,
            };
            self.bump();
            self.skip_newlines();
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn pipeline(&mut self) -> Result<Pipeline> {
        let mut bang = false;
        while self.at_word("!") {
            self.bump();
            bang = !bang;
        }
        let mut commands = vec![self.command()?];
        while *self.peek() == Tok::Op(Op::Pipe) {
            self.bump();
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { bang, commands })
    }

    fn command(&mut self) -> Result<Command> {
        self.enter()?;
        let line = self.line();
        let cmd = match self.peek().clone() {
            Tok::Op(Op::LParen) => {
                self.bump();
                let body = self.list()?;
                self.expect_op(Op::RParen, ")")?;
                Command::Subshell(body)
            }
            Tok::Arith(text) => {
                self.bump();
                Command::Arith(text)
            }
            Tok::Word(w) => match w.as_plain() {
                Some("{") => {
                    self.bump();
                    let body = self.list()?;
                    self.expect_word("}")?;
                    Command::Brace(body)
                }
                Some("if") => self.if_clause(line)?,
                Some(kw @ ("while" | "until")) => {
                    let until = kw == "until";
                    self.bump();
                    let cond = self.list()?;
                    let body = self.do_group()?;
                    Command::Loop {
                        until,
                        cond,
                        body,
                        line,
                    }
                }
                Some("for") => self.for_clause(line)?,
                Some("case") => self.case_clause(line)?,
                Some("function") => {
                    self.bump();
                    let Tok::Word(name) = self.bump() else {
                        return self.err("expected a function name after `function`");
                    };
                    if *self.peek() == Tok::Op(Op::LParen) {
                        self.bump();
                        self.expect_op(Op::RParen, ")")?;
                    }
                    self.func_body(name.to_text(), line)?
                }
                Some("[[") => self.double_bracket(line)?,
                Some(t) if TERMINATORS.contains(&t) => return self.unexpected(),
                Some(name)
                    if self.toks.get(self.i + 1).map(|t| &t.tok) == Some(&Tok::Op(Op::LParen))
                        && self.toks.get(self.i + 2).map(|t| &t.tok)
                            == Some(&Tok::Op(Op::RParen)) =>
                {
                    let name = name.to_string();
                    self.i += 3;
                    self.func_body(name, line)?
                }
                _ => self.simple()?,
            },
            Tok::Redir(_) => self.simple()?,
            _ => return self.unexpected(),
        };
        if !matches!(cmd, Command::Simple(_) | Command::FuncDef { .. }) {
            // Redirections after a compound command apply to all of it: parsed, ignored.
            while matches!(self.peek(), Tok::Redir(_)) {
                self.bump();
            }
        }
        self.depth -= 1;
        Ok(cmd)
    }

    fn func_body(&mut self, name: String, line: usize) -> Result<Command> {
        self.skip_newlines();
        let body = self.command()?;
        if matches!(body, Command::Simple(_)) {
            return self.err(format!(
                "function `{name}`: body must be a compound command"
            ));
        }
        Ok(Command::FuncDef {
            name,
            body: Box::new(body),
            line,
        })
    }

    fn simple(&mut self) -> Result<Command> {
        let line = self.line();
        let mut cmd = SimpleCommand {
            assigns: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            line,
        };
        loop {
            match self.peek() {
                Tok::Word(w) => {
                    let assign = if cmd.words.is_empty() {
                        as_assignment(w)
                    } else {
                        None
                    };
                    match assign {
                        Some(a) => cmd.assigns.push(a),
                        None => cmd.words.push(w.clone()),
                    }
                }
                Tok::Redir(r) => cmd.redirects.push(r.clone()),
                _ => break,
            }
            self.bump();
        }
        if cmd.assigns.is_empty() && cmd.words.is_empty() && cmd.redirects.is_empty() {
            return self.unexpected();
        }
        Ok(Command::Simple(cmd))
    }

    fn do_group(&mut self) -> Result<Vec<AndOr>> {
        self.skip_newlines();
        self.expect_word("do")?;
        let body = self.list()?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn if_clause(&mut self, line: usize) -> Result<Command> {
        self.bump();
        let mut clauses = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list()?;
            self.expect_word("then")?;
            let body = self.list()?;
            clauses.push((cond, body));
            match self.peek() {
                Tok::Word(w) if w.as_plain() == Some("elif") => {
                    self.bump();
                }
                Tok::Word(w) if w.as_plain() == Some("else") => {
                    self.bump();
                    otherwise = Some(self.list()?);
                    self.expect_word("fi")?;
                    break;
                }
                Tok::Word(w) if w.as_plain() == Some("fi") => {
                    self.bump();
                    break;
                }
                _ => return self.err(format!("expected `fi`, found {}", describe(self.peek()))),
            }
        }
        Ok(Command::If {
            clauses,
            otherwise,
            line,
        })
    }

    fn for_clause(&mut self, line: usize) -> Result<Command> {
        self.bump();
        let var = match self.bump() {
            Tok::Word(w) => match w.as_plain() {
                Some(v) if is_assign_name(v) && !v.ends_with('+') => v.to_string(),
                _ => return self.err("expected a variable name after `for`"),
            },
            Tok::Arith(_) => {
                if *self.peek() == Tok::Op(Op::Semi) {
                    self.bump();
                }
                let body = self.do_group()?;
                return Ok(Command::Loop {
                    until: false,
                    cond: Vec::new(),
                    body,
                    line,
                });
            }
            _ => return self.err("expected a variable name after `for`"),
        };
        self.skip_newlines();
        let mut items = None;
        if self.at_word("in") {
            self.bump();
            let mut words = Vec::new();
            while let Tok::Word(w) = self.peek() {
                words.push(w.clone());
                self.bump();
            }
            match self.peek() {
                Tok::Op(Op::Semi) | Tok::Newline => {
                    self.bump();
                }
                _ => return self.unexpected(),
            }
            items = Some(words);
        } else if *self.peek() == Tok::Op(Op::Semi) {
            self.bump();
        }
        let body = self.do_group()?;
        Ok(Command::For {
            var,
            items,
            body,
            line,
        })
    }

    fn case_clause(&mut self, line: usize) -> Result<Command> {
        self.bump();
        let Tok::Word(word) = self.bump() else {
            return self.err("expected a word after `case`");
        };
        self.skip_newlines();
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_word("esac") {
                self.bump();
                break;
            }
            if *self.peek() == Tok::Op(Op::LParen) {
                self.bump();
            }
            let mut patterns = Vec::new();
            loop {
                match self.bump() {
                    Tok::Word(w) => patterns.push(w),
                    _ => return self.err("expected a case pattern"),
                }
                if *self.peek() == Tok::Op(Op::Pipe) {
                    self.bump();
                } else {
                    break;
                }
            }
            self.expect_op(Op::RParen, ")")?;
            let body = self.list()?;
            arms.push(CaseArm { patterns, body });
            match self.peek() {
                Tok::Op(Op::CaseEnd) => {
                    self.bump();
                }
                Tok::Word(w) if w.as_plain() == Some("esac") => {}
                _ => {
                    return self.err(format!(
                        "expected `;;` or `esac`, found {}",
                        describe(self.peek())
                    ))
                }
            }
        }
        Ok(Command::Case { word, arms, line })
    }

    fn double_bracket(&mut self, line: usize) -> Result<Command> {
        self.bump();
        let mut items = Vec::new();
        loop {
            match self.bump() {
                Tok::Word(w) if w.as_plain() == Some("]]") => break,
                Tok::Word(w) if w.as_plain() == Some("!") => items.push(CondItem::Op("!")),
                Tok::Word(w) => items.push(CondItem::Word(w)),
                Tok::Op(Op::AndIf) => items.push(CondItem::Op("&&")),
                Tok::Op(Op::OrIf) => items.push(CondItem::Op("||")),
                Tok::Op(Op::LParen) => items.push(CondItem::Op("(")),
                Tok::Op(Op::RParen) => items.push(CondItem::Op(")")),
                Tok::Redir(r) if r.fd.is_none() && (r.op == "<" || r.op == ">") => {
                    items.push(CondItem::Op(r.op));
                    items.push(CondItem::Word(r.target));
                }
                Tok::Newline => {}
                _ => {
                    return Err(ParseError {
                        line,
                        message: "expected `]]`".to_string(),
                    })
                }
            }
        }
        Ok(Command::DoubleBracket { items, line })
    }
}
