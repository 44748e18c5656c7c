//! A parser for the POSIX-sh subset found in entrypoint scripts.
//!
//! Supported: words with `'…'`, `"…"`, `\` escapes and `$'…'`; parameter expansions (`$X`,
//! `${X}`, `${X:-def}`, `${X#pat}`, `${X%pat}`, `${#X}`, `${!X}`, `"$@"`, `$1`…); command
//! substitution (`$(…)`, `` `…` ``) and arithmetic kept as opaque text; comments; `;`, `&`,
//! newlines, `&&`, `||`, `|`, `!`; redirections (parsed, ignored); assignment prefixes;
//! `if`, `case`, `for`, `while`, `until`, `{ …; }`, `( … )`, function definitions
//! (`f() { … }`, `function f { … }`); here-documents (bodies skipped); and the bash forms
//! `[[ … ]]`, `(( … ))`, `for ((…))`, `NAME=(array)`.
//!
//! Malformed input is an [`Err`] naming the line; parsing never panics and nesting is bounded.

pub use super::ast::*;
use super::lexer::Lexer;
use super::parser::Parser;

/// A syntax error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// The 1-based line where the error was found.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

/// Parses a script (or a `sh -c` string).
///
/// # Errors
///
/// A [`ParseError`] for unterminated quotes or substitutions, unbalanced compound commands,
/// unexpected operators or nesting beyond 64 levels.
pub fn parse(src: &str) -> Result<Script, ParseError> {
    let toks = Lexer::new(src).tokenize()?;
    Parser::new(toks).script()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Script {
        parse(src).unwrap_or_else(|e| panic!("{src:?}: {e}"))
    }

    fn simple(cmd: &Command) -> &SimpleCommand {
        match cmd {
            Command::Simple(s) => s,
            other => panic!("not a simple command: {other:?}"),
        }
    }

    fn first(script: &Script) -> &Command {
        &script.body[0].first.commands[0]
    }

    fn lit(s: &str) -> WordPart {
        WordPart::Lit(s.to_string())
    }

    fn param(name: &str, op: ParamOp, arg: Option<Vec<WordPart>>) -> WordPart {
        WordPart::Param(Box::new(ParamExp {
            name: name.to_string(),
            indirect: false,
            op,
            arg: arg.map(|parts| Word { parts, line: 1 }),
        }))
    }

    #[test]
    fn quoting_and_escapes() {
        let s = ok(r#"echo 'a b' "c $X d" e\ f "\$g" \"h"#);
        let words = &simple(first(&s)).words;
        assert_eq!(words.len(), 6);
        assert_eq!(words[1].parts, vec![WordPart::Quoted("a b".into())]);
        assert_eq!(
            words[2].parts,
            vec![WordPart::DQuoted(vec![
                lit("c "),
                param("X", ParamOp::Plain, None),
                lit(" d")
            ])]
        );
        assert_eq!(
            words[3].parts,
            vec![lit("e"), WordPart::Quoted(" ".into()), lit("f")]
        );
        assert_eq!(words[4].parts, vec![WordPart::DQuoted(vec![lit("$g")])]);
        assert_eq!(
            words[5].parts,
            vec![WordPart::Quoted("\"".into()), lit("h")]
        );
    }

    #[test]
    fn parameter_expansions() {
        let s =
            ok(r#"x "$@" "$*" $1 $# ${X} ${X:-def} ${X-d} ${1#-} ${X%%.*} ${#X} ${!X} ${1:0:1}"#);
        let words = &simple(first(&s)).words;
        let dq = |p: WordPart| vec![WordPart::DQuoted(vec![p])];
        assert_eq!(words[1].parts, dq(param("@", ParamOp::Plain, None)));
        assert_eq!(words[2].parts, dq(param("*", ParamOp::Plain, None)));
        assert_eq!(words[3].parts, vec![param("1", ParamOp::Plain, None)]);
        assert_eq!(words[4].parts, vec![param("#", ParamOp::Plain, None)]);
        assert_eq!(words[5].parts, vec![param("X", ParamOp::Plain, None)]);
        assert_eq!(
            words[6].parts,
            vec![param(
                "X",
                ParamOp::Default { colon: true },
                Some(vec![lit("def")])
            )]
        );
        assert_eq!(
            words[7].parts,
            vec![param(
                "X",
                ParamOp::Default { colon: false },
                Some(vec![lit("d")])
            )]
        );
        assert_eq!(
            words[8].parts,
            vec![param(
                "1",
                ParamOp::TrimPrefix { longest: false },
                Some(vec![lit("-")])
            )]
        );
        assert_eq!(
            words[9].parts,
            vec![param(
                "X",
                ParamOp::TrimSuffix { longest: true },
                Some(vec![lit(".*")])
            )]
        );
        assert_eq!(words[10].parts, vec![param("X", ParamOp::Length, None)]);
        let WordPart::Param(p) = &words[11].parts[0] else {
            panic!()
        };
        assert!(p.indirect);
        assert_eq!((p.name.as_str(), p.op), ("X", ParamOp::Plain));
        assert_eq!(
            words[12].parts,
            vec![param("1", ParamOp::Substring, Some(vec![lit("0:1")]))]
        );
    }

    #[test]
    fn nested_default_with_quotes_and_substitutions() {
        let s = ok(r#"exec "${CMD:-"$(command -v node)" --x}" `id -u` $((1 + 2))"#);
        let words = &simple(first(&s)).words;
        let WordPart::DQuoted(inner) = &words[1].parts[0] else {
            panic!()
        };
        let WordPart::Param(p) = &inner[0] else {
            panic!()
        };
        assert_eq!(p.op, ParamOp::Default { colon: true });
        assert_eq!(
            p.arg.as_ref().unwrap().parts,
            vec![
                WordPart::DQuoted(vec![WordPart::CmdSub("command -v node".into())]),
                lit(" --x")
            ]
        );
        assert_eq!(words[2].parts, vec![WordPart::CmdSub("id -u".into())]);
        assert_eq!(words[3].parts, vec![WordPart::Arith("1 + 2".into())]);
    }

    #[test]
    fn operators_lists_and_pipelines() {
        let s = ok("a && b || c; d & e | f\n! g");
        assert_eq!(s.body.len(), 4);
        assert_eq!(s.body[0].rest.len(), 2);
        assert_eq!(s.body[0].rest[0].0, AndOrOp::And);
        assert_eq!(s.body[0].rest[1].0, AndOrOp::Or);
        assert!(s.body[1].background);
        assert_eq!(s.body[2].first.commands.len(), 2);
        assert!(s.body[3].first.bang);
    }

    #[test]
    fn assignments_and_redirections() {
        let s = ok("FOO=bar BAZ= exec java >/dev/null 2>&1 -jar x.jar </dev/null");
        let c = simple(first(&s));
        assert_eq!(c.assigns.len(), 2);
        assert_eq!(c.assigns[0].name, "FOO");
        assert_eq!(c.assigns[0].value.parts, vec![lit("bar")]);
        assert!(c.assigns[1].value.parts.is_empty());
        let words: Vec<_> = c.words.iter().map(Word::to_text).collect();
        assert_eq!(words, ["exec", "java", "-jar", "x.jar"]);
        assert_eq!(c.redirects.len(), 3);
        assert_eq!(c.redirects[1].fd, Some(2));
        assert_eq!(c.redirects[1].op, ">&");
        assert!(c.redirects[0].redirects_stdout());
        assert!(!c.redirects[2].redirects_stdout());
    }

    #[test]
    fn if_elif_else() {
        let s = ok("if [ -z \"$1\" ]; then\n  a\nelif b; then c; else\n d\nfi");
        let Command::If {
            clauses,
            otherwise,
            line,
        } = first(&s)
        else {
            panic!()
        };
        assert_eq!(*line, 1);
        assert_eq!(clauses.len(), 2);
        assert_eq!(otherwise.as_ref().map(Vec::len), Some(1));
        let cond = simple(&clauses[0].0[0].first.commands[0]);
        assert_eq!(cond.words.last().unwrap().to_text(), "]");
        assert_eq!(simple(&clauses[0].1[0].first.commands[0]).line, 2);
    }

    #[test]
    fn case_arms() {
        let s =
            ok("case \"$1\" in\n  -*|'')  set -- app \"$@\" ;;\n  (web) exec web;;\n  *) ;;\nesac");
        let Command::Case { arms, .. } = first(&s) else {
            panic!()
        };
        assert_eq!(arms.len(), 3);
        assert_eq!(arms[0].patterns.len(), 2);
        assert_eq!(
            arms[0].patterns[1].parts,
            vec![WordPart::Quoted(String::new())]
        );
        assert_eq!(arms[1].patterns[0].to_text(), "web");
        assert!(arms[2].body.is_empty());
        ok("case x in a) b;; esac");
        ok("case x in\na)\nb\nesac");
    }

    #[test]
    fn loops() {
        let s = ok("for f in /a/*.sh \"$@\"; do . \"$f\"; done\nwhile [ $# -gt 0 ]; do shift; done\nuntil false\ndo :; done\nfor x; do :; done\nfor ((i=0;i<3;i++)); do :; done");
        let Command::For {
            var, items, body, ..
        } = &s.body[0].first.commands[0]
        else {
            panic!()
        };
        assert_eq!(var, "f");
        assert_eq!(items.as_ref().map(Vec::len), Some(2));
        assert_eq!(body.len(), 1);
        assert!(matches!(
            &s.body[1].first.commands[0],
            Command::Loop { until: false, .. }
        ));
        assert!(matches!(
            &s.body[2].first.commands[0],
            Command::Loop { until: true, .. }
        ));
        assert!(matches!(
            &s.body[3].first.commands[0],
            Command::For { items: None, .. }
        ));
        assert!(matches!(&s.body[4].first.commands[0], Command::Loop { .. }));
    }

    #[test]
    fn groups_functions_and_bash_forms() {
        let s = ok("{ a; b; }\n( c )\nf() { g \"$@\"; }\nfunction h {\n :\n}\nfunction k() ( : )\n[[ -n $x && $y == a* ]] && (( n++ ))\narr=(a 'b c')");
        assert!(matches!(&s.body[0].first.commands[0], Command::Brace(b) if b.len() == 2));
        assert!(matches!(&s.body[1].first.commands[0], Command::Subshell(_)));
        assert!(
            matches!(&s.body[2].first.commands[0], Command::FuncDef { name, .. } if name == "f")
        );
        assert!(
            matches!(&s.body[3].first.commands[0], Command::FuncDef { name, line: 4, .. } if name == "h")
        );
        assert!(matches!(
            &s.body[4].first.commands[0],
            Command::FuncDef { .. }
        ));
        let Command::DoubleBracket { items, .. } = &s.body[5].first.commands[0] else {
            panic!()
        };
        assert_eq!(items.len(), 6);
        assert_eq!(items[2], CondItem::Op("&&"));
        assert!(matches!(
            &s.body[5].rest[0].1.commands[0],
            Command::Arith(_)
        ));
        let c = simple(&s.body[6].first.commands[0]);
        assert_eq!(c.assigns[0].name, "arr");
        assert_eq!(
            c.assigns[0].value.parts,
            vec![WordPart::Array("(a 'b c')".into())]
        );
    }

    #[test]
    fn heredoc_bodies_are_skipped() {
        let src = "cat <<EOF >/tmp/x\nexec not-this $(neither)\nEOF\ncat <<-'END'\n\tstill ( not\n\tEND\nexec real\n";
        let s = ok(src);
        assert_eq!(s.body.len(), 3);
        let c = simple(&s.body[2].first.commands[0]);
        assert_eq!(c.words[1].to_text(), "real");
        assert_eq!(c.line, 7);
    }

    #[test]
    fn comments_and_continuations() {
        let s = ok("# comment\nexec a#b \\\n  c # trailing ) (\n");
        let c = simple(first(&s));
        assert_eq!(c.line, 2);
        let words: Vec<_> = c.words.iter().map(Word::to_text).collect();
        assert_eq!(words, ["exec", "a#b", "c"]);
    }

    #[test]
    fn malformed_input_is_an_error_with_its_line() {
        for (src, line) in [
            ("echo 'unterminated", 1),
            ("a\nb \"x", 2),
            ("if true; then\n a\n", 3),
            ("a\n)\n", 2),
            ("case x in a) b;;", 1),
            ("echo $(foo", 1),
            ("echo ${x", 1),
            ("while true; do", 1),
            ("{ a }", 1),
            ("a && ;", 1),
            ("echo >", 1),
            ("fi", 1),
            ("f() a", 1),
        ] {
            let err = parse(src).expect_err(src);
            assert_eq!(err.line, line, "{src:?}: {err}");
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = "(".repeat(10_000);
        assert!(parse(&deep).is_err());
        let deep = "$(".repeat(10_000);
        assert!(parse(&format!("echo {deep}")).is_err());
        let deep = "${x:-".repeat(10_000);
        assert!(parse(&format!("echo {deep}")).is_err());
        let deep = "if a; then ".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
