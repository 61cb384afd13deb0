"""Writes the client's options into the parameter lists that repeat them.

The options are declared once, in Rust (src/options.rs), and the installed
extension lists them: atlas_admin._native._client_options(). This writes
them between marker lines in the stubs and in AsyncClient:

    # client options (MODE, STYLE): written by tools/write_client_options.py
    ...
    # end of client options

MODE is "positional" (Client()'s key pair, then `*`, then the rest) or
"keyword" (all keyword-only, after a `*` written before the marker). STYLE
is "typed" (stubs: annotations, as the Rust types give them) or "untyped"
(runtime code, whose annotations are in its stub).

    python tools/write_client_options.py           rewrites the files
    python tools/write_client_options.py --check   exits 1, with a diff, when one is stale

tests/test_package.py runs the check, so a stale file fails `make test`.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Dict, List, Tuple

from atlas_admin._native import _client_options

ROOT = Path(__file__).resolve().parents[1]

# Each file, and how many parameter lists in it repeat the options: a list
# written by hand instead, without markers, would not be kept up to date.
FILES: Dict[str, int] = {
    "python/atlas_admin/_native.pyi": 4,  # Client(), from_env, MockAtlas.client, .service_account_client
    "python/atlas_admin/_async.pyi": 2,  # AsyncClient(), from_env
    "python/atlas_admin/_async.py": 2,  # the same, at run time
}

BEGIN = re.compile(
    r"^(?P<indent> *)# client options \((?P<mode>positional|keyword), (?P<style>typed|untyped)\): "
    r"written by tools/write_client_options\.py$"
)
END = "# end of client options"


def parameter_lines(mode: str, style: str, indent: str) -> List[str]:
    """The options as lines of a parameter list, each ending in a comma."""
    options: List[Tuple[str, str, bool]] = _client_options()

    def line(name: str, annotation: str) -> str:
        if style == "typed":
            return f"{indent}{name}: {annotation} = None,"
        return f"{indent}{name}=None,"

    if mode == "keyword":
        return [line(name, annotation) for name, annotation, _ in options]
    return (
        [line(name, annotation) for name, annotation, positional in options if positional]
        + [f"{indent}*,"]
        + [line(name, annotation) for name, annotation, positional in options if not positional]
    )


def render(text: str, path: str) -> str:
    """`text` with every marked parameter list written afresh."""
    out: List[str] = []
    lines = iter(text.splitlines())
    regions = 0
    for line in lines:
        out.append(line)
        begin = BEGIN.match(line)
        if not begin:
            continue
        regions += 1
        for inner in lines:
            if inner.strip() == END:
                break
        else:
            raise SystemExit(f"{path}: a client options marker without {END!r}")
        out.extend(parameter_lines(begin["mode"], begin["style"], begin["indent"]))
        out.append(f"{begin['indent']}{END}")
    if regions != FILES[path]:
        raise SystemExit(f"{path}: {regions} marked lists of client options, expected {FILES[path]}")
    return "\n".join(out) + "\n"


def stale() -> Dict[str, str]:
    """A diff for each file whose lists are not what the options give."""
    diffs = {}
    for name in FILES:
        path = ROOT / name
        text = path.read_text()
        fresh = render(text, name)
        if fresh != text:
            diff = difflib.unified_diff(
                text.splitlines(True), fresh.splitlines(True), f"{name} (as it is)", f"{name} (from the options)"
            )
            diffs[name] = "".join(diff)
    return diffs


def main(argv: List[str]) -> int:
    if argv == ["--check"]:
        diffs = stale()
        for diff in diffs.values():
            sys.stdout.write(diff)
        if diffs:
            print("stale; run `make python-stubs` (tools/write_client_options.py)", file=sys.stderr)
        return 1 if diffs else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    for name in FILES:
        path = ROOT / name
        text = path.read_text()
        fresh = render(text, name)
        if fresh != text:
            path.write_text(fresh)
            print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
