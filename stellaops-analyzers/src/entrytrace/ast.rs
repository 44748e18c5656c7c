//! The syntax tree of the POSIX-sh subset found in entrypoint scripts.
//!
//! Lines are 1-based lines of the parsed text. Redirections are parsed (so that their words
//! are not mistaken for arguments) and kept only as far as the interpreter needs them.

/// A parsed script: a list of and-or lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// The top-level commands in order.
    pub body: Vec<AndOr>,
}

/// `p1 && p2 || p3`, optionally run in the background (`&`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    /// The first pipeline.
    pub first: Pipeline,
    /// The following pipelines with the operator before each.
    pub rest: Vec<(AndOrOp, Pipeline)>,
    /// Terminated by `&`.
    pub background: bool,
}

/// `&&` or `||`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    /// `&&`: run the next pipeline if this one succeeded.
    And,
    /// `||`: run the next pipeline if this one failed.
    Or,
}

/// `[!] c1 | c2 | …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// Status inverted by `!`.
    pub bang: bool,
    /// The commands; more than one means each runs in a subshell.
    pub commands: Vec<Command>,
}

/// One command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `A=1 prog arg… >redir`.
    Simple(SimpleCommand),
    /// `if … then … [elif … then …]… [else …] fi`.
    If {
        /// `(condition, body)` for the `if` and each `elif`.
        clauses: Vec<(Vec<AndOr>, Vec<AndOr>)>,
        /// The `else` body.
        otherwise: Option<Vec<AndOr>>,
        /// Line of `if`.
        line: usize,
    },
    /// `case WORD in pat|pat) … ;; esac`.
    Case {
        /// The word matched.
        word: Word,
        /// The arms in order.
        arms: Vec<CaseArm>,
        /// Line of `case`.
        line: usize,
    },
    /// `for NAME [in WORD…]; do … done`.
    For {
        /// The loop variable.
        var: String,
        /// The words, `None` for `"$@"`.
        items: Option<Vec<Word>>,
        /// The body.
        body: Vec<AndOr>,
        /// Line of `for`.
        line: usize,
    },
    /// `while`/`until COND; do … done`, and bash `for ((…)); do … done` (condition unknown).
    Loop {
        /// `until` rather than `while`.
        until: bool,
        /// The condition; empty for an arithmetic `for ((…))`.
        cond: Vec<AndOr>,
        /// The body.
        body: Vec<AndOr>,
        /// Line of the keyword.
        line: usize,
    },
    /// `{ …; }`.
    Brace(Vec<AndOr>),
    /// `( … )`.
    Subshell(Vec<AndOr>),
    /// `name() { … }` or `function name { … }`.
    FuncDef {
        /// The function name.
        name: String,
        /// The body (a compound command).
        body: Box<Command>,
        /// Line of the name.
        line: usize,
    },
    /// bash `[[ … ]]`, as its words and operators.
    DoubleBracket {
        /// Operands and operators between `[[` and `]]`.
        items: Vec<CondItem>,
        /// Line of `[[`.
        line: usize,
    },
    /// bash `(( … ))`, kept as text.
    Arith(String),
}

/// An item of a `[[ … ]]` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondItem {
    /// An operand or a word operator (`-f`, `==`, `=~`).
    Word(Word),
    /// `&&`, `||`, `!`, `(`, `)`, `<`, `>`.
    Op(&'static str),
}

/// One `case` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseArm {
    /// The `|`-separated patterns.
    pub patterns: Vec<Word>,
    /// The body.
    pub body: Vec<AndOr>,
}

/// A simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `NAME=value` prefixes (the whole command when `words` is empty).
    pub assigns: Vec<Assign>,
    /// The program and its arguments, before expansion.
    pub words: Vec<Word>,
    /// Redirections, in order.
    pub redirects: Vec<Redirect>,
    /// Line of the first token.
    pub line: usize,
}

/// `NAME=value` or `NAME+=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assign {
    /// The variable name (with a `[subscript]` if one was written).
    pub name: String,
    /// The value (not field-split).
    pub value: Word,
    /// `+=`.
    pub append: bool,
}

