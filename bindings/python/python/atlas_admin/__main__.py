"""The atlas-admin command line: `python -m atlas_admin ...`, and the
`atlas-admin` console script. The same Rust code as the atlas-admin binary,
compiled into the extension; see `atlas-admin --help`."""

from __future__ import annotations

import signal
import sys

from atlas_admin._native import cli_main

__all__ = ["main"]


def main() -> None:
    """Runs the command line with sys.argv and exits with its status."""
    # It writes to file descriptors 1 and 2 itself: what Python buffered
    # must come out first.
    sys.stdout.flush()
    sys.stderr.flush()
    # Python's own SIGINT handler would only act once the run returned;
    # the default one stops a long run at Ctrl-C, as the binary does.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(cli_main(["atlas-admin", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
