/* atlas-admin through the C ABI: one client, one warm-up delete, then
 * DELETES sequential deletes, each timed; any status but OK fails the run.
 * The key IDs are written before the clock starts, as every client's are:
 * a caller has its IDs in hand, and the time is the library's.
 *
 *   BENCH_URL=... BENCH_PUBLIC_KEY=... BENCH_PRIVATE_KEY=... [BENCH_CA_BUNDLE=...] \
 *     c_abi DELETES [SERIES]
 *
 * Prints one JSON line (bench/measure.h). strace and callgrind run it too:
 * the difference between two DELETES counts is the cost of a delete. */
#include "atlas_admin.h"
#include "client_env.h"
#include "measure.h"

#include <stdint.h>
#include <stdlib.h>

static void delete_key(const atlas_client *client, const char *key) {
    atlas_error *error = NULL;
    if (atlas_delete_org_api_key(client, BENCH_ORG, key, 0, &error) != ATLAS_STATUS_OK) {
        bench_fail("delete failed", atlas_error_message(error));
    }
}

int main(int argc, char **argv) {
    unsigned long deletes = bench_number_arg(argc, argv, 1, 2000);
    unsigned long series = bench_number_arg(argc, argv, 2, 0);
    uint64_t *latencies, started, before;
    char(*keys)[25];
    atlas_client *client;
    unsigned long i;

    if (deletes == 0) bench_fail("DELETES must be positive", argv[1]);
    latencies = malloc(deletes * sizeof *latencies);
    keys = malloc((deletes + 1) * sizeof *keys);
    if (latencies == NULL || keys == NULL) bench_fail("malloc", "out of memory");
    for (i = 0; i <= deletes; i++) bench_key_id(series, i, keys[i]);
    client = bench_client_from_env();

    delete_key(client, keys[0]);
    started = bench_now_ns();
    for (i = 1; i <= deletes; i++) {
        before = bench_now_ns();
        delete_key(client, keys[i]);
        latencies[i - 1] = bench_now_ns() - before;
    }
    bench_print_result(deletes, bench_now_ns() - started, latencies);
    atlas_client_free(client);
    free(keys);
    free(latencies);
    return 0;
}
