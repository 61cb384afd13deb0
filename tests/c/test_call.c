/* atlas_call, atlas_call_with_accept, atlas_response and the flags of every
 * call through the C ABI, against the mock Atlas and canned servers.
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic; run by `make test-c`,
 * plainly, under valgrind and under ASan/UBSan. Prints "N passed, N failed". */
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
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
#define THREADS 4
#define CALLS_PER_THREAD 4
/* How this program's key IDs start (new_key_id). */
#define KEY_PREFIX "6e1b2c3d4e5f"

/* The aliases are the call-wide flags, at compile time too. */
typedef char flag_aliases_are_the_call_flags[(ATLAS_DELETE_PRETTY == ATLAS_CALL_PRETTY &&
                                              ATLAS_DELETE_ENVELOPE == ATLAS_CALL_ENVELOPE)
                                                 ? 1
                                                 : -1];

/* A pointer no call may leave in an out parameter it failed to fill. */
static atlas_response *const NOT_SET = (atlas_response *)&passed;

/* A secret a canned answer carries, as a created key's privateKey would:
 * one of the private keys scripts/check-secrets looks for in every log
 * line and error message of the run. */
#define SECRET_IN_BODY "ffffffff-wrong-private-key-0000"

/* A fresh key that exists in the mock, and its path below the API base. */
static int new_key(char key[25], char path[64]) {
    int made = mock_new_key(ORG, KEY_PREFIX, key);
    snprintf(path, 64, "/orgs/%s/apiKeys/%s", ORG, key);
    return made;
}

