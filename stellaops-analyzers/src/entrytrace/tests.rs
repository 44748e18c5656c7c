//! Resolver tests over an in-memory image with real-world entrypoints.

use std::collections::BTreeMap;

use stellaops_core::entry_trace::{EntryConfig, EntryTrace, StepKind, StepVia, TerminalKind};

use super::paths::absolutize;
use super::{trace, ImageFs};

enum Node {
    Native,
    Script(String),
    /// A regular file that is neither (a jar, a `.js`), with its execute bit.
    Data(bool),
    Link(String),
    Dir,
}

/// An image as a map of absolute paths.
#[derive(Default)]
struct MemFs {
    nodes: BTreeMap<String, Node>,
}

impl MemFs {
    fn native(mut self, path: &str) -> Self {
        self.nodes.insert(path.to_string(), Node::Native);
        self
    }

    fn script(mut self, path: &str, text: &str) -> Self {
        self.nodes
            .insert(path.to_string(), Node::Script(text.to_string()));
        self
    }

    fn data(mut self, path: &str) -> Self {
        self.nodes.insert(path.to_string(), Node::Data(false));
        self
    }

    fn link(mut self, path: &str, target: &str) -> Self {
        self.nodes
            .insert(path.to_string(), Node::Link(target.to_string()));
        self
    }

    fn dir(mut self, path: &str) -> Self {
        self.nodes.insert(path.to_string(), Node::Dir);
        self
    }

    /// A Debian-like base: dash as `/bin/sh`, bash, coreutils' env, `id`.
    fn debian() -> Self {
        MemFs::default()
            .native("/bin/dash")
            .link("/bin/sh", "dash")
            .native("/bin/bash")
            .native("/usr/bin/env")
            .native("/usr/bin/id")
            .native("/bin/mkdir")
            .native("/usr/bin/find")
            .dir("/root")
            .dir("/tmp")
    }

    /// An Alpine-like base: everything is busybox.
    fn alpine() -> Self {
        MemFs::default()
            .native("/bin/busybox")
            .link("/bin/sh", "/bin/busybox")
            .link("/usr/bin/env", "/bin/busybox")
    }
}

impl ImageFs for MemFs {
    fn resolve(&self, path: &str) -> Option<String> {
        let mut out = String::from("/");
        let mut hops = 0;
        let mut pending: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        pending.reverse();
        while let Some(seg) = pending.pop() {
            let candidate = absolutize(&out, &seg);
            match self.nodes.get(&candidate) {
                Some(Node::Link(target)) => {
                    hops += 1;
                    if hops > 40 {
                        return None;
                    }
                    let target = absolutize(&out, target);
                    out = "/".to_string();
                    for s in target.split('/').filter(|s| !s.is_empty()).rev() {
                        pending.push(s.to_string());
                    }
                }
                Some(_) => out = candidate,
                None => {
                    let prefix = format!("{candidate}/");
                    if !self.nodes.keys().any(|k| k.starts_with(&prefix)) {
                        return None;
                    }
                    out = candidate;
                }
            }
        }
        Some(out)
    }

    fn is_file(&self, real: &str) -> bool {
        matches!(
            self.nodes.get(real),
            Some(Node::Native | Node::Script(_) | Node::Data(_))
        )
    }

    fn script(&self, real: &str) -> Option<&str> {
        match self.nodes.get(real) {
            Some(Node::Script(s)) => Some(s),
            _ => None,
        }
    }

    fn is_native(&self, real: &str) -> bool {
        matches!(self.nodes.get(real), Some(Node::Native))
    }

