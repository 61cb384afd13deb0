"""The package itself: stubs agree with the runtime, docstrings, exports."""

import inspect
import subprocess
import sys

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
    for cls in (atlas_admin.Client, MockAtlas):
        for name, member in vars(cls).items():
            if not name.startswith("_"):
                assert getattr(member, "__doc__", None), f"{cls.__name__}.{name}"
    # Each says what it is about, not merely something.
    assert "delete_org_api_key()" in (atlas_admin.Client.__doc__ or "")
    assert "\n\nDeletes API key api_key_id from organization org_id\n" in (
        atlas_admin.Client.delete_org_api_key.__doc__ or ""
    )


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
