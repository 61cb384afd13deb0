"""The package itself: stubs agree with the runtime, docstrings, exports."""

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

import atlas_admin
import atlas_admin._native
from atlas_admin import errors
from atlas_admin.testing import MockAtlas

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import write_client_options as client_options  # noqa: E402

# The organization API key lifecycle: one Client method per endpoint.
KEY_CALLS = [
    "list_org_api_keys",
    "get_org_api_key",
    "find_org_api_key",
    "create_org_api_key",
    "update_org_api_key",
    "list_org_api_key_access_list",
    "add_org_api_key_access_list",
    "delete_org_api_key_access_list_entry",
]


def calls() -> List[str]:
    """Client's methods that call Atlas: every public method but close() and
    the constructor from_env()."""
    client = atlas_admin.Client
    names = [n for n, m in vars(client).items() if not n.startswith("_") and callable(m)]
    found = sorted(set(names) - {"close", "from_env"})
    assert set(KEY_CALLS + ["delete_org_api_key", "request"]) <= set(found), found
    return found


def test_stubs_match_the_runtime() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "atlas_admin"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_public_name_has_a_docstring() -> None:
    for name in atlas_admin.__all__:
        obj = getattr(atlas_admin, name)
        if inspect.isclass(obj):
            assert obj.__doc__, name
    for cls in (atlas_admin.Client, atlas_admin.AsyncClient, MockAtlas, atlas_admin.ApiKey,
                atlas_admin.AccessListEntry):
        for name, member in vars(cls).items():
            if not name.startswith("_"):
                assert getattr(member, "__doc__", None), f"{cls.__name__}.{name}"
    # Each says what it is about, not merely something, and starts with it:
    # the signature is the runtime's own (__text_signature__), not a copy.
    assert "delete_org_api_key()" in (atlas_admin.Client.__doc__ or "")
    assert (atlas_admin.Client.delete_org_api_key.__doc__ or "").startswith(
        "Deletes API key api_key_id from organization org_id\n"
    )
    assert (atlas_admin.Client.request.__doc__ or "").startswith("Calls any endpoint")


def test_option_lists_are_written_from_the_one_declaration() -> None:
    # The client's options are declared once, in Rust; every parameter list
    # that repeats them (stubs, AsyncClient) is written from it by
    # tools/write_client_options.py. Stale means someone edited one by hand.
    assert client_options.stale() == {}, "".join(client_options.stale().values())


def test_every_constructor_takes_the_one_option_set() -> None:
    options = [name for name, _, _ in atlas_admin._native._client_options()]
    keyword = inspect.Parameter.KEYWORD_ONLY
    for function, before in (
        (atlas_admin.Client, []),
        (atlas_admin.Client.from_env, ["profile"]),
        (atlas_admin.AsyncClient, []),
        (atlas_admin.AsyncClient.from_env, ["profile"]),
        (MockAtlas.client, ["self"]),
        (MockAtlas.service_account_client, ["self"]),
    ):
        parameters = list(inspect.signature(function).parameters.values())
        names = [p.name for p in parameters if p.name != "max_workers"]
        assert names == before + options, function
        for p in parameters[len(before):]:
            assert p.default is None, (function, p.name)
            assert p.kind == keyword or p.name in ("public_key", "private_key"), (function, p.name)


def _stub_methods(stub: str, cls: str) -> Dict[str, ast.FunctionDef]:
    """The methods of class `cls` in the installed stub file `stub`, but
    properties."""
    tree = ast.parse((Path(atlas_admin.__file__).parent / stub).read_text())
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls).body
    return {
        fn.name: fn  # type: ignore[misc]
        for fn in body
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
        and not any(ast.unparse(d) == "property" for d in fn.decorator_list)
    }


Parameter = Tuple[str, str, str]


