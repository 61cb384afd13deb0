/* Digest through the C ABI against a real, independent server: Debian's
 * Apache httpd 2.4 with mod_auth_digest and strict nonce counting
 * (AuthDigestNcCheck On), started by scripts/apache-digest, which sets
 * ATLAS_APACHE_URL, ATLAS_APACHE_PUBLIC_KEY, ATLAS_APACHE_PRIVATE_KEY,
 * ATLAS_APACHE_ACCESS_LOG, ATLAS_APACHE_ERROR_LOG and
 * ATLAS_APACHE_NONCE_LIFETIME. Apache's access log counts the challenges
 * (401s) and deletes (204s).
 *
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic; run by `make test-c`
 * as `scripts/apache-digest -- target/c/test_apache`. Without Apache it
 * skips loudly, unless ATLAS_REQUIRE_APACHE is set (as `make test` does).
 * Prints "N passed, N failed". */
#define _POSIX_C_SOURCE 200809L

#include "atlas_admin.h"
#include "check.h"
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
#define WARM_UP_KEY "6a1b2c3d4e5f6a7b8c9d0e1f"
#define THREADS 16
#define PER_THREAD 50
#define STATUSES 12

struct counts {
    long requests, deletes, challenges, stale, nc_refusals;
};

/* Counts lines of Apache's logs: "STATUS METHOD PATH ..." in the access
 * log, where stale challenges say stale=true; nonce-count refusals in the
 * error log. */
static struct counts read_counts(void) {
    struct counts c = {0, 0, 0, 0, 0};
    char line[4096];
    int line_start = 1, challenge = 0;
    FILE *f = fopen(env("ATLAS_APACHE_ACCESS_LOG"), "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (line_start) {
                c.requests++;
                challenge = strncmp(line, "401 ", 4) == 0;
                c.deletes += strncmp(line, "204 ", 4) == 0;
                c.challenges += challenge;
            }
            /* Lines are long; "stale=true" never straddles two reads in
             * practice, and a challenge line is counted stale once. */
            if (challenge && strstr(line, "stale=true") != NULL) {
                c.stale++;
                challenge = 0;
            }
            line_start = strchr(line, '\n') != NULL;
        }
        fclose(f);
    }
    f = fopen(env("ATLAS_APACHE_ERROR_LOG"), "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            c.nc_refusals += strstr(line, "nonce-count check failed") != NULL;
        }
        fclose(f);
    }
    return c;
}

/* Apache logs a request after answering it: wait (at most 10 s) until the
 * access log holds `deletes` 204s. */
static struct counts counts_after(long deletes) {
    double deadline = now_seconds() + 10;
    struct counts c = read_counts();
    while (c.deletes < deletes && now_seconds() < deadline) {
        sleep_seconds(0.05);
        c = read_counts();
    }
    return c;
}

