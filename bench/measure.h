/* What the bench's C clients share: the clock, the API key IDs they
 * delete, their command line and environment, and the one JSON line each
 * prints for bench/run.py. */
#ifndef ATLAS_BENCH_MEASURE_H
#define ATLAS_BENCH_MEASURE_H

#include <stdint.h>

/* The organization every client deletes from (any 24 hex digits will do:
 * Apache answers 204 to any well-formed path once authenticated). */
#define BENCH_ORG "5f1a2b3c4d5e6f7a8b9c0d1e"

/* Monotonic nanoseconds. */
uint64_t bench_now_ns(void);

/* The ID of key `index` of `series` ("6a1b2c" + 6 + 12 hex digits), as
 * bench/clients.py formats it too. Index 0 is the warm-up delete. */
void bench_key_id(unsigned long series, unsigned long index, char out[25]);

/* argv[i] as a number, or `fallback` when absent; exits on junk. */
unsigned long bench_number_arg(int argc, char **argv, int i, unsigned long fallback);

/* The value of a variable bench/run.py sets; exits when it is missing. */
const char *bench_env(const char *name);

/* Prints {"deletes": N, "elapsed_ns": T, "latencies_ns": [...]} on one
 * line; latencies_ns may be NULL (then the list is left out). */
void bench_print_result(unsigned long deletes, uint64_t elapsed_ns, const uint64_t *latencies_ns);

/* Prints the message to stderr and exits 1. */
void bench_fail(const char *what, const char *detail);

#endif
