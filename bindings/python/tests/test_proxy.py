"""Proxies against a real one: Debian's tinyproxy, started by scripts/tinyproxy
on a free loopback port (it prints NAME=VALUE lines, then "ready", and stops
when its input closes).

Plain HTTP (the in-process mock) and HTTPS (the mock binary's TLS listener,
with a certificate from a CA made for the test by scripts/test-ca) go through
its CONNECT tunnels, as its log shows; HTTPS_PROXY is honoured and NO_PROXY
bypasses it; a dead proxy and a proxy wanting credentials are named with
where their setting came from, never with the password, and never blamed on
the base URL; credentials in the proxy URL are accepted.

Without tinyproxy these tests are skipped loudly, unless
ATLAS_REQUIRE_TINYPROXY is set (as `make test` does): then they fail.
"""

import json
import os
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Callable, Iterator, List, NamedTuple

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, PRIVATE, PUBLIC, announcement, key, shown

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "tinyproxy"
# The proxy credentials of the tests with --basic-auth; `make test`'s secret
# scan looks for the password (as in the Rust and C tests).
PROXY_USER = "tinyproxy-user"
PROXY_PASSWORD = "tinyproxy-pass-5e0c7b1d"
PROXY_VARIABLES = (
    "HTTPS_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
)


class Proxy(NamedTuple):
    url: str
    log: Path

    @property
    def address(self) -> str:
        return self.url[len("http://"):]

    def url_with(self, password: str) -> str:
        return f"http://{PROXY_USER}:{password}@{self.address}"

    def connects_to(self, port: int) -> int:
        """How many CONNECTs to 127.0.0.1:port tinyproxy has logged."""
        line = f"CONNECT 127.0.0.1:{port} HTTP/1.1"
        return sum(line in entry for entry in self.log.read_text().splitlines())


def _skip_loudly(capsys: pytest.CaptureFixture[str], why: str) -> None:
    with capsys.disabled():
        print(f"\n*** SKIPPING the tinyproxy tests: {why} ***")
    pytest.skip(why)


@pytest.fixture(autouse=True)
def no_proxy_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy the environment of the run may name must not meddle."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tinyproxy(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., Proxy]]:
    """Starts tinyproxies: start(port, ..., basic_auth=False) allows tunnels to
    those ports (any port when none is given), wanting PROXY_USER's
    credentials with basic_auth. Each is stopped at the end of the test."""
    processes: List["subprocess.Popen[str]"] = []

    def start(*ports: int, basic_auth: bool = False) -> Proxy:
        args = [str(SCRIPT)]
        for port in ports:
            args += ["--connect-port", str(port)]
        if basic_auth:
            args += ["--basic-auth", f"{PROXY_USER}:{PROXY_PASSWORD}"]
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        processes.append(process)
        assert process.stdout is not None
        variables, state = announcement(process.stdout)
        if state == "skip":
            assert not os.environ.get("ATLAS_REQUIRE_TINYPROXY"), "skipped although required"
            _skip_loudly(capsys, "tinyproxy is not installed (scripts/install-deps installs it)")
        assert state == "ready", "scripts/tinyproxy did not start tinyproxy (see its output)"
        return Proxy(variables["TINYPROXY_URL"], Path(variables["TINYPROXY_LOG"]))

    try:
        yield start
    finally:
        for process in processes:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.close()  # the script stops tinyproxy when its input closes
            process.wait(timeout=30)
            process.stdout.close()


class TlsAtlas(NamedTuple):
    """The mock binary, serving HTTPS too, with keys KEY and key(1)."""

    origin: str
    tls_base_url: str
    ca_bundle: Path

    @property
    def tls_port(self) -> int:
        return int(self.tls_base_url.split(":")[2].split("/")[0])

    def has_key(self, key_id: str) -> bool:
        with urllib.request.urlopen(f"{self.origin}/__mock/keys") as answer:
            return key_id in json.load(answer).get(ORG, [])


