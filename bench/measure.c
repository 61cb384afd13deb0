/* The clock, key IDs, arguments, environment and output of the bench's C
 * clients. */
#define _POSIX_C_SOURCE 200809L

#include "measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_key_id(unsigned long series, unsigned long index, char out[25]) {
    snprintf(out, 25, "6a1b2c%06lx%012lx", series & 0xfffffful, index & 0xfffffffffffful);
}

unsigned long bench_number_arg(int argc, char **argv, int i, unsigned long fallback) {
    char *end;
    unsigned long value;
    if (i >= argc) return fallback;
    value = strtoul(argv[i], &end, 10);
    if (argv[i][0] < '0' || argv[i][0] > '9' || *end != '\0') bench_fail("not a number", argv[i]);
    return value;
}

const char *bench_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') bench_fail("not set (run through bench/run.py)", name);
    return value;
}

void bench_print_result(unsigned long deletes, uint64_t elapsed_ns, const uint64_t *latencies_ns) {
    unsigned long i;
    printf("{\"deletes\": %lu, \"elapsed_ns\": %llu", deletes, (unsigned long long)elapsed_ns);
    if (latencies_ns != NULL) {
        printf(", \"latencies_ns\": [");
        for (i = 0; i < deletes; i++) {
            printf(i == 0 ? "%llu" : ",%llu", (unsigned long long)latencies_ns[i]);
        }
        printf("]");
    }
    printf("}\n");
    fflush(stdout);
}

void bench_fail(const char *what, const char *detail) {
    fprintf(stderr, "bench: %s: %s\n", what, detail != NULL ? detail : "(no detail)");
    exit(1);
}
