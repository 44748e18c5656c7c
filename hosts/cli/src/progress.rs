//! Progress on stderr, shown only when stderr is a terminal and `--quiet` is not set, so
//! that output files and pipes stay byte-identical.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Whether to draw progress.
#[derive(Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

impl Progress {
    /// Decide from `--quiet` and whether stderr is a terminal.
    pub fn new(quiet: bool) -> Self {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A bar counting layers.
    pub fn layers(self, count: u64) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(count);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} scanning layers {pos}/{len} [{elapsed}]")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }
}
