"""Client.request(): the generic call, its arguments and its answers.

Against the mock (which serves DELETE of an organization's API key and
answers other paths 404 RESOURCE_NOT_FOUND) and against a small JSON echo
server started here on 127.0.0.1, which answers with what it was sent.
"""

import asyncio
import http.server
import json
import threading
from typing import Any, Dict, Iterator, List
from urllib.parse import parse_qsl, urlsplit

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas
from conftest import KEY, ORG, PRIVATE, PUBLIC, key

KEY_PATH = f"/orgs/{ORG}/apiKeys/{KEY}"


def query_of(target: str) -> List[Any]:
    return parse_qsl(urlsplit(target).query, keep_blank_values=True)


def test_delete_through_request(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    assert client.request("DELETE", KEY_PATH) is None
    assert not atlas.has_key(ORG, KEY)
    # Atlas' own word that the key is gone is NotFoundError, as for the typed call.
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        client.request("delete", KEY_PATH)  # any case
    assert caught.value.error_code == "API_KEY_NOT_FOUND" and caught.value.status == 400
    seen = atlas.recent_requests()[-1]
    assert (seen["method"], seen["target"]) == ("DELETE", f"/api/atlas/v1.0{KEY_PATH}")


def test_a_path_atlas_does_not_serve_is_an_http_error_naming_the_url(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(atlas_admin.HTTPError) as caught:
        client.request("GET", f"/orgs/{ORG}/projects")
    assert not isinstance(caught.value, atlas_admin.NotFoundError)
    assert caught.value.status == 404 and caught.value.error_code == "RESOURCE_NOT_FOUND"
    assert f"{atlas.base_url}/orgs/{ORG}/projects" in str(caught.value)
    assert "check the base URL" in str(caught.value)
    # The key's path exists, but not for PUT.
    with pytest.raises(atlas_admin.HTTPError) as caught:
        client.request("PUT", KEY_PATH, json={"desc": "x"})
    assert caught.value.status == 405 and caught.value.error_code == "METHOD_NOT_ALLOWED"
    assert atlas.has_key(ORG, KEY)


def answered_targets(atlas: MockAtlas) -> List[str]:
    """The targets of the requests the mock saw with credentials (not the
    first, which only fetched the Digest challenge)."""
    return [r["target"] for r in atlas.recent_requests() if r["auth_scheme"] is not None]


def test_pretty_and_envelope_reach_the_wire_on_every_call(atlas: MockAtlas) -> None:
    atlas.add_key(ORG, key(1))
    atlas.add_key(ORG, key(2))
    client = atlas.client(max_retries=0)
    client.delete_org_api_key(ORG, KEY, pretty=True)
    client.delete_org_api_key(ORG, key(1), envelope=True, missing_ok=True)
    assert client.request("DELETE", f"/orgs/{ORG}/apiKeys/{key(2)}", pretty=True, envelope=True) == {}
    assert [query_of(target) for target in answered_targets(atlas)] == [
        [("pretty", "true")],
        [("envelope", "true")],
        [("pretty", "true"), ("envelope", "true")],
    ]
    assert not any(atlas.has_key(ORG, k) for k in (KEY, key(1), key(2)))


def test_envelope_statuses_decide(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    assert client.request("DELETE", KEY_PATH, envelope=True) == {}
    # Atlas' 400 API_KEY_NOT_FOUND inside a 200.
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        client.request("DELETE", KEY_PATH, envelope=True)
    assert caught.value.status == 400


def test_params_are_sent_as_atlas_spells_them(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    params = {"itemsPerPage": 100, "includeCount": True, "pretty": False, "ratio": 0.25,
              "name": "a b&c=d/é"}
    listing = client.request("GET", f"/orgs/{ORG}/apiKeys", params=params)
    assert [k["id"] for k in listing["results"]] == [KEY]
    target = atlas.recent_requests()[-1]["target"]
    assert query_of(target) == [("itemsPerPage", "100"), ("includeCount", "true"),
                                ("pretty", "false"), ("ratio", "0.25"), ("name", "a b&c=d/é")]
    assert "includeCount=true" in target and "&name=a%20b%26c%3Dd" in target


def test_accept_reaches_the_wire(atlas: MockAtlas) -> None:
    client = atlas.client(api="atlas-v2", max_retries=0)
    # The mock's v2 serves only version 2023-01-01 of the delete, and says
    # 406 INVALID_VERSION to any other: the media type asked for is sent.
    newer = "application/vnd.atlas.2024-08-05+json"
    with pytest.raises(atlas_admin.HTTPError) as caught:
        client.request("DELETE", KEY_PATH, accept=newer)
    assert (caught.value.status, caught.value.error_code) == (406, "INVALID_VERSION")
    assert atlas.recent_requests()[-1]["accept"] == newer
    served = "application/vnd.atlas.2023-01-01+json"
    assert client.request("DELETE", KEY_PATH, accept=served) is None
    seen = atlas.recent_requests()[-1]
    assert (seen["target"], seen["accept"]) == (f"/api/atlas/v2{KEY_PATH}", served)


@pytest.mark.parametrize(
    "path, says",
    [
        ("orgs", "must start with /"),
        ("https://evil.example/api/atlas/v1.0/orgs", "is a URL"),
        ("//evil.example/orgs", "is a URL"),
        (f"/orgs/{ORG}/../x", "segment"),
        (f"/orgs/./{ORG}", "segment"),
        (f"/orgs/%2e%2e/{ORG}", "segment"),
        ("/orgs//x", "empty segment"),
        ("/orgs/", "empty segment"),
        ("/orgs?pretty=true", "query"),
        ("/orgs#top", "fragment"),
        ("/orgs\r\nX-Evil: 1", "control characters"),
        ("/api/atlas/v1.0/orgs", "repeats the API's own path"),
        ("/orgs/%zz", "percent-escape"),
    ],
)
def test_bad_paths_are_refused_before_anything_is_sent(atlas: MockAtlas, path: str, says: str) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(atlas_admin.InvalidArgumentError) as caught:
        client.request("GET", path)
    assert "`path`" in str(caught.value) and says in str(caught.value), str(caught.value)
    assert caught.value.attempts == 0
    assert atlas.stats()["requests"] == 0


def test_bad_methods_and_media_types_are_refused(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`method`.*PATCH"):
        client.request("TRACE", "/orgs")
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`accept`.*not a media type"):
        client.request("GET", "/orgs", accept="application/json\r\nX-Evil: 1")
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`accept`.*YYYY-MM-DD"):
        client.request("GET", "/orgs", accept="application/vnd.atlas.2024-13-01+json")
    with pytest.raises(TypeError):
        client.request("GET", "/orgs", accept=2024)  # type: ignore[arg-type]
    assert atlas.stats()["requests"] == 0


def _holds_itself() -> List[Any]:
    loop: List[Any] = []
    loop.append(loop)
    return loop


def _too_deep() -> List[Any]:
    deep: List[Any] = []
    for _ in range(200):
        deep = [deep]
    return deep


@pytest.mark.parametrize(
    "body, says",
    [
        ({"tags": ["a", {"b", "c"}]}, 'json["tags"][1] is a set'),
        (float("nan"), "json is NaN"),
        ({"limit": float("inf")}, 'json["limit"] is inf'),
        ([1, object()], "json[1] is an object"),
        (b"bytes", "json is a bytes"),
        ({1: "one"}, "key of type int"),
        ({"n": 2**64}, "beyond 64 bits"),
        ({"name": "\ud800"}, "lone surrogate"),
        (_holds_itself(), "deeper than 128 levels"),
        (_too_deep(), "deeper than 128 levels"),
    ],
)
def test_bodies_that_are_not_json_are_refused(atlas: MockAtlas, body: object, says: str) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(atlas_admin.InvalidArgumentError) as caught:
        client.request("POST", f"/orgs/{ORG}/apiKeys", json=body)
    assert "`json`" in str(caught.value) and says in str(caught.value), str(caught.value)
    assert atlas.stats()["requests"] == 0


@pytest.mark.parametrize(
    "params, error, says",
    [
        ([("a", "b")], TypeError, "must be a mapping"),
        ({1: "x"}, TypeError, "names must be str"),
        ({"a": None}, TypeError, 'the value of "a" must be str, int, float or bool'),
        ({"a": ["x", "y"]}, TypeError, "not list"),
        ({"a": float("nan")}, atlas_admin.InvalidArgumentError, '"a" is NaN'),
        ({"a": 2**200}, atlas_admin.InvalidArgumentError, "too large"),
        ({"": "x"}, atlas_admin.InvalidArgumentError, "empty name"),
    ],
)
def test_bad_params_are_refused(atlas: MockAtlas, params: Any, error: type, says: str) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(error) as caught:
        client.request("GET", "/orgs", params=params)
    assert says in str(caught.value), str(caught.value)
    assert atlas.stats()["requests"] == 0


def test_a_closed_client_refuses(atlas: MockAtlas) -> None:
    client = atlas.client()
    client.close()
    with pytest.raises(atlas_admin.InvalidArgumentError, match="closed"):
        client.request("DELETE", KEY_PATH)
    assert atlas.has_key(ORG, KEY)


class _Echo(http.server.BaseHTTPRequestHandler):
    """Answers /echo with what it was sent (method, target, headers and
    JSON body) and /answer/NAME with ANSWERS[NAME]; /barrier first waits
    until BARRIER's other requests are in flight too."""

    ANSWERS: Dict[str, bytes] = {
        "list": b'[1, "two", 3.5, true, null, {"k": []}]',
        "str": b'"text \\u00e9"',
        "int": b"18446744073709551615",
        "negative": b"-9223372036854775808",
        "float": b"2.5e-3",
        "bool": b"false",
        "null": b"null",
        "empty": b"",
        "spaces": b"  \r\n",
        "html": b"<html>not json</html>",
    }
    BARRIER = threading.Barrier(4, timeout=10)

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        content_type = "application/json"
        if path.endswith("/barrier"):
            self.BARRIER.wait()
        if path.split("/")[-2] == "answer":
            name = path.split("/")[-1]
            payload = self.ANSWERS[name]
            content_type = "text/html" if name == "html" else content_type
        else:
            payload = json.dumps({
                "method": self.command,
                "target": self.path,
                "content_type": self.headers.get("Content-Type"),
                "accept": self.headers.get("Accept"),
                "body": json.loads(body) if body else None,
            }).encode()
        self.send_response(200 if payload.strip() else 204)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[atlas_admin.Client]:
    """A client of the echo server. The server runs in this process's
    threads, so that it answers at all shows that a call releases the GIL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/api/atlas/v1.0"
    try:
        with atlas_admin.Client(PUBLIC, PRIVATE, base_url=base_url, timeout=10, max_retries=0) as client:
            yield client
    finally:
        server.shutdown()
        server.server_close()


def test_json_bodies_arrive_as_json(echo: atlas_admin.Client) -> None:
    body = {
        "name": "ci key é",
        "roles": ("ORG_MEMBER", "ORG_READ_ONLY"),
        "limits": {"max": 2**63 - 1, "min": -(2**63), "top": 2**64 - 1, "ratio": 0.1},
        "flags": [True, False, None],
        "nested": {"a": [{"b": [[]]}]},
    }
    answer = echo.request("POST", f"/orgs/{ORG}/apiKeys", json=body, params={"pretty": True})
    assert answer["method"] == "POST"
    assert answer["content_type"] == "application/json"
    assert answer["target"] == f"/api/atlas/v1.0/orgs/{ORG}/apiKeys?pretty=true"
    assert answer["body"] == {**body, "roles": ["ORG_MEMBER", "ORG_READ_ONLY"]}
    for method in ("PUT", "PATCH"):
        assert echo.request(method, "/x", json=[1, "2"])["body"] == [1, "2"]
    # No json: no body at all.
    answer = echo.request("GET", "/x")
    assert (answer["body"], answer["content_type"]) == (None, None)


def test_answers_become_python_values(echo: atlas_admin.Client) -> None:
    assert echo.request("GET", "/answer/list") == [1, "two", 3.5, True, None, {"k": []}]
    assert echo.request("GET", "/answer/str") == "text é"
    assert echo.request("GET", "/answer/int") == 2**64 - 1
    assert echo.request("GET", "/answer/negative") == -(2**63)
    assert echo.request("GET", "/answer/float") == 0.0025
    assert echo.request("GET", "/answer/bool") is False
    assert echo.request("GET", "/answer/null") is None
    assert echo.request("GET", "/answer/empty") is None
    assert echo.request("GET", "/answer/spaces") is None
    with pytest.raises(atlas_admin.ProtocolError, match="text/html"):
        echo.request("GET", "/answer/html")


def test_calls_run_in_parallel_without_the_gil(echo: atlas_admin.Client) -> None:
    # The server holds each answer until 4 requests are in flight at once.
    results: List[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(echo.request("GET", "/barrier")))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(results) == 4, "the requests did not all reach the server at once"
    assert not _Echo.BARRIER.broken


def test_async_client_request(atlas: MockAtlas) -> None:
    async def main() -> None:
        async with atlas_admin.AsyncClient(PUBLIC, PRIVATE, host=atlas.origin, max_retries=0) as client:
            assert await client.request("DELETE", KEY_PATH, pretty=True) is None
            with pytest.raises(atlas_admin.NotFoundError):
                await client.request("DELETE", KEY_PATH, envelope=True)
            with pytest.raises(atlas_admin.HTTPError) as caught:
                await client.request("GET", "/orgs", params={"itemsPerPage": 5})
            assert caught.value.status == 404
            with pytest.raises(atlas_admin.InvalidArgumentError, match="`json`"):
                await client.request("POST", "/orgs", json={"s": {1}})
        with pytest.raises(atlas_admin.InvalidArgumentError, match="closed"):
            await client.request("GET", "/orgs")

    asyncio.run(main())
    assert answered_targets(atlas) == [
        f"/api/atlas/v1.0{KEY_PATH}?pretty=true",
        f"/api/atlas/v1.0{KEY_PATH}?envelope=true",
        "/api/atlas/v1.0/orgs?itemsPerPage=5",
    ]
    assert not atlas.has_key(ORG, KEY)
