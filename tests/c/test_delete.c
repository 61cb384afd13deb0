/* atlas_delete_org_api_key through the C ABI, against the mock Atlas.
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic; run by `make test-c`,
 * plainly and under valgrind. Prints "N passed, N failed". */
#define _POSIX_C_SOURCE 200809L

#include "atlas_admin.h"
#include "canned_server.h"
#include "check.h"
#include "mock_control.h"
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
#define UNKNOWN_ORG "5f1a2b3c4d5e6f7a8b9c0d99"
#define THREADS 8
#define DELETES_PER_THREAD 8
/* How this program's key IDs start (new_key_id). */
#define KEY_PREFIX "6a1b2c3d4e5f"

/* A fresh key that exists in the mock. */
static int new_key(char out[25]) { return mock_new_key(ORG, KEY_PREFIX, out); }

/* A client for `base_url`; retries off unless `max_retries` > 0. */
static atlas_client *client_with_retries(const char *base_url, const char *private_key,
                                         uint32_t timeout_ms, uint32_t max_retries) {
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    if (options == NULL) return NULL;
    if (atlas_client_options_set_base_url(options, base_url, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, max_retries, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_digest_credentials(options, env("MONGODB_ATLAS_PUBLIC_API_KEY"),
                                                    private_key, &error) != ATLAS_STATUS_OK ||
        atlas_client_options_set_timeout_ms(options, timeout_ms, &error) != ATLAS_STATUS_OK ||
        atlas_client_new(options, &client, &error) != ATLAS_STATUS_OK) {
        fprintf(stderr, "  client: %s\n", atlas_error_message(error));
    }
    atlas_error_free(error);
    atlas_client_options_free(options);
    return client;
}

static atlas_client *client_with(const char *base_url, const char *private_key,
                                 uint32_t timeout_ms) {
    return client_with_retries(base_url, private_key, timeout_ms, 0);
}

static atlas_client *mock_client(void) {
    return client_with(mock_base_url(), env("MONGODB_ATLAS_PRIVATE_API_KEY"), 5000);
}

static int test_version_and_status_strings(void) {
    const char *version = atlas_version();
    CHECK(version != NULL && version[0] >= '0' && version[0] <= '9');
    CHECK(strcmp(atlas_status_str(ATLAS_STATUS_OK), "ok") == 0);
    CHECK(strcmp(atlas_status_str(ATLAS_STATUS_NOT_FOUND), "not found") == 0);
    CHECK(strcmp(atlas_status_str(ATLAS_STATUS_INTERNAL), "internal error") == 0);
    CHECK(strcmp(atlas_status_str(9999), "unknown status") == 0);
    CHECK(ATLAS_STATUS_OK == 0 && ATLAS_STATUS_INVALID_ARGUMENT == 1 &&
          ATLAS_STATUS_UNAUTHORIZED == 2 && ATLAS_STATUS_FORBIDDEN == 3 &&
          ATLAS_STATUS_NOT_FOUND == 4 && ATLAS_STATUS_RATE_LIMITED == 5 &&
          ATLAS_STATUS_HTTP_ERROR == 6 && ATLAS_STATUS_SERVER_ERROR == 7 &&
          ATLAS_STATUS_TIMEOUT == 8 && ATLAS_STATUS_TRANSPORT == 9 &&
          ATLAS_STATUS_PROTOCOL == 10 && ATLAS_STATUS_INTERNAL == 11 &&
          ATLAS_STATUS_CANCELLED == 12);
    CHECK(strcmp(atlas_status_str(ATLAS_STATUS_CANCELLED), "cancelled") == 0);
    return 1;
}

static int test_delete_succeeds(void) {
    char key[25];
    atlas_client *client = mock_client();
    atlas_error *error = (atlas_error *)&passed; /* must be overwritten with NULL */
    long deleted = mock_stat("deleted");
    int status;
    CHECK(client != NULL && new_key(key));
    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(error == NULL);
    CHECK(mock_stat("deleted") == deleted + 1);
    return 1;
}

static int test_n_deletes_cost_one_challenge(void) {
    enum { N = 10 };
    char keys[N][25];
    atlas_client *client = mock_client();
    long challenges = mock_stat("challenges"), authenticated = mock_stat("authenticated");
    int i, ok = 1;
    CHECK(client != NULL);
    for (i = 0; i < N; i++) CHECK(new_key(keys[i]));
    for (i = 0; i < N; i++) {
        ok &= atlas_delete_org_api_key(client, ORG, keys[i], 0, NULL) == ATLAS_STATUS_OK;
    }
    atlas_client_free(client);
    CHECK(ok);
    CHECK(mock_stat("challenges") == challenges + 1);
    CHECK(mock_stat("authenticated") == authenticated + N);
    return 1;
}

static int test_missing_key_is_not_found(void) {
    char key[25];
    atlas_client *client = mock_client();
    atlas_error *error = NULL;
    int status;
    CHECK(client != NULL);
    new_key_id(KEY_PREFIX, key);
    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_NOT_FOUND);
    CHECK(atlas_error_status(error) == ATLAS_STATUS_NOT_FOUND);
    CHECK(atlas_error_http_status(error) == 400);
    CHECK(strcmp(atlas_error_code(error), "API_KEY_NOT_FOUND") == 0);
    CHECK(strcmp(atlas_error_reason(error), "Bad Request") == 0);
    CHECK(strstr(atlas_error_detail(error), key) != NULL);
    CHECK(strstr(atlas_error_message(error), "No API key with ID") != NULL);
    CHECK(strstr(atlas_error_body(error), "\"errorCode\":\"API_KEY_NOT_FOUND\"") != NULL);
    CHECK(atlas_error_parameter_count(error) == 1);
    CHECK(strcmp(atlas_error_parameter(error, 0), key) == 0);
    CHECK(atlas_error_parameter(error, 1) == NULL);
    CHECK(atlas_error_retry_after_ms(error) == -1);
    CHECK(atlas_error_location(error) == NULL);
    CHECK(atlas_error_attempts(error) == 1);
    atlas_error_free(error);
    return 1;
}

