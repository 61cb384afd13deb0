/* Rate limits through the C ABI, against the mock Atlas's token bucket
 * (POST /__mock/rate-limit): Atlas' 400 ..._RATE_LIMITED answer is
 * ATLAS_STATUS_RATE_LIMITED after the client's retries, and 200 deletes
 * from 8 threads sharing one client go as fast as the bucket allows with
 * nothing lost. Built with -std=c99 -Wall -Wextra -Werror -pedantic; run by
 * `make test-c`, plainly, under valgrind and under ASan/UBSan. Prints
 * "N passed, N failed". The bucket refills in real time, so the bulk test
 * takes the 9 s its bucket needs. */
#define _POSIX_C_SOURCE 200809L

#include "atlas_admin.h"
#include "check.h"
#include "mock_control.h"
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
#define THREADS 8
#define KEYS 200
#define CAPACITY 20
#define REFILL_PER_SEC 20

/* A client for the mock with its API key and `max_retries`; NULL on failure. */
static atlas_client *mock_client(uint32_t max_retries) {
    atlas_client_options *options = atlas_client_options_new();
    if (atlas_client_options_set_base_url(options, mock_base_url(), NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, max_retries, NULL) != ATLAS_STATUS_OK ||
        use_mock_key_pair(options, NULL) != ATLAS_STATUS_OK) {
        atlas_client_options_free(options);
        return NULL;
    }
    return build_client(options);
}

/* The i-th key of this program's family. */
static void key_id(int i, char out[25]) { snprintf(out, 25, "6b1b2c3d4e5f6a7b8c%06x", i); }

/* Sets the mock's token bucket (`limit` is the control's JSON); 0 on success. */
static int set_rate_limit(const char *limit) {
    char answer[512];
    return mock_request("POST", "/__mock/rate-limit", limit, answer, sizeof answer) == 204 ? 0 : -1;
}

static int lift_rate_limit(void) {
    char answer[512];
    return mock_request("DELETE", "/__mock/rate-limit", NULL, answer, sizeof answer) == 204 ? 0
                                                                                            : -1;
}

/* Whether the mock holds key `id` in ORG: its IDs (GET /__mock/keys) name it. */
static int mock_has_key(const char *id) {
    static char keys[1u << 16];
    return mock_request("GET", "/__mock/keys", NULL, keys, sizeof keys) == 200 &&
           strstr(keys, id) != NULL;
}

static int test_a_400_rate_limited_code_is_rate_limited_after_retries(void) {
    char first[25], second[25];
    atlas_error *error = NULL;
    atlas_status status;
    long refused = mock_stat("rate_limited");
    /* One retry: the backoff without Retry-After waits at most 250 ms. */
    atlas_client *client = mock_client(1);
    CHECK(client != NULL);
    key_id(KEYS, first);
    key_id(KEYS + 1, second);
    CHECK(mock_add_key(ORG, first) == 0 && mock_add_key(ORG, second) == 0);
    CHECK(set_rate_limit("{\"capacity\": 1, \"refill_per_sec\": 0.001, \"status\": 400, "
                         "\"error_code\": \"INVITATIONS_RATE_LIMITED_IP\", "
                         "\"retry_after\": false}") == 0);
    CHECK(atlas_delete_org_api_key(client, ORG, first, 0, NULL) == ATLAS_STATUS_OK);
    status = atlas_delete_org_api_key(client, ORG, second, 0, &error);
    scan_error(error);
    CHECK(lift_rate_limit() == 0);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_RATE_LIMITED);
    CHECK(atlas_error_status(error) == ATLAS_STATUS_RATE_LIMITED);
    CHECK(atlas_error_http_status(error) == 400);
    CHECK(strcmp(atlas_error_code(error), "INVITATIONS_RATE_LIMITED_IP") == 0);
    CHECK(atlas_error_attempts(error) == 2);
    CHECK(atlas_error_retry_after_ms(error) == -1);
    atlas_error_free(error);
    CHECK(mock_stat("rate_limited") == refused + 2);
    /* Refused for its rate, it had no effect: the key is still there. */
    CHECK(!mock_has_key(first) && mock_has_key(second));
    return 1;
}

