/* The client across fork() and atlas_client_cancel_all, through the C ABI,
 * against the mock Atlas and canned servers. Built with -std=c99 -Wall
 * -Wextra -Werror -pedantic; run by `make test-c` plainly, under valgrind
 * and with ASan/UBSan. Prints "N passed, N failed". The cancellation tests
 * wait for real (half a second before cancelling): what they prove is how
 * soon a real wait ends. */
#define _POSIX_C_SOURCE 200809L

#include "atlas_admin.h"
#include "canned_server.h"
#include "check.h"
#include "mock_control.h"
#include "support.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
/* The scenario: per round, the child deletes this many keys that
 * exist while the parent deletes as many that never existed. */
#define ROUND_KEYS 40
#define ROUNDS 20
/* When the cancellation tests cancel, and how soon after it the call must
 * have returned (slices are 200 ms; generous for valgrind on busy cores). */
#define CANCEL_AFTER_SECONDS 0.5
#define PROMPTLY_SECONDS 1.0
/* How this program's key IDs start (new_key_id). */
#define KEY_PREFIX "6a1b2c3d4e5f"

/* A fresh key that exists in the mock. */
static int new_key(char out[25]) { return mock_new_key(ORG, KEY_PREFIX, out); }

/* A key made with atlas_create_org_api_key through `maker`, a client of
 * its own (faster than the mock's controls, each a connection of its own). */
static int created_key(atlas_client *maker, char out[25]) {
    static const char *const roles[] = {"ORG_MEMBER"};
    atlas_api_key *key = NULL;
    atlas_error *error = NULL;
    atlas_status status =
        atlas_create_org_api_key(maker, ORG, "deleted by a forked child", roles, 1, 0, &key, &error);
    if (status != ATLAS_STATUS_OK) fprintf(stderr, "  create: %s\n", scan_error(error));
    else snprintf(out, 25, "%s", atlas_api_key_id(key));
    atlas_api_key_free(key);
    atlas_error_free(error);
    return status == ATLAS_STATUS_OK;
}

/* The mock's counters this test reads, from one stats request (which is
 * a connection of its own, counted). */
struct counters {
    long connections, challenges, deleted;
};

