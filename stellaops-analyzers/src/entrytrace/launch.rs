//! Language launchers: which application does `java`/`node`/`python`/`dotnet` run?

use stellaops_core::entry_trace::TerminalKind;

use super::eval::Arg;
use super::paths::absolutize;
use super::ImageFs;

/// What a launcher's arguments say.
#[derive(Debug, Default)]
pub(crate) struct AppInfo {
    pub(crate) app: Vec<String>,
    pub(crate) notes: Vec<String>,
    /// Problems that make the application unknown or missing (become `Unresolved`).
    pub(crate) problems: Vec<String>,
}

/// The launcher kind for an interpreter's file name.
pub(crate) fn launcher_kind(name: &str) -> Option<TerminalKind> {
    match name {
        "java" => Some(TerminalKind::Java),
        "node" | "nodejs" => Some(TerminalKind::Node),
        "dotnet" => Some(TerminalKind::Dotnet),
        _ if is_python(name) => Some(TerminalKind::Python),
        _ => None,
    }
}

fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.bytes().all(|c| c.is_ascii_digit() || c == b'.'))
}

/// Reads the application out of a launcher's arguments (`args` excludes `argv[0]`).
pub(crate) fn analyze(
    kind: TerminalKind,
    args: &[Arg],
    cwd: Option<&str>,
    fs: &dyn ImageFs,
) -> AppInfo {
    let mut cx = Cx {
        info: AppInfo::default(),
        cwd,
        fs,
        args,
        i: 0,
    };
    match kind {
        TerminalKind::Java => cx.java(),
        TerminalKind::Node => cx.node(),
        TerminalKind::Python => cx.python(),
        TerminalKind::Dotnet => cx.dotnet(),
        _ => {}
    }
    cx.info
}

struct Cx<'a> {
    info: AppInfo,
    cwd: Option<&'a str>,
    fs: &'a dyn ImageFs,
    args: &'a [Arg],
    i: usize,
}

