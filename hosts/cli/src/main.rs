//! `stella`: the Stella Ops command line. Thin host: it reads files, shows progress and maps
//! errors to exit codes; every decision is made by the pure crates.

// A binary crate: `pub` marks what modules share; nothing is exported.
#![allow(unreachable_pub)]

mod attest_cmd;
mod bundle_io;
mod cache;
mod db_cmd;
mod keyless_cmd;
mod log_cmd;
mod match_cmd;
mod output;
mod progress;
mod scan;
mod source;
mod version_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use stellaops_analyzers::image::manifest::PlatformSpec;
use stellaops_analyzers::Limits;
use stellaops_core::sbom::{cyclonedx, native, spdx};
use stellaops_policy::version::Ecosystem;

/// Exit code for usage and input errors.
const EXIT_INPUT: u8 = 2;
/// Exit code for other failures (e.g. the output cannot be written).
const EXIT_FAILURE: u8 = 1;
/// Exit code when `--fail-on` finds a finding at or above the threshold.
const EXIT_POLICY: u8 = 3;

#[derive(Parser)]
#[command(
    name = "stella",
    version,
    about = "Deterministic SBOMs from container images and directories"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan an image or directory and write its SBOM (or, with --vulns, its findings).
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// Version ordering and ranges, per ecosystem.
    #[command(subcommand)]
    Version(VersionCommand),
    /// The local advisory database.
    #[command(subcommand)]
    Db(DbCommand),
    /// Match an SBOM's components against the advisory database.
    Match(MatchArgs),
    /// Signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// A transparency log (C2SP tlog-tiles in a directory).
    #[command(subcommand)]
    Log(LogCommand),
    /// DSSE envelopes.
    #[command(subcommand)]
    Attest(AttestCommand),
    /// A local certificate authority for keyless signing (`stella attest sign-keyless`).
    #[command(subcommand)]
    Ca(keyless_cmd::CaCommand),
    /// Match an SBOM, score the findings and write a signed, replayable proof bundle (.zip).
    Prove {
        /// Advisory database directory.
        #[arg(long)]
        db: Option<PathBuf>,
        /// SBOM to match.
        #[arg(long)]
        sbom: PathBuf,
        /// Signing key (PKCS#8 PEM).
        #[arg(long)]
        key: PathBuf,
        /// Bundle to write.
        #[arg(long, short)]
        output: PathBuf,
        /// Append the signed proof root to this transparency log and record the inclusion
        /// proof in the bundle.
        #[arg(long)]
        log: Option<PathBuf>,
    },
    /// Verify a DSSE envelope or a proof bundle offline: signatures, hashes and the proof
    /// root recomputed. Exit 0 valid, 1 invalid, 2 error.
    Verify {
        /// Envelope (.json), proof bundle (.zip) or keyless bundle (.json).
        file: PathBuf,
        /// Trusted public key(s) (SPKI PEM), for envelopes and proof bundles.
        #[arg(long = "key")]
        keys: Vec<PathBuf>,
        /// Trusted CA root(s) for keyless bundles (certificate chain + signing time).
        #[arg(long = "ca-root")]
        ca_roots: Vec<PathBuf>,
        /// Keyless bundles: require this signer identity (with --issuer).
        #[arg(long, requires = "issuer")]
        identity: Option<String>,
        /// Keyless bundles: require this OIDC issuer (with --identity).
        #[arg(long, requires = "identity")]
        issuer: Option<String>,
        /// Distinct trusted keys that must have signed.
        #[arg(long, default_value_t = 1)]
        threshold: usize,
        /// Trusted transparency-log verifier key (`<name>+<hash>+<key>`) or a log directory:
        /// requires the bundle's proof root to be included in that log.
        #[arg(long)]
        log_key: Option<String>,
    },
    /// Re-run scoring from a bundle's recorded inputs (or, with --db and --sbom, from a fresh
    /// match) and show any difference. Exit 0 identical, 1 different.
    Replay {
        /// Proof bundle.
        bundle: PathBuf,
        /// Advisory database to re-match against.
        #[arg(long)]
        db: Option<PathBuf>,
        /// The SBOM the bundle was made from.
        #[arg(long)]
        sbom: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum LogCommand {
    /// Create a log in DIR whose checkpoints KEY (Ed25519, PKCS#8 PEM) signs.
    Init {
        /// Log directory.
        dir: PathBuf,
        /// Log origin (the checkpoint's first line), e.g. `log.example/stella`.
        #[arg(long)]
        origin: String,
        /// Ed25519 signing key.
        #[arg(long)]
        key: PathBuf,
    },
    /// Append files (each logged as {"sha256","size"} of its bytes); prints each index.
    Append {
        /// Log directory.
        dir: PathBuf,
        /// Files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the C2SP tlog-proof (inclusion proof + signed checkpoint) of entry INDEX.
    Prove {
        /// Log directory.
        dir: PathBuf,
        /// Entry index.
        index: u64,
    },
    /// Verify the log (checkpoint signature, tiles, root); with --proof and --file, verify
    /// one file's inclusion offline instead. Exit 0 valid, 1 invalid, 2 error.
    Verify {
        /// Log directory (its log.json names the verifier key and origin).
        dir: PathBuf,
        /// A tlog-proof written by `stella log prove`.
        #[arg(long, requires = "file")]
        proof: Option<PathBuf>,
        /// The logged file.
        #[arg(long, requires = "proof")]
        file: Option<PathBuf>,
        /// An older checkpoint of this log (a file): also prove the current tree extends it
        /// (RFC 6962 consistency proof).
        #[arg(long)]
        since: Option<PathBuf>,
    },
    /// Print the current signed checkpoint.
    Checkpoint {
        /// Log directory.
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate a key pair: KEY.pem (PKCS#8 private key) and KEY.pub.pem (SPKI public key).
    Generate {
        /// ed25519 or ecdsa-p256.
        #[arg(long, value_enum, default_value = "ed25519")]
        algorithm: KeyAlgorithm,
        /// Private key file to write.
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KeyAlgorithm {
    /// Ed25519.
    Ed25519,
    /// ECDSA P-256 with SHA-256.
    EcdsaP256,
}

#[derive(Subcommand)]
enum AttestCommand {
    /// Sign a payload into a DSSE envelope.
    Sign {
        /// Signing key (PKCS#8 PEM).
        #[arg(long)]
        key: PathBuf,
        /// Payload file.
        #[arg(long)]
        payload: PathBuf,
        /// DSSE payload type, e.g. application/vnd.in-toto+json.
        #[arg(long)]
        payload_type: String,
        /// Envelope to write.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Verify a DSSE envelope. Exit 0 valid, 1 invalid, 2 error.
    Verify {
        /// Envelope file.
        envelope: PathBuf,
        /// Trusted public key(s) (SPKI PEM).
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
        /// Distinct trusted keys that must have signed.
        #[arg(long, default_value_t = 1)]
        threshold: usize,
    },
    /// Keyless `sign`: sign with an ephemeral key certified by a local CA for an identity,
    /// log the signature in a transparency log and write a bundle (JSON).
    SignKeyless(keyless_cmd::SignKeylessArgs),
    /// Verify a keyless bundle offline: log inclusion, certificate chain and validity at the
    /// logged time, identity, envelope signature. Exit 0 valid, 1 invalid, 2 error.
    VerifyKeyless(keyless_cmd::VerifyKeylessArgs),
}

#[derive(Subcommand)]
enum VersionCommand {
    /// Print -1, 0 or 1 (A < B, A == B, A > B).
    Compare {
        /// deb, rpm, apk, semver, npm, golang, pypi, maven or nuget.
        #[arg(long)]
        ecosystem: String,
        /// Read `A<TAB>B` lines from stdin and print one result per line
        /// (`error: <reason>` for a pair that does not parse).
        #[arg(long)]
        batch: bool,
        /// First version.
        a: Option<String>,
        /// Second version.
        b: Option<String>,
    },
    /// Print true or false: is VERSION inside RANGE (the ecosystem's own range syntax)?
    Satisfies {
        /// Ecosystem.
        #[arg(long)]
        ecosystem: String,
        /// Version.
        version: String,
        /// Range, e.g. `^1.2.0` (npm), `>=1.0,<2` (pypi), `[1.0,2.0)` (maven, nuget),
        /// `>= 1.2-3, << 2.0` (deb, rpm, apk, golang).
        range: String,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Import OSV, Debian security tracker, Alpine secdb, CSAF, KEV and EPSS documents
    /// (files or directories; repeatable and idempotent) or an offline kit (.tar.zst).
    Import {
        /// Database directory (default: $STELLAOPS_DB, else ~/.cache/stellaops/db).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write the canonical snapshot (JSON lines) or, for a `.tar.zst` output, an offline kit.
    Export {
        /// Database directory.
        #[arg(long)]
        db: Option<PathBuf>,
        /// Output file.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Print counts and the snapshot hash as JSON.
    Stats {
        /// Database directory.
        #[arg(long)]
        db: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    /// JSON report.
    Json,
    /// Table.
    Table,
}

#[derive(Parser)]
struct MatchArgs {
    /// Database directory.
    #[arg(long)]
    db: Option<PathBuf>,
    /// SBOM (CycloneDX, SPDX or native JSON).
    #[arg(long)]
    sbom: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormatArg,
    /// Write to FILE instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with code 3 when an affected finding has at least this severity
    /// (critical, high, medium, low, none).
    #[arg(long)]
    fail_on: Option<String>,
}

const SCAN_EXAMPLES: &str = "\
References:
  oci-dir:PATH         OCI image layout directory
  oci-archive:PATH     tar of an OCI image layout
  docker-archive:PATH  tar written by `docker save`
  dir:PATH             a directory or root file system (e.g. dir:/)
  PATH                 any of the above, detected from what is there

Examples:
  stella scan dir:/ --format cdx-json --output sbom.cdx.json
  stella scan oci-dir:./image --format spdx-json --output sbom.spdx.json
  stella scan docker-archive:app.tar --platform linux/arm64 --format native
  SOURCE_DATE_EPOCH=0 stella scan ./image.tar --quiet > sbom.json

Exit codes: 0 success, 2 usage or input error, 1 other failure.";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// CycloneDX 1.6 JSON.
    CdxJson,
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// Stella Ops native JSON (every fact, incl. owned files).
    Native,
    /// With --vulns: the match report as JSON.
    Json,
    /// With --vulns: the findings as a table.
    Table,
}

#[derive(Parser)]
struct ScanArgs {
    /// Image or directory reference (see below).
    reference: String,
    /// Output format (default: cdx-json; table with --vulns).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to FILE instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Platform to pick from a multi-platform image, as os/arch[/variant].
    #[arg(long)]
    platform: Option<String>,
    /// No progress output.
    #[arg(long, short)]
    quiet: bool,
    /// Do not read or write the layer fragment cache.
    #[arg(long)]
    no_cache: bool,
    /// Fragment cache directory (default: $STELLAOPS_CACHE_DIR, else ~/.cache/stellaops).
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Layers read in parallel (default: number of CPUs).
    #[arg(long)]
    jobs: Option<usize>,
    /// Stamp the document with the current time instead of SOURCE_DATE_EPOCH or the image's
    /// created time (makes output non-reproducible).
    #[arg(long)]
    now: bool,
    /// Most bytes one layer may decompress to.
    #[arg(long, default_value_t = Limits::default().max_layer_uncompressed)]
    max_layer_bytes: u64,
    /// Match the scanned components against the advisory database and report findings.
    #[arg(long)]
    vulns: bool,
    /// Advisory database directory for --vulns.
    #[arg(long)]
    db: Option<PathBuf>,
    /// With --vulns: exit with code 3 when an affected finding has at least this severity.
    #[arg(long)]
    fail_on: Option<String>,
    /// `inventory`: everything installed (components the entrypoint uses carry
    /// `stellaops:usedByEntrypoint`); `usage`: only what the entrypoint runs and loads.
    #[arg(long, value_enum, default_value_t = scan::View::Inventory)]
    view: scan::View,
    /// Analyzers to run besides the OS package databases, comma-separated: `lang` (language
    /// packages), `bin` (native binaries, Go / cargo-auditable build info, scripts for
    /// EntryTrace); `none` for OS packages only.
    #[arg(long, default_value = "lang,bin")]
    analyzers: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Version(cmd) => run_version(cmd),
        Command::Db(cmd) => run_db(cmd),
        Command::Match(args) => run_match(args),
        Command::Key(cmd) => run_key(cmd),
        Command::Log(cmd) => run_log(cmd),
        Command::Attest(cmd) => run_attest(cmd),
        Command::Ca(cmd) => run_ca(cmd),
        Command::Prove {
            db,
            sbom,
            key,
            output,
            log,
        } => {
            let created = stellaops_core::sbom::rfc3339(source_date_epoch().unwrap_or(0));
            match attest_cmd::prove(&db_dir(db), &sbom, &key, &output, &created, log.as_deref()) {
                Ok(msg) => {
                    note(&msg);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(EXIT_INPUT, &e),
            }
        }
        Command::Verify {
            file,
            keys,
            ca_roots,
            identity,
            issuer,
            threshold,
            log_key,
        } => {
            let keyless = !attest_cmd::is_zip(&file)
                && std::fs::read(&file).is_ok_and(|b| {
                    String::from_utf8_lossy(&b)
                        .contains("application/vnd.stellaops.keyless-bundle+json")
                });
            if keyless {
                let Some(log_key) = log_key else {
                    return fail(
                        EXIT_INPUT,
                        &anyhow::anyhow!("a keyless bundle needs --ca-root and --log-key"),
                    );
                };
                return verdict_exit(keyless_cmd::verify(&keyless_cmd::VerifyKeylessArgs {
                    bundle: file,
                    ca_roots,
                    log_key,
                    identity,
                    issuer,
                }));
            }
            if keys.is_empty() {
                return fail(
                    EXIT_INPUT,
                    &anyhow::anyhow!("give the trusted public key(s) with --key"),
                );
            }
            let verdict = if attest_cmd::is_zip(&file) {
                attest_cmd::verify_bundle(&file, &keys, threshold, log_key.as_deref())
            } else {
                attest_cmd::verify_envelope(&file, &keys, threshold)
            };
            verdict_exit(verdict)
        }
        Command::Replay { bundle, db, sbom } => {
            match attest_cmd::replay(&bundle, db.as_deref(), sbom.as_deref()) {
                Ok((same, text)) => {
                    let _ = output::write(None, text.as_bytes());
                    if same {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => fail(EXIT_INPUT, &e),
            }
        }
    }
}

#[allow(clippy::print_stderr)]
fn fail(code: u8, err: &anyhow::Error) -> ExitCode {
    eprintln!("error: {err:#}");
    ExitCode::from(code)
}

fn run_scan(args: ScanArgs) -> ExitCode {
    let platform = match PlatformSpec::parse(args.platform.as_deref().unwrap_or("linux/amd64")) {
        Ok(p) => p,
        Err(e) => return fail(EXIT_INPUT, &e.into()),
    };
    let cache = if args.no_cache {
        None
    } else {
        args.cache_dir
            .clone()
            .or_else(scan::default_cache_dir)
            .map(cache::FragmentCache::new)
    };
    let limits = Limits {
        max_layer_uncompressed: args.max_layer_bytes,
        ..Limits::default()
    };
    let analyzers = match scan::parse_analyzers(&args.analyzers) {
        Ok(a) => a,
        Err(e) => return fail(EXIT_INPUT, &e),
    };
    let opts = scan::ScanOptions {
        view: args.view,
        analyzers,
        reference: args.reference.clone(),
        explicit_platform: args.platform.is_some(),
        platform,
        limits,
        cache,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
        progress: progress::Progress::new(args.quiet),
    };
    let result = match scan::run(&opts) {
        Ok(r) => r,
        Err(e) => return fail(EXIT_INPUT, &e),
    };
    let ctx = match scan::context(&result, args.now) {
        Ok(c) => c,
        Err(e) => return fail(EXIT_INPUT, &e),
    };
    let format = args.format.unwrap_or(if args.vulns {
        Format::Table
    } else {
        Format::CdxJson
    });
    if args.vulns {
        let report_format = match format {
            Format::Json => match_cmd::ReportFormat::Json,
            Format::Table => match_cmd::ReportFormat::Table,
            _ => {
                return fail(
                    EXIT_INPUT,
                    &anyhow::anyhow!(
                        "--vulns writes a report: use --format json or --format table"
                    ),
                )
            }
        };
        let components: Vec<_> = result
            .inventory
            .components
            .iter()
            .map(|c| stellaops_policy::advisory::matcher::ComponentRef {
                reference: c.bom_ref.clone(),
                purl: c.purl.clone(),
                layer_digest: c.layer.digest.clone(),
            })
            .collect();
        return report(
            &db_dir(args.db),
            &components,
            report_format,
            args.output.as_deref(),
            args.fail_on.as_deref(),
        );
    }
    let bytes = match format {
        Format::CdxJson => cyclonedx::to_json(&ctx, &result.inventory),
        Format::SpdxJson => spdx::to_json(&ctx, &result.inventory),
        Format::Native => native::to_json(&ctx, &result.inventory),
        Format::Json | Format::Table => {
            return fail(
                EXIT_INPUT,
                &anyhow::anyhow!("--format json and table need --vulns"),
            )
        }
    };
    match output::write(args.output.as_deref(), &bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_FAILURE, &e),
    }
}

#[allow(clippy::print_stderr)]
fn note(msg: &str) {
    eprintln!("{msg}");
}

fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

fn verdict_exit(verdict: attest_cmd::Verdict) -> ExitCode {
    match verdict {
        Ok(Ok(msg)) => {
            let _ = output::write(None, format!("{msg}\n").as_bytes());
            ExitCode::SUCCESS
        }
        Ok(Err(reason)) => {
            note(&format!("invalid: {reason}"));
            ExitCode::from(1)
        }
        Err(e) => fail(EXIT_INPUT, &e),
    }
}

fn run_log(cmd: LogCommand) -> ExitCode {
    let print = |text: String| match output::write(None, text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_FAILURE, &e),
    };
    match cmd {
        LogCommand::Init { dir, origin, key } => match log_cmd::init(&dir, &origin, &key) {
            Ok(vkey) => {
                note(&format!(
                    "created log {} (verifier key {vkey})",
                    dir.display()
                ));
                ExitCode::SUCCESS
            }
            Err(e) => fail(EXIT_INPUT, &e),
        },
        LogCommand::Append { dir, files } => match log_cmd::append(&dir, &files) {
            Ok(indices) => print(indices.iter().map(|i| format!("{i}\n")).collect()),
            Err(e) => fail(EXIT_INPUT, &e),
        },
        LogCommand::Prove { dir, index } => match log_cmd::prove(&dir, index) {
            Ok(text) => print(text),
            Err(e) => fail(EXIT_INPUT, &e),
        },
        LogCommand::Verify {
            dir,
            proof,
            file,
            since,
        } => match (proof, file, since) {
            (_, _, Some(old)) => verdict_exit(log_cmd::verify_since(&dir, &old)),
            (Some(proof), Some(file), None) => match log_cmd::identity(&dir) {
                Ok((vkey, origin)) => {
                    verdict_exit(log_cmd::verify_file(&proof, &file, &vkey, &origin))
                }
                Err(e) => fail(EXIT_INPUT, &e),
            },
            _ => verdict_exit(log_cmd::verify(&dir)),
        },
        LogCommand::Checkpoint { dir } => match log_cmd::checkpoint(&dir) {
            Ok(text) => print(text),
            Err(e) => fail(EXIT_INPUT, &e),
        },
    }
}

fn run_key(cmd: KeyCommand) -> ExitCode {
    let KeyCommand::Generate { algorithm, output } = cmd;
    let alg = match algorithm {
        KeyAlgorithm::Ed25519 => stellaops_attest::keys::Algorithm::Ed25519,
        KeyAlgorithm::EcdsaP256 => stellaops_attest::keys::Algorithm::EcdsaP256Sha256,
    };
    match attest_cmd::generate(alg, &output) {
        Ok((public, keyid)) => {
            note(&format!(
                "wrote {} (private, PKCS#8) and {} (public, SPKI); key id {keyid}",
                output.display(),
                public.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(EXIT_FAILURE, &e),
    }
}

fn run_attest(cmd: AttestCommand) -> ExitCode {
    match cmd {
        AttestCommand::Sign {
            key,
            payload,
            payload_type,
            output,
        } => match attest_cmd::sign(&key, &payload, &payload_type, &output) {
            Ok(keyid) => {
                note(&format!("wrote {} signed by {keyid}", output.display()));
                ExitCode::SUCCESS
            }
            Err(e) => fail(EXIT_INPUT, &e),
        },
        AttestCommand::Verify {
            envelope,
            keys,
            threshold,
        } => verdict_exit(attest_cmd::verify_envelope(&envelope, &keys, threshold)),
        AttestCommand::SignKeyless(args) => match keyless_cmd::sign(&args) {
            Ok(msg) => {
                note(&msg);
                ExitCode::SUCCESS
            }
            Err(e) => fail(EXIT_INPUT, &e),
        },
        AttestCommand::VerifyKeyless(args) => verdict_exit(keyless_cmd::verify(&args)),
    }
}

fn run_ca(cmd: keyless_cmd::CaCommand) -> ExitCode {
    let keyless_cmd::CaCommand::Init {
        dir,
        common_name,
        validity_days,
    } = cmd;
    match keyless_cmd::ca_init(&dir, &common_name, validity_days) {
        Ok(msg) => {
            note(&msg);
            ExitCode::SUCCESS
        }
        Err(e) => fail(EXIT_INPUT, &e),
    }
}

fn db_dir(given: Option<PathBuf>) -> PathBuf {
    given
        .or_else(|| std::env::var_os("STELLAOPS_DB").map(PathBuf::from))
        .or_else(|| scan::default_cache_dir().map(|d| d.join("db")))
        .unwrap_or_else(|| PathBuf::from("stellaops-db"))
}

fn report(
    db: &std::path::Path,
    components: &[stellaops_policy::advisory::matcher::ComponentRef],
    format: match_cmd::ReportFormat,
    output: Option<&std::path::Path>,
    fail_on: Option<&str>,
) -> ExitCode {
    if let Some(t) = fail_on {
        if stellaops_policy::advisory::matcher::label_rank(t) == 0 {
            return fail(
                EXIT_INPUT,
                &anyhow::anyhow!("--fail-on {t:?}: expected critical, high, medium, low or none"),
            );
        }
    }
    let report = match match_cmd::run(db, components) {
        Ok(r) => r,
        Err(e) => return fail(EXIT_INPUT, &e),
    };
    let bytes = match match_cmd::render(&report, format) {
        Ok(b) => b,
        Err(e) => return fail(EXIT_FAILURE, &e),
    };
    if let Err(e) = output::write(output, &bytes) {
        return fail(EXIT_FAILURE, &e);
    }
    match fail_on {
        Some(t) if match_cmd::fails(&report, t) => ExitCode::from(EXIT_POLICY),
        _ => ExitCode::SUCCESS,
    }
}

fn run_match(args: MatchArgs) -> ExitCode {
    let components = match match_cmd::sbom_components(&args.sbom) {
        Ok(c) => c,
        Err(e) => return fail(EXIT_INPUT, &e),
    };
    let format = match args.format {
        ReportFormatArg::Json => match_cmd::ReportFormat::Json,
        ReportFormatArg::Table => match_cmd::ReportFormat::Table,
    };
    report(
        &db_dir(args.db),
        &components,
        format,
        args.output.as_deref(),
        args.fail_on.as_deref(),
    )
}

fn ecosystem(name: &str) -> Result<Ecosystem, ExitCode> {
    name.parse::<Ecosystem>()
        .map_err(|e| fail(EXIT_INPUT, &e.into()))
}

fn run_version(cmd: VersionCommand) -> ExitCode {
    match cmd {
        VersionCommand::Compare {
            ecosystem: e,
            batch,
            a,
            b,
        } => {
            let eco = match ecosystem(&e) {
                Ok(e) => e,
                Err(code) => return code,
            };
            if batch {
                return match version_cmd::compare_batch(eco) {
                    Ok(_) => ExitCode::SUCCESS,
                    Err(e) => fail(EXIT_FAILURE, &e),
                };
            }
            let (Some(a), Some(b)) = (a, b) else {
                return fail(
                    EXIT_INPUT,
                    &anyhow::anyhow!("give two versions, or --batch"),
                );
            };
            match version_cmd::compare(eco, &a, &b) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(EXIT_INPUT, &e),
            }
        }
        VersionCommand::Satisfies {
            ecosystem: e,
            version,
            range,
        } => {
            let eco = match ecosystem(&e) {
                Ok(e) => e,
                Err(code) => return code,
            };
            match version_cmd::satisfies(eco, &version, &range) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => fail(EXIT_INPUT, &e),
            }
        }
    }
}

#[allow(clippy::print_stderr)]
fn run_db(cmd: DbCommand) -> ExitCode {
    match cmd {
        DbCommand::Import { db, paths } => {
            let db = db_dir(db);
            match db_cmd::import(&db, &paths) {
                Ok(s) => {
                    for w in &s.warnings {
                        eprintln!("warning: {w}");
                    }
                    for r in &s.refused {
                        eprintln!("refused: {r}");
                    }
                    eprintln!(
                        "imported {} documents into {}: {} records added, {} replaced, {} unchanged; {} refused; snapshot {}",
                        s.documents - s.refused.len(),
                        db.display(),
                        s.stats.added,
                        s.stats.replaced,
                        s.stats.unchanged,
                        s.refused.len(),
                        s.hash
                    );
                    if s.refused.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(EXIT_INPUT)
                    }
                }
                Err(e) => fail(EXIT_INPUT, &e),
            }
        }
        DbCommand::Export { db, output } => match db_cmd::export(&db_dir(db), &output) {
            Ok(hash) => {
                eprintln!("wrote {} (concelierSnapshotHash {hash})", output.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(EXIT_INPUT, &e),
        },
        DbCommand::Stats { db } => match db_cmd::stats(&db_dir(db)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(EXIT_INPUT, &e),
        },
    }
}