    fn is_executable(&self, real: &str) -> Option<bool> {
        match self.nodes.get(real)? {
            Node::Native | Node::Script(_) => Some(true),
            Node::Data(x) => Some(*x),
            Node::Link(_) | Node::Dir => None,
        }
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

fn config(
    entrypoint: &[&str],
    cmd: &[&str],
    env: &[&str],
    working_dir: Option<&str>,
) -> EntryConfig {
    EntryConfig {
        entrypoint: strings(entrypoint),
        cmd: strings(cmd),
        env: strings(env),
        working_dir: working_dir.map(str::to_string),
        user: None,
    }
}

/// One line per step: `kind program -> resolved (via @ evidence)`.
fn chain(t: &EntryTrace) -> Vec<String> {
    t.steps
        .iter()
        .map(|s| {
            format!(
                "{:?} {} -> {} ({:?} @ {})",
                s.kind,
                s.program,
                s.resolved.as_deref().unwrap_or("?"),
                s.via,
                s.evidence
            )
        })
        .collect()
}

/// `(kind, program, app, working dir)` of the terminal.
fn terminal(t: &EntryTrace) -> (TerminalKind, &str, Vec<&str>, Option<&str>) {
    let term = t
        .terminal
        .as_ref()
        .unwrap_or_else(|| panic!("no terminal: {t:#?}"));
    (
        term.kind,
        term.program.as_str(),
        term.app.iter().map(String::as_str).collect(),
        term.working_dir.as_deref(),
    )
}

const NODE_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// `docker-entrypoint.sh` of the official `node` images (nodejs/docker-node).
const NODE_ENTRYPOINT: &str = r#"#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
"#;

fn node_image() -> MemFs {
    MemFs::debian()
        .script("/usr/local/bin/docker-entrypoint.sh", NODE_ENTRYPOINT)
        .native("/usr/local/bin/node")
        .link("/usr/local/bin/nodejs", "node")
        .data("/app/server.js")
        .data("/app/dist/index.js")
}

fn node(cmd: &[&str]) -> EntryTrace {
    let cfg = config(
        &["docker-entrypoint.sh"],
        cmd,
        &[NODE_PATH, "NODE_VERSION=22.12.0"],
        Some("/app"),
    );
    trace(&cfg, &node_image())
}

#[test]
fn node_official_entrypoint_runs_node() {
    let t = node(&["node"]);
    assert_eq!(
        chain(&t),
        [
            "Script docker-entrypoint.sh -> /usr/local/bin/docker-entrypoint.sh (Config @ config:Entrypoint)",
            "Launcher node -> /usr/local/bin/node (Exec @ /usr/local/bin/docker-entrypoint.sh:11)",
        ]
    );
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Node,
            "/usr/local/bin/node",
            vec![],
            Some("/app")
        )
    );
    assert!(t.unresolved.is_empty(), "{:?}", t.unresolved);
    assert!(t.steps[0].notes.is_empty(), "{:?}", t.steps[0].notes);
}

#[test]
fn node_official_entrypoint_prepends_node_for_a_script_or_a_flag() {
    let t = node(&["server.js"]);
    assert_eq!(t.steps[1].argv, ["node", "server.js"]);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Node,
            "/usr/local/bin/node",
            vec!["/app/server.js"],
            Some("/app")
        )
    );

    let t = node(&["--max-old-space-size=512", "dist"]);
    assert_eq!(
        t.steps[1].argv,
        ["node", "--max-old-space-size=512", "dist"]
    );
    assert_eq!(terminal(&t).2, ["/app/dist/index.js"]);

    // A file that is not executable is run with node; an executable one as is.
    let t = node(&["/app/server.js"]);
    assert_eq!(t.steps[1].argv, ["node", "/app/server.js"]);
    let fs = node_image().script("/app/run.sh", "#!/bin/sh\nexec node /app/server.js\n");
    let cfg = config(
        &["docker-entrypoint.sh"],
        &["./run.sh"],
        &[NODE_PATH],
        Some("/app"),
    );
    let t = trace(&cfg, &fs);
    assert_eq!(t.steps[1].argv, ["./run.sh"]);
    assert_eq!(terminal(&t).2, ["/app/server.js"]);

    // A system command is run as is.
    let t = node(&["bash"]);
    assert_eq!(t.steps[1].kind, StepKind::Shell);
    assert_eq!(
        terminal(&t),
        (TerminalKind::Shell, "/bin/bash", vec![], Some("/app"))
    );
    assert!(t.unresolved.is_empty());
}

/// A condensed `docker-entrypoint.sh` of the official `postgres` images: functions,
/// `${!var}`, `FUNCNAME`, `${1:0:1}`, `id -u`, and the `gosu` re-exec of itself.
const POSTGRES_ENTRYPOINT: &str = r#"#!/usr/bin/env bash
set -Eeo pipefail

file_env() {
	local var="$1"
	local fileVar="${var}_FILE"
	local def="${2:-}"
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		printf >&2 'error: both %s and %s are set (but are exclusive)\n' "$var" "$fileVar"
		exit 1
	fi
	local val="$def"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!fileVar:-}" ]; then
		val="$(< "${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

_is_sourced() {
	[ "${#FUNCNAME[@]}" -ge 2 ] \
		&& [ "${FUNCNAME[0]}" = '_is_sourced' ] \
		&& [ "${FUNCNAME[1]}" = 'source' ]
}

docker_create_db_directories() {
	local user; user="$(id -u)"
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	if [ "$user" = '0' ]; then
		find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
	fi
}

docker_verify_minimum_env() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ 'trust' != "$POSTGRES_HOST_AUTH_METHOD" ]; then
		cat >&2 <<-'EOE'
			Error: Database is uninitialized and superuser password is not specified.
		EOE
		exit 1
	fi
}

