"""The clients the bench compares, and one timed run of one of them.

Every client is a fresh process that makes its client, does one warm-up
delete (its challenge included), then DELETES timed deletes, and prints one
JSON line (bench/measure.h). Process start, imports and the warm-up are
outside the clock, except for curl, whose process per delete is the point.
A run fails unless the process exits 0 and Apache's log holds exactly one
204 per delete (warm-up included) and nothing but 204s and 401 challenges.
"""

import json
import os
import subprocess
from dataclasses import dataclass, field

from access_log import AccessLog, Counts
from servers import on_cpu

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


class Failure(Exception):
    """A client or probe did not do what it was asked: the bench fails."""


@dataclass(frozen=True)
class Client:
    key: str  # its name in results.json
    label: str  # its name in the tables
    argv: tuple  # DELETES is appended
    https: bool = False
    # Runs only deletes // divisor deletes (curl: a process per delete).
    divisor: int = 1


def compared(bin_dir, python):
    """Every client, in the order of the tables. The ones over HTTPS are
    timed in the same alternated rounds, against the HTTPS Apache."""
    py_client = os.path.join(REPO, "bench", "py_client.py")
    return [
        Client("wire", "wire limit: raw socket, C, requests built in advance",
               (os.path.join(bin_dir, "wire"),)),
        Client("c_abi", "atlas-admin through the C ABI", (os.path.join(bin_dir, "c_abi"),)),
        Client("python", "atlas-admin from Python", (python, py_client, "atlas")),
        Client("ctypes", "for reference: Python calling the C ABI through ctypes",
               (python, py_client, "ctypes")),
        Client("httpx", "httpx.Client + DigestAuth", (python, py_client, "httpx")),
        Client("requests", "requests.Session + HTTPDigestAuth", (python, py_client, "requests")),
        Client("curl", "curl --digest, one process per delete", (python, py_client, "curl"),
               divisor=10),
        Client("c_abi_tls", "atlas-admin through the C ABI, HTTPS",
               (os.path.join(bin_dir, "c_abi"),), https=True),
    ]


def client_env(server):
    """The environment of a client process: ours without proxy settings (the
    bench talks to loopback only), plus the server's BENCH_* variables."""
    env = {name: value for name, value in os.environ.items()
           if name.lower() not in PROXY_VARIABLES}
    env.update(server.client_env())
    return env


@dataclass
class Run:
    client: str
    round: int
    deletes: int
    elapsed_ns: int
    latencies_ns: list = field(repr=False)
    counts: Counts

    @property
    def us_per_delete(self):
        return self.elapsed_ns / self.deletes / 1000


def run_once(client, deletes, server, round_number, timeout_s, cpu=None):
    """Runs `client` once for `deletes` timed deletes against `server`, on
    `cpu` only when given."""
    log = AccessLog(server.access_log)
    mark = log.mark()
    command = [*client.argv, str(deletes)]
    try:
        done = subprocess.run(command, env=client_env(server), cwd=REPO, timeout=timeout_s,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=on_cpu(cpu))
    except subprocess.TimeoutExpired:
        raise Failure("%s: no result within %d s" % (client.label, timeout_s)) from None
    if done.returncode != 0:
        raise Failure("%s failed (exit status %d): %s"
                      % (client.label, done.returncode, done.stderr.strip()[-2000:]))
    try:
        result = json.loads(done.stdout)
    except ValueError:
        raise Failure("%s printed no result: %r" % (client.label, done.stdout[-500:])) from None
    counts = log.counts_since(mark, deletes + 1)
    if counts.deletes != deletes + 1 or counts.other:
        raise Failure("%s: Apache logged %d deletes (expected %d) and %d other answers"
                      % (client.label, counts.deletes, deletes + 1, counts.other))
    if result["deletes"] != deletes or len(result["latencies_ns"]) != deletes:
        raise Failure("%s reported %s deletes, not %d" % (client.label, result["deletes"], deletes))
    return Run(client.key, round_number, deletes, result["elapsed_ns"], result["latencies_ns"],
               counts)