static int test_unknown_org_is_not_found(void) {
    char key[25];
    atlas_client *client = mock_client();
    atlas_error *error = NULL;
    int status;
    CHECK(client != NULL && new_key(key));
    status = atlas_delete_org_api_key(client, UNKNOWN_ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_NOT_FOUND);
    CHECK(atlas_error_http_status(error) == 404);
    CHECK(strcmp(atlas_error_code(error), "ORG_NOT_FOUND") == 0);
    atlas_error_free(error);
    return 1;
}

static int test_wrong_private_key_is_unauthorized(void) {
    const char *wrong = "ffffffff-0000-4000-8000-wrongprivate";
    char key[25];
    atlas_client *client = client_with(mock_base_url(), wrong, 5000);
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    int status;
    CHECK(client != NULL && new_key(key));
    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_UNAUTHORIZED);
    CHECK(atlas_error_http_status(error) == 401);
    CHECK(mock_stat("requests") == requests + 2);
    CHECK(strstr(atlas_error_message(error), wrong) == NULL);
    CHECK(strstr(atlas_error_message(error), env("MONGODB_ATLAS_PRIVATE_API_KEY")) == NULL);
    atlas_error_free(error);
    return 1;
}

static int test_envelope(void) {
    char key[25];
    atlas_client *client = mock_client();
    atlas_error *error = NULL;
    int first, second;
    CHECK(client != NULL && new_key(key));
    first = atlas_delete_org_api_key(client, ORG, key, ATLAS_DELETE_ENVELOPE, NULL);
    second = atlas_delete_org_api_key(client, ORG, key,
                                      ATLAS_DELETE_ENVELOPE | ATLAS_DELETE_PRETTY, &error);
    atlas_client_free(client);
    CHECK(first == ATLAS_STATUS_OK);
    CHECK(second == ATLAS_STATUS_NOT_FOUND);
    CHECK(atlas_error_http_status(error) == 400); /* the envelope's, not HTTP 200 */
    CHECK(strcmp(atlas_error_code(error), "API_KEY_NOT_FOUND") == 0);
    atlas_error_free(error);
    return 1;
}

static int test_rate_limit_and_server_errors(void) {
    char key[25];
    atlas_client *client = mock_client();
    atlas_error *error = NULL;
    int limited, failed_status, http;
    CHECK(client != NULL && new_key(key));
    CHECK(mock_inject_status(429, 2, 1) == 0);
    limited = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    CHECK(limited == ATLAS_STATUS_RATE_LIMITED);
    CHECK(atlas_error_retry_after_ms(error) == 2000);
    CHECK(strcmp(atlas_error_code(error), "RATE_LIMITED") == 0);
    atlas_error_free(error);
    CHECK(mock_inject_status(503, -1, 1) == 0);
    failed_status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    http = atlas_error_http_status(error);
    atlas_error_free(error);
    CHECK(mock_inject_status(409, -1, 1) == 0);
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_HTTP_ERROR);
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    CHECK(failed_status == ATLAS_STATUS_SERVER_ERROR && http == 503);
    return 1;
}

#define MAX_BAD_IDS 64
#define MAX_BAD_ID_LEN 128

/* Reads tests/fixtures/bad_ids.txt (run from the repository's root, as
 * `make test-c` does), the bad IDs the Rust and Python tests read too: one
 * a line between double quotes, taken verbatim; empty and # lines skipped.
 * Returns how many were read, or -1. */