docker_setup_env() {
	file_env 'POSTGRES_PASSWORD'
	file_env 'POSTGRES_USER' 'postgres'
	file_env 'POSTGRES_DB' "$POSTGRES_USER"
	: "${POSTGRES_HOST_AUTH_METHOD:=}"
	declare -g DATABASE_ALREADY_EXISTS
	: "${DATABASE_ALREADY_EXISTS:=}"
	if [ -s "$PGDATA/PG_VERSION" ]; then
		DATABASE_ALREADY_EXISTS='true'
	fi
}

_pg_want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?'|--help|--describe-config|-V|--version)
				return 0
				;;
		esac
	done
	return 1
}

_main() {
	if [ "${1:0:1}" = '-' ]; then
		set -- postgres "$@"
	fi

	if [ "$1" = 'postgres' ] && ! _pg_want_help "$@"; then
		docker_setup_env
		docker_create_db_directories
		if [ "$(id -u)" = '0' ]; then
			exec gosu postgres "$BASH_SOURCE" "$@"
		fi

		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			docker_verify_minimum_env
			ls /docker-entrypoint-initdb.d/ > /dev/null
			eval 'initdb --username="$POSTGRES_USER" '"$POSTGRES_INITDB_ARGS"' "$@"'
			cat <<-'EOM'
				PostgreSQL init process complete; ready for start up.
			EOM
		fi
	fi

	exec "$@"
}

if ! _is_sourced; then
	_main "$@"
fi
"#;

fn postgres_image() -> MemFs {
    MemFs::debian()
        .script("/usr/local/bin/docker-entrypoint.sh", POSTGRES_ENTRYPOINT)
        .native("/usr/local/bin/gosu")
        .native("/usr/lib/postgresql/17/bin/postgres")
        .native("/usr/lib/postgresql/17/bin/initdb")
        .dir("/docker-entrypoint-initdb.d")
}

fn postgres(cmd: &[&str]) -> EntryTrace {
    let env = [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/17/bin",
        "PG_MAJOR=17",
        "PGDATA=/var/lib/postgresql/data",
    ];
    trace(
        &config(&["docker-entrypoint.sh"], cmd, &env, None),
        &postgres_image(),
    )
}

#[test]
fn postgres_entrypoint_reexecs_itself_through_gosu() {
    let t = postgres(&["postgres"]);
    let script = "/usr/local/bin/docker-entrypoint.sh";
    assert_eq!(
        chain(&t),
        [
            format!("Script docker-entrypoint.sh -> {script} (Config @ config:Entrypoint)"),
            format!("Wrapper gosu -> /usr/local/bin/gosu (Exec @ {script}:79)"),
            format!("Script {script} -> {script} (Argv @ {script}:79)"),
            format!("Native postgres -> /usr/lib/postgresql/17/bin/postgres (Exec @ {script}:92)"),
        ]
    );
    assert_eq!(t.steps[1].argv, ["gosu", "postgres", script, "postgres"]);
    let term = t.terminal.as_ref().unwrap();
    assert_eq!(term.kind, TerminalKind::Native);
    assert_eq!(term.program, "/usr/lib/postgresql/17/bin/postgres");
    assert_eq!(term.user.as_deref(), Some("postgres"));
    assert!(t.unresolved.is_empty(), "{:?}", t.unresolved);
    // The password check would exit without POSTGRES_PASSWORD, which `docker run -e` sets.
    assert!(
        t.steps[2]
            .notes
            .iter()
            .any(|n| n.contains("exits is not taken")),
        "{:?}",
        t.steps[2].notes
    );
}

#[test]
fn postgres_entrypoint_flags_and_help() {
    let t = postgres(&["-c", "shared_buffers=256MB"]);
    assert_eq!(
        t.steps.last().unwrap().argv,
        ["postgres", "-c", "shared_buffers=256MB"]
    );
    assert_eq!(
        t.terminal.as_ref().unwrap().program,
        "/usr/lib/postgresql/17/bin/postgres"
    );
    // `--help`: no gosu, exec directly as root.
    let t = postgres(&["postgres", "--help"]);
    assert_eq!(t.steps.len(), 2);
    assert_eq!(t.steps[1].via, StepVia::Exec);
    assert_eq!(t.terminal.as_ref().unwrap().user, None);
}

