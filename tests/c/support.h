/* What the C test programs share, written once: their environment, the
 * secret scan's capture file, the clock and building a client. Linked
 * into every test program (the Makefile's C_TEST_SUPPORT, and
 * test_apache's own rule); what is about the mock is in mock_control.h. */
#ifndef ATLAS_TESTS_SUPPORT_H
#define ATLAS_TESTS_SUPPORT_H

#include "atlas_admin.h"

/* The value of environment variable `name`, which `make test-c` (through
 * scripts/with-mock or scripts/apache-digest) sets; when it is unset or
 * empty, says so and exits with status 2: the tests cannot run. */
const char *env(const char *name);

/* The secret scan: scripts/check-secrets searches every file of
 * $ATLAS_SECRET_SCAN_DIR for private keys, so each program writes there
 * the log lines and error messages it sees, one file a process,
 * c-SUITE-PID.log. Without that variable nothing is written.
 *
 * scan_open opens the file for suite `suite` (exiting with status 2 when it
 * cannot) and, unless `log_level` is 0, sends the library's log messages up
 * to `log_level` there through scan_log. */
void scan_open(const char *suite, atlas_log_level log_level);

/* The log callback scan_open installs, for a test that installs a callback
 * of its own to forward each line to, or to put back afterwards. */
void scan_log(void *user_data, atlas_log_level level, const char *message);

/* Records `error`'s message (nothing for NULL) and returns it, or
 * "(no error)" for NULL, for a failing check to print. */
const char *scan_error(const atlas_error *error);

/* Writes out what is buffered, so that a child process after fork() does
 * not write the parent's lines a second time. */
void scan_flush(void);

/* Removes scan_open's log callback and closes the file; for main's end. */
void scan_close(void);

/* Seconds on the monotonic clock, for measuring how long something took. */
double now_seconds(void);

/* Sleeps `seconds` of real time (resumed after signals). */
void sleep_seconds(double seconds);

/* Sets the mock Atlas's API key pair, MONGODB_ATLAS_PUBLIC_API_KEY and
 * MONGODB_ATLAS_PRIVATE_API_KEY (scripts/with-mock sets them), as the
 * Digest credentials of `options`; atlas_client_options_set_digest_credentials's
 * status. */
atlas_status use_mock_key_pair(atlas_client_options *options, atlas_error **error);

/* Builds a client from `options`, which it frees (NULL is refused like
 * atlas_client_new does); NULL on failure, with the error's message printed
 * and recorded for the scan. */
atlas_client *build_client(atlas_client_options *options);

#endif
