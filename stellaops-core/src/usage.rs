//! The usage view: which components the image's entrypoint really runs and loads.
//!
//! From an [`EntryTrace`], the closure is: every program the trace executes (wrappers,
//! scripts, the terminal program), the shared libraries those load (ld.so search order:
//! `DT_RPATH` when there is no `DT_RUNPATH`, `LD_LIBRARY_PATH` from the image's Env,
//! `DT_RUNPATH`, `ld.so.conf` and its includes, the default directories; `$ORIGIN` expanded),
//! the interpreter's runtime (the package owning the interpreter binary), and the
//! application's own packages: the jar with its manifest `Class-Path` and nested archives,
//! `node_modules` resolvable from the script's directory, the interpreter's site-packages,
//! and the packages a Go or Rust binary embeds. Components owning any file of the closure
//! get [`Component::used_by_entrypoint`].
//!
//! **Architecture Invariant:** a pure function of the fragments and the trace, like
//! [`crate::compose`].

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::compose::{Component, Inventory};
use crate::entry_trace::{EntryTrace, TerminalKind};
use crate::fragment::{Fact, LayerFragment};
use crate::model::PackageKind;
use crate::tree::MergedTree;

/// Default library directories of the GNU dynamic loader (after `ld.so.cache`).
const DEFAULT_LIB_DIRS: [&str; 6] = [
    "lib",
    "usr/lib",
    "lib64",
    "usr/lib64",
    "lib/x86_64-linux-gnu",
    "usr/lib/x86_64-linux-gnu",
];
/// `PATH` when the image's Env sets none (Docker's default).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Most files walked in one closure.
const MAX_CLOSURE: usize = 100_000;

/// What the closure reached: real paths (normalised, no leading `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closure {
    /// Files executed or loaded.
    pub files: BTreeSet<String>,
    /// Directory prefixes whose language packages are all in use (`node_modules`,
    /// site-packages), each ending in `/`.
    pub package_dirs: BTreeSet<String>,
    /// Directories of the interpreter's own runtime (Python's standard library, the
    /// distribution's global Node.js modules), each ending in `/`: OS packages owning files
    /// there are in use.
    pub runtime_dirs: BTreeSet<String>,
    /// Library names no search directory held (`libfoo.so.1`), for the unknowns registry.
    pub missing_libraries: BTreeSet<String>,
}

/// Compute the closure of `trace` in the image and mark the components it reaches.
pub fn mark(fragments: &[LayerFragment], trace: &EntryTrace, inventory: &mut Inventory) -> Closure {
    let tree = MergedTree::build(fragments);
    let facts: HashMap<&str, &Fact> = tree.visible_facts(fragments).collect();
    let mut search = closure(&tree, &facts, trace);
    mark_components(&tree, &search.closure, &mut inventory.components);
    // Native code of the application's packages (Python extension modules, Node addons)
    // loads its own libraries: add the binaries used packages own, until nothing changes.
    // Only code the running platform loads: binaries of the interpreter's format (a Python
    // package may ship Windows launchers).
    let format = trace
        .terminal
        .as_ref()
        .and_then(|t| search.real(&t.program))
        .and_then(|p| search.binary(&p).map(|i| i.format))
        .unwrap_or(crate::binary::BinaryFormat::Elf);
    for _ in 0..4 {
        let before = search.closure.files.len();
        let mut native: Vec<String> = Vec::new();
        for c in inventory.components.iter().filter(|c| c.used_by_entrypoint) {
            if matches!(c.package.kind, PackageKind::Pypi | PackageKind::Npm) {
                native.extend(
                    c.binaries
                        .iter()
                        .filter(|b| {
                            // Libraries the interpreter loads (extension modules, addons), not
                            // programs a package ships (a wheel's `bin/` tools).
                            search.real(b).and_then(|r| {
                                search.binary(&r).map(|i| {
                                    i.format == format
                                        && i.kind == crate::binary::BinaryKind::SharedLibrary
                                })
                            }) == Some(true)
                        })
                        .cloned(),
                );
            }
        }
        for b in native {
            search.add(&b);
        }
        search.run();
        if search.closure.files.len() == before {
            break;
        }
        mark_components(&tree, &search.closure, &mut inventory.components);
    }
    search.closure
}