#[test]
fn tini_then_java_jar() {
    let fs = MemFs::debian()
        .native("/usr/bin/tini")
        .link("/usr/bin/java", "/etc/alternatives/java")
        .link(
            "/etc/alternatives/java",
            "/usr/lib/jvm/java-21-openjdk-amd64/bin/java",
        )
        .native("/usr/lib/jvm/java-21-openjdk-amd64/bin/java")
        .data("/app/app.jar");
    let cfg = config(
        &["/usr/bin/tini", "-s", "-g", "--"],
        &[
            "java",
            "-Xmx512m",
            "-Dspring.profiles.active=prod",
            "-jar",
            "app.jar",
            "--server.port=8080",
        ],
        &[],
        Some("/app"),
    );
    let t = trace(&cfg, &fs);
    assert_eq!(
        chain(&t),
        [
            "Wrapper /usr/bin/tini -> /usr/bin/tini (Config @ config:Entrypoint)",
            "Launcher java -> /usr/lib/jvm/java-21-openjdk-amd64/bin/java (Argv @ config:Entrypoint)",
        ]
    );
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Java,
            "/usr/lib/jvm/java-21-openjdk-amd64/bin/java",
            vec!["/app/app.jar"],
            Some("/app")
        )
    );
}

#[test]
fn java_classpath_and_missing_jar() {
    let fs = MemFs::debian()
        .native("/opt/java/openjdk/bin/java")
        .data("/app/lib/a.jar")
        .dir("/app/classes");
    let env = ["PATH=/opt/java/openjdk/bin:/usr/bin:/bin"];
    let t = trace(
        &config(
            &[],
            &["java", "-cp", "/app/classes:/app/lib/*", "com.example.Main"],
            &env,
            None,
        ),
        &fs,
    );
    assert_eq!(
        terminal(&t).2,
        ["/app/classes", "/app/lib/*", "class:com.example.Main"]
    );
    assert!(t.unresolved.is_empty());

    let t = trace(
        &config(&[], &["java", "-jar", "/app/missing.jar"], &env, None),
        &fs,
    );
    assert_eq!(terminal(&t).2, ["/app/missing.jar"]);
    assert_eq!(t.unresolved.len(), 1);
    assert_eq!(t.unresolved[0].step, 0);
    assert!(
        t.unresolved[0].reason.contains("not found"),
        "{:?}",
        t.unresolved
    );
}

#[test]
fn sh_c_exec_python_module() {
    let fs = MemFs::debian()
        .link("/usr/local/bin/python", "python3")
        .link("/usr/local/bin/python3", "python3.12")
        .native("/usr/local/bin/python3.12");
    let cfg = config(
        &[],
        &["/bin/sh", "-c", "exec python -m http.server 8000"],
        &[NODE_PATH],
        None,
    );
    let t = trace(&cfg, &fs);
    assert_eq!(
        chain(&t),
        [
            "ShellC /bin/sh -> /bin/dash (Config @ config:Cmd)",
            "Launcher python -> /usr/local/bin/python3.12 (Exec @ config:Cmd/-c:1)",
        ]
    );
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Python,
            "/usr/local/bin/python3.12",
            vec!["module:http.server"],
            Some("/")
        )
    );
}

#[test]
fn env_sets_variables_then_runs_node() {
    let fs = node_image().data("/srv/app.js");
    let cfg = config(
        &[
            "env",
            "-u",
            "DEBUG",
            "FOO=1",
            "NODE_ENV=production",
            "node",
            "app.js",
        ],
        &[],
        &[],
        Some("/srv"),
    );
    let t = trace(&cfg, &fs);
    assert_eq!(t.steps[0].kind, StepKind::Wrapper);
    assert_eq!(t.steps[1].argv, ["node", "app.js"]);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Node,
            "/usr/local/bin/node",
            vec!["/srv/app.js"],
            Some("/srv")
        )
    );
}

#[test]
fn dumb_init_then_python_script() {
    let fs = MemFs::debian()
        .native("/usr/bin/dumb-init")
        .native("/usr/bin/python3.11")
        .data("/app/main.py");
    let cfg = config(
        &["/usr/bin/dumb-init", "--rewrite", "15:2", "--"],
        &["python3.11", "-u", "main.py"],
        &[],
        Some("/app"),
    );
    let t = trace(&cfg, &fs);
    assert_eq!(t.steps.len(), 2);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Python,
            "/usr/bin/python3.11",
            vec!["/app/main.py"],
            Some("/app")
        )
    );
}