@pytest.fixture
def tls_atlas(tmp_path: Path) -> Iterator[TlsAtlas]:
    mock = Path(os.environ.get("MONGODB_ATLAS_MOCK_BIN", ROOT / "target" / "release" / "atlas-admin-mock"))
    assert mock.exists(), f"{mock} is missing: build it first (make build)"
    subprocess.run([str(ROOT / "scripts" / "test-ca"), str(tmp_path)], check=True)
    process = subprocess.Popen(
        [
            str(mock), "--credential", f"{PUBLIC}:{PRIVATE}",
            "--key", f"{ORG}:{KEY}", "--key", f"{ORG}:{key(1)}",
            "--tls-cert", str(tmp_path / "server.pem"),
            "--tls-key", str(tmp_path / "server-key.pem"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        base_url = process.stdout.readline().strip()
        tls_base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://") and tls_base_url.startswith("https://"), (
            f"the mock printed {base_url!r} and {tls_base_url!r}"
        )
        yield TlsAtlas(
            base_url[: -len("/api/atlas/v1.0")], tls_base_url, tmp_path / "ca.pem"
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


def dead_port() -> int:
    """A port of 127.0.0.1 where nothing listens (it was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def proxy_error(error: atlas_admin.TransportError) -> str:
    """The message of a proxy error, checked for what it must never say."""
    message = str(error)
    texts = shown(error)
    assert message.startswith("proxy failed: "), message
    assert "base URL" not in message, message
    assert all(PROXY_PASSWORD not in text and PROXY_USER not in text for text in texts), texts
    return message


def test_http_goes_through_an_explicit_proxy(
    atlas: MockAtlas, tinyproxy: Callable[..., Proxy]
) -> None:
    port = int(atlas.origin.rsplit(":", 1)[1])
    proxy = tinyproxy(port)
    atlas.add_key(ORG, key(1))
    client = atlas.client(proxy=proxy.url, max_retries=0)
    client.delete_org_api_key(ORG, KEY)
    client.delete_org_api_key(ORG, key(1))
    assert not atlas.has_key(ORG, KEY) and not atlas.has_key(ORG, key(1))
    assert proxy.connects_to(port) == 1, "one tunnel, kept alive for both deletes"
    assert atlas.stats()["connections"] == 1, "the mock was reached only through it"


def test_https_goes_through_a_connect_tunnel(
    tls_atlas: TlsAtlas, tinyproxy: Callable[..., Proxy]
) -> None:
    proxy = tinyproxy(tls_atlas.tls_port)
    client = atlas_admin.Client(
        PUBLIC, PRIVATE, base_url=tls_atlas.tls_base_url, ca_bundle=tls_atlas.ca_bundle,
        proxy=proxy.url, max_retries=0,
    )
    client.delete_org_api_key(ORG, KEY)
    assert not tls_atlas.has_key(KEY)
    assert proxy.connects_to(tls_atlas.tls_port) == 1
    # The certificate is checked end to end, through the tunnel.
    stranger = atlas_admin.Client(
        PUBLIC, PRIVATE, base_url=tls_atlas.tls_base_url, proxy=proxy.url, max_retries=0
    )
    with pytest.raises(atlas_admin.TransportError, match="^TLS failed"):
        stranger.delete_org_api_key(ORG, key(1))
    assert tls_atlas.has_key(key(1))
    assert proxy.connects_to(tls_atlas.tls_port) == 2


def test_https_proxy_is_honoured_and_no_proxy_bypasses_it(
    tls_atlas: TlsAtlas, tinyproxy: Callable[..., Proxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = tinyproxy(tls_atlas.tls_port)

    def delete(key_id: str) -> None:
        atlas_admin.Client(
            PUBLIC, PRIVATE, base_url=tls_atlas.tls_base_url, ca_bundle=tls_atlas.ca_bundle,
            max_retries=0,
        ).delete_org_api_key(ORG, key_id)

    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    delete(KEY)
    assert proxy.connects_to(tls_atlas.tls_port) == 1
    monkeypatch.setenv("NO_PROXY", "example.com, 127.0.0.1")
    delete(key(1))
    assert proxy.connects_to(tls_atlas.tls_port) == 1, "NO_PROXY bypasses the proxy"
    assert not tls_atlas.has_key(KEY) and not tls_atlas.has_key(key(1))


def test_a_dead_proxy_is_named_with_where_it_came_from(
    atlas: MockAtlas, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = dead_port()
    url = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}"
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, url)
        client = atlas_admin.Client(
            PUBLIC, PRIVATE, base_url="https://127.0.0.1:9/api/atlas/v1.0", max_retries=0
        )
        with pytest.raises(atlas_admin.TransportError) as caught:
            client.delete_org_api_key(ORG, KEY)
        monkeypatch.delenv(name)
        message = proxy_error(caught.value)
        assert message.startswith(
            f"proxy failed: could not connect to the proxy 127.0.0.1:{port} (from {name}): "
            "Connection refused"
        ), message
        assert message.endswith(
            f"; check that the proxy is up, or unset {name} / set NO_PROXY for this host"
        ), message
        assert caught.value.attempts == 1

    client = atlas.client(proxy=url, max_retries=0)
    with pytest.raises(atlas_admin.TransportError) as caught:
        client.delete_org_api_key(ORG, KEY)
    message = proxy_error(caught.value)
    assert f"the proxy 127.0.0.1:{port} (set explicitly)" in message, message
    assert "or change the client's proxy setting" in message, message
    assert atlas.has_key(ORG, KEY) and atlas.stats()["connections"] == 0


def test_a_proxy_wanting_credentials_takes_them_from_its_url(
    atlas: MockAtlas, tinyproxy: Callable[..., Proxy]
) -> None:
    port = int(atlas.origin.rsplit(":", 1)[1])
    proxy = tinyproxy(port, basic_auth=True)
    with pytest.raises(atlas_admin.TransportError) as caught:
        atlas.client(proxy=proxy.url, max_retries=0).delete_org_api_key(ORG, KEY)
    assert proxy_error(caught.value) == (
        f"proxy failed: the proxy {proxy.address} (set explicitly) refused to open a tunnel to "
        f"127.0.0.1:{port}: HTTP 407 Proxy Authentication Required; the proxy wants "
        "credentials: give them in the proxy URL, http://user:password@host:port"
    )
    assert atlas.has_key(ORG, KEY)

    atlas.client(proxy=proxy.url_with(PROXY_PASSWORD), max_retries=0).delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)
    assert proxy.connects_to(port) == 2