fn rel(path: &str) -> &str {
    path.trim_start_matches('/')
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, name: &str) -> String {
    if name.starts_with('/') || dir.is_empty() {
        rel(name).to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

struct Search<'t, 'a> {
    tree: &'t MergedTree<'a>,
    facts: &'t HashMap<&'a str, &'a Fact>,
    ld_library_path: Vec<String>,
    /// `PATH` from the image's Env (or the default), for `#!/usr/bin/env X`.
    path: Vec<String>,
    conf_dirs: Vec<String>,
    /// `DT_RPATH` directories inherited from the objects that loaded a library.
    loader_rpaths: HashMap<String, Vec<String>>,
    closure: Closure,
    queue: VecDeque<String>,
}

impl Search<'_, '_> {
    fn real(&self, path: &str) -> Option<String> {
        self.tree.resolve(rel(path)).ok()
    }

    fn add(&mut self, path: &str) {
        let Some(real) = self.real(path) else {
            return;
        };
        if self.closure.files.len() < MAX_CLOSURE && self.closure.files.insert(real.clone()) {
            self.queue.push_back(real);
        }
    }

    /// The `#!` interpreter of a script (and the program `env` runs, found through `PATH`).
    fn add_interpreter(&mut self, shebang: &str) {
        let mut words = shebang.split_whitespace();
        let Some(interpreter) = words.next() else {
            return;
        };
        self.add(interpreter);
        if interpreter.rsplit('/').next() == Some("env") {
            if let Some(program) = words.find(|w| !w.starts_with('-') && !w.contains('=')) {
                let found = self
                    .path
                    .iter()
                    .map(|dir| format!("{}/{program}", dir.trim_end_matches('/')))
                    .find(|candidate| self.real(candidate).is_some());
                if let Some(found) = found {
                    self.add(&found);
                }
            }
        }
    }

    fn binary(&self, real: &str) -> Option<&crate::binary::BinaryInfo> {
        match self.facts.get(real) {
            Some(Fact::Binary { info, .. }) => Some(info),
            _ => None,
        }
    }

    fn run(&mut self) {
        while let Some(file) = self.queue.pop_front() {
            if let Some(Fact::Script { shebang, .. }) = self.facts.get(file.as_str()) {
                self.add_interpreter(shebang);
                continue;
            }
            let Some(info) = self.binary(&file).cloned() else {
                continue;
            };
            if let Some(interp) = &info.interpreter {
                self.add(interp);
            }
            let origin = parent(&file).to_owned();
            let expand = |dirs: &[String]| -> Vec<String> {
                dirs.iter()
                    .map(|d| {
                        d.replace("$ORIGIN", &format!("/{origin}"))
                            .replace("${ORIGIN}", &format!("/{origin}"))
                    })
                    .collect()
            };
            // DT_RPATH applies when there is no DT_RUNPATH: the object's own, then those of
            // the objects that loaded it, up to the executable.
            let chain = self.loader_rpaths.get(&file).cloned().unwrap_or_default();
            let mut own_chain: Vec<String> = Vec::new();
            if info.runpath.is_empty() {
                own_chain.extend(expand(&info.rpath));
                own_chain.extend(chain.iter().cloned());
            }
            let mut dirs: Vec<String> = own_chain.clone();
            dirs.extend(self.ld_library_path.iter().cloned());
            dirs.extend(expand(&info.runpath));
            dirs.extend(self.conf_dirs.iter().cloned());
            dirs.extend(DEFAULT_LIB_DIRS.iter().map(|d| format!("/{d}")));
            for lib in &info.needed {
                if lib.contains('/') {
                    self.add(&join(&origin, lib));
                    continue;
                }
                let found = dirs
                    .iter()
                    .map(|d| join("", &format!("{}/{lib}", d.trim_end_matches('/'))))
                    .find_map(|candidate| {
                        let real = self.real(&candidate)?;
                        self.binary(&real).is_some().then_some(real)
                    });
                match found {
                    Some(real) => {
                        self.loader_rpaths
                            .entry(real.clone())
                            .or_insert_with(|| own_chain.clone());
                        self.add(&real);
                    }
                    None => {
                        self.closure.missing_libraries.insert(lib.clone());
                    }
                }
            }
        }
    }
}

/// `ld.so.conf` directories, includes expanded (only `dir/*.conf`-style globs), in order.
fn ld_so_conf_dirs(tree: &MergedTree<'_>, facts: &HashMap<&str, &Fact>) -> Vec<String> {
    let mut dirs = Vec::new();
    let mut todo = vec!["etc/ld.so.conf".to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(conf) = todo.pop() {
        if !seen.insert(conf.clone()) || seen.len() > 256 {
            continue;
        }
        let Some(Fact::LdSoConf { dirs: d, includes }) = facts.get(conf.as_str()) else {
            continue;
        };
        dirs.extend(d.iter().cloned());
        let mut expanded = Vec::new();
        for pattern in includes {
            let pattern = join(parent(&conf), pattern);
            let (dir, glob) = pattern.rsplit_once('/').unwrap_or(("", pattern.as_str()));
            let (prefix, suffix) = glob.split_once('*').unwrap_or((glob, ""));
            let dir_slash = format!("{dir}/");
            let mut matches: Vec<String> = tree
                .iter()
                .filter_map(|(p, _)| {
                    let name = p.strip_prefix(&dir_slash)?;
                    (!name.contains('/')
                        && name.starts_with(prefix)
                        && name.ends_with(suffix)
                        && (glob.contains('*') || name == glob))
                        .then(|| p.to_owned())
                })
                .collect();
            matches.sort();
            expanded.extend(matches);
        }
        todo.extend(expanded.into_iter().rev());
    }
    dirs
}

fn env_value<'e>(env: &'e [String], key: &str) -> Option<&'e str> {
    env.iter()
        .rev()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

fn closure<'t, 'a>(
    tree: &'t MergedTree<'a>,
    facts: &'t HashMap<&'a str, &'a Fact>,
    trace: &EntryTrace,
) -> Search<'t, 'a> {
    let env = &trace.config.env;
    let split = |v: Option<&str>| -> Vec<String> {
        v.map(|s| {
            s.split(':')
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
    };
    let mut search = Search {
        tree,
        facts,
        ld_library_path: split(env_value(env, "LD_LIBRARY_PATH")),
        path: split(Some(env_value(env, "PATH").unwrap_or(DEFAULT_PATH))),
        conf_dirs: ld_so_conf_dirs(tree, facts),
        loader_rpaths: HashMap::new(),
        closure: Closure::default(),
        queue: VecDeque::new(),
    };
    for step in &trace.steps {
        if let Some(program) = &step.resolved {
            search.add(program);
        }
    }
    if let Some(terminal) = &trace.terminal {
        search.add(&terminal.program);
        for app in &terminal.app {
            if app.starts_with("module:") || app.starts_with("class:") {
                continue;
            }
            // A Java class-path wildcard (`lib/*`): every jar of that directory.
            if let Some(dir) = app.strip_suffix("/*") {
                // Tars often omit directory entries: an unresolvable directory is taken as written.
                let real_dir = search.real(dir).unwrap_or_else(|| rel(dir).to_owned());
                {
                    let prefix = format!("{real_dir}/");
                    let jars: Vec<String> = tree
                        .iter()
                        .filter(|(p, _)| {
                            p.strip_prefix(&prefix).is_some_and(|name| {
                                !name.contains('/')
                                    && (name.ends_with(".jar") || name.ends_with(".JAR"))
                            })
                        })
                        .map(|(p, _)| p.to_owned())
                        .collect();
                    for jar in jars {
                        search.add(&jar);
                    }
                }
                continue;
            }
            search.add(app);
        }
        let programs: Vec<String> = trace
            .steps
            .iter()
            .filter(|s| s.program.starts_with('/'))
            .map(|s| s.program.clone())
            .collect();
        app_packages(&mut search, terminal, env, &programs);
    }
    search.run();
    search
}

/// The application's own packages for each launcher kind.
fn app_packages(
    search: &mut Search<'_, '_>,
    terminal: &crate::entry_trace::Terminal,
    env: &[String],
    steps_programs: &[String],
) {
    match terminal.kind {
        TerminalKind::Java => {
            let jars: Vec<String> = terminal.app.iter().filter_map(|a| search.real(a)).collect();
            for jar in jars {
                if let Some(Fact::LangPackages { class_path, .. }) = search.facts.get(jar.as_str())
                {
                    for entry in class_path.clone() {
                        let entry = entry.strip_prefix("file:").unwrap_or(&entry).to_owned();
                        search.add(&join(parent(&jar), &entry));
                    }
                }
            }
        }
        TerminalKind::Node => {
            let mut dirs: Vec<String> = terminal
                .app
                .iter()
                .filter_map(|a| search.real(a))
                .map(|real| parent(&real).to_owned())
                .collect();
            if dirs.is_empty() {
                dirs.push(rel(terminal.working_dir.as_deref().unwrap_or("/")).to_owned());
            }
            for start in dirs {
                let mut dir = start.as_str();
                loop {
                    let nm = if dir.is_empty() {
                        "node_modules/".to_owned()
                    } else {
                        format!("{dir}/node_modules/")
                    };
                    search.closure.package_dirs.insert(nm);
                    if dir.is_empty() {
                        break;
                    }
                    dir = parent(dir);
                }
            }
            // Distribution-wide module directories `require` also searches (Debian).
            for global in ["usr/share/nodejs/", "usr/lib/nodejs/"] {
                if search.tree.iter().any(|(p, _)| p.starts_with(global)) {
                    search.closure.package_dirs.insert(global.to_owned());
                    search.closure.runtime_dirs.insert(global.to_owned());
                }
            }
            for extra in env_value(env, "NODE_PATH").unwrap_or("").split(':') {
                if !extra.is_empty() {
                    search
                        .closure
                        .package_dirs
                        .insert(format!("{}/", rel(extra).trim_end_matches('/')));
                }
            }
        }
        TerminalKind::Python => {
            // The interpreter's prefix: `<prefix>/bin/python3.X`; a venv has pyvenv.cfg.
            let Some(program) = search.real(&terminal.program) else {
                return;
            };
            let name = program.rsplit('/').next().unwrap_or("");
            let version = name.strip_prefix("python").unwrap_or("");
            let mut prefixes = vec![
                parent(parent(&program)).to_owned(),
                "usr".to_owned(),
                "usr/local".to_owned(),
            ];
            // A virtual environment: the interpreter as invoked (`/opt/venv/bin/python`, a
            // symlink to the base interpreter) or `VIRTUAL_ENV`, with a `pyvenv.cfg`.
            let invoked = steps_programs
                .iter()
                .map(|p| parent(parent(rel(p))).to_owned());
            let from_env =
                env_value(env, "VIRTUAL_ENV").map(|v| rel(v).trim_end_matches('/').to_owned());
            for venv in invoked.chain(from_env) {
                let cfg = if venv.is_empty() {
                    "pyvenv.cfg".to_owned()
                } else {
                    format!("{venv}/pyvenv.cfg")
                };
                if search.tree.get(&cfg).is_some() && !prefixes.contains(&venv) {
                    prefixes.push(venv);
                }
            }
            let mut lib_dirs: Vec<String> = Vec::new();
            let base = |p: &str| {
                if p.is_empty() {
                    String::new()
                } else {
                    format!("{p}/")
                }
            };
            // Debian puts packages in dist-packages of /usr/lib/python3 and
            // /usr/local/lib/python3.X; everyone else in site-packages.
            for p in prefixes.iter().map(String::as_str) {
                lib_dirs.push(format!("{}lib/python3/dist-packages/", base(p)));
                let prefix_lib = format!("{}lib/", base(p));
                for (path, _) in search.tree.iter() {
                    if let Some(rest) = path.strip_prefix(&prefix_lib) {
                        if let Some((dir, _)) = rest.split_once('/') {
                            if dir.starts_with("python3")
                                && (version.is_empty()
                                    || version == "3"
                                    || dir == format!("python{version}"))
                            {
                                lib_dirs.push(format!("{prefix_lib}{dir}/site-packages/"));
                                lib_dirs.push(format!("{prefix_lib}{dir}/dist-packages/"));
                            }
                        }
                    }
                }
            }
            for extra in env_value(env, "PYTHONPATH").unwrap_or("").split(':') {
                if !extra.is_empty() {
                    lib_dirs.push(format!("{}/", rel(extra).trim_end_matches('/')));
                }
            }
            for app in &terminal.app {
                if let Some(real) = search.real(app) {
                    lib_dirs.push(format!("{}/", parent(&real)));
                }
            }
            lib_dirs.sort();
            lib_dirs.dedup();
            search.closure.package_dirs.extend(lib_dirs);
            // The standard library of the interpreter that runs: `<prefix>/lib/pythonX.Y/`
            // (its own site-/dist-packages excluded: those are packages, marked above).
            if version.contains('.') {
                search
                    .closure
                    .runtime_dirs
                    .insert(format!("{}/lib/python{version}/", parent(parent(&program))));
            }
        }
        TerminalKind::Dotnet => {
            for app in terminal.app.clone() {
                if let Some(real) = search.real(&app) {
                    if let Some(stem) = real.strip_suffix(".dll") {
                        search.add(&format!("{stem}.deps.json"));
                    }
                }
            }
        }
        _ => {}
    }
}

/// Mark the components owning a file of the closure or living in a used package directory.
fn mark_components(tree: &MergedTree<'_>, closure: &Closure, components: &mut [Component]) {
    let in_dirs = |location: &str| {
        let loc = rel(location);
        closure
            .package_dirs
            .iter()
            .any(|d| loc.starts_with(d.as_str()))
    };
    let names: std::collections::HashSet<&str> = closure
        .files
        .iter()
        .map(|f| f.rsplit('/').next().unwrap_or(f))
        .collect();
    let in_files = |path: &str| {
        let p = rel(path);
        if closure.files.contains(p) {
            return true;
        }
        // Only a path through a symlinked directory can differ from the real one.
        names.contains(p.rsplit('/').next().unwrap_or(p))
            && tree
                .resolve(p)
                .ok()
                .is_some_and(|real| closure.files.contains(&real))
    };
    for c in components.iter_mut() {
        let location = rel(&c.location);
        let archive = location.split('!').next().unwrap_or(location);
        let used = match c.package.kind {
            PackageKind::Deb | PackageKind::Apk | PackageKind::Rpm => {
                c.package.files.iter().any(|f| {
                    in_files(f) || {
                        let f = rel(f);
                        closure.runtime_dirs.iter().any(|d| {
                            f.starts_with(d.as_str())
                                && !f[d.len()..].starts_with("site-packages/")
                                && !f[d.len()..].starts_with("dist-packages/")
                        })
                    }
                })
            }
            PackageKind::Binary => c.binaries.iter().any(|b| in_files(b)),
            PackageKind::Npm | PackageKind::Pypi => in_dirs(location) || in_files(location),
            _ => in_files(archive) || c.binaries.iter().any(|b| in_files(b)),
        };
        c.used_by_entrypoint = used;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binary::{BinaryFormat, BinaryInfo};
    use crate::entry_trace::{Terminal, TerminalKind};
    use crate::fragment::{Entry, EntryKind};
    use crate::lang::{Confidence, Evidence, LangEcosystem, LangPackage};

    fn elf(needed: &[&str], rpath: &[&str], runpath: &[&str]) -> Fact {
        let mut info = BinaryInfo::new(BinaryFormat::Elf);
        info.needed = needed.iter().map(|s| (*s).to_owned()).collect();
        info.rpath = rpath.iter().map(|s| (*s).to_owned()).collect();
        info.runpath = runpath.iter().map(|s| (*s).to_owned()).collect();
        Fact::Binary {
            sha256: String::new(),
            info,
            packages: Vec::new(),
        }
    }

    fn maven(location: &str) -> LangPackage {
        LangPackage {
            ecosystem: LangEcosystem::Maven,
            namespace: Some("g".into()),
            name: "a".into(),
            version: "1".into(),
            purl: "pkg:maven/g/a@1".into(),
            licenses: Vec::new(),
            evidence: Evidence::Installed,
            confidence: Confidence::High,
            location: location.into(),
            hashes: Default::default(),
            files: Vec::new(),
            properties: Default::default(),
        }
    }

    fn fragment(files: Vec<(&str, Option<Fact>)>) -> LayerFragment {
        let mut f = LayerFragment::default();
        for (path, fact) in files {
            f.entries.push(Entry {
                path: path.to_owned(),
                kind: EntryKind::File { size: 1 },
            });
            if let Some(fact) = fact {
                f.facts.insert(path.to_owned(), fact);
            }
        }
        f
    }

    fn trace(program: &str, kind: TerminalKind, app: &[&str]) -> EntryTrace {
        EntryTrace {
            terminal: Some(Terminal {
                program: program.into(),
                kind,
                app: app.iter().map(|s| (*s).to_owned()).collect(),
                working_dir: None,
                user: None,
            }),
            ..EntryTrace::default()
        }
    }

    #[test]
    fn library_search_follows_ld_so_rules() {
        // The executable's DT_RPATH reaches libb, needed by liba (which has no RUNPATH);
        // libc is found through ld.so.conf's include; libmissing nowhere.
        let fragments = vec![fragment(vec![
            (
                "app/bin/prog",
                Some(elf(&["liba.so"], &["$ORIGIN/../lib"], &[])),
            ),
            ("app/lib/liba.so", Some(elf(&["libb.so"], &[], &[]))),
            ("app/lib/libb.so", Some(elf(&["libc.so.6"], &[], &[]))),
            ("opt/c/libc.so.6", Some(elf(&["libmissing.so"], &[], &[]))),
            (
                "etc/ld.so.conf",
                Some(Fact::LdSoConf {
                    dirs: vec![],
                    includes: vec!["/etc/ld.so.conf.d/*.conf".into()],
                }),
            ),
            (
                "etc/ld.so.conf.d/c.conf",
                Some(Fact::LdSoConf {
                    dirs: vec!["/opt/c".into()],
                    includes: vec![],
                }),
            ),
        ])];
        let mut inventory = Inventory::default();
        let closure = mark(
            &fragments,
            &trace("/app/bin/prog", TerminalKind::Native, &[]),
            &mut inventory,
        );
        let files: Vec<&str> = closure.files.iter().map(String::as_str).collect();
        assert_eq!(
            files,
            [
                "app/bin/prog",
                "app/lib/liba.so",
                "app/lib/libb.so",
                "opt/c/libc.so.6"
            ]
        );
        assert_eq!(
            closure.missing_libraries.iter().collect::<Vec<_>>(),
            ["libmissing.so"]
        );
    }

    #[test]
    fn runpath_stops_rpath_inheritance() {
        let fragments = vec![fragment(vec![
            ("app/bin/prog", Some(elf(&["liba.so"], &["/app/lib"], &[]))),
            (
                "app/lib/liba.so",
                Some(elf(&["libb.so"], &[], &["/nowhere"])),
            ),
            ("app/lib/libb.so", Some(elf(&[], &[], &[]))),
        ])];
        let closure = mark(
            &fragments,
            &trace("/app/bin/prog", TerminalKind::Native, &[]),
            &mut Inventory::default(),
        );
        assert!(!closure.files.contains("app/lib/libb.so"));
        assert!(closure.missing_libraries.contains("libb.so"));
    }

    #[test]
    fn java_class_path_nested_jars_and_wildcards() {
        let app_jar = Fact::LangPackages {
            packages: vec![
                maven("/opt/app/app.jar"),
                maven("/opt/app/app.jar!/BOOT-INF/lib/x.jar"),
            ],
            main_class: Some("Main".into()),
            class_path: vec!["lib/dep.jar".into()],
        };
        let fragments = vec![fragment(vec![
            ("usr/bin/java", Some(elf(&[], &[], &[]))),
            ("opt/app/app.jar", Some(app_jar)),
            ("opt/app/lib/dep.jar", None),
            ("opt/ext/one.jar", None),
            ("opt/unused/other.jar", None),
        ])];
        let closure = mark(
            &fragments,
            &trace(
                "/usr/bin/java",
                TerminalKind::Java,
                &["/opt/app/app.jar", "/opt/ext/*", "class:Main"],
            ),
            &mut Inventory::default(),
        );
        for f in ["opt/app/app.jar", "opt/app/lib/dep.jar", "opt/ext/one.jar"] {
            assert!(closure.files.contains(f), "{f}: {closure:?}");
        }
        assert!(!closure.files.contains("opt/unused/other.jar"));
    }
}
