"""The Python-side clients of the bench: atlas-admin from Python, the C
library called through ctypes (what any Python program pays to call C, for
reference), requests, httpx, and curl run once per delete.

    BENCH_URL=... BENCH_PUBLIC_KEY=... BENCH_PRIVATE_KEY=... [BENCH_CA_BUNDLE=...] \\
        python bench/py_client.py {atlas,ctypes,requests,httpx,curl} DELETES

Each makes one client (or, for curl, nothing: a process per delete), does
one warm-up delete, then DELETES timed deletes, and prints the same JSON
line as the C clients (bench/measure.h). The key IDs are made before the
clock starts, as the C clients make theirs; each client builds what its
API asks for from an ID (requests, httpx and curl a URL) inside it. Any
answer but 204 (any exception from atlas-admin, any status but OK from the
C ABI) fails the run with exit status 1.

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


def key_url(base_url, key):
    return "%s/orgs/%s/apiKeys/%s" % (base_url, ORG, key)


def check_204(key, status):
    if status != 204:
        sys.exit("bench: delete of %s answered %s, not 204" % (key, status))


def atlas(base_url, public_key, private_key, ca_bundle):
    import atlas_admin

    client = atlas_admin.Client(
        public_key=public_key, private_key=private_key, base_url=base_url, ca_bundle=ca_bundle
    )

    def delete(key):
        # Raises on anything but success; the run then fails.
        client.delete_org_api_key(ORG, key)

    return delete


def c_abi_ctypes(base_url, public_key, private_key, ca_bundle):
    import ctypes

    library = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "target", "release", "libatlas_admin.so")
    lib = ctypes.CDLL(library)
    pointer, text = ctypes.c_void_p, ctypes.c_char_p
    out = ctypes.POINTER(pointer)
    lib.atlas_client_options_new.restype = pointer
    lib.atlas_client_options_free.argtypes = [pointer]
    lib.atlas_client_options_set_base_url.argtypes = [pointer, text, out]
    lib.atlas_client_options_set_digest_credentials.argtypes = [pointer, text, text, out]
    lib.atlas_client_options_set_ca_bundle.argtypes = [pointer, text, out]
    lib.atlas_client_new.argtypes = [pointer, out, out]
    lib.atlas_delete_org_api_key.argtypes = [pointer, text, text, ctypes.c_uint32, out]
    lib.atlas_error_message.argtypes = [pointer]
    lib.atlas_error_message.restype = text

    error = pointer()

    def check(status, what):
        if status != 0:
            message = lib.atlas_error_message(error) or b"(no message)"
            sys.exit("bench: %s failed: %s" % (what, message.decode()))

    options = pointer(lib.atlas_client_options_new())
    check(lib.atlas_client_options_set_base_url(options, base_url.encode(), ctypes.byref(error)),
          "set_base_url")
    check(lib.atlas_client_options_set_digest_credentials(
        options, public_key.encode(), private_key.encode(), ctypes.byref(error)),
        "set_digest_credentials")
    if ca_bundle:
        check(lib.atlas_client_options_set_ca_bundle(options, ca_bundle.encode(),
                                                     ctypes.byref(error)), "set_ca_bundle")
    client = pointer()
    check(lib.atlas_client_new(options, ctypes.byref(client), ctypes.byref(error)),
          "atlas_client_new")
    lib.atlas_client_options_free(options)
    delete_org_api_key, org = lib.atlas_delete_org_api_key, ORG.encode()

    def delete(key):
        check(delete_org_api_key(client, org, key.encode(), 0, ctypes.byref(error)),
              "delete of " + key)

    return delete


def requests_session(base_url, public_key, private_key, ca_bundle):
    import requests
    from requests.auth import HTTPDigestAuth

    session = requests.Session()
    session.auth = HTTPDigestAuth(public_key, private_key)
    session.verify = ca_bundle or True

    def delete(key):
        check_204(key, session.delete(key_url(base_url, key)).status_code)

    return delete


def httpx_client(base_url, public_key, private_key, ca_bundle):
    import httpx

    client = httpx.Client(auth=httpx.DigestAuth(public_key, private_key), verify=ca_bundle or True)

    def delete(key):
        check_204(key, client.delete(key_url(base_url, key)).status_code)

    return delete


def curl_process(base_url, public_key, private_key, ca_bundle):
    # -q first: no ~/.curlrc; --noproxy: straight to loopback whatever the
    # environment says. The key pair is the bench's throwaway test pair.
    command = ["curl", "-q", "--silent", "--show-error", "--digest",
               "--user", "%s:%s" % (public_key, private_key), "--request", "DELETE",
               "--output", "/dev/null", "--write-out", "%{http_code}", "--noproxy", "*"]
    if ca_bundle:
        command += ["--cacert", ca_bundle]

    def delete(key):
        done = subprocess.run(command + [key_url(base_url, key)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit("bench: curl failed (%d): %s" % (done.returncode, done.stderr.strip()))
        check_204(key, int(done.stdout or 0))

    return delete


CLIENTS = {"atlas": atlas, "ctypes": c_abi_ctypes, "requests": requests_session,
           "httpx": httpx_client, "curl": curl_process}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CLIENTS or not sys.argv[2].isdigit():
        sys.exit("usage: py_client.py {%s} DELETES" % ",".join(CLIENTS))
    deletes = int(sys.argv[2])
    delete = CLIENTS[sys.argv[1]](os.environ["BENCH_URL"], os.environ["BENCH_PUBLIC_KEY"],
                                  os.environ["BENCH_PRIVATE_KEY"],
                                  os.environ.get("BENCH_CA_BUNDLE") or None)
    keys = [key_id(index) for index in range(deletes + 1)]
    delete(keys[0])
    latencies = []
    clock = time.perf_counter_ns
    started = clock()
    for key in keys[1:]:
        before = clock()
        delete(key)
        latencies.append(clock() - before)
    elapsed = clock() - started
    print(json.dumps({"deletes": deletes, "elapsed_ns": elapsed, "latencies_ns": latencies}))


if __name__ == "__main__":
    main()
