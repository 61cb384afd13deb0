"""The figures beside the timing table: system calls (strace) and
instructions (callgrind) per delete, concurrency against a slow server,
and footprint (.so size, peak RSS of the C example, import time).

Per-delete costs are differences: a run of BIG deletes minus a run of SMALL
deletes, divided by BIG - SMALL, so that loading the library, making the
client, the first connection and the challenge cancel out and what is left
is a delete on a kept-alive connection.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from clients import REPO, Failure, client_env
from py_client import ORG, key_id

PEAK_RSS = os.path.join(REPO, "target", "bench", "bin", "peak_rss")

TIMEOUT_S = 600


def _run(command, env, what):
    try:
        done = subprocess.run(command, env=env, cwd=REPO, timeout=TIMEOUT_S,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except subprocess.TimeoutExpired:
        raise Failure("%s: no result within %d s" % (what, TIMEOUT_S)) from None
    if done.returncode != 0:
        raise Failure("%s failed (exit status %d): %s"
                      % (what, done.returncode, done.stderr.strip()[-2000:]))
    return done


def _strace_counts(path):
    """{syscall: (calls, errors)} from `strace -c` output."""
    counts = {}
    with open(path) as f:
        for line in f:
            tokens = line.split()
            if len(tokens) < 5 or not tokens[0][0].isdigit() or tokens[-1] == "total":
                continue
            errors = int(tokens[4]) if len(tokens) == 6 else 0
            counts[tokens[-1]] = (int(tokens[3]), errors)
    return counts


def syscalls(argv, server, big, small, url=None):
    """System calls per delete of the client `argv` (strace -f -c, every
    thread), as {"per_delete": total, "calls": [(name, calls, errors), ...]}
    sorted by calls per delete. `url` replaces the server's base URL."""
    runs = {}
    env = client_env(server)
    env["BENCH_URL"] = url or server.url
    with tempfile.TemporaryDirectory(prefix="atlas-bench-strace-") as directory:
        for deletes in (big, small):
            path = os.path.join(directory, "%d.txt" % deletes)
            _run(["strace", "-f", "-c", "-o", path, "--", *argv, str(deletes)], env,
                 "strace of %s" % os.path.basename(argv[-1]))
            runs[deletes] = _strace_counts(path)
    calls = []
    for name in set(runs[big]) | set(runs[small]):
        b_calls, b_errors = runs[big].get(name, (0, 0))
        s_calls, s_errors = runs[small].get(name, (0, 0))
        per_delete = (b_calls - s_calls) / (big - small)
        if abs(per_delete) >= 0.005:  # what remains of per-process setup is noise
            calls.append((name, per_delete, (b_errors - s_errors) / (big - small)))
    calls.sort(key=lambda c: -c[1])
    return {"per_delete": sum(c[1] for c in calls), "calls": calls, "big": big, "small": small,
            "url": env["BENCH_URL"]}


def _callgrind_total(path):
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise Failure("no instruction total in %s" % path)


def instructions(argv, server, big, small, inside=None):
    """Instructions per delete executed by the client process, every thread
    (valgrind --tool=callgrind: an exact count, so a repeatable figure);
    with `inside` (a function name), only those executed within calls to it
    (callgrind --toggle-collect), which leaves the bench's own clock and
    output out but would miss work handed to other threads."""
    totals = {}
    toggle = ["--toggle-collect=" + inside] if inside else []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-callgrind-") as directory:
        for deletes in (big, small):
            path = os.path.join(directory, "callgrind.%d" % deletes)
            _run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + path, *toggle, *argv,
                  str(deletes)], client_env(server), "callgrind of %s" % os.path.basename(argv[-1]))
            totals[deletes] = _callgrind_total(path)
    return {"per_delete": (totals[big] - totals[small]) / (big - small), "big": big,
            "small": small, "inside": inside}