#[test]
fn script_with_a_plain_final_command() {
    let script = r#"#!/bin/bash
echo "starting $APP_NAME"
cd /app
mkdir -p /tmp/cache
java $JAVA_OPTS -cp "lib/*:app.jar" com.example.Main "$@"
echo "exited with $?"
"#;
    let fs = MemFs::debian()
        .script("/start.sh", script)
        .native("/usr/bin/java")
        .data("/app/app.jar")
        .dir("/app/lib");
    let t = trace(&config(&["/start.sh"], &["--verbose"], &[], None), &fs);
    assert_eq!(
        chain(&t),
        [
            "Script /start.sh -> /start.sh (Config @ config:Entrypoint)",
            "Launcher java -> /usr/bin/java (Command @ /start.sh:5)",
        ]
    );
    assert_eq!(
        t.steps[1].argv,
        [
            "java",
            "-cp",
            "lib/*:app.jar",
            "com.example.Main",
            "--verbose"
        ]
    );
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Java,
            "/usr/bin/java",
            vec!["/app/lib/*", "/app/app.jar", "class:com.example.Main"],
            Some("/app")
        )
    );
}

#[test]
fn busybox_sh_c_with_cd_and_plain_command() {
    let fs = MemFs::alpine()
        .native("/usr/local/bin/node")
        .data("/app/server.js");
    let t = trace(
        &config(
            &[],
            &["/bin/sh", "-c", "cd /app && node server.js"],
            &[],
            None,
        ),
        &fs,
    );
    assert_eq!(t.steps[0].resolved.as_deref(), Some("/bin/busybox"));
    assert_eq!(t.steps[0].kind, StepKind::ShellC);
    assert_eq!(t.steps[1].via, StepVia::Command);
    assert_eq!(t.steps[1].evidence, "config:Cmd/-c:1");
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Node,
            "/usr/local/bin/node",
            vec!["/app/server.js"],
            Some("/app")
        )
    );
}

#[test]
fn missing_program_is_unresolved() {
    let t = trace(
        &config(&[], &["nonexistent", "--flag"], &[], None),
        &MemFs::debian(),
    );
    assert_eq!(t.steps.len(), 1);
    assert_eq!(t.steps[0].resolved, None);
    assert_eq!(t.steps[0].kind, StepKind::Unknown);
    assert_eq!(t.terminal, None);
    assert_eq!(t.unresolved.len(), 1);
    assert_eq!(t.unresolved[0].step, 0);
    assert!(
        t.unresolved[0]
            .reason
            .contains("`nonexistent` not found in PATH"),
        "{:?}",
        t.unresolved
    );

    // Inside a script: the script step is kept, the exec target is unresolved.
    let fs = MemFs::debian().script(
        "/entry.sh",
        "#!/bin/sh\nset -e\nexec /opt/app/bin/server \"$@\"\n",
    );
    let t = trace(&config(&["/entry.sh"], &[], &[], None), &fs);
    assert_eq!(
        chain(&t)[1],
        "Unknown /opt/app/bin/server -> ? (Exec @ /entry.sh:3)"
    );
    assert_eq!(t.unresolved[0].step, 1);
    assert!(t.unresolved[0]
        .reason
        .contains("/opt/app/bin/server` not found in the image"));

    let t = trace(&EntryConfig::default(), &MemFs::debian());
    assert_eq!(
        t.unresolved[0].reason,
        "the config has neither Entrypoint nor Cmd"
    );
}

#[test]
fn dynamic_program_name_is_unresolved() {
    let fs = MemFs::debian().script(
        "/entry.sh",
        "#!/bin/sh\nCMD=\"$(cat /etc/app/cmd)\"\nexec \"$CMD\" --serve\n",
    );
    let t = trace(&config(&["/entry.sh"], &[], &[], None), &fs);
    assert_eq!(t.steps.len(), 2);
    assert_eq!(t.steps[1].argv, ["${?}", "--serve"]);
    assert_eq!(t.steps[1].evidence, "/entry.sh:3");
    assert!(
        t.unresolved[0].reason.contains("not known statically"),
        "{:?}",
        t.unresolved
    );
    assert_eq!(t.terminal, None);
}