impl Cx<'_> {
    /// The next argument as text; unknown arguments are skipped with a note.
    fn next(&mut self) -> Option<String> {
        while let Some(a) = self.args.get(self.i) {
            self.i += 1;
            match a.known() {
                Some(s) => return Some(s.to_string()),
                None => {
                    let n =
                        "arguments of unknown value were skipped while looking for the application";
                    if !self.info.notes.iter().any(|x| x == n) {
                        self.info.notes.push(n.to_string());
                    }
                }
            }
        }
        None
    }

    /// The value of an option: the rest after `=`/the attached text, else the next argument.
    fn value(&mut self, attached: Option<&str>) -> Option<String> {
        match attached {
            Some(v) => Some(v.to_string()),
            None => self.next(),
        }
    }

    /// An application path made absolute and resolved in the image; a missing file is a
    /// problem and its absolute path is kept.
    fn path(&mut self, what: &str, p: &str) -> String {
        let abs = if p.starts_with('/') {
            absolutize("/", p)
        } else if let Some(cwd) = self.cwd {
            absolutize(cwd, p)
        } else {
            self.info.problems.push(format!(
                "{what} `{p}` is relative to a working directory not known statically"
            ));
            return p.to_string();
        };
        match self.fs.resolve(&abs) {
            Some(real) => real,
            None => {
                self.info
                    .problems
                    .push(format!("{what} `{abs}` not found in the image"));
                abs
            }
        }
    }

    fn java(&mut self) {
        let mut classpath: Option<String> = None;
        while let Some(a) = self.next() {
            let (opt, attached) = match a.split_once('=') {
                Some((o, v)) if a.starts_with("--") => (o.to_string(), Some(v.to_string())),
                _ => (a.clone(), None),
            };
            match opt.as_str() {
                "-jar" => {
                    if let Some(jar) = self.next() {
                        let p = self.path("jar", &jar);
                        self.info.app.push(p);
                    } else {
                        self.info
                            .problems
                            .push("`java -jar` without a jar".to_string());
                    }
                    return;
                }
                "-cp" | "-classpath" | "--class-path" => {
                    classpath = self.value(attached.as_deref())
                }
                "-m" | "--module" => {
                    if let Some(m) = self.value(attached.as_deref()) {
                        self.info.app.push(format!("module:{m}"));
                    }
                    return;
                }
                "-p"
                | "--module-path"
                | "--upgrade-module-path"
                | "--add-modules"
                | "--add-opens"
                | "--add-exports"
                | "--add-reads"
                | "--patch-module"
                | "--limit-modules"
                | "--enable-native-access"
                | "--source" => {
                    if attached.is_none() {
                        self.next();
                    }
                }
                "-version" | "--version" | "-help" | "--help" | "-h" | "-?" | "-showversion" => {
                    if opt != "-showversion" {
                        return;
                    }
                }
                _ if a.starts_with('@') => self
                    .info
                    .notes
                    .push(format!("argument file `{a}` not followed")),
                _ if a.starts_with('-') => {}
                _ => {
                    if a.to_ascii_lowercase().ends_with(".java") {
                        let p = self.path("source file", &a);
                        self.info.app.push(p);
                        return;
                    }
                    for entry in classpath
                        .as_deref()
                        .unwrap_or_default()
                        .split(':')
                        .filter(|e| !e.is_empty())
                    {
                        let p = match entry.strip_suffix("/*") {
                            Some(dir) => format!("{}/*", self.path("classpath directory", dir)),
                            None if entry == "*" || entry == "." => match self.cwd {
                                Some(cwd) => absolutize(cwd, entry),
                                None => entry.to_string(),
                            },
                            None => self.path("classpath entry", entry),
                        };
                        self.info.app.push(p);
                    }
                    self.info.app.push(format!("class:{a}"));
                    return;
                }
            }
        }
        self.info
            .problems
            .push("java: no -jar, main class or module found".to_string());
    }

    fn node(&mut self) {
        while let Some(a) = self.next() {
            match a.as_str() {
                "--" => {
                    if let Some(s) = self.next() {
                        self.node_script(&s);
                    }
                    return;
                }
                "-e" | "--eval" | "-p" | "--print" => {
                    self.info
                        .notes
                        .push("node runs inline code (-e/-p)".to_string());
                    return;
                }
                "-r"
                | "--require"
                | "--import"
                | "--loader"
                | "--experimental-loader"
                | "-C"
                | "--conditions"
                | "--env-file"
                | "--title"
                | "--input-type" => {
                    self.next();
                }
                "-" => return,
                _ if a.starts_with('-') => {}
                _ => {
                    self.node_script(&a);
                    return;
                }
            }
        }
    }

    /// Node resolves `app` as a file, then `app.js`, then `app/index.js`.
    fn node_script(&mut self, s: &str) {
        let Some(cwd) = self.cwd.or(s.starts_with('/').then_some("/")) else {
            let p = self.path("script", s);
            self.info.app.push(p);
            return;
        };
        let abs = absolutize(cwd, s);
        for candidate in [abs.clone(), format!("{abs}.js"), format!("{abs}/index.js")] {
            if let Some(real) = self.fs.resolve(&candidate) {
                if self.fs.is_file(&real) {
                    self.info.app.push(real);
                    return;
                }
            }
        }
        let p = self.path("script", s);
        self.info.app.push(p);
    }

    fn python(&mut self) {
        while let Some(a) = self.next() {
            if a == "--" {
                if let Some(s) = self.next() {
                    let p = self.path("script", &s);
                    self.info.app.push(p);
                }
                return;
            }
            if a == "-" {
                return;
            }
            if let Some(long) = a.strip_prefix("--") {
                if long == "check-hash-based-pycs" {
                    self.next();
                }
                continue;
            }
            if let Some(flags) = a.strip_prefix('-') {
                for (j, ch) in flags.char_indices() {
                    if matches!(ch, 'm' | 'c' | 'W' | 'X') {
                        let rest = &flags[j + ch.len_utf8()..];
                        let value = self.value((!rest.is_empty()).then_some(rest));
                        match ch {
                            'm' => {
                                if let Some(m) = value {
                                    self.info.app.push(format!("module:{m}"));
                                }
                                return;
                            }
                            'c' => {
                                self.info
                                    .notes
                                    .push("python runs inline code (-c)".to_string());
                                return;
                            }
                            _ => break,
                        }
                    }
                }
                continue;
            }
            let p = self.path("script", &a);
            self.info.app.push(p);
            return;
        }
    }

    fn dotnet(&mut self) {
        while let Some(a) = self.next() {
            match a.as_str() {
                "--additionalprobingpath"
                | "--additional-deps"
                | "--depsfile"
                | "--runtimeconfig"
                | "--fx-version"
                | "--roll-forward"
                | "--roll-forward-on-no-candidate-fx" => {
                    self.next();
                }
                "exec" => {}
                _ if a.starts_with('-') => {}
                _ => {
                    let lower = a.to_ascii_lowercase();
                    if lower.ends_with(".dll") || lower.ends_with(".exe") {
                        let p = self.path("assembly", &a);
                        self.info.app.push(p);
                    } else {
                        self.info.problems.push(format!(
                            "dotnet SDK command `{a}`: the application is not determined"
                        ));
                    }
                    return;
                }
            }
        }
    }
}
