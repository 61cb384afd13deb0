#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

const char *env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "%s is not set: run these tests through `make test-c`\n", name);
        exit(2);
    }
    return value;
}

/* The scan's file, NULL when ATLAS_SECRET_SCAN_DIR is unset. Threads write
 * to it without a lock of ours: stdio locks the stream for each fprintf, so
 * their lines do not interleave. */
static FILE *scan_file;
/* Whether scan_open installed scan_log, for scan_close to remove it. */
static int scan_logs;

void scan_open(const char *suite, atlas_log_level log_level) {
    const char *dir = getenv("ATLAS_SECRET_SCAN_DIR");
    char path[1024];
    if (dir == NULL) return;
    snprintf(path, sizeof path, "%s/c-%s-%ld.log", dir, suite, (long)getpid());
    scan_file = fopen(path, "w");
    if (scan_file == NULL) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    if (log_level != 0) {
        atlas_set_log_callback(scan_log, NULL, log_level, NULL);
        scan_logs = 1;
    }
}

void scan_log(void *user_data, atlas_log_level level, const char *message) {
    (void)user_data;
    if (scan_file != NULL) fprintf(scan_file, "log %u %s\n", (unsigned)level, message);
}

const char *scan_error(const atlas_error *error) {
    const char *message = atlas_error_message(error);
    if (message == NULL) return "(no error)";
    if (scan_file != NULL) fprintf(scan_file, "error %s\n", message);
    return message;
}

void scan_flush(void) {
    if (scan_file != NULL) fflush(scan_file);
}

void scan_close(void) {
    if (scan_logs) atlas_set_log_callback(NULL, NULL, ATLAS_LOG_LEVEL_TRACE, NULL);
    scan_logs = 0;
    if (scan_file != NULL) fclose(scan_file);
    scan_file = NULL;
}

double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sleep_seconds(double seconds) {
    struct timespec ts;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0) {
    }
}

atlas_status use_mock_key_pair(atlas_client_options *options, atlas_error **error) {
    return atlas_client_options_set_digest_credentials(
        options, env("MONGODB_ATLAS_PUBLIC_API_KEY"), env("MONGODB_ATLAS_PRIVATE_API_KEY"), error);
}

atlas_client *build_client(atlas_client_options *options) {
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    if (atlas_client_new(options, &client, &error) != ATLAS_STATUS_OK) {
        fprintf(stderr, "  client: %s\n", scan_error(error));
    }
    atlas_error_free(error);
    atlas_client_options_free(options);
    return client;
}
