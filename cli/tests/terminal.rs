//! The progress bar: drawn when stderr is a terminal (a pseudo-terminal
//! here) and there are more than a handful of keys; never through a pipe.

mod support;

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;
use std::time::Duration;
use support::*;

/// A pseudo-terminal: the controller end to read what was drawn, and the
/// terminal end to hand to the child as its stderr.
fn pty() -> (File, OwnedFd) {
    let (mut controller, mut terminal) = (-1, -1);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers given, and
    // only reads the window size; the name and termios may be null.
    let status = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(status, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    unsafe {
        (
            File::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}

/// Runs `delete` for `n` keys with stderr on a pseudo-terminal; returns
/// the run (stdout piped) and everything drawn on the terminal.
fn delete_on_terminal(n: usize) -> (Run, String) {
    let atlas = mock(n);
    // Long enough a run for the bar to be drawn more than once.
    atlas.set_response_delay(Duration::from_millis(30));
    let keys = keys(n);
    let mut args = vec!["--concurrency", "2"];
    args.extend(keys.iter().map(String::as_str));
    let (mut controller, terminal) = pty();
    let mut child = {
        let mut command = delete_command(&atlas, Some(PRIVATE), &args);
        command.env("TERM", "xterm").stderr(Stdio::from(terminal));
        // The command, which holds the terminal end, is dropped here, so the
        // controller sees the end once the child exits.
        command.spawn().unwrap()
    };
    let stdout = drain(child.stdout.take());
    let drawn = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buffer = [0; 4096];
        // Linux reports the end of a pseudo-terminal as EIO.
        while let Ok(read @ 1..) = controller.read(&mut buffer) {
            bytes.extend_from_slice(&buffer[..read]);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let code = wait(&mut child);
    let run = Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: String::new(),
        elapsed: Duration::ZERO,
    };
    let drawn = drawn.join().unwrap();
    scan(&drawn);
    assert!(remaining(&atlas, &keys).is_empty());
    (run, drawn)
}

#[test]
fn a_terminal_shows_a_progress_bar_and_the_results_stay_on_stdout() {
    let (run, drawn) = delete_on_terminal(12);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 12);
    assert!(run.stdout.lines().all(|l| l.starts_with("deleted ")));
    assert!(drawn.contains("deleting ["), "{drawn:?}");
    assert!(drawn.contains("/12 keys"), "{drawn:?}");
    // Cursor movement: the bar redraws in place rather than scrolling.
    assert!(drawn.contains('\u{1b}'), "{drawn:?}");
}

#[test]
fn a_handful_of_keys_draws_nothing_even_on_a_terminal() {
    let (run, drawn) = delete_on_terminal(5);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(drawn, "");
}

#[test]
fn through_a_pipe_stderr_stays_empty() {
    let atlas = mock(12);
    atlas.set_response_delay(Duration::from_millis(10));
    let keys = keys(12);
    let mut args = vec!["--concurrency", "2"];
    args.extend(keys.iter().map(String::as_str));
    let run = delete(&atlas, &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout.lines().count(), 12);
}