def concurrency(binary, mock, deletes, threads, delay_ms, runs):
    """`threads` threads sharing one client delete `deletes` keys from the
    mock, which delays every answer by `delay_ms`: elapsed time and the TCP
    connections the mock accepted, per run."""
    mock.control("POST", "delay", {"millis": delay_ms})
    results = []
    for run in range(1, runs + 1):
        mock.control("POST", "stats/reset")
        done = _run([binary, str(deletes), str(threads), str(run)], client_env(mock),
                    "%d threads sharing a client" % threads)
        elapsed_s = json.loads(done.stdout)["elapsed_ns"] / 1e9
        stats = mock.control("GET", "stats")
        if stats["deleted"] != deletes + 1:
            raise Failure("the mock deleted %d keys, not %d" % (stats["deleted"], deletes + 1))
        # Minus one: the connection of this very stats request.
        results.append({"elapsed_s": elapsed_s, "connections": stats["connections"] - 1,
                        "requests": stats["requests"], "challenges": stats["challenges"],
                        "nc_rejected": stats["nc_rejected"]})
    return {"deletes": deletes, "threads": threads, "delay_ms": delay_ms,
            "floor_s": deletes / threads * delay_ms / 1000, "runs": results,
            "elapsed_s": statistics.median(r["elapsed_s"] for r in results),
            "connections": max(r["connections"] for r in results)}


def _peak_rss_kib(command, env):
    # Through bench/peak_rss.c: a child forked from this Python process
    # would count Python's own memory in its ru_maxrss.
    process = subprocess.run([PEAK_RSS] + command, env=env, cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    lines = process.stderr.decode().strip().splitlines()
    if process.returncode != 0 or not lines or not lines[-1].startswith("peak_rss_kib "):
        raise Failure("%s failed: %s" % (command[0], process.stderr.decode().strip()))
    return int(lines[-1].split()[1])


def _import_us(python, module):
    done = _run([python, "-X", "importtime", "-c", "import " + module], None,
                "import " + module)
    cumulative = None
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == module:
            cumulative = int(parts[1])
    if cumulative is None:
        raise Failure("python -X importtime printed nothing for %s" % module)
    return cumulative


def spawn_us(runs):
    """µs to run `true` as bench/py_client.py runs curl (subprocess.run with
    pipes): the part of curl's figure that is the harness starting a process."""
    def once():
        started = time.perf_counter_ns()
        subprocess.run(["true"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       check=True)
        return (time.perf_counter_ns() - started) / 1000
    once()
    return statistics.median(once() for _ in range(runs))


def _elf_sections(path):
    done = _run(["readelf", "--section-headers", "--wide", path], None, "readelf")
    return {token for token in done.stdout.split() if token.startswith(".")}


def footprint(library, example, server, python, rss_runs, import_runs):
    sections = _elf_sections(library)
    # The example reads what the quick starts read; none of the caller's
    # own MONGODB_ATLAS_* (a service account would clash with the key pair).
    env = {name: value for name, value in client_env(server).items()
           if not name.startswith("MONGODB_ATLAS_")}
    env.update(MONGODB_ATLAS_BASE_URL=server.url,
               MONGODB_ATLAS_PUBLIC_API_KEY=env["BENCH_PUBLIC_KEY"],
               MONGODB_ATLAS_PRIVATE_API_KEY=env["BENCH_PRIVATE_KEY"],
               MONGODB_ATLAS_ORG_ID=ORG)
    rss = [_peak_rss_kib([example, key_id(run, 0xe)], env) for run in range(rss_runs)]
    imports = {module: statistics.median(_import_us(python, module) for _ in range(import_runs))
               for module in ("atlas_admin", "requests", "httpx")}
    return {"library": os.path.relpath(library, REPO), "library_bytes": os.stat(library).st_size,
            "symbols": ".symtab" in sections, "debug_info": ".debug_info" in sections,
            "example_peak_rss_kib": statistics.median(rss), "import_us": imports,
            "python": sys.version.split()[0]}