#[test]
fn self_recursive_scripts_are_bounded() {
    // Same arguments: a loop.
    let fs = MemFs::debian().script("/loop.sh", "#!/bin/sh\nexec \"$0\" \"$@\"\n");
    let t = trace(&config(&["/loop.sh"], &["a"], &[], None), &fs);
    assert_eq!(t.steps.len(), 2);
    assert!(
        t.unresolved[0].reason.contains("loop"),
        "{:?}",
        t.unresolved
    );
    // Growing arguments: the hop limit.
    let fs = MemFs::debian().script("/grow.sh", "#!/bin/sh\nexec /grow.sh x \"$@\"\n");
    let t = trace(&config(&["/grow.sh"], &[], &[], None), &fs);
    assert_eq!(t.steps.len(), 16);
    assert!(
        t.unresolved[0].reason.contains("16 hops"),
        "{:?}",
        t.unresolved
    );
    // A function calling itself, and a sourced file sourcing itself.
    let fs = MemFs::debian()
        .script(
            "/f.sh",
            "#!/bin/sh\nf() { f \"$@\"; }\nf\n. /f.sh\nexec /bin/true\n",
        )
        .native("/bin/true");
    let t = trace(&config(&["/f.sh"], &[], &[], None), &fs);
    assert_eq!(terminal(&t).1, "/bin/true");
}

#[test]
fn undecidable_condition_takes_the_branch_that_execs() {
    let script = "#!/bin/sh\nif grep -q nginx /etc/mode; then\n  exec nginx -g 'daemon off;'\nfi\nexec node /app/server.js\n";
    let fs = node_image()
        .script("/entry.sh", script)
        .native("/usr/sbin/nginx");
    let t = trace(&config(&["/entry.sh"], &[], &[], None), &fs);
    assert_eq!(terminal(&t).1, "/usr/sbin/nginx");
    assert_eq!(t.steps[1].evidence, "/entry.sh:3");
    assert!(
        t.steps[0].notes.iter().any(|n| n.contains("not decidable")),
        "{:?}",
        t.steps[0].notes
    );
}

#[test]
fn script_without_a_program_is_a_shell_terminal() {
    let fs = MemFs::debian().script("/hello.sh", "#!/bin/sh\necho hello\nsleep 1\n");
    let t = trace(&config(&[], &["/hello.sh"], &[], None), &fs);
    assert_eq!(
        terminal(&t),
        (TerminalKind::Shell, "/hello.sh", vec![], Some("/"))
    );
    let t = trace(&config(&[], &["bash"], &[], None), &fs);
    assert_eq!(
        terminal(&t),
        (TerminalKind::Shell, "/bin/bash", vec![], Some("/"))
    );
}

#[test]
fn shebang_interpreters() {
    let fs = MemFs::debian()
        .native("/usr/local/bin/python3.12")
        .link("/usr/local/bin/python3", "python3.12")
        .script(
            "/usr/local/bin/gunicorn",
            "#!/usr/local/bin/python3\nimport sys\n",
        )
        .native("/usr/local/bin/node")
        .script("/app/cli.js", "#!/usr/bin/env node\nconsole.log(1)\n")
        .native("/usr/bin/perl")
        .script("/app/run.pl", "#!/usr/bin/perl -w\nprint 1;\n")
        .script("/app/run.sh", "#!/usr/bin/env bash\nexec gunicorn \"$@\"\n");
    let t = trace(
        &config(
            &["gunicorn", "-b", ":8000", "app:app"],
            &[],
            &[NODE_PATH],
            None,
        ),
        &fs,
    );
    assert_eq!(t.steps[0].kind, StepKind::Shebang);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Python,
            "/usr/local/bin/python3.12",
            vec!["/usr/local/bin/gunicorn"],
            Some("/")
        )
    );

    let t = trace(&config(&["/app/cli.js"], &[], &[NODE_PATH], None), &fs);
    assert_eq!(t.steps[1].kind, StepKind::Wrapper); // env
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Node,
            "/usr/local/bin/node",
            vec!["/app/cli.js"],
            Some("/")
        )
    );

    let t = trace(&config(&["/app/run.pl"], &[], &[], None), &fs);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Other,
            "/usr/bin/perl",
            vec!["/app/run.pl"],
            Some("/")
        )
    );

    let t = trace(
        &config(&["/app/run.sh"], &["--workers", "2"], &[NODE_PATH], None),
        &fs,
    );
    assert_eq!(t.steps[0].kind, StepKind::Script);
    assert_eq!(terminal(&t).1, "/usr/local/bin/python3.12");
}

