"""`make bench`: atlas-admin against the wire limit and its peers, on one
machine, in one run. See BENCHMARKS.md (which this writes) for the method.

    target/bench-venv/bin/python bench/run.py [--quick]

Starts Apache httpd over HTTP and HTTPS and the mock Atlas on 127.0.0.1,
times every client in alternated rounds, counts system calls, instructions,
connections and footprint, prints the table, and writes results.json,
BENCHMARKS.md and results.png into target/bench/; without --quick also
BENCHMARKS.md and bench/results.png into the tree. --quick does everything
with tiny counts (for `make test`): it checks that the bench works and that
every client succeeds, and asserts nothing about time. Exits 1 when any
client or probe fails. Every server is stopped on the way out.
"""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time

import figures
import machine
import probes
import report
import servers
from clients import REPO, Failure, compared, run_once

OUT = os.path.join(REPO, "target", "bench")
BIN = os.path.join(OUT, "bin")
LIBRARY = os.path.join(REPO, "target", "release", "libatlas_admin.so")
MOCK = os.path.join(REPO, "target", "release", "atlas-admin-mock")
EXAMPLE = os.path.join(REPO, "target", "c", "delete_org_api_key")
RUN_TIMEOUT_S = 300

# The clients also timed with Apache and the client on two CPUs, and with
# no CPU chosen for either (see placements).
PLACED = ("wire", "c_abi", "python", "ctypes")


def placed(clients):
    """The clients of `clients` timed in every placement."""
    return [client for client in clients if client.key in PLACED]


FULL = {"deletes": 2000, "rounds": 5, "strace": (520, 20), "callgrind": (220, 20),
        "threads": 16, "concurrent_deletes": 1600, "delay_ms": 20, "concurrency_runs": 3,
        "rss_runs": 3, "import_runs": 5, "spawn_runs": 100}
# Tiny, but every client, probe and output still runs.
QUICK = {"deletes": 20, "rounds": 3, "strace": (25, 5), "callgrind": (15, 5),
         "threads": 16, "concurrent_deletes": 64, "delay_ms": 20, "concurrency_runs": 1,
         "rss_runs": 1, "import_runs": 1, "spawn_runs": 5}


