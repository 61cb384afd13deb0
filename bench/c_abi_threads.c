/* Concurrency through the C ABI: THREADS threads share one client (as the
 * header recommends) and delete DELETES keys between them, after one
 * warm-up delete; any status but OK fails the run.
 *
 *   BENCH_URL=... BENCH_PUBLIC_KEY=... BENCH_PRIVATE_KEY=... \
 *     c_abi_threads DELETES [THREADS [SERIES]]
 *
 * Prints {"deletes": N, "elapsed_ns": T} for the threaded part; bench/run.py
 * reads the connections the server saw from the mock's counters. */
#include "atlas_admin.h"
#include "client_env.h"
#include "measure.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 256

struct worker {
    pthread_t thread;
    const atlas_client *client;
    unsigned long series, first, count, failures;
    char first_failure[512];
};

static void *delete_keys(void *arg) {
    struct worker *w = arg;
    unsigned long i;
    char key[25];
    for (i = w->first; i < w->first + w->count; i++) {
        atlas_error *error = NULL;
        bench_key_id(w->series, i, key);
        if (atlas_delete_org_api_key(w->client, BENCH_ORG, key, 0, &error) != ATLAS_STATUS_OK) {
            if (w->failures++ == 0) {
                snprintf(w->first_failure, sizeof w->first_failure, "%s",
                         atlas_error_message(error));
            }
        }
        atlas_error_free(error);
    }
    return NULL;
}

int main(int argc, char **argv) {
    static struct worker workers[MAX_THREADS];
    unsigned long deletes = bench_number_arg(argc, argv, 1, 1600);
    unsigned long threads = bench_number_arg(argc, argv, 2, 16);
    unsigned long series = bench_number_arg(argc, argv, 3, 0);
    unsigned long t, next = 1, failures = 0;
    atlas_client *client;
    atlas_error *error = NULL;
    char key[25];
    uint64_t started, elapsed;

    if (deletes == 0 || threads == 0 || threads > MAX_THREADS || threads > deletes) {
        bench_fail("usage", "c_abi_threads DELETES [THREADS [SERIES]], 0 < THREADS <= DELETES");
    }
    client = bench_client_from_env();
    bench_key_id(series, 0, key);
    if (atlas_delete_org_api_key(client, BENCH_ORG, key, 0, &error) != ATLAS_STATUS_OK) {
        bench_fail("warm-up delete failed", atlas_error_message(error));
    }

    started = bench_now_ns();
    for (t = 0; t < threads; t++) {
        struct worker *w = &workers[t];
        w->client = client;
        w->series = series;
        w->first = next;
        w->count = deletes / threads + (t < deletes % threads ? 1 : 0);
        next += w->count;
        if (pthread_create(&w->thread, NULL, delete_keys, w) != 0) {
            bench_fail("pthread_create", "failed");
        }
    }
    for (t = 0; t < threads; t++) {
        pthread_join(workers[t].thread, NULL);
        failures += workers[t].failures;
    }
    elapsed = bench_now_ns() - started;
    for (t = 0; t < threads; t++) {
        if (workers[t].failures > 0) {
            fprintf(stderr, "bench: %lu of %lu deletes failed; thread %lu: %s\n", failures,
                    deletes, t, workers[t].first_failure);
            return 1;
        }
    }
    bench_print_result(deletes, elapsed, NULL);
    atlas_client_free(client);
    return 0;
}
