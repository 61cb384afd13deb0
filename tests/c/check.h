/* The C test programs' checks: CHECK fails the current test function
 * (which returns int: 1 passed, 0 failed), RUN runs one and counts it, and
 * the program ends with the line "N passed, N failed". */
#ifndef ATLAS_TESTS_CHECK_H
#define ATLAS_TESTS_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            return 0;                                                                \
        }                                                                            \
    } while (0)

#define RUN(test)                          \
    do {                                   \
        if (test()) {                      \
            passed++;                      \
            printf("ok   %s\n", #test);    \
        } else {                           \
            failed++;                      \
            printf("FAIL %s\n", #test);    \
        }                                  \
        fflush(stdout);                    \
    } while (0)

#endif