def rounds(clients, settings, http, https, cpu, note=""):
    """Every client once per round, the order rotated each round, on `cpu`
    (None: anywhere); each round's line printed with `note` after it."""
    runs = []
    for number in range(1, settings["rounds"] + 1):
        shift = (number - 1) % len(clients)
        for client in clients[shift:] + clients[:shift]:
            deletes = max(1, settings["deletes"] // client.divisor)
            run = run_once(client, deletes, https if client.https else http, number,
                           RUN_TIMEOUT_S, cpu)
            print("round %d/%d  %-55s %9s µs per delete%s"
                  % (number, settings["rounds"], client.label, report.us(run.us_per_delete),
                     note), flush=True)
            runs.append(run)
    return runs


def placements(cpu):
    """Where Apache and the client run in the rounds besides the main ones
    (both on `cpu`): {"apache_cpu", "client_cpu"} with None for wherever
    the scheduler puts them; apart only when there are two CPUs to use."""
    others = sorted(os.sched_getaffinity(0) - {cpu})
    apart = [{"apache_cpu": others[0], "client_cpu": cpu}] if others else []
    return apart + [{"apache_cpu": None, "client_cpu": None}]


def by_name(url):
    """`url` with the host named `localhost` when that name means 127.0.0.1
    here, so that a name lookup per delete would show in the system calls;
    else `url` as it is (Apache listens on 127.0.0.1 only)."""
    port = int(url.split(":")[2].split("/")[0])
    try:
        first = socket.getaddrinfo("localhost", port, type=socket.SOCK_STREAM)[0][4][0]
    except OSError:
        return url
    return url.replace("//127.0.0.1:", "//localhost:", 1) if first == "127.0.0.1" else url


def commands(clients, settings):
    """The command lines, as a reader would type them from the tree."""
    rel = report.relative
    n, threads = settings["deletes"], settings["threads"]
    pin = "taskset -c %d " % settings["cpu"]
    lines = ["make bench                     # all of the below; QUICK=1 for the smoke run",
             pin + "env ATLAS_APACHE_NONCE_LIFETIME=%d scripts/apache-digest      # HTTP server"
             % settings["nonce_lifetime_s"],
             pin + "env ATLAS_APACHE_NONCE_LIFETIME=%d ATLAS_APACHE_BIN=bench/apache2-tls \\"
             % settings["nonce_lifetime_s"],
             "  BENCH_TLS_CERT=server.pem BENCH_TLS_KEY=server.key scripts/apache-digest  # HTTPS",
             "# each client, with BENCH_URL, BENCH_PUBLIC_KEY, BENCH_PRIVATE_KEY "
             "(and BENCH_CA_BUNDLE) set:"]
    def command(client):
        return " ".join(rel(arg) if os.path.isabs(arg) else arg for arg in client.argv)

    for client in clients:
        lines.append(pin + command(client) + " %d" % max(1, n // client.divisor) +
                     ("   # HTTPS" if client.https else ""))
    for layout in placements(settings["cpu"]):
        where = ("Apache and the clients under taskset -c %s and -c %s"
                 % (layout["apache_cpu"], layout["client_cpu"])
                 if layout["apache_cpu"] is not None else "neither under taskset")
        lines.append("# again, against an Apache of their own, with %s:" % where)
        lines += ["#   " + command(client) for client in placed(clients)]
    lines += ["# where py_client.py curl runs, per delete:",
              "curl -q --silent --show-error --digest --user \"$BENCH_PUBLIC_KEY:$BENCH_PRIVATE_KEY\" "
              "--request DELETE --output /dev/null --write-out '%{http_code}' --noproxy '*' URL"]
    callgrind = "valgrind --tool=callgrind --callgrind-out-file=FILE"
    for big_small, tool, binary in (
            (settings["strace"], "strace -f -c -o FILE --", "c_abi"),
            (settings["strace"], "strace -f -c -o FILE --", "wire"),
            (settings["callgrind"], callgrind, "c_abi"),
            (settings["callgrind"], callgrind + " --toggle-collect=atlas_delete_org_api_key",
             "c_abi"),
            (settings["callgrind"], callgrind, "wire")):
        lines.append("%s %s/%s %d   # minus the same with %d"
                     % (tool, rel(BIN), binary, big_small[0], big_small[1]))
    lines += ["%s --port 0 --config KEYS.json   # then POST /__mock/delay {\"millis\": %d}"
              % (rel(MOCK), settings["delay_ms"]),
              "%s/c_abi_threads %d %d RUN         # then GET /__mock/stats"
              % (rel(BIN), settings["concurrent_deletes"], threads),
              "stat -c %%s %s" % rel(LIBRARY),
              "MONGODB_ATLAS_BASE_URL=... MONGODB_ATLAS_PUBLIC_API_KEY=... "
              "MONGODB_ATLAS_PRIVATE_API_KEY=... MONGODB_ATLAS_ORG_ID=... %s/peak_rss %s "
              "KEY   # its own peak RSS, from wait4 in a small C parent"
              % (rel(BIN), rel(EXAMPLE)),
              "%s -X importtime -c 'import atlas_admin'   # also requests, httpx"
              % rel(sys.executable)]
    return lines


def measure(settings, clients):
    cpu = settings["cpu"]
    with contextlib.ExitStack() as stack:
        http = stack.enter_context(servers.apache(cpu=cpu))
        tls_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="atlas-bench-tls-"))
        https = stack.enter_context(servers.apache(tls=servers.tls_files(tls_dir), cpu=cpu))
        print("Apache httpd on CPU %d: %s and %s" % (cpu, http.url, https.url), flush=True)
        results = {"runs": rounds(clients, settings, http, https, cpu), "placements": []}

        for placement in placements(cpu):
            where = report.placement(placement)
            with servers.apache(cpu=placement["apache_cpu"]) as server:
                print("Apache httpd, %s: %s" % (where, server.url), flush=True)
                runs = rounds(placed(clients), settings, server, None, placement["client_cpu"],
                              "  (%s)" % where)
            results["placements"].append(dict(placement, runs=runs))
        print("system calls (strace), instructions (callgrind), footprint ...", flush=True)
        c_abi, wire = os.path.join(BIN, "c_abi"), os.path.join(BIN, "wire")
        results["syscalls"] = {
            "c_abi": probes.syscalls([c_abi], http, *settings["strace"], url=by_name(http.url)),
            "wire": probes.syscalls([wire], http, *settings["strace"]),
        }
        results["instructions"] = {
            "c_abi": probes.instructions([c_abi], http, *settings["callgrind"]),
            "c_abi_inside": probes.instructions([c_abi], http, *settings["callgrind"],
                                                inside="atlas_delete_org_api_key"),
            "wire": probes.instructions([wire], http, *settings["callgrind"]),
        }
        results["footprint"] = probes.footprint(LIBRARY, EXAMPLE, http, sys.executable,
                                                settings["rss_runs"], settings["import_runs"])
        results["spawn_us"] = probes.spawn_us(settings["spawn_runs"])

        print("concurrency against the mock Atlas ...", flush=True)
        runs = settings["concurrency_runs"]
        mock = stack.enter_context(servers.mock(MOCK, range(1, runs + 1),
                                                settings["concurrent_deletes"]))
        results["concurrency"] = probes.concurrency(
            os.path.join(BIN, "c_abi_threads"), mock, settings["concurrent_deletes"],
            settings["threads"], settings["delay_ms"], runs)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny counts; write target/bench only")
    args = parser.parse_args()
    settings = dict(QUICK if args.quick else FULL, quick=args.quick,
                    nonce_lifetime_s=servers.NONCE_LIFETIME_S,
                    cpu=max(os.sched_getaffinity(0)))
    # SIGTERM unwinds like Ctrl-C, so every server is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(OUT, exist_ok=True)
    clients = compared(BIN, sys.executable)
    started = time.monotonic()
    try:
        measured = measure(settings, clients)
    except Failure as failure:
        sys.exit("bench: FAILED: %s" % failure)

    rows = figures.summarize(clients, measured["runs"])
    placements_rows = [
        {"apache_cpu": placement["apache_cpu"], "client_cpu": placement["client_cpu"],
         "clients": figures.summarize(placed(clients), placement["runs"])}
        for placement in measured["placements"]]
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": settings, "machine": machine.describe(), "clients": rows,
        "placements": placements_rows,
        "syscalls": measured["syscalls"], "instructions": measured["instructions"],
        "concurrency": measured["concurrency"], "footprint": measured["footprint"],
        "spawn_us": measured["spawn_us"],
        "targets": figures.targets(rows, measured["syscalls"], measured["instructions"],
                                   measured["concurrency"]),
        "commands": commands(clients, settings),
    }
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    report.chart(rows, settings, os.path.join(OUT, "results.png"))
    with open(os.path.join(OUT, "BENCHMARKS.md"), "w") as f:
        f.write(report.markdown(results, "results.png"))
    if not args.quick:
        shutil.copyfile(os.path.join(OUT, "results.png"), os.path.join(REPO, "bench", "results.png"))
        with open(os.path.join(REPO, "BENCHMARKS.md"), "w") as f:
            f.write(report.markdown(results, "bench/results.png"))

    print()
    print(report.console_table(rows))
    print()
    width = max(len(target) for target, _, _ in results["targets"])
    for target, figure, verdict in results["targets"]:
        print("%s  %-20s %s" % (target.ljust(width), figure, verdict))
    print()
    written = "target/bench/" if args.quick else "BENCHMARKS.md, bench/results.png, target/bench/"
    print("bench%s: every client succeeded in %.0f s; wrote %s"
          % (" (QUICK)" if args.quick else "", time.monotonic() - started, written))


if __name__ == "__main__":
    main()
