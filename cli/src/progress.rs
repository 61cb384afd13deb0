//! The progress bar: on stderr, only for a person watching a run long
//! enough to need one.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// A run of more keys than this gets a bar; fewer finish before one helps.
pub const BAR_AFTER_KEYS: usize = 5;

/// A bar for `keys` keys on the process's stderr when it is a terminal and
/// there are enough keys; otherwise a hidden bar, which draws nothing.
pub fn bar(keys: usize, stderr_is_terminal: bool) -> ProgressBar {
    if !stderr_is_terminal || keys <= BAR_AFTER_KEYS {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(keys).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    let style = ProgressStyle::with_template(
        "{spinner} deleting [{bar:30}] {pos}/{len} keys, {elapsed} {msg}",
    )
    .expect("the template is valid")
    .progress_chars("=> ");
    bar.set_style(style);
    // Keeps the spinner and clock moving while every worker waits out a
    // rate-limit pause.
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
