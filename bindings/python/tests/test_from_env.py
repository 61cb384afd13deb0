"""Client.from_env(): explicit arguments, then the environment, then the
Atlas CLI profile, in a temporary XDG_CONFIG_HOME."""

import logging
import os
from pathlib import Path
from typing import Callable

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    KEY,
    ORG,
    PRIVATE,
    PUBLIC,
    WRONG_PRIVATE,
    key,
)

WriteProfile = Callable[[str], Path]


@pytest.fixture
def config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An environment with no MONGODB_ATLAS_* variable and an empty
    XDG_CONFIG_HOME (and HOME), so nothing of the machine's leaks in."""
    for name in list(os.environ):
        if name.startswith("MONGODB_ATLAS_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


@pytest.fixture
def write_profile(config_home: Path) -> WriteProfile:
    """Writes the Atlas CLI's config.toml, private as the Atlas CLI keeps it."""

    def write(text: str) -> Path:
        path = config_home / "atlascli" / "config.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        path.chmod(0o600)
        return path

    return write


def key_pair_profile(name: str, public: str, private: str) -> str:
    return f'[{name}]\npublic_api_key = "{public}"\nprivate_api_key = "{private}"\n'


def test_key_pair_and_host_from_the_environment(
    atlas: MockAtlas, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE)
    monkeypatch.setenv("MONGODB_ATLAS_BASE_URL", atlas.origin)
    client = atlas_admin.Client.from_env()
    assert (client.public_key, client.base_url, client.api) == (PUBLIC, atlas.base_url, "atlas-v1")
    client.delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)


def test_terraform_names_and_a_service_account_from_the_environment(
    atlas: MockAtlas, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_ATLAS_BASE_URL", atlas.origin)
    monkeypatch.setenv("MONGODB_ATLAS_PUBLIC_KEY", PUBLIC)
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_KEY", PRIVATE)
    atlas.add_key(ORG, key(1))
    atlas_admin.Client.from_env().delete_org_api_key(ORG, key(1))
    for name in ("MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PRIVATE_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("MONGODB_ATLAS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET)
    client = atlas_admin.Client.from_env()
    assert (client.client_id, client.public_key) == (CLIENT_ID, None)
    client.delete_org_api_key(ORG, KEY)
    assert (atlas.stats()["deleted"], atlas.stats()["tokens_issued"]) == (2, 1)


def test_the_profile_alone(atlas: MockAtlas, write_profile: WriteProfile) -> None:
    write_profile(key_pair_profile("default", PUBLIC, PRIVATE))
    client = atlas_admin.Client.from_env(host=atlas.origin)
    assert client.public_key == PUBLIC
    client.delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)


def test_a_profile_with_an_ops_manager_url_and_a_service_account(
    atlas: MockAtlas, write_profile: WriteProfile
) -> None:
    write_profile(
        f'[default]\nclient_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
        f'ops_manager_url = "{atlas.origin}/"\n'
    )
    client = atlas_admin.Client.from_env()
    assert (client.api, client.client_id) == ("ops-manager", CLIENT_ID)
    assert client.base_url == atlas.origin + "/api/public/v1.0"
    client.delete_org_api_key(ORG, KEY)
    assert atlas.recent_requests()[-1]["target"] == f"/api/public/v1.0/orgs/{ORG}/apiKeys/{KEY}"


def test_the_home_directory_is_the_fallback(
    atlas: MockAtlas, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    path = Path(os.environ["HOME"]) / ".config" / "atlascli" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(key_pair_profile("default", PUBLIC, PRIVATE))
    path.chmod(0o600)
    atlas_admin.Client.from_env(host=atlas.origin).delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)


