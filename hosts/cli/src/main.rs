//! `stella`: the Stella Ops command line. Thin host: it reads files, shows progress and maps
//! errors to exit codes; every decision is made by the pure crates.

// A binary crate: `pub` marks what modules share; nothing is exported.
#![allow(unreachable_pub)]

mod cache;
mod output;
mod progress;
mod scan;
mod source;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use stellaops_analyzers::image::manifest::PlatformSpec;
use stellaops_analyzers::Limits;
use stellaops_core::sbom::{cyclonedx, native, spdx};

/// Exit code for usage and input errors.
const EXIT_INPUT: u8 = 2;
/// Exit code for other failures (e.g. the output cannot be written).
const EXIT_FAILURE: u8 = 1;

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
    /// Scan an image or directory and write its SBOM.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// CycloneDX 1.6 JSON.
    CdxJson,
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// Stella Ops native JSON (every fact, incl. owned files).
    Native,
}

#[derive(Parser)]
struct ScanArgs {
    /// Image or directory reference (see below).
    reference: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "cdx-json")]
    format: Format,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => run_scan(args),
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
    let opts = scan::ScanOptions {
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
    let bytes = match args.format {
        Format::CdxJson => cyclonedx::to_json(&ctx, &result.inventory),
        Format::SpdxJson => spdx::to_json(&ctx, &result.inventory),
        Format::Native => native::to_json(&ctx, &result.inventory),
    };
    match output::write(args.output.as_deref(), &bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_FAILURE, &e),
    }
}