def _stub_parameters(fn: ast.FunctionDef) -> List[Parameter]:
    """(kind, name, default) of each parameter but self or cls, with kinds
    as inspect names them and defaults as repr() of their value."""
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults: List[Optional[ast.expr]] = [None] * (len(positional) - len(a.defaults))
    defaults += a.defaults
    kinds = ["POSITIONAL_ONLY"] * len(a.posonlyargs) + ["POSITIONAL_OR_KEYWORD"] * len(a.args)
    out = [
        (kind, p.arg, "" if d is None else repr(ast.literal_eval(d)))
        for kind, p, d in zip(kinds, positional, defaults)
    ]
    if a.vararg:
        out.append(("VAR_POSITIONAL", a.vararg.arg, ""))
    out += [
        ("KEYWORD_ONLY", p.arg, "" if d is None else repr(ast.literal_eval(d)))
        for p, d in zip(a.kwonlyargs, a.kw_defaults)
    ]
    if a.kwarg:
        out.append(("VAR_KEYWORD", a.kwarg.arg, ""))
    return out[1:]


def _runtime_parameters(cls: type, name: str) -> List[Parameter]:
    """The same for the method at run time, as its signature shows it."""
    if name in ("__new__", "__init__"):
        signature = inspect.signature(cls)  # without cls or self
        skip = 0
    else:
        method = getattr(cls, name)
        signature = inspect.signature(method)
        # A classmethod comes bound to the class, its cls already left out.
        skip = 0 if getattr(method, "__self__", None) is cls else 1
    return [
        (p.kind.name, p.name, "" if p.default is p.empty else repr(p.default))
        for p in list(signature.parameters.values())[skip:]
    ]


@pytest.mark.parametrize(
    "cls, stub",
    [
        (atlas_admin.Client, "_native.pyi"),
        (atlas_admin.AsyncClient, "_async.pyi"),
        (MockAtlas, "_native.pyi"),
        (atlas_admin.ApiKey, "_native.pyi"),
        (atlas_admin.AccessListEntry, "_native.pyi"),
    ],
)
def test_stub_signatures_equal_the_runtimes(cls: type, stub: str) -> None:
    # stubtest checks this too; this check is ours and exact: every method
    # the stub declares takes, at run time, the same parameters, of the same
    # kinds, in the same order, with the same defaults; and every public
    # method is declared.
    methods = _stub_methods(stub, cls.__name__)
    for name, fn in methods.items():
        assert _stub_parameters(fn) == _runtime_parameters(cls, name), f"{cls.__name__}.{name}"
        assert isinstance(fn, ast.AsyncFunctionDef) == inspect.iscoroutinefunction(
            getattr(cls, name)
        ), name
    public = {n for n, m in vars(cls).items() if not n.startswith("_") and callable(m)}
    public |= {n for n, m in vars(cls).items() if isinstance(m, classmethod)}
    assert public <= set(methods), public - set(methods)


def test_async_client_takes_what_client_takes() -> None:
    client, aio = atlas_admin.Client, atlas_admin.AsyncClient
    max_workers = ("KEYWORD_ONLY", "max_workers", "None")
    assert _runtime_parameters(aio, "__init__") == _runtime_parameters(client, "__new__") + [max_workers]
    assert _runtime_parameters(aio, "from_env") == _runtime_parameters(client, "from_env") + [max_workers]
    for name in calls():
        assert _runtime_parameters(aio, name) == _runtime_parameters(client, name), name
        assert inspect.iscoroutinefunction(getattr(aio, name)), name
    shared = {n for n in dir(client) if not n.startswith("_")}
    assert shared <= {n for n in dir(aio) if not n.startswith("_")}, shared - set(dir(aio))
    native = _stub_methods("_native.pyi", "Client")
    aio_stub = _stub_methods("_async.pyi", "AsyncClient")
    for name in calls():
        assert ast.dump(aio_stub[name].args) == ast.dump(native[name].args), name
        assert ast.dump(aio_stub[name].returns) == ast.dump(native[name].returns), name


def test_every_call_takes_the_options_of_every_call() -> None:
    for cls in (atlas_admin.Client, atlas_admin.AsyncClient):
        for name in calls():
            tail = _runtime_parameters(cls, name)[-2:]
            assert tail == [("KEYWORD_ONLY", "pretty", "False"), ("KEYWORD_ONLY", "envelope", "False")], name
    for name in calls():
        if name != "delete_org_api_key":
            assert "missing_ok" not in inspect.signature(getattr(atlas_admin.Client, name)).parameters


