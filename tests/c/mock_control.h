/* Talking to the mock Atlas's /__mock/ controls from C tests, over a plain
 * socket, so the tests can create keys, inject faults and read counters. */
#ifndef ATLAS_TESTS_MOCK_CONTROL_H
#define ATLAS_TESTS_MOCK_CONTROL_H

#include <stddef.h>

/* The mock's base URL, from the MONGODB_ATLAS_BASE_URL environment variable. */
const char *mock_base_url(void);

/* Sends a request to the mock; returns the HTTP status, or -1 on failure.
 * The response body (NUL-terminated, truncated to fit) goes to `out`. */
int mock_request(const char *method, const char *path, const char *body, char *out,
                 size_t out_len);

/* The last API request the mock logged (GET /__mock/requests: method,
 * target, accept, content_type, auth_scheme) as JSON, cut to fit `out`;
 * returns 1 on success. */
int mock_last_request(char *out, size_t out_len);

/* One counter of GET /__mock/stats, or -1. */
long mock_stat(const char *name);

/* The mock's origin, http://127.0.0.1:PORT (its base URL up to /api/),
 * into `out`, for a client that names its host and API flavour; returns 1
 * on success. */
int mock_origin(char *out, size_t out_len);

/* Creates API key `key_id` in organization `org_id`; returns 0 on success. */
int mock_add_key(const char *org_id, const char *key_id);

/* A fresh key ID into `out`: 24 hex digits, `prefix` (12 hex digits, each
 * program's own), this process's ID and a counter, so unique in this
 * process and across processes. */
void new_key_id(const char *prefix, char out[25]);

/* A fresh key in organization `org_id`, its ID (new_key_id with `prefix`)
 * into `out`; returns 1 when the mock holds it. */
int mock_new_key(const char *org_id, const char *prefix, char out[25]);

/* Makes the next `count` API requests answer `status` (with Retry-After
 * seconds when retry_after >= 0); returns 0 on success. */
int mock_inject_status(int status, int retry_after, int count);

/* Delays the next API response by `millis`; returns 0 on success. */
int mock_inject_delay(int millis);

#endif