#[test]
fn gosu_su_exec_setpriv_and_dotnet() {
    let fs = MemFs::alpine()
        .native("/sbin/su-exec")
        .native("/usr/bin/setpriv")
        .native("/usr/share/dotnet/dotnet")
        .link("/usr/bin/dotnet", "/usr/share/dotnet/dotnet")
        .data("/app/Api.dll");
    let cfg = config(
        &["su-exec", "app:app", "setpriv", "--no-new-privs", "--"],
        &["dotnet", "Api.dll"],
        &[],
        Some("/app"),
    );
    let t = trace(&cfg, &fs);
    assert_eq!(t.steps.len(), 3);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Dotnet,
            "/usr/share/dotnet/dotnet",
            vec!["/app/Api.dll"],
            Some("/app")
        )
    );
    assert_eq!(
        t.terminal.as_ref().unwrap().user.as_deref(),
        Some("app:app")
    );
}

#[test]
fn exec_in_config_and_chroot_are_recorded() {
    let fs = MemFs::debian()
        .native("/usr/sbin/chroot")
        .native("/usr/local/bin/server");
    let t = trace(&config(&["exec", "server"], &[], &[], None), &fs);
    assert_eq!(t.steps[0].kind, StepKind::Wrapper);
    assert_eq!(
        terminal(&t),
        (
            TerminalKind::Native,
            "/usr/local/bin/server",
            vec![],
            Some("/")
        )
    );
    let t = trace(
        &config(&["chroot", "/jail", "/bin/app"], &[], &[], None),
        &fs,
    );
    assert!(t.unresolved[0].reason.contains("chroot"));
    assert_eq!(t.terminal, None);
}

#[test]
fn serializes_camel_case_and_skips_empty() {
    let t = node(&["node"]);
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["config"]["workingDir"], "/app");
    assert!(json.get("unresolved").is_none());
    assert!(json["steps"][0].get("notes").is_none());
    assert_eq!(json["steps"][1]["via"], "exec");
    assert_eq!(json["steps"][0]["kind"], "script");
    assert_eq!(json["terminal"]["kind"], "node");
    assert!(json["terminal"].get("app").is_none());
    let back: EntryTrace = serde_json::from_value(json).unwrap();
    assert_eq!(back, t);
}

/// Runs `script` as `/entry.sh` with `cmd` in a Debian-like image with node, java and python;
/// returns `(terminal program, app, evidence of the last step)`.
fn check(script: &str, cmd: &[&str]) -> (String, Vec<String>, String) {
    let fs = node_image()
        .script("/entry.sh", script)
        .script(
            "/etc/profile.d/app.sh",
            "APP_MAIN=/app/server.js\nexport APP_MAIN\n",
        )
        .native("/usr/bin/java")
        .native("/usr/bin/python3")
        .data("/app/app.jar")
        .data("/app/main.py")
        .native("/usr/local/bin/worker")
        .native("/usr/local/bin/gosu");
    let t = trace(
        &config(
            &["/entry.sh"],
            cmd,
            &[NODE_PATH, "APP_HOME=/app"],
            Some("/"),
        ),
        &fs,
    );
    let term = t
        .terminal
        .as_ref()
        .unwrap_or_else(|| panic!("{script}: no terminal: {t:#?}"));
    let last = t
        .steps
        .last()
        .map(|s| s.evidence.clone())
        .unwrap_or_default();
    (term.program.clone(), term.app.clone(), last)
}

/// `(script, cmd, terminal program, app, evidence of the last step)`.
type Case<'a> = (&'a str, &'a [&'a str], &'a str, &'a [&'a str], &'a str);