def test_exception_hierarchy_mirrors_the_c_status_enum() -> None:
    # Which class each error kind raises comes from the core's table, and
    # importing the package has checked that each exists and is an
    # AtlasError. Here: the package exports every one.
    for name in errors.__all__:
        assert getattr(atlas_admin, name) is getattr(errors, name), name
        assert issubclass(getattr(errors, name), atlas_admin.AtlasError), name
    assert issubclass(atlas_admin.InvalidArgumentError, ValueError)
    assert issubclass(atlas_admin.TimeoutError, TimeoutError)


def test_exception_hierarchy_is_what_users_have_always_caught() -> None:
    import builtins

    bases = {name: getattr(errors, name).__bases__ for name in errors.__all__}
    atlas = (errors.AtlasError,)
    assert bases == {
        "AtlasError": (Exception,),
        "AuthenticationError": atlas,
        "CancelledError": atlas,
        "HTTPError": atlas,
        "InvalidArgumentError": (errors.AtlasError, ValueError),
        "NotFoundError": atlas,
        "PermissionDeniedError": atlas,
        "ProtocolError": atlas,
        "RateLimitError": atlas,
        "ServerError": atlas,
        "TimeoutError": (errors.AtlasError, builtins.TimeoutError),
        "TransportError": atlas,
    }
    for name in errors.__all__:
        assert getattr(errors, name).__module__ == "atlas_admin.errors", name
    # errors.py alone names them: the package re-exports its __all__.
    source = (Path(atlas_admin.__file__).parent / "__init__.py").read_text()
    named = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    named |= {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)}
    assert named.isdisjoint(errors.__all__), named & set(errors.__all__)


def test_extension_exports_no_c_abi_symbols() -> None:
    path = atlas_admin._native.__file__
    assert path is not None
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "PyInit__native" in symbols
    assert [s for s in symbols if s.startswith("atlas_")] == []


def declared_names(path: Path) -> Tuple[List[str], List[str]]:
    """The public names module file `path` (a stub or a typed module)
    declares at top level (classes, functions, annotated or assigned
    constants, and __version__), and the names its own __all__ lists."""
    tree = ast.parse(path.read_text())
    declared: List[str] = []
    listed: List[str] = []
    for node in tree.body:
        targets: List[ast.expr] = []
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            declared.append(node.name)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Assign):
            targets = node.targets
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "__all__":
                assert isinstance(node, ast.Assign)
                listed = list(ast.literal_eval(node.value))
            elif isinstance(target, ast.Name):
                declared.append(target.id)
    public = [n for n in declared if not n.startswith("_") or n == "__version__"]
    return public, listed


def test_all_is_exactly_what_the_stubs_declare() -> None:
    # The public API as a type checker sees it: the stubs of the extension
    # (_native.pyi) and of the asyncio client (_async.pyi), and errors.py,
    # which is typed source (py.typed). What they declare, the package
    # exports; what it exports, they declare.
    package = Path(atlas_admin.__file__).parent
    declared = set()
    for name in ("_native.pyi", "_async.pyi", "errors.py"):
        public, listed = declared_names(package / name)
        assert sorted(public) == sorted(listed), name
        declared |= set(public)
    # Declared by the stubs, public elsewhere: the mock in atlas_admin.testing,
    # the command line in atlas_admin.__main__.
    elsewhere = {"MockAtlas": "atlas_admin.testing", "cli_main": "atlas_admin.__main__"}
    for name, module in elsewhere.items():
        assert name in declared, name
        assert name in (package / (module.split(".")[-1] + ".py")).read_text(), name
    assert sorted(atlas_admin.__all__) == sorted(declared - set(elsewhere))
    assert len(set(atlas_admin.__all__)) == len(atlas_admin.__all__)
    for name in atlas_admin.__all__:
        assert hasattr(atlas_admin, name), name


