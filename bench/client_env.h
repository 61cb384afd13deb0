/* An atlas_client configured from the bench's environment. */
#ifndef ATLAS_BENCH_CLIENT_ENV_H
#define ATLAS_BENCH_CLIENT_ENV_H

#include "atlas_admin.h"

/* A client for BENCH_URL with the Digest pair BENCH_PUBLIC_KEY and
 * BENCH_PRIVATE_KEY, trusting BENCH_CA_BUNDLE when it is set; every other
 * option keeps the library's default, as a new user's client would.
 * Exits when the client cannot be made. */
atlas_client *bench_client_from_env(void);

#endif
