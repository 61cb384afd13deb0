"""A client across os.fork(): the scenario of a forked worker. A client
deletes a key, the process forks, then at once the child deletes keys that
exist while the parent deletes keys that never existed. Neither may read
the other's answers: every key gets its own outcome, the parent keeps its
pooled connection and Digest session, and the child opens its own.

The mock runs in this process; its threads do not survive the fork in the
child, which talks to the parent's mock over its socket like any client.
"""

import json
import os
import warnings
from typing import List

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import ORG, key

ROUNDS = 20
KEYS = 40


def outcomes(client: atlas_admin.Client, keys: List[str]) -> List[str]:
    """What deleting each key gave: "deleted" or the exception."""
    seen = []
    for k in keys:
        try:
            client.delete_org_api_key(ORG, k)
            seen.append("deleted")
        except atlas_admin.AtlasError as e:
            seen.append(f"{type(e).__name__}: {e}")
    return seen


def fork_and_delete(client: atlas_admin.Client, child_keys: List[str], parent_keys: List[str]) -> List[str]:
    """Forks; the child deletes child_keys and reports, the parent deletes
    parent_keys. Returns the child's outcomes, then the parent's."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns about forking a process with threads (the mock's);
        # the child uses none of them.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "w") as report:
                json.dump(outcomes(client, child_keys), report)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    parent = outcomes(client, parent_keys)
    with os.fdopen(read_end) as report:
        child = json.load(report)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return child + parent


def test_a_forked_child_and_its_parent_never_cross_answers(atlas: MockAtlas) -> None:
    for round in range(ROUNDS):
        base = 1000 * (round + 1)
        child_keys = [key(base + i) for i in range(KEYS)]
        parent_keys = [key(base + 500 + i) for i in range(KEYS)]  # never created
        for k in [key(base + 999)] + child_keys:
            atlas.add_key(ORG, k)
        client = atlas.client()
        client.delete_org_api_key(ORG, key(base + 999))
        before = atlas.stats()
        seen = fork_and_delete(client, child_keys, parent_keys)
        after = atlas.stats()
        child, parent = seen[:KEYS], seen[KEYS:]
        assert child == ["deleted"] * KEYS, f"round {round}: the child got {child}"
        assert all(o.startswith("NotFoundError: ") and k in o for o, k in zip(parent, parent_keys)), (
            f"round {round}: the parent got {parent}"
        )
        assert not any(atlas.has_key(ORG, k) for k in child_keys)
        # One new connection and one challenge, the child's: the parent
        # reused what it pooled before the fork, the child used none of it.
        assert after["connections"] - before["connections"] == 1, f"round {round}"
        assert after["challenges"] - before["challenges"] == 1, f"round {round}"
        assert after["deleted"] - before["deleted"] == KEYS
        client.close()