static long counter(const char *stats, const char *name) {
    char key[64];
    const char *at;
    snprintf(key, sizeof key, "\"%s\":", name);
    at = strstr(stats, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static int read_counters(struct counters *out) {
    char stats[2048];
    if (mock_request("GET", "/__mock/stats", NULL, stats, sizeof stats) != 200) return 0;
    out->connections = counter(stats, "connections");
    out->challenges = counter(stats, "challenges");
    out->deleted = counter(stats, "deleted");
    return out->connections >= 0 && out->challenges >= 0 && out->deleted >= 0;
}

/* A client for `base_url` with the mock's key pair, a 30 s timeout and
 * `max_retries` retries within 60 s. */
static atlas_client *client_for(const char *base_url, uint32_t max_retries) {
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    if (options == NULL) return NULL;
    if (atlas_client_options_set_base_url(options, base_url, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, max_retries, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_retry_budget_ms(options, 60000, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_timeout_ms(options, 30000, &error) != ATLAS_STATUS_OK ||
        use_mock_key_pair(options, &error) != ATLAS_STATUS_OK ||
        atlas_client_new(options, &client, &error) != ATLAS_STATUS_OK) {
        fprintf(stderr, "  client: %s\n", scan_error(error));
    }
    atlas_error_free(error);
    atlas_client_options_free(options);
    return client;
}

/* The child of a round: deletes its keys, each of which exists, and exits
 * with the number of answers that were not a success (0 to ROUND_KEYS). */
static void child_round(atlas_client *client, char keys[][25]) {
    int wrong = 0, i;
    for (i = 0; i < ROUND_KEYS; i++) {
        atlas_error *error = NULL;
        atlas_status status = atlas_delete_org_api_key(client, ORG, keys[i], 0, &error);
        if (status != ATLAS_STATUS_OK) {
            fprintf(stderr, "  child: deleting existing key %s gave %s: %s\n", keys[i],
                    atlas_status_str(status), scan_error(error));
            wrong++;
        }
        atlas_error_free(error);
    }
    atlas_client_free(client);
    scan_flush();
    fflush(stderr);
    _exit(wrong);
}

/* One round of the scenario: a client deletes a key, the process forks,
 * then at once the child deletes ROUND_KEYS existing keys and the parent
 * ROUND_KEYS keys that never existed. Every answer must be the right one,
 * the parent must reuse its pooled connection and Digest session, and the
 * child must open its own. Returns 1 when the round went right. */
static int fork_round(atlas_client *maker, int round) {
    char warm[25], child_keys[ROUND_KEYS][25], parent_keys[ROUND_KEYS][25];
    atlas_client *client = client_for(mock_base_url(), 3);
    atlas_error *error = NULL;
    struct counters before, after;
    int i, wrong = 0, child_status = -1;
    pid_t child;
    CHECK(client != NULL && created_key(maker, warm));
    for (i = 0; i < ROUND_KEYS; i++) {
        CHECK(created_key(maker, child_keys[i]));
        new_key_id(KEY_PREFIX, parent_keys[i]);
    }
    CHECK(atlas_delete_org_api_key(client, ORG, warm, 0, &error) == ATLAS_STATUS_OK);
    CHECK(read_counters(&before));
    fflush(stdout);
    fflush(stderr);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) child_round(client, child_keys);
    for (i = 0; i < ROUND_KEYS; i++) {
        atlas_status status = atlas_delete_org_api_key(client, ORG, parent_keys[i], 0, &error);
        if (status != ATLAS_STATUS_NOT_FOUND) {
            fprintf(stderr, "  round %d: parent: deleting missing key %s gave %s: %s\n", round,
                    parent_keys[i], atlas_status_str(status), scan_error(error));
            wrong++;
        }
        atlas_error_free(error);
        error = NULL;
    }
    CHECK(waitpid(child, &child_status, 0) == child);
    atlas_client_free(client);
    if (!WIFEXITED(child_status) || WEXITSTATUS(child_status) != 0) {
        fprintf(stderr, "  round %d: the child exited with status %d (%d wrong answers)\n", round,
                child_status, WIFEXITED(child_status) ? WEXITSTATUS(child_status) : -1);
    }
    CHECK(wrong == 0);
    CHECK(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0);
    CHECK(read_counters(&after));
    /* The child's connection, plus the second stats request's own: the
     * parent opened none, so it reused the connection it pooled before the
     * fork, and the child opened one of its own. */
    if (after.connections - before.connections != 2 || after.challenges - before.challenges != 1) {
        fprintf(stderr, "  round %d: %ld connections and %ld challenges, not 1 + 1 and 1\n", round,
                after.connections - before.connections, after.challenges - before.challenges);
    }
    CHECK(after.connections - before.connections == 2);
    /* One challenge, the child's: it answered no nonce of its parent's. */
    CHECK(after.challenges - before.challenges == 1);
    CHECK(after.deleted - before.deleted == ROUND_KEYS);
    return 1;
}

static int test_forked_children_and_parents_never_cross_answers(void) {
    atlas_client *maker = client_for(mock_base_url(), 0);
    char seed[25];
    int round;
    /* The mock knows an organization once a key of it was added. */
    CHECK(maker != NULL && new_key(seed));
    for (round = 0; round < ROUNDS; round++) {
        CHECK(fork_round(maker, round));
    }
    atlas_client_free(maker);
    return 1;
}

/* A delete made on another thread, and when it returned. */
struct blocked_call {
    atlas_client *client;
    atlas_status status;
    char message[1024];
    double returned;
};

static void *delete_in_thread(void *arg) {
    struct blocked_call *call = arg;
    atlas_error *error = NULL;
    call->status = atlas_delete_org_api_key(call->client, ORG, "6a1b2c3d4e5f6a7b8c9d0e1f", 0, &error);
    call->returned = now_seconds();
    snprintf(call->message, sizeof call->message, "%s", scan_error(error));
    atlas_error_free(error);
    return NULL;
}

/* Starts a delete on `client` in a thread, cancels every call on the
 * client CANCEL_AFTER_SECONDS later, and checks that the delete returned
 * ATLAS_STATUS_CANCELLED within PROMPTLY_SECONDS of that. */
static int cancelled_from_another_thread(atlas_client *client, const char *while_) {
    struct blocked_call call;
    pthread_t thread;
    double cancelled;
    memset(&call, 0, sizeof call);
    call.client = client;
    CHECK(pthread_create(&thread, NULL, delete_in_thread, &call) == 0);
    sleep_seconds(CANCEL_AFTER_SECONDS);
    cancelled = now_seconds();
    atlas_client_cancel_all(client);
    CHECK(pthread_join(thread, NULL) == 0);
    if (call.status != ATLAS_STATUS_CANCELLED || call.returned - cancelled > PROMPTLY_SECONDS) {
        fprintf(stderr, "  %s: %s after %.3f s: %s\n", while_, atlas_status_str(call.status),
                call.returned - cancelled, call.message);
    }
    CHECK(call.status == ATLAS_STATUS_CANCELLED);
    CHECK(call.returned - cancelled < PROMPTLY_SECONDS);
    CHECK(strstr(call.message, while_) != NULL);
    return 1;
}

static int test_cancel_all_stops_a_call_to_a_silent_server(void) {
    struct canned_server silent;
    atlas_client *client;
    CHECK(canned_server_start(&silent, NULL));
    client = client_for(silent.base_url, 3);
    CHECK(client != NULL);
    CHECK(cancelled_from_another_thread(client, "while waiting for the answer"));
    /* The cancelled call's connection was closed: the server sees its end. */
    canned_server_stop(&silent);
    CHECK(strncmp(silent.request, "DELETE ", 7) == 0);
    atlas_client_free(client);
    return 1;
}

static int test_cancel_all_stops_a_long_retry_after_wait(void) {
    struct canned_server limited;
    atlas_client *client;
    CHECK(canned_server_start(&limited,
                              "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 25\r\n"
                              "Content-Length: 0\r\nConnection: close\r\n\r\n"));
    client = client_for(limited.base_url, 3);
    CHECK(client != NULL);
    CHECK(cancelled_from_another_thread(client, "while waiting to retry"));
    canned_server_stop(&limited);
    atlas_client_free(client);
    return 1;
}

static atlas_client *signalled_client;

static void cancel_on_signal(int signal) {
    (void)signal;
    atlas_client_cancel_all(signalled_client);
}

static void *raise_later(void *arg) {
    (void)arg;
    sleep_seconds(CANCEL_AFTER_SECONDS);
    raise(SIGUSR1); /* delivered to this thread, whose handler cancels */
    return NULL;
}

static int test_cancel_all_from_a_signal_handler(void) {
    struct canned_server silent;
    struct sigaction action, previous;
    pthread_t raiser;
    atlas_error *error = NULL;
    atlas_status status;
    double started;
    CHECK(canned_server_start(&silent, NULL));
    signalled_client = client_for(silent.base_url, 3);
    CHECK(signalled_client != NULL);
    memset(&action, 0, sizeof action);
    action.sa_handler = cancel_on_signal;
    sigemptyset(&action.sa_mask);
    CHECK(sigaction(SIGUSR1, &action, &previous) == 0);
    started = now_seconds();
    CHECK(pthread_create(&raiser, NULL, raise_later, NULL) == 0);
    status = atlas_delete_org_api_key(signalled_client, ORG, "6a1b2c3d4e5f6a7b8c9d0e1f", 0, &error);
    CHECK(pthread_join(raiser, NULL) == 0);
    CHECK(sigaction(SIGUSR1, &previous, NULL) == 0);
    if (status != ATLAS_STATUS_CANCELLED) {
        fprintf(stderr, "  %s: %s\n", atlas_status_str(status), scan_error(error));
    }
    CHECK(status == ATLAS_STATUS_CANCELLED);
    CHECK(now_seconds() - started < CANCEL_AFTER_SECONDS + PROMPTLY_SECONDS);
    CHECK(atlas_error_status(error) == ATLAS_STATUS_CANCELLED);
    CHECK(strcmp(atlas_status_str(ATLAS_STATUS_CANCELLED), "cancelled") == 0);
    scan_error(error);
    atlas_error_free(error);
    canned_server_stop(&silent);
    atlas_client_free(signalled_client);
    signalled_client = NULL;
    return 1;
}

static int test_calls_after_cancel_all_are_not_cancelled(void) {
    char key[25];
    atlas_client *client = client_for(mock_base_url(), 0);
    atlas_error *error = NULL;
    CHECK(client != NULL && new_key(key));
    atlas_client_cancel_all(client);
    atlas_client_cancel_all(NULL); /* ignored */
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, &error) == ATLAS_STATUS_OK);
    CHECK(error == NULL);
    atlas_client_free(client);
    return 1;
}

int main(void) {
    scan_open("process", 0); /* error messages only: no log callback */
    RUN(test_forked_children_and_parents_never_cross_answers);
    RUN(test_cancel_all_stops_a_call_to_a_silent_server);
    RUN(test_cancel_all_stops_a_long_retry_after_wait);
    RUN(test_cancel_all_from_a_signal_handler);
    RUN(test_calls_after_cancel_all_are_not_cancelled);
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