/* A client for `base_url` with the mock's API key and `max_retries`. */
static atlas_client *client_at(const char *base_url, uint32_t max_retries) {
    atlas_client_options *options = atlas_client_options_new();
    if (atlas_client_options_set_base_url(options, base_url, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, max_retries, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_timeout_ms(options, 5000, NULL) != ATLAS_STATUS_OK ||
        use_mock_key_pair(options, NULL) != ATLAS_STATUS_OK) {
        atlas_client_options_free(options);
        return NULL;
    }
    return build_client(options);
}

static atlas_client *mock_client(void) { return client_at(mock_base_url(), 0); }

static int starts_with(const char *text, const char *prefix) {
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static int test_flag_values_and_aliases(void) {
    CHECK(ATLAS_CALL_PRETTY == 1 && ATLAS_CALL_ENVELOPE == 2 && ATLAS_DELETE_MISSING_OK == 4);
    CHECK(ATLAS_DELETE_PRETTY == ATLAS_CALL_PRETTY);
    CHECK(ATLAS_DELETE_ENVELOPE == ATLAS_CALL_ENVELOPE);
    CHECK((ATLAS_DELETE_MISSING_OK & (ATLAS_CALL_PRETTY | ATLAS_CALL_ENVELOPE)) == 0);
    return 1;
}

static int test_call_deletes_a_key_with_no_body(void) {
    char key[25], path[64];
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = (atlas_error *)&passed; /* must be overwritten with NULL */
    long deleted = mock_stat("deleted");
    int status;
    CHECK(client != NULL && new_key(key, path));
    status = atlas_call(client, "DELETE", path, NULL, NULL, 0, &response, &error);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(error == NULL);
    CHECK(response != NULL && response != NOT_SET);
    CHECK(atlas_response_status(response) == 204);
    CHECK(atlas_response_body(response) == NULL); /* a 2xx with no body */
    CHECK(mock_stat("deleted") == deleted + 1);
    atlas_response_free(response);

    /* Again: Atlas' API_KEY_NOT_FOUND, with every field of a typed call's error. */
    response = NOT_SET;
    status = atlas_call(client, "DELETE", path, NULL, NULL, 0, &response, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_NOT_FOUND);
    CHECK(response == NULL);
    CHECK(atlas_error_http_status(error) == 400);
    CHECK(strcmp(atlas_error_code(error), "API_KEY_NOT_FOUND") == 0);
    CHECK(strcmp(atlas_error_parameter(error, 0), key) == 0);
    CHECK(atlas_error_attempts(error) == 1);
    atlas_error_free(error);
    return 1;
}

static int test_method_names_in_any_case(void) {
    static const char *const bad[] = {"FETCH", "", "GET ", "DELET"};
    char key[25], path[64];
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    size_t i;
    CHECK(client != NULL && new_key(key, path));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(atlas_call(client, bad[i], path, NULL, NULL, 0, &response, &error) ==
              ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(response == NULL);
        CHECK(strstr(atlas_error_message(error), "`method`") != NULL);
        CHECK(strstr(atlas_error_message(error), "GET, POST, PUT, PATCH, DELETE") != NULL);
        CHECK(atlas_error_attempts(error) == 0);
        atlas_error_free(error);
        response = NOT_SET;
    }
    CHECK(mock_stat("requests") == requests);
    CHECK(atlas_call(client, "dElEtE", path, NULL, NULL, 0, &response, NULL) == ATLAS_STATUS_OK);
    atlas_response_free(response);
    atlas_client_free(client);
    return 1;
}

static int test_envelope_and_pretty_on_atlas_call(void) {
    char key[25], path[64], seen[4096];
    atlas_client *client = mock_client();
    atlas_response *response = NULL;
    CHECK(client != NULL && new_key(key, path));
    CHECK(atlas_call(client, "DELETE", path, NULL, NULL, ATLAS_CALL_ENVELOPE | ATLAS_CALL_PRETTY,
                     &response, NULL) == ATLAS_STATUS_OK);
    CHECK(mock_last_request(seen, sizeof seen));
    atlas_client_free(client);
    /* The envelope's status and content, not HTTP 200 and the envelope. */
    CHECK(atlas_response_status(response) == 204);
    CHECK(atlas_response_body(response) != NULL);
    CHECK(strcmp(atlas_response_body(response), "{}") == 0);
    atlas_response_free(response);
    CHECK(strstr(seen, "?pretty=true&envelope=true\"") != NULL);
    return 1;
}

static int test_query_and_json_body_are_sent(void) {
    char key[25], path[64], seen[4096];
    atlas_client *client = mock_client();
    atlas_response *response = NULL;
    CHECK(client != NULL && new_key(key, path));
    CHECK(atlas_call(client, "DELETE", path, "a=1&&note=x%26y+z&flag", "{\"why\": [\"rotation\"]}",
                     ATLAS_CALL_PRETTY, &response, NULL) == ATLAS_STATUS_OK);
    CHECK(mock_last_request(seen, sizeof seen));
    atlas_client_free(client);
    atlas_response_free(response);
    /* Decoded, then escaped again for the wire; the flags come after. */
    CHECK(strstr(seen, "/apiKeys/") != NULL);
    CHECK(strstr(seen, "?a=1&note=x%26y%2Bz&flag=&pretty=true\"") != NULL);
    CHECK(strstr(seen, "\"content_type\":\"application/json\"") != NULL);
    return 1;
}

static int test_get_returns_the_json_body(void) {
    static const char body[] =
        "{\"results\":[{\"id\":\"a1\",\"privateKey\":\"" SECRET_IN_BODY "\"}],\"totalCount\":1}";
    char answer[512];
    struct canned_server server;
    atlas_client *client;
    atlas_response *response = NULL;
    atlas_error *error = NULL;
    int status;
    snprintf(answer, sizeof answer,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %u\r\n"
             "Connection: close\r\n\r\n%s",
             (unsigned)strlen(body), body);
    CHECK(canned_server_start(&server, answer));
    client = client_at(server.base_url, 0);
    status = atlas_call(client, "get", "/orgs/" ORG "/apiKeys", "itemsPerPage=2", NULL, 0,
                        &response, &error);
    canned_server_stop(&server);
    atlas_client_free(client);
    scan_error(error);
    atlas_error_free(error);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(starts_with(server.request,
                      "GET /api/atlas/v1.0/orgs/" ORG "/apiKeys?itemsPerPage=2 HTTP/1.1\r\n"));
    CHECK(atlas_response_status(response) == 200);
    CHECK(atlas_response_body(response) != NULL);
    CHECK(strcmp(atlas_response_body(response), body) == 0);
    /* The body is owned by the response: the same pointer each time. */
    CHECK(atlas_response_body(response) == atlas_response_body(response));
    atlas_response_free(response);
    return 1;
}

static int test_post_sends_the_json_body(void) {
    static const char answer[] = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 11\r\nConnection: close\r\n\r\n{\"id\":\"k9\"}";
    struct canned_server server;
    atlas_client *client;
    atlas_response *response = NULL;
    int status;
    const char *body;
    CHECK(canned_server_start(&server, answer));
    client = client_at(server.base_url, 0);
    status = atlas_call(client, "POST", "/orgs/" ORG "/apiKeys", NULL,
                        " { \"desc\" : \"ci key\", \"roles\" : [\"ORG_MEMBER\"] } ", 0, &response,
                        NULL);
    canned_server_stop(&server);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(atlas_response_status(response) == 201);
    CHECK(strcmp(atlas_response_body(response), "{\"id\":\"k9\"}") == 0);
    atlas_response_free(response);
    CHECK(starts_with(server.request, "POST /api/atlas/v1.0/orgs/" ORG "/apiKeys HTTP/1.1\r\n"));
    CHECK(strstr(server.request, "application/json") != NULL);
    body = strstr(server.request, "\r\n\r\n");
    CHECK(body != NULL);
    CHECK(strcmp(body + 4, "{\"desc\":\"ci key\",\"roles\":[\"ORG_MEMBER\"]}") == 0);
    return 1;
}

static int test_a_2xx_that_is_not_json_is_a_protocol_error(void) {
    static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                 "Content-Length: 13\r\nConnection: close\r\n\r\n<html></html>";
    struct canned_server server;
    atlas_client *client;
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    int status;
    CHECK(canned_server_start(&server, answer));
    client = client_at(server.base_url, 0);
    status = atlas_call(client, "GET", "/orgs", NULL, NULL, 0, &response, &error);
    canned_server_stop(&server);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_PROTOCOL);
    CHECK(response == NULL);
    CHECK(strstr(atlas_error_message(error), "text/html") != NULL);
    atlas_error_free(error);
    return 1;
}

static int test_a_path_atlas_does_not_serve_is_an_http_error(void) {
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    int status;
    CHECK(client != NULL);
    status = atlas_call(client, "GET", "/no/such/resource", NULL, NULL, 0, &response, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_HTTP_ERROR); /* not NOT_FOUND: it says nothing of a resource */
    CHECK(response == NULL);
    CHECK(atlas_error_http_status(error) == 404);
    CHECK(strcmp(atlas_error_code(error), "RESOURCE_NOT_FOUND") == 0);
    CHECK(strstr(atlas_error_message(error), "base URL") != NULL);
    atlas_error_free(error);
    return 1;
}

static int test_bad_paths_are_refused_before_sending(void) {
    /* One path of each kind the core refuses, and words its message has. */
    static const char *const cases[][2] = {
        {"", "must start with /"},
        {"orgs/" ORG "/apiKeys", "must start with /"},
        {"https://cloud.mongodb.com/api/atlas/v1.0/orgs", "is a URL"},
        {"//evil.example.com/orgs", "is a URL"},
        {"/api/atlas/v1.0/orgs/" ORG "/apiKeys", "repeats the API's own path"},
        {"/api/public/v1.0/orgs", "repeats the API's own path"},
        {"/orgs/\x01" ORG, "control characters"},
        {"/orgs\r\nX-Evil: 1", "control characters"},
        {"/orgs#top", "fragment"},
        {"/orgs?pageNum=2", "holds a query"},
        {"/orgs/%zz", "malformed percent-escape"},
        {"/orgs//apiKeys", "empty segment"},
        {"/orgs/", "empty segment"},
        {"/orgs/../groups", "\"..\" segment"},
        {"/./orgs", "\".\" segment"},
        {"/orgs/%2e%2E/groups", "\"%2e%2E\" segment"},
    };
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    size_t i;
    CHECK(client != NULL);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = atlas_call(client, "GET", cases[i][0], NULL, NULL, 0, &response, &error);
        if (status != ATLAS_STATUS_INVALID_ARGUMENT ||
            strstr(atlas_error_message(error), "`path`") == NULL ||
            strstr(atlas_error_message(error), cases[i][1]) == NULL) {
            fprintf(stderr, "  path case %u: status %u, %s\n", (unsigned)i, (unsigned)status,
                    atlas_error_message(error));
        }
        CHECK(status == ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(strstr(atlas_error_message(error), "`path`") != NULL);
        CHECK(strstr(atlas_error_message(error), cases[i][1]) != NULL);
        CHECK(response == NULL);
        atlas_error_free(error);
        response = NOT_SET;
    }
    atlas_client_free(client);
    CHECK(mock_stat("requests") == requests);
    return 1;
}

static int test_nulls_and_invalid_utf8_are_refused_by_name(void) {
    static const char bad_utf8[] = "\xc3\x28";
    char key[25], path[64];
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    CHECK(client != NULL && new_key(key, path));
#define REFUSED(call, name)                                                          \
    do {                                                                             \
        CHECK((call) == ATLAS_STATUS_INVALID_ARGUMENT);                              \
        CHECK(strstr(atlas_error_message(error), "invalid argument `" name "`") != NULL); \
        CHECK(response == NULL);                                                     \
        atlas_error_free(error);                                                     \
        error = NULL;                                                                \
        response = NOT_SET;                                                          \
    } while (0)
    REFUSED(atlas_call(NULL, "GET", path, NULL, NULL, 0, &response, &error), "client");
    REFUSED(atlas_call(client, NULL, path, NULL, NULL, 0, &response, &error), "method");
    REFUSED(atlas_call(client, "GET", NULL, NULL, NULL, 0, &response, &error), "path");
    REFUSED(atlas_call(client, bad_utf8, path, NULL, NULL, 0, &response, &error), "method");
    REFUSED(atlas_call(client, "GET", bad_utf8, NULL, NULL, 0, &response, &error), "path");
    REFUSED(atlas_call(client, "GET", path, bad_utf8, NULL, 0, &response, &error), "query");
    REFUSED(atlas_call(client, "GET", path, NULL, bad_utf8, 0, &response, &error), "json_body");
    REFUSED(atlas_call_with_accept(client, "GET", path, NULL, NULL, bad_utf8, 0, &response,
                                   &error),
            "accept");
    REFUSED(atlas_call(client, "GET", path, "=x", NULL, 0, &response, &error), "query");
    REFUSED(atlas_call(client, "GET", path, "a=%zz", NULL, 0, &response, &error), "query");
#undef REFUSED
    CHECK(atlas_call(client, "GET", path, NULL, NULL, 0, NULL, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "invalid argument `out`") != NULL);
    atlas_error_free(error);
    /* No out_error: the status alone. */
    CHECK(atlas_call(NULL, "GET", path, NULL, NULL, 0, &response, NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(response == NULL);
    CHECK(mock_stat("requests") == requests);
    /* The accessors and free take NULL. */
    CHECK(atlas_response_status(NULL) == 0);
    CHECK(atlas_response_body(NULL) == NULL);
    atlas_response_free(NULL);
    /* Nothing above reached the server: the key is still there. */
    CHECK(atlas_call(client, "DELETE", path, NULL, NULL, 0, &response, NULL) == ATLAS_STATUS_OK);
    atlas_response_free(response);
    atlas_client_free(client);
    return 1;
}

static int test_a_body_that_is_not_json_is_refused_before_sending(void) {
    static const char *const bad[] = {"", "{nope}", "{\"a\": 1} trailing", "[1, 2", "'single'"};
    char key[25], path[64];
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    size_t i;
    CHECK(client != NULL && new_key(key, path));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(atlas_call(client, "DELETE", path, NULL, bad[i], 0, &response, &error) ==
              ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(strstr(atlas_error_message(error), "invalid argument `json_body`: is not JSON") !=
              NULL);
        CHECK(response == NULL);
        atlas_error_free(error);
        response = NOT_SET;
    }
    CHECK(mock_stat("requests") == requests);
    CHECK(atlas_call(client, "DELETE", path, NULL, "null", 0, &response, NULL) == ATLAS_STATUS_OK);
    atlas_response_free(response);
    atlas_client_free(client);
    return 1;
}

static int test_unknown_and_foreign_flags_are_refused(void) {
    char key[25], path[64];
    atlas_client *client = mock_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    long requests = mock_stat("requests");
    CHECK(client != NULL && new_key(key, path));
    CHECK(atlas_call(client, "DELETE", path, NULL, NULL, 1u << 7, &response, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(response == NULL);
    CHECK(strstr(atlas_error_message(error), "`flags`: has unknown bits 0x80") != NULL);
    CHECK(strstr(atlas_error_message(error), "ATLAS_CALL_PRETTY, ATLAS_CALL_ENVELOPE") != NULL);
    atlas_error_free(error);
    /* A delete's own flag means nothing to the generic call. */
    CHECK(atlas_call(client, "DELETE", path, NULL, NULL, ATLAS_DELETE_MISSING_OK, &response,
                     &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "ATLAS_DELETE_MISSING_OK (0x4)") != NULL);
    CHECK(strstr(atlas_error_message(error), "atlas_call does not take it") != NULL);
    atlas_error_free(error);
    /* The delete lists its own flag among those it takes. */
    CHECK(atlas_delete_org_api_key(client, ORG, key, 1u << 31, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(atlas_error_message(error), "unknown bits 0x80000000") != NULL);
    CHECK(strstr(atlas_error_message(error), "ATLAS_DELETE_MISSING_OK") != NULL);
    atlas_error_free(error);
    CHECK(mock_stat("requests") == requests);
    atlas_client_free(client);
    return 1;
}

static int test_call_flags_on_the_delete(void) {
    char key[25], path[64], seen[4096];
    atlas_client *client = mock_client();
    atlas_error *error = NULL;
    CHECK(client != NULL && new_key(key, path));
    CHECK(atlas_delete_org_api_key(client, ORG, key, ATLAS_CALL_PRETTY | ATLAS_CALL_ENVELOPE,
                                   NULL) == ATLAS_STATUS_OK);
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "?pretty=true&envelope=true\"") != NULL);
    CHECK(atlas_delete_org_api_key(client, ORG, key,
                                   ATLAS_CALL_ENVELOPE | ATLAS_DELETE_MISSING_OK, NULL) ==
          ATLAS_STATUS_OK);
    CHECK(atlas_delete_org_api_key(client, ORG, key, ATLAS_CALL_ENVELOPE, &error) ==
          ATLAS_STATUS_NOT_FOUND);
    atlas_client_free(client);
    CHECK(atlas_error_http_status(error) == 400); /* the envelope's, not HTTP 200 */
    atlas_error_free(error);
    return 1;
}

/* A client for the mock's Atlas v2 flavour, whose media type is
 * application/vnd.atlas.2023-01-01+json, the one version the mock serves. */
static atlas_client *v2_client(void) {
    char origin[128];
    atlas_client_options *options;
    if (!mock_origin(origin, sizeof origin)) return NULL;
    options = atlas_client_options_new();
    if (atlas_client_options_set_host(options, origin, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_api(options, ATLAS_API_ATLAS_V2, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, 0, NULL) != ATLAS_STATUS_OK ||
        use_mock_key_pair(options, NULL) != ATLAS_STATUS_OK) {
        atlas_client_options_free(options);
        return NULL;
    }
    return build_client(options);
}

static int test_accept_per_call(void) {
    static const char *const bad[] = {"application/vnd.atlas.2024-13-01+json",
                                      "application/vnd.atlas.latest+json", "",
                                      "application/json\r\nX-Evil: 1"};
    char key[25], path[64], seen[4096];
    atlas_client *client = v2_client();
    atlas_response *response = NOT_SET;
    atlas_error *error = NULL;
    long requests;
    size_t i;
    CHECK(client != NULL && new_key(key, path));
    /* A version the mock does not serve is sent, and refused by the server. */
    CHECK(atlas_call_with_accept(client, "DELETE", path, NULL, NULL,
                                 "application/vnd.atlas.2024-08-05+json", 0, &response,
                                 &error) == ATLAS_STATUS_HTTP_ERROR);
    CHECK(response == NULL);
    CHECK(atlas_error_http_status(error) == 406);
    CHECK(strcmp(atlas_error_code(error), "INVALID_VERSION") == 0);
    atlas_error_free(error);
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "\"accept\":\"application/vnd.atlas.2024-08-05+json\"") != NULL);
    CHECK(atlas_delete_org_api_key_with_accept(client, ORG, key,
                                               "application/vnd.atlas.2024-08-05+json", 0,
                                               &error) == ATLAS_STATUS_HTTP_ERROR);
    CHECK(atlas_error_http_status(error) == 406);
    atlas_error_free(error);
    /* Malformed media types never leave the process. */
    requests = mock_stat("requests");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(atlas_call_with_accept(client, "DELETE", path, NULL, NULL, bad[i], 0, &response,
                                     &error) == ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(strstr(atlas_error_message(error), "`accept`") != NULL);
        CHECK(response == NULL);
        atlas_error_free(error);
        response = NOT_SET;
        CHECK(atlas_delete_org_api_key_with_accept(client, ORG, key, bad[i], 0, &error) ==
              ATLAS_STATUS_INVALID_ARGUMENT);
        CHECK(strstr(atlas_error_message(error), "`accept`") != NULL);
        atlas_error_free(error);
    }
    CHECK(mock_stat("requests") == requests);
    /* The version the mock serves, named explicitly, and NULL for the client's. */
    CHECK(atlas_call_with_accept(client, "DELETE", path, NULL, NULL,
                                 "application/vnd.atlas.2023-01-01+json", 0, &response,
                                 NULL) == ATLAS_STATUS_OK);
    atlas_response_free(response);
    CHECK(new_key(key, path));
    CHECK(atlas_delete_org_api_key_with_accept(client, ORG, key, NULL, 0, NULL) ==
          ATLAS_STATUS_OK);
    atlas_client_free(client);
    return 1;
}

static int test_retries_follow_the_method(void) {
    char key[25], path[64];
    atlas_client *client = client_at(mock_base_url(), 2);
    atlas_response *response = NULL;
    atlas_error *error = NULL;
    CHECK(client != NULL && new_key(key, path));
    /* A DELETE is idempotent: retried after a 503. */
    CHECK(mock_inject_status(503, -1, 1) == 0);
    CHECK(atlas_call(client, "DELETE", path, NULL, NULL, 0, &response, &error) ==
          ATLAS_STATUS_OK);
    atlas_response_free(response);
    response = NULL;
    /* A POST that may have arrived is not repeated... */
    CHECK(mock_inject_status(503, -1, 1) == 0);
    CHECK(atlas_call(client, "POST", "/no/such/resource", NULL, "{}", 0, &response, &error) ==
          ATLAS_STATUS_SERVER_ERROR);
    CHECK(atlas_error_attempts(error) == 1);
    atlas_error_free(error);
    /* ...but one refused with 429 surely was not acted on. */
    CHECK(mock_inject_status(429, 0, 1) == 0);
    CHECK(atlas_call(client, "POST", "/no/such/resource", NULL, "{}", 0, &response, &error) ==
          ATLAS_STATUS_HTTP_ERROR);
    CHECK(response == NULL);
    CHECK(atlas_error_http_status(error) == 404); /* the retry's answer */
    CHECK(atlas_error_attempts(error) == 2);
    atlas_error_free(error);
    atlas_client_free(client);
    return 1;
}

struct worker {
    atlas_client *client;
    char paths[CALLS_PER_THREAD][64];
    int ok;
};

static void *call_deletes(void *arg) {
    struct worker *w = arg;
    int i;
    w->ok = 0;
    for (i = 0; i < CALLS_PER_THREAD; i++) {
        atlas_response *response = NULL;
        w->ok += atlas_call(w->client, "DELETE", w->paths[i], NULL, NULL, 0, &response, NULL) ==
                     ATLAS_STATUS_OK &&
                 atlas_response_status(response) == 204;
        atlas_response_free(response);
    }
    return NULL;
}

static int test_threads_share_one_client(void) {
    static struct worker workers[THREADS];
    pthread_t threads[THREADS];
    char key[25];
    atlas_client *client = mock_client();
    long deleted = mock_stat("deleted");
    int t, i, total = 0;
    CHECK(client != NULL);
    for (t = 0; t < THREADS; t++) {
        workers[t].client = client;
        for (i = 0; i < CALLS_PER_THREAD; i++) CHECK(new_key(key, workers[t].paths[i]));
    }
    for (t = 0; t < THREADS; t++) {
        CHECK(pthread_create(&threads[t], NULL, call_deletes, &workers[t]) == 0);
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        total += workers[t].ok;
    }
    atlas_client_free(client);
    CHECK(total == THREADS * CALLS_PER_THREAD);
    CHECK(mock_stat("deleted") == deleted + THREADS * CALLS_PER_THREAD);
    return 1;
}

int main(void) {
    scan_open("call", ATLAS_LOG_LEVEL_TRACE);
    RUN(test_flag_values_and_aliases);
    RUN(test_call_deletes_a_key_with_no_body);
    RUN(test_method_names_in_any_case);
    RUN(test_envelope_and_pretty_on_atlas_call);
    RUN(test_query_and_json_body_are_sent);
    RUN(test_get_returns_the_json_body);
    RUN(test_post_sends_the_json_body);
    RUN(test_a_2xx_that_is_not_json_is_a_protocol_error);
    RUN(test_a_path_atlas_does_not_serve_is_an_http_error);
    RUN(test_bad_paths_are_refused_before_sending);
    RUN(test_nulls_and_invalid_utf8_are_refused_by_name);
    RUN(test_a_body_that_is_not_json_is_refused_before_sending);
    RUN(test_unknown_and_foreign_flags_are_refused);
    RUN(test_call_flags_on_the_delete);
    RUN(test_accept_per_call);
    RUN(test_retries_follow_the_method);
    RUN(test_threads_share_one_client);
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