USER_CODE = '''
from typing import Any, List, Optional

import atlas_admin
from atlas_admin import *
from atlas_admin.testing import MockAtlas


def calls(client: atlas_admin.Client, mock: MockAtlas) -> None:
    client.delete_org_api_key("org", "key", missing_ok=True, pretty=True, envelope=False)
    answer: Any = client.request(
        "GET", "/orgs", params={"n": 1, "on": True, "s": "x", "f": 0.5}, json={"a": [1]},
        accept="application/vnd.atlas.2024-08-05+json", pretty=True, envelope=True,
    )
    mock.client(max_idle_connections=4, api="atlas-v2").close()
    mock.service_account_client(timeout=1.5, proxy=False).close()
    Client.from_env("work", max_idle_connections=1, ca_bundle="ca.pem").close()
    try:
        client.request("DELETE", "/orgs/org/apiKeys/key")
    except NotFoundError as e:
        print(e.error_code)
    except HTTPError as e:
        print(e.status)


def keys(client: Client, mock: MockAtlas) -> None:
    new: ApiKey = client.create_org_api_key("org", "CI", ("ORG_MEMBER",), pretty=True)
    secret: Optional[str] = new.private_key
    listed: List[ApiKey] = client.list_org_api_keys("org", envelope=True)
    found: Optional[ApiKey] = client.find_org_api_key("org", new.public_key)
    client.update_org_api_key("org", new.id, roles=["ORG_READ_ONLY"], description=None)
    entries: List[AccessListEntry] = client.add_org_api_key_access_list("org", new.id, ["10.0.0.0/24"])
    cidr: Optional[str] = client.list_org_api_key_access_list("org", new.id)[0].cidr_block
    client.delete_org_api_key_access_list_entry("org", new.id, "10.0.0.0/24")
    mock.advance_clock(1.5)
    seeded: str = mock.add_api_key("org", roles=["ORG_OWNER"], access_list=["192.0.2.1"])["id"]
    print(secret, listed, found, entries, cidr, seeded, mock.api_keys("org"), mock.stats()["listed"])


async def awaited() -> None:
    async with AsyncClient.from_env(max_workers=2, max_idle_connections=2) as client:
        await client.request("DELETE", "/orgs/org/apiKeys/key", envelope=True)
        await client.delete_org_api_key("org", "key", pretty=True)
        new: ApiKey = await client.get_org_api_key("org", "key", pretty=True)
        print(new.roles, await client.list_org_api_key_access_list("org", new.id))


def wrong(mock: MockAtlas, client: Client) -> None:
    mock.client(max_idle_connections="many")
    atlas_admin.AsyncClient(pretty=True)
    client.update_org_api_key("org", "key", "a description")
    client.get_org_api_key("org", "key").private_key.upper()
'''


def line_of(fragment: str) -> int:
    """The line of user.py (USER_CODE) that holds `fragment`."""
    return next(i for i, line in enumerate(USER_CODE.splitlines(), 1) if fragment in line)


def test_type_checkers_see_the_api(tmp_path: Path) -> None:
    # The public API as a user's mypy --strict sees it: the exceptions come
    # through `from atlas_admin import *` (from errors.__all__), every
    # option and call option is typed, and mistakes are caught.
    (tmp_path / "user.py").write_text(USER_CODE)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "user.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    errors_found = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors_found) == 4, result.stdout + result.stderr
    expected = [
        ('"max_idle_connections"', 'max_idle_connections="many"'),
        ('"pretty"', "AsyncClient(pretty=True)"),
        ("positional argument", '"a description"'),  # description is keyword-only
        ('Item "None"', ".private_key.upper()"),  # None unless just created
    ]
    for found, (message, fragment) in zip(errors_found, expected):
        assert message in found and f"user.py:{line_of(fragment)}:" in found, (found, fragment)


def test_the_docs_list_the_options() -> None:
    # docs/python.md spells out Client()'s signature for readers; it too
    # must follow the one declaration.
    page = (Path(__file__).resolve().parents[3] / "docs" / "python.md").read_text()
    signature = re.search(r"`Client\((.*?)\)`", page, re.S)
    assert signature, "no `Client(...)` signature in docs/python.md"
    parameters = [p.strip() for p in signature.group(1).split(",")]
    assert parameters[2] == "*", parameters
    names = [p.split("=")[0] for p in parameters if p != "*"]
    assert names == [name for name, _, _ in atlas_admin._native._client_options()]