static atlas_client *apache_client(void) {
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    if (options == NULL) return NULL;
    if (atlas_client_options_set_base_url(options, env("ATLAS_APACHE_URL"), &error) !=
            ATLAS_STATUS_OK ||
        atlas_client_options_set_digest_credentials(options, env("ATLAS_APACHE_PUBLIC_KEY"),
                                                    env("ATLAS_APACHE_PRIVATE_KEY"),
                                                    &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, 0, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_connect_timeout_ms(options, 10000, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_timeout_ms(options, 30000, &error) != ATLAS_STATUS_OK ||
        atlas_client_new(options, &client, &error) != ATLAS_STATUS_OK) {
        fprintf(stderr, "  client: %s\n", atlas_error_message(error));
        scan_error(error);
    }
    atlas_error_free(error);
    atlas_client_options_free(options);
    return client;
}

struct worker {
    pthread_t thread;
    atlas_client *client;
    int index, per_thread;
    double pause;
    int ok;
    int by_status[STATUSES];
    char first_failure[512];
};

static void *delete_keys(void *arg) {
    struct worker *w = arg;
    char key[25];
    int i;
    for (i = 0; i < w->per_thread; i++) {
        atlas_error *error = NULL;
        atlas_status status;
        if (i == w->per_thread / 2) sleep_seconds(w->pause);
        snprintf(key, sizeof key, "6a1b2c3d4e5f%06x%06x", (unsigned)w->index & 0xffffffu,
                 (unsigned)i & 0xffffffu);
        status = atlas_delete_org_api_key(w->client, ORG, key, 0, &error);
        if (status == ATLAS_STATUS_OK) {
            w->ok++;
        } else {
            w->by_status[(unsigned)status < STATUSES ? (int)status : STATUSES - 1]++;
            if (w->first_failure[0] == '\0') {
                snprintf(w->first_failure, sizeof w->first_failure, "%s: %s",
                         atlas_status_str(status), atlas_error_message(error));
            }
            scan_error(error);
        }
        atlas_error_free(error);
    }
    return NULL;
}

/* One warm-up delete, then `threads` threads sharing one client delete
 * PER_THREAD keys each, pausing past the nonce lifetime halfway (so every
 * session's nonce goes stale under load); every delete must succeed, and
 * challenges stay within one per thread plus stale renewals. */
static int deletes_through_one_client(int threads) {
    static struct worker workers[THREADS];
    double lifetime = atof(env("ATLAS_APACHE_NONCE_LIFETIME"));
    double started, load_started, elapsed, load_elapsed;
    struct counts before = read_counts(), after;
    long deletes = (long)threads * PER_THREAD, ok = 0, fresh, stale, challenges, stale_allowed;
    int by_status[STATUSES] = {0};
    const char *first_failure = NULL;
    atlas_client *client = apache_client();
    atlas_error *error = NULL;
    int t, s;
    CHECK(client != NULL && threads <= THREADS);

    started = now_seconds();
    if (atlas_delete_org_api_key(client, ORG, WARM_UP_KEY, 0, &error) != ATLAS_STATUS_OK) {
        fprintf(stderr, "  a single delete against Apache failed (config or key pair?): %s\n",
                atlas_error_message(error));
        scan_error(error);
        atlas_error_free(error);
        atlas_client_free(client);
        return 0;
    }

    load_started = now_seconds();
    for (t = 0; t < threads; t++) {
        memset(&workers[t], 0, sizeof workers[t]);
        workers[t].client = client;
        workers[t].index = t;
        workers[t].per_thread = PER_THREAD;
        workers[t].pause = lifetime + 0.5;
    }
    for (t = 0; t < threads; t++) {
        if (pthread_create(&workers[t].thread, NULL, delete_keys, &workers[t]) != 0) {
            fprintf(stderr, "  pthread_create failed\n");
            abort();
        }
    }
    for (t = 0; t < threads; t++) {
        pthread_join(workers[t].thread, NULL);
        ok += workers[t].ok;
        for (s = 0; s < STATUSES; s++) by_status[s] += workers[t].by_status[s];
        if (first_failure == NULL && workers[t].first_failure[0] != '\0') {
            first_failure = workers[t].first_failure;
        }
    }
    load_elapsed = now_seconds() - load_started;
    elapsed = now_seconds() - started;
    atlas_client_free(client);

    after = counts_after(before.deletes + 1 + ok);
    challenges = after.challenges - before.challenges;
    stale = after.stale - before.stale;
    fresh = challenges - stale;
    stale_allowed = (long)((threads + 1) * (elapsed / lifetime + 1));
    printf("apache (C): %d threads x %d deletes + 1 warm-up in %.2f s (load %.2f s with a %.1f s "
           "pause, nonce lifetime %g s): %ld failed",
           threads, PER_THREAD, elapsed, load_elapsed, lifetime + 0.5, lifetime, deletes - ok);
    for (s = 1; s < STATUSES; s++) {
        if (by_status[s] > 0) printf(" (%d %s)", by_status[s], atlas_status_str((atlas_status)s));
    }
    printf("; Apache saw %ld requests, %ld deletes (204), %ld challenges (401: %ld fresh, %ld "
           "stale), %ld nonce-count refusals\n",
           after.requests - before.requests, after.deletes - before.deletes, challenges, fresh,
           stale, after.nc_refusals - before.nc_refusals);
    if (first_failure != NULL) printf("apache (C): first failure: %s\n", first_failure);
    fflush(stdout);

    CHECK(ok == deletes);
    CHECK(after.deletes - before.deletes == deletes + 1);
    CHECK(fresh <= threads + 1);
    CHECK(stale >= 1); /* every thread paused past the nonce lifetime */
    CHECK(stale <= stale_allowed);
    CHECK(after.nc_refusals == before.nc_refusals);
    return 1;
}

static int test_sequential_deletes_cost_one_challenge_plus_stale_renewals(void) {
    return deletes_through_one_client(1);
}

static int test_sixteen_threads_sharing_a_client_all_succeed_against_apache(void) {
    return deletes_through_one_client(THREADS);
}

int main(void) {
    const char *url = getenv("ATLAS_APACHE_URL");
    const char *required = getenv("ATLAS_REQUIRE_APACHE");
    if (url == NULL || url[0] == '\0') {
        if (required != NULL && required[0] != '\0') {
            fprintf(stderr, "ATLAS_APACHE_URL is not set and ATLAS_REQUIRE_APACHE is: run this "
                            "through scripts/apache-digest\n");
            printf("0 passed, 1 failed\n");
            return 1;
        }
        fprintf(stderr, "\n*** SKIPPING the Apache Digest tests: no Apache (ATLAS_APACHE_URL is "
                        "unset; run through scripts/apache-digest) ***\n\n");
        printf("0 passed, 0 failed\n");
        return 0;
    }
    scan_open("apache", ATLAS_LOG_LEVEL_TRACE);
    RUN(test_sequential_deletes_cost_one_challenge_plus_stale_renewals);
    RUN(test_sixteen_threads_sharing_a_client_all_succeed_against_apache);
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
