"""From timed runs to figures: per client, the median, min and max over the
rounds of µs per delete, single-delete percentiles, the ratio to the wire
limit, round trips and connections per delete; then the targets checked
against them (reported, never asserted)."""

import statistics

from access_log import Counts

LOOKUP_CALLS = {"open", "openat", "openat2", "stat", "newfstatat", "statx", "socket", "connect",
                "sendmmsg"}


def _percentile(sorted_values, fraction):
    return sorted_values[round(fraction * (len(sorted_values) - 1))]


def summarize(clients, runs):
    rows = []
    for client in clients:
        mine = [run for run in runs if run.client == client.key]
        per_round = [run.us_per_delete for run in mine]
        latencies = sorted(ns / 1000 for run in mine for ns in run.latencies_ns)
        counts = sum((run.counts for run in mine), Counts())
        rows.append({
            "key": client.key, "label": client.label, "https": client.https,
            "deletes_per_round": mine[0].deletes, "rounds_us": per_round,
            "median_us": statistics.median(per_round), "min_us": min(per_round),
            "max_us": max(per_round), "p50_us": _percentile(latencies, 0.5),
            "p99_us": _percentile(latencies, 0.99), "fastest_us": latencies[0],
            "slowest_us": latencies[-1], "requests": counts.requests,
            "deletes_logged": counts.deletes, "challenges": counts.challenges,
            "stale": counts.stale, "connections": counts.connections,
            "max_connections_per_round": max(run.counts.connections for run in mine),
            "round_trips_per_delete": counts.requests / counts.deletes,
            "connections_per_delete": counts.connections / counts.deletes,
        })
    wire = next(row for row in rows if row["key"] == "wire")["median_us"]
    for row in rows:
        row["x_wire"] = row["median_us"] / wire
    return rows


def _at_most(measured, limit, unit=""):
    if measured <= limit:
        return "met"
    return "missed by %.2f%s (%.0f%% over)" % (measured - limit, unit, 100 * (measured / limit - 1))


def _at_least(measured, limit):
    if measured >= limit:
        return "met"
    return "missed: %.2f× short of %g×" % (limit - measured, limit)


# Instructions a delete on a kept-alive connection may execute inside
# atlas_delete_org_api_key (callgrind --toggle-collect).
MAX_INSTRUCTIONS = 25000


def targets(rows, syscalls, instructions, concurrency):
    """[(target, measured, verdict)]."""
    by = {row["key"]: row for row in rows}
    c_abi, python = by["c_abi"], by["python"]
    clones = sum(calls for name, calls, _ in syscalls["c_abi"]["calls"]
                 if name in ("clone", "clone3", "fork", "vfork"))
    # What a name lookup or a new connection would cost: files read
    # (/etc/hosts, /etc/resolv.conf), sockets made, connects.
    lookups = sum(calls for name, calls, _ in syscalls["c_abi"]["calls"]
                  if name in LOOKUP_CALLS)
    inside = instructions["c_abi_inside"]["per_delete"]
    checks = [
        ("C ABI within 1.25× of the wire limit (client and Apache on one CPU)",
         "%.2f×" % c_abi["x_wire"],
         _at_most(c_abi["x_wire"], 1.25, "×")),
        ("Python within 1.35× of the wire limit (client and Apache on one CPU)",
         "%.2f×" % python["x_wire"],
         _at_most(python["x_wire"], 1.35, "×")),
        ("≤ {:,} instructions per kept-alive delete inside atlas_delete_org_api_key"
         .format(MAX_INSTRUCTIONS), "{:,.0f}".format(inside),
         _at_most(inside, MAX_INSTRUCTIONS)),
    ]
    for peer, factor in (("httpx", 3), ("requests", 4), ("curl", 40)):
        speedup = by[peer]["median_us"] / python["median_us"]
        checks.append(("atlas-admin from Python ≥ %d× faster than %s" % (factor, by[peer]["label"]),
                       "%.1f×" % speedup, _at_least(speedup, factor)))
    per_delete = syscalls["c_abi"]["per_delete"]
    checks += [
        ("2 system calls per delete on a kept-alive connection, as the wire limit (C ABI)",
         "%.2f" % per_delete, _at_most(round(per_delete, 2), 2)),
        ("no thread created per delete (clone per delete, C ABI)", "%.3f" % clones,
         _at_most(clones, 0.01)),
        ("no name lookup nor new connection per delete (C ABI, base URL on %s)"
         % ("localhost" if "//localhost:" in syscalls["c_abi"]["url"] else "127.0.0.1"),
         "%.3f" % lookups, _at_most(lookups, 0.01)),
        ("%d threads sharing one client open ≤ %d connections" % (concurrency["threads"],
                                                                  concurrency["threads"]),
         "%d" % concurrency["connections"],
         _at_most(concurrency["connections"], concurrency["threads"])),
    ]
    if concurrency["deletes"] == 1600 and concurrency["delay_ms"] == 20:
        checks.append(("1,600 deletes, 16 threads, 20 ms answers: < 2.3 s",
                       "%.2f s" % concurrency["elapsed_s"],
                       "met" if concurrency["elapsed_s"] < 2.3 else
                       _at_most(concurrency["elapsed_s"], 2.3, " s")))
    tls = by["c_abi_tls"]
    checks.append(("N deletes over HTTPS = 1 TLS handshake",
                   "{} per {:,} deletes".format(tls["max_connections_per_round"],
                                                tls["deletes_per_round"] + 1),
                   _at_most(tls["max_connections_per_round"], 1)))
    return checks
