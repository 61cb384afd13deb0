"""What Apache saw: round trips and TCP connections, counted from the access
log that scripts/apache-digest writes, one line per request:

    STATUS METHOD PATH pid=PID port=CLIENT_PORT keepalive=K us=... challenge="..." ...

K (Apache's %k) is the number of requests served before this one on the
same connection, so a line with keepalive=0 is the first request of a new
TCP connection: counting them counts connections, whoever opened them.
"""

import os
import time
from dataclasses import dataclass

# Apache writes a line once it has answered; the client may already be done.
SETTLE_TIMEOUT_S = 10


@dataclass
class Counts:
    requests: int = 0
    deletes: int = 0  # 204
    challenges: int = 0  # 401
    stale: int = 0  # 401 with stale=true
    connections: int = 0
    other: int = 0  # any other status: a failure

    def __add__(self, other):
        return Counts(**{name: getattr(self, name) + getattr(other, name) for name in vars(self)})


class AccessLog:
    def __init__(self, path):
        self.path = path

    def mark(self):
        """Where the next run's lines will start."""
        return os.path.getsize(self.path)

    def counts_since(self, mark, deletes):
        """Counts the complete lines written after `mark`, waiting (a little)
        until `deletes` 204s are there."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while True:
            counts = self._count(mark)
            if counts.deletes + counts.other >= deletes or time.monotonic() > deadline:
                return counts
            time.sleep(0.05)

    def _count(self, mark):
        counts = Counts()
        with open(self.path, "rb") as f:
            f.seek(mark)
            for line in f:
                if not line.endswith(b"\n"):
                    break  # still being written
                fields = line.split(b" ", 6)
                counts.requests += 1
                if fields[0] == b"204":
                    counts.deletes += 1
                elif fields[0] == b"401":
                    counts.challenges += 1
                    counts.stale += b"stale=true" in line
                else:
                    counts.other += 1
                counts.connections += len(fields) > 5 and fields[5] == b"keepalive=0"
        return counts