struct shared {
    atlas_client *client;
    pthread_mutex_t lock;
    int next;
    int deleted;
    int failed;
};

static void *delete_keys(void *arg) {
    struct shared *s = arg;
    for (;;) {
        char key[25];
        atlas_error *error = NULL;
        atlas_status status;
        int i;
        pthread_mutex_lock(&s->lock);
        i = s->next++;
        pthread_mutex_unlock(&s->lock);
        if (i >= KEYS) return NULL;
        key_id(i, key);
        status = atlas_delete_org_api_key(s->client, ORG, key, 0, &error);
        if (status != ATLAS_STATUS_OK) {
            fprintf(stderr, "  %s: %s: %s\n", key, atlas_status_str(status),
                    atlas_error_message(error));
            scan_error(error);
        }
        atlas_error_free(error);
        pthread_mutex_lock(&s->lock);
        if (status == ATLAS_STATUS_OK) {
            s->deleted++;
        } else {
            s->failed++;
        }
        pthread_mutex_unlock(&s->lock);
    }
}

static int test_two_hundred_deletes_from_8_threads_within_1_3_times_the_bucket_minimum(void) {
    static struct shared s;
    pthread_t threads[THREADS];
    char key[25], limit[128];
    long deleted, authenticated, refused, admitted;
    double started, elapsed, minimum;
    int i, t;
    for (i = 0; i < KEYS; i++) {
        key_id(i, key);
        CHECK(mock_add_key(ORG, key) == 0);
    }
    s.client = mock_client(3);
    CHECK(s.client != NULL);
    CHECK(pthread_mutex_init(&s.lock, NULL) == 0);
    deleted = mock_stat("deleted");
    authenticated = mock_stat("authenticated");
    refused = mock_stat("rate_limited");
    /* Atlas' own refusal: 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After. */
    snprintf(limit, sizeof limit, "{\"capacity\": %d, \"refill_per_sec\": %d}", CAPACITY,
             REFILL_PER_SEC);
    CHECK(set_rate_limit(limit) == 0);
    started = now_seconds();
    for (t = 0; t < THREADS; t++) CHECK(pthread_create(&threads[t], NULL, delete_keys, &s) == 0);
    for (t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    elapsed = now_seconds() - started;
    CHECK(lift_rate_limit() == 0);
    atlas_client_free(s.client);
    pthread_mutex_destroy(&s.lock);
    refused = mock_stat("rate_limited") - refused;
    /* Challenges come before the bucket, so only the deletes took tokens. */
    admitted = mock_stat("authenticated") - authenticated - refused;
    minimum = (double)(admitted - CAPACITY) / REFILL_PER_SEC;
    printf("  %d deletes, %d threads, bucket %d + %d/s: %.2f s, minimum %.2f s (%.2fx), "
           "%ld refusals\n",
           KEYS, THREADS, CAPACITY, REFILL_PER_SEC, elapsed, minimum, elapsed / minimum, refused);
    CHECK(s.failed == 0);
    CHECK(s.deleted == KEYS);
    CHECK(mock_stat("deleted") - deleted == KEYS);
    CHECK(admitted == KEYS);
    CHECK(refused > 0);
    CHECK(elapsed <= 1.3 * minimum);
    for (i = 0; i < KEYS; i++) {
        key_id(i, key);
        CHECK(!mock_has_key(key));
    }
    return 1;
}

int main(void) {
    scan_open("rate-limit", ATLAS_LOG_LEVEL_DEBUG);
    RUN(test_a_400_rate_limited_code_is_rate_limited_after_retries);
    RUN(test_two_hundred_deletes_from_8_threads_within_1_3_times_the_bucket_minimum);
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
