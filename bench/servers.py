"""The servers the bench runs against, all on 127.0.0.1 and all stopped on
the way out (each is a context manager):

- Apache httpd with mod_auth_digest (scripts/apache-digest, AuthDigestNcCheck
  On), over plain HTTP and, through bench/apache2-tls, over HTTPS with a
  certificate from a CA made here by openssl;
- the bundled mock Atlas, for the concurrency figure (it can delay every
  answer and counts the connections it accepts).
"""

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import tempfile
import urllib.request

from py_client import ORG, key_id

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The test pair of scripts/apache-digest and scripts/with-mock: throwaway.
PUBLIC_KEY = "abcdefgh"
PRIVATE_KEY = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6"
# Nonces outlive the whole run, so no stale renewal lands in a timed loop
# (scripts/apache-digest defaults to 2 s, to exercise renewals in tests).
NONCE_LIFETIME_S = 300
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 20


class Server:
    """A running server: its base URL and what clients need to trust it."""

    def __init__(self, url, access_log=None, ca_bundle=None):
        self.url = url
        self.access_log = access_log
        self.ca_bundle = ca_bundle

    def client_env(self):
        """The BENCH_* variables bench's clients read."""
        env = {"BENCH_URL": self.url, "BENCH_PUBLIC_KEY": PUBLIC_KEY,
               "BENCH_PRIVATE_KEY": PRIVATE_KEY}
        if self.ca_bundle:
            env["BENCH_CA_BUNDLE"] = self.ca_bundle
        return env


def _die_with_parent():
    # If the runner is killed outright, the child is told to stop too.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def on_cpu(cpu):
    """A preexec_fn that keeps a child (and what it starts) on `cpu`, or
    None for no restriction."""
    if cpu is None:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


@contextlib.contextmanager
def apache(tls=None, cpu=None):
    """Apache httpd from scripts/apache-digest, serving until we close its
    standard input (so it stops even if this process dies). With `tls` (from
    tls_files), HTTPS; with `cpu`, Apache and its workers run on that CPU
    only."""
    env = dict(os.environ, ATLAS_REQUIRE_APACHE="1", ATLAS_APACHE_PUBLIC_KEY=PUBLIC_KEY,
               ATLAS_APACHE_PRIVATE_KEY=PRIVATE_KEY,
               ATLAS_APACHE_NONCE_LIFETIME=str(NONCE_LIFETIME_S))
    if tls:
        env.update(ATLAS_APACHE_BIN=os.path.join(REPO, "bench", "apache2-tls"),
                   BENCH_TLS_CERT=tls["cert"], BENCH_TLS_KEY=tls["key"])
    process = subprocess.Popen([os.path.join(REPO, "scripts", "apache-digest")], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               preexec_fn=on_cpu(cpu))
    try:
        values = {}
        for line in process.stdout:
            line = line.strip()
            if line == "ready":
                break
            name, _, value = line.partition("=")
            values[name] = value
        else:
            raise RuntimeError("scripts/apache-digest did not start Apache (see above)")
        url = values["ATLAS_APACHE_URL"]
        if tls:
            url = "https://" + url[len("http://"):]
        yield Server(url, values["ATLAS_APACHE_ACCESS_LOG"], tls and tls["ca"])
    finally:
        process.stdin.close()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tls_files(directory):
    """A CA and a server certificate for 127.0.0.1 signed by it (P-256,
    valid 2 days), written into `directory`; returns their paths."""
    paths = {name: os.path.join(directory, name) for name in
             ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem", "server.ext")}
    with open(paths["server.ext"], "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\n")
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    for command in (
        ["openssl", "req", "-x509", *new_key, "-keyout", paths["ca.key"], "-out", paths["ca.pem"],
         "-days", "2", "-subj", "/CN=atlas-admin bench CA",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["openssl", "req", "-new", *new_key, "-keyout", paths["server.key"],
         "-out", paths["server.csr"], "-subj", "/CN=127.0.0.1"],
        ["openssl", "x509", "-req", "-in", paths["server.csr"], "-CA", paths["ca.pem"],
         "-CAkey", paths["ca.key"], "-CAcreateserial", "-out", paths["server.pem"],
         "-days", "2", "-extfile", paths["server.ext"]],
    ):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Apache's children run as an unprivileged user and read these.
    os.chmod(directory, 0o755)
    for path in paths.values():
        os.chmod(path, 0o644)
    return {"ca": paths["ca.pem"], "cert": paths["server.pem"], "key": paths["server.key"]}


class Mock(Server):
    """The mock Atlas: its controls live under /__mock/ on the same port."""

    def __init__(self, url):
        super().__init__(url)
        self.origin = url.split("/api/", 1)[0]

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.origin + "/__mock/" + path, data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
        # The bench talks to loopback only, whatever the proxy settings say.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text.strip() else None


@contextlib.contextmanager
def mock(binary, series, keys_per_series):
    """The mock Atlas holding keys 0..keys_per_series of each series, with
    Apache's strict nonce counting (exact), so that threads sharing a client
    face what they would face on Apache."""
    keys = [key_id(i, s) for s in series for i in range(keys_per_series + 1)]
    config = {"keys": {ORG: keys},
              "credentials": [{"public_key": PUBLIC_KEY, "private_key": PRIVATE_KEY}],
              "digest": {"algorithms": ["MD5"], "qop": True,
                         "nonce_ttl_secs": NONCE_LIFETIME_S, "nc_check": "exact"}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="bench-mock-") as f:
        json.dump(config, f)
        f.flush()
        process = subprocess.Popen([binary, "--port", "0", "--config", f.name],
                                   stdout=subprocess.PIPE, text=True,
                                   preexec_fn=_die_with_parent)
        try:
            url = process.stdout.readline().strip()
            if not url.startswith("http://127.0.0.1:"):
                raise RuntimeError("the mock Atlas printed no URL")
            yield Mock(url)
        finally:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