static int read_bad_ids(char ids[][MAX_BAD_ID_LEN], int max) {
    const char *path = "tests/fixtures/bad_ids.txt";
    FILE *file = fopen(path, "r");
    char line[MAX_BAD_ID_LEN + 3];
    int count = 0;
    if (file == NULL) {
        fprintf(stderr, "  cannot read %s: run these tests from the repository's root\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, file) != NULL) {
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        if (count == max || len < 2 || line[0] != '"' || line[len - 1] != '"') {
            fprintf(stderr, "  %s: cannot use the line %s\n", path, line);
            count = -1;
            break;
        }
        memcpy(ids[count], line + 1, len - 2);
        ids[count++][len - 2] = '\0';
    }
    fclose(file);
    return count;
}

static int test_invalid_ids_send_nothing(void) {
    char bad[MAX_BAD_IDS][MAX_BAD_ID_LEN];
    int count = read_bad_ids(bad, MAX_BAD_IDS - 1);
    char key[25];
    atlas_client *client = mock_client();
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    int i;
    CHECK(count > 0);
    /* Only C can pass bytes that are not UTF-8, which a text file shared with
     * Rust cannot hold. */
    strcpy(bad[count++], "5f1a2b3c4d5e6f7a8b9c\xff\xfe\xfd\xfc");
    CHECK(client != NULL && new_key(key));
    for (i = 0; i < count; i++) {
        CHECK(atlas_delete_org_api_key(client, bad[i], key, 0, &error) ==
              ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(strstr(atlas_error_message(error), "org_id") != NULL);
        atlas_error_free(error);
        CHECK(atlas_delete_org_api_key(client, ORG, bad[i], 0, &error) ==
              ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(strstr(atlas_error_message(error), "api_key_id") != NULL);
        CHECK(atlas_error_attempts(error) == 0);
        atlas_error_free(error);
    }
    CHECK(atlas_delete_org_api_key(client, ORG, key, 1u << 7, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "flags") != NULL);
    atlas_error_free(error);
    atlas_client_free(client);
    CHECK(mock_stat("requests") == requests);
    return 1;
}

static int test_nulls_never_crash(void) {
    char key[25];
    atlas_client *client = mock_client();
    atlas_client *made = (atlas_client *)&passed;
    atlas_client_options *options = atlas_client_options_new();
    atlas_error *error = NULL;
    CHECK(client != NULL && options != NULL && new_key(key));
    CHECK(atlas_delete_org_api_key(NULL, ORG, key, 0, &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "client") != NULL);
    atlas_error_free(error);
    CHECK(atlas_delete_org_api_key(client, NULL, key, 0, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_delete_org_api_key(client, ORG, NULL, 0, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_new(NULL, &made, &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(made == NULL);
    atlas_error_free(error);
    CHECK(atlas_client_new(options, NULL, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_set_base_url(NULL, "http://x", NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_set_base_url(options, NULL, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "base_url") != NULL);
    atlas_error_free(error);
    CHECK(atlas_client_options_set_digest_credentials(options, "abc", NULL, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "private_key") != NULL);
    atlas_error_free(error);
    CHECK(atlas_client_options_set_digest_credentials(options, "\xc3\x28", "k", &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "UTF-8") != NULL);
    atlas_error_free(error);
    CHECK(atlas_client_options_set_timeout_ms(NULL, 1, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_set_connect_timeout_ms(NULL, 1, NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_error_status(NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_error_message(NULL) == NULL && atlas_error_code(NULL) == NULL);
    CHECK(atlas_error_detail(NULL) == NULL && atlas_error_reason(NULL) == NULL);
    CHECK(atlas_error_body(NULL) == NULL && atlas_error_parameter(NULL, 0) == NULL);
    CHECK(atlas_error_http_status(NULL) == 0 && atlas_error_parameter_count(NULL) == 0);
    CHECK(atlas_error_retry_after_ms(NULL) == -1);
    CHECK(atlas_error_location(NULL) == NULL && atlas_error_attempts(NULL) == 0);
    atlas_error_free(NULL);
    atlas_client_free(NULL);
    atlas_client_options_free(NULL);
    atlas_client_options_free(options);
    /* The key is still there: nothing above reached the server. */
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    return 1;
}

/* atlas_client_new refuses `options` as an invalid argument, makes no
 * client, and its message says `says`; if not, prints what it did. */
static int client_new_refuses(const atlas_client_options *options, const char *says) {
    atlas_client *client = (atlas_client *)&passed; /* must be overwritten with NULL */
    atlas_error *error = NULL;
    atlas_status status = atlas_client_new(options, &client, &error);
    const char *message = scan_error(error);
    int refused = status == ATLAS_STATUS_INVALID_ARGUMENT && client == NULL &&
                  strstr(message, says) != NULL;
    if (!refused) {
        fprintf(stderr, "  atlas_client_new: %s, \"%s\", wanted invalid argument saying \"%s\"\n",
                atlas_status_str(status), message, says);
    }
    if (status == ATLAS_STATUS_OK) atlas_client_free(client);
    atlas_error_free(error);
    return refused;
}

static int test_bad_options_are_explained(void) {
    static const char *const cases[][2] = {
        {"not a url", "base_url"},
        {"ftp://127.0.0.1/x", "base_url"},
        {"https://user:pass@127.0.0.1/x", "base_url"},
    };
    atlas_client_options *options;
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        options = atlas_client_options_new();
        CHECK(atlas_client_options_set_base_url(options, cases[i][0], NULL) == ATLAS_STATUS_OK);
        CHECK(atlas_client_options_set_digest_credentials(options, "abcdefgh", "k", NULL) ==
              ATLAS_STATUS_OK);
        CHECK(client_new_refuses(options, cases[i][1]));
        atlas_client_options_free(options);
    }
    options = atlas_client_options_new();
    CHECK(client_new_refuses(options, "API key"));
    CHECK(atlas_client_options_set_digest_credentials(options, "abcdefgh", "k", NULL) ==
          ATLAS_STATUS_OK);
    CHECK(atlas_client_options_set_timeout_ms(options, 0, NULL) == ATLAS_STATUS_OK);
    CHECK(client_new_refuses(options, "timeout"));
    atlas_client_options_free(options);
    return 1;
}

static int test_transport_and_timeout(void) {
    char key[25];
    atlas_client *refused = client_with("http://127.0.0.1:1/api/atlas/v1.0", "k", 5000);
    atlas_client *impatient = client_with(mock_base_url(), env("MONGODB_ATLAS_PRIVATE_API_KEY"), 300);
    atlas_error *error = NULL;
    CHECK(refused != NULL && impatient != NULL && new_key(key));
    CHECK(atlas_delete_org_api_key(refused, ORG, key, 0, &error) == ATLAS_STATUS_TRANSPORT);
    CHECK(atlas_error_http_status(error) == 0 && atlas_error_body(error) == NULL);
    CHECK(atlas_error_attempts(error) == 1);
    atlas_error_free(error);
    CHECK(mock_inject_delay(2000) == 0);
    CHECK(atlas_delete_org_api_key(impatient, ORG, key, 0, &error) == ATLAS_STATUS_TIMEOUT);
    CHECK(strstr(atlas_error_message(error), "timed out") != NULL);
    CHECK(atlas_error_attempts(error) == 1);
    atlas_error_free(error);
    atlas_client_free(refused);
    atlas_client_free(impatient);
    return 1;
}

static int test_attempts_are_counted_without_an_answer(void) {
    char key[25];
    atlas_client *refused =
        client_with_retries("http://127.0.0.1:1/api/atlas/v1.0", "k", 5000, 3);
    atlas_error *error = NULL;
    CHECK(refused != NULL);
    new_key_id(KEY_PREFIX, key);
    CHECK(atlas_delete_org_api_key(refused, ORG, key, 0, &error) == ATLAS_STATUS_TRANSPORT);
    atlas_client_free(refused);
    CHECK(atlas_error_attempts(error) == 4); /* the first and 3 retries */
    CHECK(strstr(atlas_error_message(error), "gave up after 4 attempts") != NULL);
    atlas_error_free(error);
    return 1;
}

static int test_retries_recover_from_server_errors(void) {
    char key[25];
    atlas_client *client =
        client_with_retries(mock_base_url(), env("MONGODB_ATLAS_PRIVATE_API_KEY"), 5000, 3);
    long requests = mock_stat("requests"), faults = mock_stat("faults");
    int status;
    CHECK(client != NULL && new_key(key));
    CHECK(mock_inject_status(503, -1, 2) == 0);
    status = atlas_delete_org_api_key(client, ORG, key, 0, NULL);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(mock_stat("faults") == faults + 2);
    CHECK(mock_stat("requests") == requests + 4); /* 503, 503, challenge, delete */
    return 1;
}

static int test_missing_ok(void) {
    char key[25], wrong_prefix[512], server_at[64];
    atlas_client *client = mock_client(), *wrong = NULL, *not_atlas = NULL;
    atlas_error *error = NULL;
    struct canned_server html;
    int status;
    CHECK(client != NULL);
    new_key_id(KEY_PREFIX, key);
    status = atlas_delete_org_api_key(client, ORG, key, ATLAS_DELETE_MISSING_OK, NULL);
    CHECK(status == ATLAS_STATUS_OK);
    status = atlas_delete_org_api_key(client, UNKNOWN_ORG, key, ATLAS_DELETE_MISSING_OK, NULL);
    CHECK(status == ATLAS_STATUS_NOT_FOUND);
    /* Only Atlas' own API_KEY_NOT_FOUND counts: not a 404 with another
     * errorCode, which says nothing about the key... */
    CHECK(mock_inject_status(404, -1, 1) == 0);
    status = atlas_delete_org_api_key(client, ORG, key, ATLAS_DELETE_MISSING_OK, NULL);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_HTTP_ERROR);
    /* ...nor a wrong base URL's 404 (RESOURCE_NOT_FOUND), which is no
     * "not found" at all: it says nothing about the key... */
    snprintf(wrong_prefix, sizeof wrong_prefix, "%s/wrong", mock_base_url());
    wrong = client_with(wrong_prefix, env("MONGODB_ATLAS_PRIVATE_API_KEY"), 5000);
    CHECK(wrong != NULL);
    status = atlas_delete_org_api_key(wrong, ORG, key, ATLAS_DELETE_MISSING_OK, NULL);
    atlas_client_free(wrong);
    CHECK(status == ATLAS_STATUS_HTTP_ERROR);
    /* ...nor a 404 page from a server that is not Atlas. */
    CHECK(canned_server_start(&html, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
                                     "Content-Length: 22\r\nConnection: close\r\n\r\n"
                                     "<html>Not Found</html>"));
    not_atlas = client_with(html.base_url, "k", 5000);
    status = atlas_delete_org_api_key(not_atlas, ORG, key, ATLAS_DELETE_MISSING_OK, &error);
    canned_server_stop(&html);
    atlas_client_free(not_atlas);
    CHECK(status == ATLAS_STATUS_HTTP_ERROR);
    snprintf(server_at, sizeof server_at, "the server at %.*s answered HTTP 404",
             (int)(strchr(html.base_url + 7, '/') - (html.base_url + 7)), html.base_url + 7);
    CHECK(strstr(atlas_error_message(error), server_at) == atlas_error_message(error));
    CHECK(strstr(atlas_error_message(error), "base URL") != NULL);
    CHECK(atlas_error_attempts(error) == 1);
    atlas_error_free(error);
    return 1;
}

struct log_capture {
    pthread_mutex_t lock;
    int lines, attempts, leaked;
};

static void capture_log(void *user_data, atlas_log_level level, const char *message) {
    struct log_capture *capture = user_data;
    pthread_mutex_lock(&capture->lock);
    capture->lines++;
    capture->attempts += strstr(message, "attempt") != NULL && level >= ATLAS_LOG_LEVEL_WARN;
    capture->leaked += strstr(message, env("MONGODB_ATLAS_PRIVATE_API_KEY")) != NULL;
    scan_log(NULL, level, message);
    pthread_mutex_unlock(&capture->lock);
}

static int test_log_callback_reports_attempts_without_secrets(void) {
    static struct log_capture capture = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
    char key[25];
    atlas_client *client =
        client_with_retries(mock_base_url(), env("MONGODB_ATLAS_PRIVATE_API_KEY"), 5000, 2);
    atlas_error *error = NULL;
    int status;
    CHECK(client != NULL && new_key(key));
    CHECK(atlas_set_log_callback(capture_log, &capture, 99, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "max_level") != NULL);
    atlas_error_free(error);
    CHECK(atlas_set_log_callback(capture_log, &capture, ATLAS_LOG_LEVEL_DEBUG, NULL) ==
          ATLAS_STATUS_OK);
    CHECK(mock_inject_status(502, -1, 1) == 0);
    status = atlas_delete_org_api_key(client, ORG, key, 0, NULL);
    CHECK(atlas_set_log_callback(NULL, NULL, ATLAS_LOG_LEVEL_DEBUG, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_set_log_callback(scan_log, NULL, ATLAS_LOG_LEVEL_TRACE, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(capture.attempts >= 1); /* "attempt 1 failed ...; retrying" */
    CHECK(capture.lines >= 3);
    CHECK(capture.leaked == 0);
    return 1;
}

static int test_security_options(void) {
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    CHECK(options != NULL);
    CHECK(atlas_client_options_set_digest_credentials(options, "abcdefgh", "k", NULL) ==
          ATLAS_STATUS_OK);
    CHECK(atlas_client_options_set_base_url(options, "http://ops.example.com/api/public/v1.0",
                                            NULL) == ATLAS_STATUS_OK);
    CHECK(client_new_refuses(options, "plain http"));
    CHECK(atlas_client_options_set_allow_insecure_http(options, true, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_options_disable_proxy(options, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_new(options, &client, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    CHECK(atlas_client_options_set_ca_bundle(options, "/nonexistent/ca.pem", NULL) ==
          ATLAS_STATUS_OK);
    CHECK(client_new_refuses(options, "ca_bundle"));
    atlas_client_options_free(options);
    return 1;
}

static int test_explicit_proxy_is_used(void) {
    char key[25];
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    int status;
    CHECK(options != NULL && new_key(key));
    CHECK(atlas_client_options_set_digest_credentials(options, "abcdefgh", "k", NULL) ==
          ATLAS_STATUS_OK);
    CHECK(atlas_client_options_set_base_url(options, "http://127.0.0.1:9/api/atlas/v1.0",
                                            NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_options_set_max_retries(options, 0, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_options_set_proxy(options, NULL, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    /* The mock is no proxy: it refuses the CONNECT, which proves the request
     * went to the proxy (the mock counts it) and not to port 9. */
    CHECK(atlas_client_options_set_proxy(options, mock_base_url(), NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_new(options, &client, NULL) == ATLAS_STATUS_OK);
    atlas_client_options_free(options);
    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_TRANSPORT);
    CHECK(strstr(atlas_error_message(error), "proxy") != NULL);
    CHECK(mock_stat("requests") == requests + 1);
    atlas_error_free(error);
    return 1;
}

struct worker {
    atlas_client *client;
    char keys[DELETES_PER_THREAD][25];
    int ok;
};

static void *delete_keys(void *arg) {
    struct worker *w = arg;
    int i;
    w->ok = 0;
    for (i = 0; i < DELETES_PER_THREAD; i++) {
        w->ok += atlas_delete_org_api_key(w->client, ORG, w->keys[i], 0, NULL) == ATLAS_STATUS_OK;
    }
    return NULL;
}

static int test_threads_share_one_client(void) {
    static struct worker workers[THREADS];
    pthread_t threads[THREADS];
    char warm[25];
    atlas_client *client = mock_client();
    long challenges;
    int t, i, total = 0;
    CHECK(client != NULL && new_key(warm));
    CHECK(atlas_delete_org_api_key(client, ORG, warm, 0, NULL) == ATLAS_STATUS_OK);
    challenges = mock_stat("challenges");
    for (t = 0; t < THREADS; t++) {
        workers[t].client = client;
        for (i = 0; i < DELETES_PER_THREAD; i++) CHECK(new_key(workers[t].keys[i]));
    }
    for (t = 0; t < THREADS; t++) {
        CHECK(pthread_create(&threads[t], NULL, delete_keys, &workers[t]) == 0);
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        total += workers[t].ok;
    }
    atlas_client_free(client);
    CHECK(total == THREADS * DELETES_PER_THREAD);
    /* Each thread in flight holds a Digest session of its own: the warm-up's
     * session and at most THREADS - 1 more challenges. */
    CHECK(mock_stat("challenges") <= challenges + THREADS - 1);
    return 1;
}

static int test_cloud_manager_base_url(void) {
    char key[25], origin[128], base[256];
    atlas_client *client;
    int status;
    CHECK(mock_origin(origin, sizeof origin));
    snprintf(base, sizeof base, "%s/api/public/v1.0", origin);
    client = client_with(base, env("MONGODB_ATLAS_PRIVATE_API_KEY"), 5000);
    CHECK(client != NULL && new_key(key));
    status = atlas_delete_org_api_key(client, ORG, key, 0, NULL);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_OK);
    return 1;
}

static int test_api_flavours_send_their_path_and_version(void) {
    static const struct {
        uint32_t api;
        const char *path;
        const char *accept;
    } flavours[] = {
        {ATLAS_API_ATLAS_V1, "\"target\":\"/api/atlas/v1.0/orgs/", "\"accept\":\"application/json\""},
        {ATLAS_API_ATLAS_V2, "\"target\":\"/api/atlas/v2/orgs/",
         "\"accept\":\"application/vnd.atlas.2023-01-01+json\""},
        {ATLAS_API_OPS_MANAGER, "\"target\":\"/api/public/v1.0/orgs/",
         "\"accept\":\"application/json\""},
    };
    char origin[128], key[25], seen[4096];
    size_t i;
    CHECK(ATLAS_API_ATLAS_V1 == 1 && ATLAS_API_ATLAS_V2 == 2 && ATLAS_API_OPS_MANAGER == 3);
    CHECK(mock_origin(origin, sizeof origin));
    for (i = 0; i < sizeof flavours / sizeof flavours[0]; i++) {
        atlas_client_options *options = atlas_client_options_new();
        atlas_client *client;
        int status;
        CHECK(atlas_client_options_set_host(options, origin, NULL) == ATLAS_STATUS_OK);
        CHECK(atlas_client_options_set_api(options, flavours[i].api, NULL) == ATLAS_STATUS_OK);
        CHECK(use_mock_key_pair(options, NULL) == ATLAS_STATUS_OK);
        client = build_client(options);
        CHECK(client != NULL && new_key(key));
        CHECK(mock_request("POST", "/__mock/stats/reset", NULL, NULL, 0) == 204);
        status = atlas_delete_org_api_key(client, ORG, key, 0, NULL);
        atlas_client_free(client);
        CHECK(status == ATLAS_STATUS_OK);
        CHECK(mock_request("GET", "/__mock/requests", NULL, seen, sizeof seen) == 200);
        CHECK(strstr(seen, flavours[i].path) != NULL);
        CHECK(strstr(seen, flavours[i].accept) != NULL);
    }
    return 1;
}

static int test_unknown_api_numbers_are_refused(void) {
    atlas_client_options *options = atlas_client_options_new();
    atlas_error *error = NULL;
    CHECK(atlas_client_options_set_api(options, 0, &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "atlas_api") != NULL);
    atlas_error_free(error);
    CHECK(atlas_client_options_set_api(options, 4, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_set_api(NULL, ATLAS_API_ATLAS_V2, NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_set_host(options, NULL, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_set_service_account(options, "id", NULL, NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_client_options_load_env(NULL, NULL, NULL) == ATLAS_STATUS_INVALID_ARGUMENT);
    atlas_client_options_free(options);
    return 1;
}

static atlas_client_options *service_account_options(const char *secret) {
    atlas_client_options *options = atlas_client_options_new();
    if (atlas_client_options_set_base_url(options, mock_base_url(), NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, 0, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_service_account(options, env("MONGODB_ATLAS_MOCK_CLIENT_ID"), secret,
                                                 NULL) != ATLAS_STATUS_OK) {
        atlas_client_options_free(options);
        return NULL;
    }
    return options;
}

static int test_service_account_fetches_one_token(void) {
    char key[25];
    atlas_client *client = build_client(service_account_options(env("MONGODB_ATLAS_MOCK_CLIENT_SECRET")));
    long tokens = mock_stat("tokens_issued"), bearer = mock_stat("bearer_authenticated");
    int i, ok = 1;
    CHECK(client != NULL);
    for (i = 0; i < 5; i++) {
        ok &= new_key(key) && atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_OK;
    }
    atlas_client_free(client);
    CHECK(ok);
    CHECK(mock_stat("tokens_issued") == tokens + 1);
    CHECK(mock_stat("bearer_authenticated") == bearer + 5);
    return 1;
}

static int test_service_account_wrong_secret_is_unauthorized(void) {
    const char *wrong = "mdb_sa_sk_ffffffff-wrong-secret";
    char key[25];
    atlas_client *client = build_client(service_account_options(wrong));
    atlas_error *error = NULL;
    int status;
    CHECK(client != NULL && new_key(key));
    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_UNAUTHORIZED);
    CHECK(atlas_error_http_status(error) == 401);
    CHECK(strcmp(atlas_error_code(error), "invalid_client") == 0);
    CHECK(strstr(atlas_error_message(error), "service account") != NULL);
    CHECK(strstr(atlas_error_message(error), "public and private key") == NULL);
    CHECK(strstr(atlas_error_message(error), wrong) == NULL);
    scan_error(error);
    atlas_error_free(error);
    return 1;
}

static int test_both_kinds_of_credentials_are_refused(void) {
    atlas_client_options *options = service_account_options(env("MONGODB_ATLAS_MOCK_CLIENT_SECRET"));
    atlas_client *client = (atlas_client *)&passed;
    atlas_error *error = NULL;
    CHECK(options != NULL);
    CHECK(use_mock_key_pair(options, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_new(options, &client, &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    atlas_client_options_free(options);
    CHECK(client == NULL);
    CHECK(strstr(atlas_error_message(error), "client_id") != NULL);
    CHECK(strstr(atlas_error_message(error), "public_key") != NULL);
    CHECK(strstr(atlas_error_message(error), env("MONGODB_ATLAS_MOCK_CLIENT_SECRET")) == NULL);
    atlas_error_free(error);
    return 1;
}

/* Counts the warnings about a revocation, and any line holding a token. */
struct revoke_capture {
    int warnings, leaked;
};

static void capture_revoke_log(void *user_data, atlas_log_level level, const char *message) {
    struct revoke_capture *capture = user_data;
    capture->warnings +=
        level == ATLAS_LOG_LEVEL_WARN && strstr(message, "could not revoke") != NULL;
    capture->leaked += strstr(message, "mock-access-token-") != NULL;
    scan_log(NULL, level, message);
}

static int test_close_revokes_the_token_the_client_minted(void) {
    char key[25];
    atlas_client *client = build_client(service_account_options(env("MONGODB_ATLAS_MOCK_CLIENT_SECRET")));
    long active, revoked = mock_stat("tokens_revoked"), requests;
    CHECK(client != NULL && new_key(key));
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_OK);
    active = mock_stat("active_tokens");
    CHECK(active >= 1);
    atlas_client_close(client);
    CHECK(mock_stat("tokens_revoked") == revoked + 1);
    CHECK(mock_stat("active_tokens") == active - 1);
    requests = mock_stat("revoke_requests");
    atlas_client_close(client); /* closing twice revokes once */
    CHECK(mock_stat("revoke_requests") == requests);
    /* Still usable: a later call mints a token, a later close revokes it. */
    CHECK(new_key(key));
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_OK);
    CHECK(mock_stat("active_tokens") == active);
    atlas_client_close(client);
    atlas_client_free(client);
    CHECK(mock_stat("tokens_revoked") == revoked + 2);
    CHECK(mock_stat("active_tokens") == active - 1);
    atlas_client_close(NULL);
    return 1;
}

static int test_close_sends_nothing_without_a_token(void) {
    char key[25];
    long requests = mock_stat("requests");
    atlas_client *account = build_client(service_account_options(env("MONGODB_ATLAS_MOCK_CLIENT_SECRET")));
    atlas_client *digest = mock_client();
    CHECK(account != NULL && digest != NULL && new_key(key));
    atlas_client_close(account); /* never called: no token */
    atlas_client_free(account);
    CHECK(mock_stat("requests") == requests);
    CHECK(atlas_delete_org_api_key(digest, ORG, key, 0, NULL) == ATLAS_STATUS_OK);
    requests = mock_stat("requests");
    atlas_client_close(digest); /* an API key has no token */
    atlas_client_free(digest);
    CHECK(mock_stat("requests") == requests);
    return 1;
}

static int test_a_failed_revocation_is_a_warning(void) {
    struct revoke_capture capture = {0, 0};
    char key[25];
    atlas_client *client = build_client(service_account_options(env("MONGODB_ATLAS_MOCK_CLIENT_SECRET")));
    long active, requests = mock_stat("revoke_requests");
    CHECK(client != NULL && new_key(key));
    CHECK(atlas_delete_org_api_key(client, ORG, key, 0, NULL) == ATLAS_STATUS_OK);
    active = mock_stat("active_tokens");
    CHECK(atlas_set_log_callback(capture_revoke_log, &capture, ATLAS_LOG_LEVEL_TRACE, NULL) ==
          ATLAS_STATUS_OK);
    CHECK(mock_inject_status(503, -1, 1) == 0);
    atlas_client_close(client);
    CHECK(atlas_set_log_callback(scan_log, NULL, ATLAS_LOG_LEVEL_TRACE, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    CHECK(mock_stat("revoke_requests") == requests + 1);
    CHECK(mock_stat("active_tokens") == active); /* refused: the token lives on */
    CHECK(capture.warnings == 1);
    CHECK(capture.leaked == 0);
    return 1;
}

static void clear_atlas_env(void) {
    static const char *names[] = {
        "MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY",
        "MONGODB_ATLAS_PUBLIC_KEY",     "MONGODB_ATLAS_PRIVATE_KEY",
        "MONGODB_ATLAS_CLIENT_ID",      "MONGODB_ATLAS_CLIENT_SECRET",
        "MONGODB_ATLAS_BASE_URL",       "MONGODB_ATLAS_OPS_MANAGER_URL",
    };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) unsetenv(names[i]);
}

/* Deletes a fresh key with a client built from the environment and
 * profile `profile`; returns the delete's status. */
static int delete_from_env(const char *profile) {
    char key[25];
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client;
    int status;
    if (atlas_client_options_load_env(options, profile, NULL) != ATLAS_STATUS_OK) {
        atlas_client_options_free(options);
        return -1;
    }
    client = build_client(options);
    if (client == NULL || !new_key(key)) return -1;
    status = atlas_delete_org_api_key(client, ORG, key, 0, NULL);
    atlas_client_free(client);
    return status;
}

/* The variables scripts/with-mock sets that clear_atlas_env clears: the
 * test below saves them first and puts them back, so the mock stays
 * reachable (mock_base_url) and its key pair known. */
static const char *const with_mock_names[] = {
    "MONGODB_ATLAS_BASE_URL", "MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY"};
#define WITH_MOCK_VARS (sizeof with_mock_names / sizeof with_mock_names[0])

static int test_load_env_reads_variables_and_profiles(void) {
    char dir[] = "/tmp/atlas-admin-c-XXXXXX", path[256], origin[128];
    char saved[WITH_MOCK_VARS][256];
    atlas_client_options *options;
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    FILE *file;
    size_t i;
    CHECK(mkdtemp(dir) != NULL && mock_origin(origin, sizeof origin));
    for (i = 0; i < WITH_MOCK_VARS; i++) {
        CHECK(strlen(env(with_mock_names[i])) < sizeof saved[i]);
        strcpy(saved[i], env(with_mock_names[i]));
    }
    clear_atlas_env();
    /* The controls (mock_add_key) find the mock by its URL. */
    setenv("MONGODB_ATLAS_BASE_URL", saved[0], 1);
    setenv("XDG_CONFIG_HOME", dir, 1);

    /* Nothing found: atlas_client_new names every source, no value. */
    options = atlas_client_options_new();
    CHECK(atlas_client_options_load_env(options, NULL, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_new(options, &client, &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    atlas_client_options_free(options);
    CHECK(strstr(atlas_error_message(error), "MONGODB_ATLAS_PUBLIC_API_KEY") != NULL);
    CHECK(strstr(atlas_error_message(error), "atlascli/config.toml") != NULL);
    atlas_error_free(error);
    error = NULL;

    /* A service account from the environment, host from MONGODB_ATLAS_BASE_URL. */
    setenv("MONGODB_ATLAS_BASE_URL", origin, 1);
    setenv("MONGODB_ATLAS_CLIENT_ID", env("MONGODB_ATLAS_MOCK_CLIENT_ID"), 1);
    setenv("MONGODB_ATLAS_CLIENT_SECRET", env("MONGODB_ATLAS_MOCK_CLIENT_SECRET"), 1);
    CHECK(delete_from_env(NULL) == ATLAS_STATUS_OK);
    unsetenv("MONGODB_ATLAS_CLIENT_ID");
    unsetenv("MONGODB_ATLAS_CLIENT_SECRET");

    /* A named profile from $XDG_CONFIG_HOME/atlascli/config.toml. */
    snprintf(path, sizeof path, "%s/atlascli", dir);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/atlascli/config.toml", dir);
    file = fopen(path, "w");
    CHECK(file != NULL);
    fprintf(file, "[ci]\npublic_api_key = \"%s\"\nprivate_api_key = \"%s\"\n", saved[1],
            saved[2]);
    fclose(file);
    CHECK(chmod(path, 0600) == 0);
    CHECK(delete_from_env("ci") == ATLAS_STATUS_OK);

    /* A missing named profile fails at once and names the profile. */
    options = atlas_client_options_new();
    CHECK(atlas_client_options_load_env(options, "nope", &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    atlas_client_options_free(options);
    CHECK(strstr(atlas_error_message(error), "\"nope\"") != NULL);
    atlas_error_free(error);

    clear_atlas_env();
    for (i = 0; i < WITH_MOCK_VARS; i++) setenv(with_mock_names[i], saved[i], 1);
    unsetenv("XDG_CONFIG_HOME");
    remove(path);
    snprintf(path, sizeof path, "%s/atlascli", dir);
    rmdir(path);
    rmdir(dir);
    return 1;
}

int main(void) {
    scan_open("delete", ATLAS_LOG_LEVEL_TRACE);
    RUN(test_version_and_status_strings);
    RUN(test_delete_succeeds);
    RUN(test_n_deletes_cost_one_challenge);
    RUN(test_missing_key_is_not_found);
    RUN(test_unknown_org_is_not_found);
    RUN(test_wrong_private_key_is_unauthorized);
    RUN(test_envelope);
    RUN(test_rate_limit_and_server_errors);
    RUN(test_invalid_ids_send_nothing);
    RUN(test_nulls_never_crash);
    RUN(test_bad_options_are_explained);
    RUN(test_transport_and_timeout);
    RUN(test_threads_share_one_client);
    RUN(test_cloud_manager_base_url);
    RUN(test_retries_recover_from_server_errors);
    RUN(test_attempts_are_counted_without_an_answer);
    RUN(test_missing_ok);
    RUN(test_log_callback_reports_attempts_without_secrets);
    RUN(test_security_options);
    RUN(test_explicit_proxy_is_used);
    RUN(test_api_flavours_send_their_path_and_version);
    RUN(test_unknown_api_numbers_are_refused);
    RUN(test_service_account_fetches_one_token);
    RUN(test_service_account_wrong_secret_is_unauthorized);
    RUN(test_both_kinds_of_credentials_are_refused);
    RUN(test_close_revokes_the_token_the_client_minted);
    RUN(test_close_sends_nothing_without_a_token);
    RUN(test_a_failed_revocation_is_a_warning);
    RUN(test_load_env_reads_variables_and_profiles);
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