def test_the_environment_wins_over_the_profile(
    atlas: MockAtlas, write_profile: WriteProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profile(
        key_pair_profile("default", PUBLIC, WRONG_PRIVATE)
        + 'ops_manager_url = "https://ops.example.com:8443/"\n'
    )
    monkeypatch.setenv("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE)
    monkeypatch.setenv("MONGODB_ATLAS_OPS_MANAGER_URL", atlas.origin + "/")
    client = atlas_admin.Client.from_env()
    assert client.base_url == atlas.origin + "/api/public/v1.0"
    client.delete_org_api_key(ORG, KEY)
    assert atlas.stats()["authenticated"] == 1


def test_explicit_arguments_win_over_the_environment(
    atlas: MockAtlas, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_API_KEY", WRONG_PRIVATE)
    monkeypatch.setenv("MONGODB_ATLAS_OPS_MANAGER_URL", "https://ops.example.com:8443/")
    atlas.add_key(ORG, key(1))
    client = atlas_admin.Client.from_env(
        public_key=PUBLIC, private_key=PRIVATE, host=atlas.origin, api="atlas-v2", max_retries=0
    )
    assert (client.api, client.base_url) == ("atlas-v2", atlas.origin + "/api/atlas/v2")
    client.delete_org_api_key(ORG, KEY)
    # A service account given explicitly replaces the environment's key pair.
    client = atlas_admin.Client.from_env(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=atlas.base_url
    )
    assert (client.client_id, client.public_key, client.api) == (CLIENT_ID, None, "atlas-v1")
    client.delete_org_api_key(ORG, key(1))
    assert atlas.stats()["deleted"] == 2


def test_a_named_profile(atlas: MockAtlas, write_profile: WriteProfile) -> None:
    write_profile(
        key_pair_profile("default", "defaultp", WRONG_PRIVATE)
        + key_pair_profile("work", PUBLIC, PRIVATE)
    )
    assert atlas_admin.Client.from_env(host=atlas.origin).public_key == "defaultp"
    client = atlas_admin.Client.from_env("work", host=atlas.origin)
    assert client.public_key == PUBLIC
    client.delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)


def test_a_missing_named_profile_is_an_invalid_argument(write_profile: WriteProfile) -> None:
    path = write_profile(key_pair_profile("default", PUBLIC, PRIVATE))
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`profile`") as caught:
        atlas_admin.Client.from_env("staging")
    message = str(caught.value)
    assert '"staging"' in message and str(path) in message
    assert PRIVATE not in message


def test_nothing_found_lists_the_sources_and_no_values(
    config_home: Path, monkeypatch: pytest.MonkeyPatch, write_profile: WriteProfile
) -> None:
    path = write_profile(key_pair_profile("other", PUBLIC, PRIVATE))
    monkeypatch.setenv("MONGODB_ATLAS_BASE_URL", "https://cloud.mongodbgov.com")
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`credentials`") as caught:
        atlas_admin.Client.from_env()
    message = str(caught.value)
    for source in (
        "explicit arguments",
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PRIVATE_API_KEY",
        "MONGODB_ATLAS_PUBLIC_KEY",
        "MONGODB_ATLAS_PRIVATE_KEY",
        "MONGODB_ATLAS_CLIENT_ID",
        "MONGODB_ATLAS_CLIENT_SECRET",
        str(path),
    ):
        assert source in message, message
    for value in (PUBLIC, PRIVATE, "mongodbgov"):
        assert value not in message, message
    assert message.index("MONGODB_ATLAS_PUBLIC_API_KEY") < message.index(str(path))


def test_nothing_found_without_a_profile_file(config_home: Path) -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError) as caught:
        atlas_admin.Client.from_env()
    assert str(config_home / "atlascli" / "config.toml") in str(caught.value)


def test_an_ops_manager_url_implies_the_flavour(
    atlas: MockAtlas, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_ATLAS_OPS_MANAGER_URL", atlas.origin + "/")
    monkeypatch.setenv("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE)
    client = atlas_admin.Client.from_env()
    assert client.api == "ops-manager"
    client.delete_org_api_key(ORG, KEY)
    seen = atlas.recent_requests()[-1]
    assert seen["target"] == f"/api/public/v1.0/orgs/{ORG}/apiKeys/{KEY}"
    assert seen["accept"] == "application/json"


def test_half_a_pair_in_the_environment_names_the_variable(
    config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE)
    with pytest.raises(
        atlas_admin.InvalidArgumentError, match="MONGODB_ATLAS_PUBLIC_API_KEY"
    ) as caught:
        atlas_admin.Client.from_env()
    assert PRIVATE not in str(caught.value)


def test_a_broken_profile_file_is_reported_without_its_lines(write_profile: WriteProfile) -> None:
    write_profile(f'[default]\npublic_api_key = "{PUBLIC}"\nprivate_api_key = "{PRIVATE}\n')
    with pytest.raises(atlas_admin.InvalidArgumentError, match="TOML") as caught:
        atlas_admin.Client.from_env()
    assert PRIVATE not in str(caught.value)


def test_a_profile_file_others_may_read_is_logged(
    atlas: MockAtlas, write_profile: WriteProfile, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="atlas_admin")
    path = write_profile(key_pair_profile("default", PUBLIC, PRIVATE))
    path.chmod(0o644)
    atlas_admin.Client.from_env(host=atlas.origin)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(path) in m for m in warnings), caplog.messages
    assert all(PRIVATE not in m for m in caplog.messages)


def test_settings_are_checked_as_in_the_constructor(config_home: Path) -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`timeout`"):
        atlas_admin.Client.from_env(public_key=PUBLIC, private_key=PRIVATE, timeout=-1.0)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`api`"):
        atlas_admin.Client.from_env(
            public_key=PUBLIC, private_key=PRIVATE, api="v9"  # type: ignore[arg-type]
        )
    with pytest.raises(TypeError):
        atlas_admin.Client.from_env(None, PUBLIC)  # type: ignore[call-arg]
