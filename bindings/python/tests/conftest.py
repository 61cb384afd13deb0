"""Fixtures: a fresh in-process mock Atlas for each test."""

from typing import Iterator

import pytest

from atlas_admin.testing import MockAtlas

ORG = "5f1a2b3c4d5e6f7a8b9c0d1e"
KEY = "6a1b2c3d4e5f6a7b8c9d0e1f"
OTHER_ORG = "5f1a2b3c4d5e6f7a8b9c0d99"
PUBLIC = "abcdefgh"
PRIVATE = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6"


def key(i: int) -> str:
    """The i-th of a family of distinct API key IDs."""
    return f"6a1b2c3d4e5f6a7b8c{i:06x}"


@pytest.fixture
def atlas() -> Iterator[MockAtlas]:
    with MockAtlas(keys={ORG: [KEY]}, credentials={PUBLIC: PRIVATE}) as mock:
        yield mock
