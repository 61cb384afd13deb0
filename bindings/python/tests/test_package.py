"""The package itself: stubs agree with the runtime, docstrings, exports."""

import ast
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import atlas_admin
import atlas_admin._native
from atlas_admin import errors
from atlas_admin.testing import MockAtlas


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
    for cls in (atlas_admin.Client, atlas_admin.AsyncClient, MockAtlas):
        for name, member in vars(cls).items():
            if not name.startswith("_"):
                assert getattr(member, "__doc__", None), f"{cls.__name__}.{name}"
    # Each says what it is about, not merely something.
    assert "delete_org_api_key()" in (atlas_admin.Client.__doc__ or "")
    assert "\n\nDeletes API key api_key_id from organization org_id\n" in (
        atlas_admin.Client.delete_org_api_key.__doc__ or ""
    )


Parameter = Tuple[str, str, str, str]


def stub_signatures(stub: str, cls: str) -> Dict[str, Tuple[List[Parameter], str]]:
    """The methods of class `cls` in the installed stub file `stub`, without
    self or cls: each parameter as (kind, name, annotation, default), and the
    return annotation; "" where there is none."""

    def text(node: Optional[ast.expr]) -> str:
        return "" if node is None else ast.unparse(node)

    tree = ast.parse((Path(atlas_admin.__file__).parent / stub).read_text())
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls).body
    methods = {}
    for fn in body:
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = fn.args
            positional = a.posonlyargs + a.args
            defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
            params = [
                (kind, p.arg, text(p.annotation), text(d))
                for kind, pairs in (
                    ("positional", zip(positional, defaults)),
                    ("keyword", zip(a.kwonlyargs, a.kw_defaults)),
                )
                for p, d in pairs
            ]
            methods[fn.name] = (params[1:], text(fn.returns))
    return methods


def test_async_client_stub_spells_out_clients_arguments() -> None:
    # At runtime AsyncClient passes *args and **kwargs to Client, which
    # stubtest accepts whatever the stub lists; this keeps the lists equal.
    client = stub_signatures("_native.pyi", "Client")
    aio = stub_signatures("_async.pyi", "AsyncClient")
    max_workers = ("keyword", "max_workers", "Optional[int]", "None")
    assert aio["__init__"][0] == client["__new__"][0] + [max_workers]
    assert aio["from_env"][0] == client["from_env"][0] + [max_workers]
    for name in ("base_url", "api", "public_key", "client_id", "delete_org_api_key", "close"):
        assert aio[name] == client[name], name
    assert inspect.iscoroutinefunction(atlas_admin.AsyncClient.delete_org_api_key)
    assert inspect.iscoroutinefunction(atlas_admin.AsyncClient.aclose)


def test_exception_hierarchy_mirrors_the_c_status_enum() -> None:
    # Which class each error kind raises comes from the core's table, and
    # importing the package has checked that each exists and is an
    # AtlasError. Here: the package exports every one.
    for name in errors.__all__:
        assert getattr(atlas_admin, name) is getattr(errors, name), name
        assert issubclass(getattr(errors, name), atlas_admin.AtlasError), name
    assert issubclass(atlas_admin.InvalidArgumentError, ValueError)
    assert issubclass(atlas_admin.TimeoutError, TimeoutError)


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
