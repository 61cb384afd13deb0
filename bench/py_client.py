"""The Python-side clients of the bench: atlas-admin from Python, requests,
httpx, and curl run once per delete.

    BENCH_URL=... BENCH_PUBLIC_KEY=... BENCH_PRIVATE_KEY=... [BENCH_CA_BUNDLE=...] \\
        python bench/py_client.py {atlas,requests,httpx,curl} DELETES

Each makes one client (or, for curl, nothing: a process per delete), does
one warm-up delete, then DELETES timed deletes, and prints the same JSON
line as the C clients (bench/measure.h). Any answer but 204 (any exception
from atlas-admin) fails the run with exit status 1.

Only the package under test is imported, so no client pays for another's
imports.
"""

import json
import os
import subprocess
import sys
import time

ORG = "5f1a2b3c4d5e6f7a8b9c0d1e"  # bench/measure.h BENCH_ORG


def key_id(index, series=0):
    """The ID bench_key_id (bench/measure.c) gives key `index` of `series`."""
    return "6a1b2c%06x%012x" % (series, index)


def key_url(base_url, index):
    return "%s/orgs/%s/apiKeys/%s" % (base_url, ORG, key_id(index))


def check_204(index, status):
    if status != 204:
        sys.exit("bench: delete %d answered %s, not 204" % (index, status))


def atlas(base_url, public_key, private_key, ca_bundle):
    import atlas_admin

    client = atlas_admin.Client(
        public_key=public_key, private_key=private_key, base_url=base_url, ca_bundle=ca_bundle
    )

    def delete(index):
        # Raises on anything but success; the run then fails.
        client.delete_org_api_key(ORG, key_id(index))

    return delete


def requests_session(base_url, public_key, private_key, ca_bundle):
    import requests
    from requests.auth import HTTPDigestAuth

    session = requests.Session()
    session.auth = HTTPDigestAuth(public_key, private_key)
    session.verify = ca_bundle or True

    def delete(index):
        check_204(index, session.delete(key_url(base_url, index)).status_code)

    return delete


def httpx_client(base_url, public_key, private_key, ca_bundle):
    import httpx

    client = httpx.Client(auth=httpx.DigestAuth(public_key, private_key), verify=ca_bundle or True)

    def delete(index):
        check_204(index, client.delete(key_url(base_url, index)).status_code)

    return delete


def curl_process(base_url, public_key, private_key, ca_bundle):
    # -q first: no ~/.curlrc; --noproxy: straight to loopback whatever the
    # environment says. The key pair is the bench's throwaway test pair.
    command = ["curl", "-q", "--silent", "--show-error", "--digest",
               "--user", "%s:%s" % (public_key, private_key), "--request", "DELETE",
               "--output", "/dev/null", "--write-out", "%{http_code}", "--noproxy", "*"]
    if ca_bundle:
        command += ["--cacert", ca_bundle]

    def delete(index):
        done = subprocess.run(command + [key_url(base_url, index)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit("bench: curl failed (%d): %s" % (done.returncode, done.stderr.strip()))
        check_204(index, int(done.stdout or 0))

    return delete


CLIENTS = {"atlas": atlas, "requests": requests_session, "httpx": httpx_client,
           "curl": curl_process}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CLIENTS or not sys.argv[2].isdigit():
        sys.exit("usage: py_client.py {%s} DELETES" % ",".join(CLIENTS))
    deletes = int(sys.argv[2])
    delete = CLIENTS[sys.argv[1]](os.environ["BENCH_URL"], os.environ["BENCH_PUBLIC_KEY"],
                                  os.environ["BENCH_PRIVATE_KEY"],
                                  os.environ.get("BENCH_CA_BUNDLE") or None)
    delete(0)
    latencies = []
    clock = time.perf_counter_ns
    started = clock()
    for index in range(1, deletes + 1):
        before = clock()
        delete(index)
        latencies.append(clock() - before)
    elapsed = clock() - started
    print(json.dumps({"deletes": deletes, "elapsed_ns": elapsed, "latencies_ns": latencies}))


if __name__ == "__main__":
    main()
