"""What the bench prints and writes: the console table, BENCHMARKS.md and
the bar chart."""

import os

from clients import REPO


def us(value):
    """µs, to a precision that fits the size."""
    return "%.1f" % value if value < 100 else "{:,.0f}".format(value)


def per_delete(count, deletes):
    """A count per delete, readable when it is rare: "1 per 2,001"."""
    if count == 0:
        return "0"
    if count < deletes:
        return "1 per {:,.0f}".format(deletes / count)
    return "%.2f" % (count / deletes)


def console_table(rows):
    header = ("client", "µs/delete", "min", "max", "× wire", "round trips", "TCP connections")
    lines = [header, ("", "(median)", "", "", "", "per delete", "per delete")]
    for row in rows:
        lines.append((row["label"], us(row["median_us"]), us(row["min_us"]), us(row["max_us"]),
                      "%.2f" % row["x_wire"], "%.3f" % row["round_trips_per_delete"],
                      per_delete(row["connections"], row["deletes_logged"])))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = []
    for line in lines:
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]
        text.append("  ".join(cells))
    return "\n".join(text)


def _md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def chart(rows, settings, path):
    """A horizontal bar chart of µs per delete (log scale), min-max whiskers,
    saved as a small palette PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    from PIL import Image

    colours = {"wire": "#7f7f7f", "ctypes": "#7f7f7f", "c_abi": "#1f77b4",
               "python": "#1f77b4", "c_abi_tls": "#6baed6"}
    values = [row["median_us"] for row in rows]
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.1), dpi=100)
    ax.barh(range(len(rows)), values,
            xerr=[[v - row["min_us"] for v, row in zip(values, rows)],
                  [row["max_us"] - v for v, row in zip(values, rows)]],
            color=[colours.get(row["key"], "#ff7f0e") for row in rows], capsize=2)
    ax.set_xscale("log")
    # Room on the right for the labels of the longest bars.
    ax.set_xlim(min(values) / 1.5, max(row["max_us"] for row in rows) * 25)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: "{:,.0f}".format(x)))
    ax.set_yticks(range(len(rows)), [row["label"] for row in rows], fontsize=8)
    ax.invert_yaxis()
    for i, (value, row) in enumerate(zip(values, rows)):
        # The wire limit is plain HTTP: a ratio to it says little for HTTPS.
        ratio = "" if row["https"] else "  (%.2f× wire)" % row["x_wire"]
        ax.text(row["max_us"] * 1.1, i, "%s µs%s" % (us(value), ratio), va="center", fontsize=8)
    ax.set_xlabel("µs per delete, median of %d rounds, min-max whiskers (log scale)"
                  % settings["rounds"], fontsize=8)
    ax.set_title("%s sequential deletes per client against Apache httpd mod_auth_digest, "
                 "loopback, client and server on one CPU" % "{:,}".format(settings["deletes"]),
                 fontsize=9, loc="right")
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    # A few dozen colours are all a bar chart has: a palette PNG is small.
    Image.open(path).convert("RGB").quantize(colors=32).save(path, optimize=True)


def placement(layout):
    """Where a placement runs Apache and the client, in words."""
    server, client = layout["apache_cpu"], layout["client_cpu"]
    if server is None and client is None:
        return "as the scheduler places them"
    if server == client:
        return "Apache and client on CPU %d" % server
    return "Apache on CPU %d, client on CPU %d" % (server, client)


def markdown(results, chart_link):
    s, rows, m = results["settings"], results["clients"], results["machine"]
    by = {row["key"]: row for row in rows}
    out = ["# Benchmarks", ""]
    out.append("Written by `make bench` (`bench/run.py`) on %s from atlas-admin %s; "
               "do not edit by hand. `make bench QUICK=1`, which `make test` runs, does the "
               "same with a few deletes and writes to `target/bench/` instead."
               % (results["date"], m["versions"]["atlas-admin"]))
    if s["quick"]:
        out += ["", "**QUICK run: the counts are tiny; these figures say nothing about speed.**"]
    out += ["", "![µs per delete, per client](%s)" % chart_link, ""]

    out += ["## Sequential deletes", "",
            "Each client deletes %s keys one after another (curl: %s, one process each) after "
            "one warm-up delete, against Apache httpd `mod_auth_digest` on 127.0.0.1 answering "
            "204; %d rounds, the order of the clients rotated each round so that drift hits "
            "them all alike. Apache and every client run on one CPU (CPU %d, `taskset`), so "
            "that every delete costs the same hand-over from client to server and back; how "
            "the time goes when they run elsewhere is further down. µs per delete "
            "is the round's elapsed time over its deletes: the median of the rounds, then the "
            "fastest and slowest round. Round trips and TCP connections are counted from "
            "Apache's access log over each whole process (the warm-up and its challenge "
            "included)."
            % ("{:,}".format(s["deletes"]), "{:,}".format(by["curl"]["deletes_per_round"]),
               s["rounds"], s["cpu"]), ""]
    plain = [row for row in rows if not row["https"]]
    out.append(_md_table(
        ("client", "µs per delete", "min", "max", "× wire limit", "round trips per delete",
         "TCP connections per delete"),
        [(row["label"], "**%s**" % us(row["median_us"]), us(row["min_us"]), us(row["max_us"]),
          "%.2f" % row["x_wire"], "%.3f" % row["round_trips_per_delete"],
          per_delete(row["connections"], row["deletes_logged"])) for row in plain]))
    out += ["", "Single deletes, all rounds together (µs):", ""]
    out.append(_md_table(("client", "median", "99th percentile", "fastest", "slowest"),
                         [(row["label"], us(row["p50_us"]), us(row["p99_us"]),
                           us(row["fastest_us"]), us(row["slowest_us"])) for row in rows]))
    out += ["", "### Where client and server run", "",
            "The same rounds for the wire limit and atlas-admin, against an Apache of "
            "their own, with Apache and the client on two CPUs, then with no CPU chosen "
            "for either. On two CPUs each request and each answer wakes the other CPU, "
            "which on this virtual machine costs tens of µs each way and leaves what the "
            "client does a smaller share (compare the columns); left to itself, the "
            "scheduler settles "
            "a run on one CPU or on two, differently from run to run and from client to "
            "client, so those figures measure its choice as much as the client (the "
            "ctypes row, any Python program calling the same C library, tells the "
            "interpreter's share from the extension module's). The targets use the "
            "one-CPU rounds. µs per delete, median of the rounds, and its ratio to the "
            "wire limit's in the same placement:", ""]
    layouts = [{"apache_cpu": s["cpu"], "client_cpu": s["cpu"], "clients": rows}]
    layouts += results["placements"]

    def cell(layout, key):
        row = next(row for row in layout["clients"] if row["key"] == key)
        return "%s (%.2f×)" % (us(row["median_us"]), row["x_wire"])

    out.append(_md_table(
        ["client"] + [placement(layout) for layout in layouts],
        [[by[row["key"]]["label"]] + [cell(layout, row["key"]) for layout in layouts]
         for row in results["placements"][0]["clients"]]))

    out += ["", "## Targets", "",
            "Reported, not asserted. The Python figure is the one compared with the peers "
            "(it is slower than the C ABI, so the C ABI does at least as well).", ""]
    out.append(_md_table(("target", "measured", "verdict"), results["targets"]))

    out += ["", "## Where a delete goes", "", "### System calls per delete", "",
            "`strace -f -c` (every thread) over %d deletes minus a run of %d, so only a delete "
            "on a kept-alive connection remains; the wire limit for comparison. Errors are "
            "calls that failed, such as a non-blocking read finding nothing yet (`EAGAIN`).%s"
            % (results["syscalls"]["c_abi"]["big"], results["syscalls"]["c_abi"]["small"],
               " The C ABI client's base URL names `localhost` here, so a name lookup per "
               "delete would show (as `openat` of `/etc/hosts`, `socket`, `connect`)."
               if "//localhost:" in results["syscalls"]["c_abi"]["url"] else ""), ""]
    names = []
    for client in ("c_abi", "wire"):
        for name, _, _ in results["syscalls"][client]["calls"]:
            if name not in names:
                names.append(name)
    table = {client: {name: (calls, errors) for name, calls, errors in
                      results["syscalls"][client]["calls"]} for client in ("c_abi", "wire")}

    def cell(client, name):
        calls, errors = table[client].get(name, (0, 0))
        return "%.2f" % calls + (" (%.2f errors)" % errors if errors >= 0.005 else "")

    out.append(_md_table(
        ("system call", "atlas-admin, C ABI", "wire limit"),
        [("**total**", "**%.2f**" % results["syscalls"]["c_abi"]["per_delete"],
          "**%.2f**" % results["syscalls"]["wire"]["per_delete"])] +
        [("`%s`" % name, cell("c_abi", name), cell("wire", name)) for name in names]))
    ins = results["instructions"]
    out += ["", "### Instructions per delete", "",
            "`valgrind --tool=callgrind` (client process only, every thread; an exact count, "
            "so it moves only when the code does) over %d deletes minus a run of %d; the wire "
            "limit's figure includes building its requests, done before its clock starts:"
            % (ins["c_abi"]["big"], ins["c_abi"]["small"]), ""]
    out.append(_md_table(("client", "instructions per delete"), [
        ("atlas-admin, C ABI: the whole process", "{:,.0f}".format(ins["c_abi"]["per_delete"])),
        ("atlas-admin, C ABI: within `atlas_delete_org_api_key` (callgrind "
         "`--toggle-collect`; leaves out the bench's clock and output)",
         "{:,.0f}".format(ins["c_abi_inside"]["per_delete"])),
        ("wire limit: the whole process", "{:,.0f}".format(ins["wire"]["per_delete"]))]))

    c = results["concurrency"]
    out += ["", "## Concurrency", "",
            "%d threads share one `atlas_client` (`bench/c_abi_threads.c`) and delete %s keys "
            "between them from the bundled mock Atlas, which delays every answer by %d ms and "
            "checks nonce counts as Apache does; the floor is %s / %d × %d ms = %.2f s. "
            "Connections are those the mock accepted over the client's life."
            % (c["threads"], "{:,}".format(c["deletes"]), c["delay_ms"],
               "{:,}".format(c["deletes"]), c["threads"], c["delay_ms"], c["floor_s"]), ""]
    out.append(_md_table(("run", "elapsed", "TCP connections", "requests", "challenges",
                          "nonce counts refused"),
                         [(i + 1, "%.3f s" % r["elapsed_s"], r["connections"], r["requests"],
                           r["challenges"], r["nc_rejected"]) for i, r in enumerate(c["runs"])]))

    tls = by["c_abi_tls"]
    out += ["", "## HTTPS", "",
            "The same C ABI client in the same rounds against a second Apache, configured "
            "alike plus `mod_ssl` (`bench/apache2-tls`), with a P-256 certificate from a CA "
            "made for the run (trusted through `atlas_client_options_set_ca_bundle`). Each "
            "new TCP connection is one TLS handshake.", ""]
    out.append(_md_table(
        ("transport", "µs per delete", "min", "max", "TLS handshakes (connections) per round"),
        [("HTTP", us(by["c_abi"]["median_us"]), us(by["c_abi"]["min_us"]),
          us(by["c_abi"]["max_us"]), "—"),
         ("HTTPS", us(tls["median_us"]), us(tls["min_us"]), us(tls["max_us"]),
          "%d per %s deletes" % (tls["max_connections_per_round"],
                                 "{:,}".format(tls["deletes_per_round"] + 1)))]))

    f = results["footprint"]
    stripped = ("stripped" if not f["symbols"] else
                "with symbols" + (" and debug info" if f["debug_info"] else ""))
    out += ["", "## Footprint", ""]
    out.append(_md_table(("what", "figure"), [
        ("`%s`" % f["library"], "{:,} bytes ({:.2f} MiB, {})".format(
            f["library_bytes"], f["library_bytes"] / 2 ** 20, stripped)),
        ("peak RSS of `examples/delete_org_api_key.c`, one delete",
         "{:,} KiB".format(f["example_peak_rss_kib"])),
    ] + [("`python -X importtime -c 'import %s'`, cumulative" % module,
          "{:,.0f} µs".format(value)) for module, value in f["import_us"].items()]))

    out += ["", "## Method", ""] + ["- " + line for line in (
        "Server: Debian's Apache httpd 2.4, started by `scripts/apache-digest`: "
        "`mod_auth_digest` (MD5, `qop=auth`, `AuthDigestNcCheck On`), nonces living %d s so no "
        "stale renewal falls inside a timed loop, keep-alive without a request limit, "
        "`mod_rewrite` answering 204." % s["nonce_lifetime_s"],
        "Wire limit (`bench/wire.c`): one TCP connection, one challenge, then every request "
        "built before the clock starts; the timed loop is one `send` and one `recv` per delete. "
        "Apache refuses a nonce count it has seen (`AuthDigestNcCheck On`), so one pre-built "
        "`Authorization` header cannot be reused: each pre-built request carries its own answer "
        "with nc = 1, 2, 3, … (MD5 from `bench/md5.c`). Every client faces the same strict "
        "server, as Apache users do.",
        "atlas-admin, C ABI (`bench/c_abi.c`) and Python (`bench/py_client.py atlas`): one "
        "client with default options. For reference, `bench/py_client.py ctypes` calls "
        "`libatlas_admin.so` from Python through ctypes: what the interpreter alone adds to "
        "the C ABI, and so how much of Python's figure is the extension module. requests and "
        "httpx: one `Session`/`Client` with their "
        "Digest auth, which answers later requests pre-emptively after the first challenge "
        "(see the round trips column); curl: `curl --digest` once per delete, the time "
        "including its process start from Python's `subprocess` (which alone, for `true`, "
        "takes %s µs here)." % us(results["spawn_us"]),
        "Every client is a fresh process per round; its client, imports, the warm-up delete "
        "and the key IDs it deletes (made in advance, as a caller has them in hand) are "
        "outside the clock. Every answer must be 204 (the clients check, and Apache's log "
        "must hold one 204 per delete), or `make bench` fails.",
        "TCP connections: Apache's `%k` (requests before this one on its connection) is 0 on a "
        "connection's first request.",
    )]

    out += ["", "## Machine", ""]
    out.append(_md_table(("", ""), [("nproc", m["nproc"]), ("CPU", m["cpu"]),
                                    ("memory", m["memory"]), ("kernel", m["kernel"])] +
                         [(name, "`%s`" % version) for name, version in m["versions"].items()]))
    out += ["", "## Commands", "", "```sh"] + results["commands"] + ["```", ""]
    return "\n".join(out)


def relative(path):
    return os.path.relpath(path, REPO)
