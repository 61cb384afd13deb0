/* The bench's atlas_client: base URL, key pair and CA from the environment. */
#include "client_env.h"

#include "measure.h"

#include <stdlib.h>

atlas_client *bench_client_from_env(void) {
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    const char *ca_bundle = getenv("BENCH_CA_BUNDLE");
    atlas_status status;

    if (options == NULL) bench_fail("atlas_client_options_new", "returned NULL");
    status = atlas_client_options_set_base_url(options, bench_env("BENCH_URL"), &error);
    if (status == ATLAS_STATUS_OK) {
        status = atlas_client_options_set_digest_credentials(
            options, bench_env("BENCH_PUBLIC_KEY"), bench_env("BENCH_PRIVATE_KEY"), &error);
    }
    if (status == ATLAS_STATUS_OK && ca_bundle != NULL && ca_bundle[0] != '\0') {
        status = atlas_client_options_set_ca_bundle(options, ca_bundle, &error);
    }
    if (status == ATLAS_STATUS_OK) status = atlas_client_new(options, &client, &error);
    atlas_client_options_free(options);
    if (status != ATLAS_STATUS_OK) bench_fail("cannot make a client", atlas_error_message(error));
    return client;
}