/// A redirection such as `2>&1`, `>/dev/null`, `<<EOF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The explicit file descriptor (`2` in `2>x`), if any.
    pub fd: Option<u32>,
    /// The operator (`>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `<>`, `>|`, `&>`, `&>>`).
    pub op: &'static str,
    /// The target word (the delimiter for here-documents).
    pub target: Word,
}

impl Redirect {
    /// Whether this redirection sends standard output somewhere else.
    pub fn redirects_stdout(&self) -> bool {
        let out = matches!(self.op, ">" | ">>" | ">|" | ">&" | "<>");
        (out && self.fd.is_none_or(|fd| fd == 1)) || matches!(self.op, "&>" | "&>>")
    }
}

/// A word: concatenated parts, expanded at run time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The parts in order.
    pub parts: Vec<WordPart>,
    /// Line of the first character.
    pub line: usize,
}

impl Word {
    /// The word's text when it is a single unquoted literal (used for reserved words).
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// The text with quotes removed and expansions written back as `$…` source (used for
    /// here-document delimiters and diagnostics).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            part.write_text(&mut out);
        }
        out
    }
}

/// A part of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    /// Unquoted text: subject to globbing (and `~` at the start of a word).
    Lit(String),
    /// Quoted text: `'…'`, a backslash-escaped character, or `$'…'`.
    Quoted(String),
    /// `"…"`: its parts are not field-split or globbed.
    DQuoted(Vec<WordPart>),
    /// `$X`, `${X…}`.
    Param(Box<ParamExp>),
    /// `$(…)` or `` `…` ``: the command text, parsed when evaluated.
    CmdSub(String),
    /// `$((…))`: the expression text.
    Arith(String),
    /// A bash array literal `(a b c)` after `NAME=`.
    Array(String),
}

impl WordPart {
    fn write_text(&self, out: &mut String) {
        match self {
            WordPart::Lit(s) | WordPart::Quoted(s) => out.push_str(s),
            WordPart::DQuoted(parts) => {
                for part in parts {
                    part.write_text(out);
                }
            }
            WordPart::Param(p) => {
                out.push_str("${");
                out.push_str(&p.name);
                out.push('}');
            }
            WordPart::CmdSub(s) => {
                out.push_str("$(");
                out.push_str(s);
                out.push(')');
            }
            WordPart::Arith(s) => {
                out.push_str("$((");
                out.push_str(s);
                out.push_str("))");
            }
            WordPart::Array(s) => out.push_str(s),
        }
    }
}

/// A parameter expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamExp {
    /// The parameter: a name, a positional number, or one of `@ * # ? - $ !`; may carry a
    /// bash `[subscript]`.
    pub name: String,
    /// bash `${!NAME…}`: the value names the variable to expand.
    pub indirect: bool,
    /// The operator.
    pub op: ParamOp,
    /// The operand word of the operator (`def` in `${X:-def}`), if the operator has one.
    pub arg: Option<Word>,
}

/// Parameter expansion operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    /// `$X`, `${X}`.
    Plain,
    /// `${#X}`.
    Length,
    /// `${X-w}` / `${X:-w}` (`colon`: also when empty).
    Default {
        /// Written with `:`.
        colon: bool,
    },
    /// `${X=w}` / `${X:=w}`.
    Assign {
        /// Written with `:`.
        colon: bool,
    },
    /// `${X?w}` / `${X:?w}`.
    Error {
        /// Written with `:`.
        colon: bool,
    },
    /// `${X+w}` / `${X:+w}`.
    Alt {
        /// Written with `:`.
        colon: bool,
    },
    /// `${X#p}` / `${X##p}`.
    TrimPrefix {
        /// `##`.
        longest: bool,
    },
    /// `${X%p}` / `${X%%p}`.
    TrimSuffix {
        /// `%%`.
        longest: bool,
    },
    /// bash `${X:offset[:length]}`; the operand holds `offset[:length]`.
    Substring,
    /// bash `${X/p/r}` and friends, case modification, `${X@Q}`: not evaluated.
    Other,
}