#[test]
fn script_semantics() {
    let node = "/usr/local/bin/node";
    let cases: &[Case] = &[
        // `case` dispatch on the first argument, `shift`.
        (
            "#!/bin/sh\ncase \"$1\" in\n  web) shift; exec node /app/server.js \"$@\" ;;\n  worker) exec worker ;;\n  *) exec \"$@\" ;;\nesac\n",
            &["web", "--port", "80"],
            node,
            &["/app/server.js"],
            "/entry.sh:3",
        ),
        (
            "#!/bin/sh\ncase \"$1\" in\n  web) exec node /app/server.js ;;\n  worker) exec worker ;;\nesac\n",
            &["worker"],
            "/usr/local/bin/worker",
            &[],
            "/entry.sh:4",
        ),
        // An argument loop with `shift 2`, a default from `${VAR:-…}`.
        (
            "#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case \"$1\" in\n    --jar) JAR=\"$2\"; shift 2 ;;\n    *) shift ;;\n  esac\ndone\nexec java -jar \"${JAR:-$APP_HOME/app.jar}\"\n",
            &["--verbose", "--jar", "/app/app.jar"],
            "/usr/bin/java",
            &["/app/app.jar"],
            "/entry.sh:8",
        ),
        (
            "#!/bin/sh\nexec java -jar \"${JAR:-$APP_HOME/app.jar}\"\n",
            &[],
            "/usr/bin/java",
            &["/app/app.jar"],
            "/entry.sh:2",
        ),
        // `command -v` as a condition, `cd` and a relative script.
        (
            "#!/bin/sh\nif command -v python3 >/dev/null 2>&1; then\n  cd /app\n  exec python3 main.py\nfi\nexec node\n",
            &[],
            "/usr/bin/python3",
            &["/app/main.py"],
            "/entry.sh:4",
        ),
        (
            "#!/bin/sh\nif ! command -v ruby >/dev/null; then\n  exec node /app/server.js\nfi\nexec ruby app.rb\n",
            &[],
            node,
            &["/app/server.js"],
            "/entry.sh:3",
        ),
        // Functions with `local`, `[[ ]]` patterns, `eval`, `.` of a captured file.
        (
            "#!/bin/bash\nrun() {\n  local prog=\"$1\"; shift\n  if [[ $prog == *.jar ]]; then exec java -jar \"$prog\" \"$@\"; fi\n  exec \"$prog\" \"$@\"\n}\nrun /app/app.jar -v\n",
            &[],
            "/usr/bin/java",
            &["/app/app.jar"],
            "/entry.sh:4",
        ),
        (
            "#!/bin/sh\nCMD='node /app/server.js'\neval \"exec $CMD\"\n",
            &[],
            node,
            &["/app/server.js"],
            "/entry.sh:3",
        ),
        (
            "#!/bin/sh\n. /etc/profile.d/app.sh\nexec node \"$APP_MAIN\"\n",
            &[],
            node,
            &["/app/server.js"],
            "/entry.sh:3",
        ),
        // `set -- …` rebuilding the arguments, then `exec "$@"` through gosu.
        (
            "#!/bin/sh\nset -e\nif [ \"${1#-}\" != \"$1\" ]; then\n  set -- node /app/server.js \"$@\"\nfi\nif [ \"$(id -u)\" = 0 ]; then\n  set -- gosu node \"$@\"\nfi\nexec \"$@\"\n",
            &["--inspect"],
            node,
            &["/app/server.js"],
            "/entry.sh:9",
        ),
        // A required variable the config does not set: the exit is assumed not taken.
        (
            "#!/bin/sh\nif [ -z \"$DATABASE_URL\" ]; then\n  echo 'DATABASE_URL is required' >&2\n  exit 1\nfi\n[ -n \"$SECRET\" ] || { echo no secret; exit 2; }\nexec node /app/server.js\n",
            &[],
            node,
            &["/app/server.js"],
            "/entry.sh:7",
        ),
        // A script that backgrounds a helper and waits on the main program.
        (
            "#!/bin/sh\nworker &\nnode /app/server.js\nwait\n",
            &[],
            node,
            &["/app/server.js"],
            "/entry.sh:3",
        ),
    ];
    for (script, cmd, program, app, evidence) in cases {
        let (p, a, e) = check(script, cmd);
        assert_eq!(
            (
                p.as_str(),
                a.iter().map(String::as_str).collect::<Vec<_>>(),
                e.as_str()
            ),
            (*program, app.to_vec(), *evidence),
            "{script}"
        );
    }
}

#[test]
fn unparsable_script_and_shell_with_a_script_file() {
    let fs = MemFs::debian()
        .script("/bad.sh", "#!/bin/sh\nif true; then\n  exec node\n")
        .script("/app/start.sh", "cd /app\nexec ./server \"$@\"\n")
        .native("/app/server");
    let t = trace(&config(&["/bad.sh"], &[], &[], None), &fs);
    assert_eq!(t.steps.len(), 1);
    assert_eq!(t.terminal, None);
    assert_eq!(
        t.unresolved[0].reason,
        "cannot parse `/bad.sh`: line 4: expected `fi`, found end of input"
    );

    let t = trace(
        &config(
            &["bash", "-e", "start.sh"],
            &["--port", "80"],
            &[],
            Some("/app"),
        ),
        &fs,
    );
    assert_eq!(
        chain(&t),
        [
            "Wrapper bash -> /bin/bash (Config @ config:Entrypoint)",
            "Script start.sh -> /app/start.sh (Argv @ config:Entrypoint)",
            "Native ./server -> /app/server (Exec @ /app/start.sh:2)",
        ]
    );
    assert_eq!(t.steps[2].argv, ["./server", "--port", "80"]);
}
