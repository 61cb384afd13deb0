/* Delete one organization API key, reporting the outcome precisely.
 *
 *   cc -std=c99 -Iinclude examples/delete_org_api_key.c \
 *      -Ltarget/release -latlas_admin -o delete_org_api_key
 *   ATLAS_BASE_URL=... ATLAS_PUBLIC_KEY=... ATLAS_PRIVATE_KEY=... \
 *      ./delete_org_api_key ORG_ID API_KEY_ID
 *
 * ATLAS_BASE_URL defaults to https://cloud.mongodb.com/api/atlas/v1.0. */
#include "atlas_admin.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *base_url = getenv("ATLAS_BASE_URL");
    atlas_client_options *options;
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    atlas_status status;

    if (argc != 3) {
        fprintf(stderr, "usage: %s ORG_ID API_KEY_ID\n", argv[0]);
        return 2;
    }
    options = atlas_client_options_new();
    if (base_url != NULL) {
        atlas_client_options_set_base_url(options, base_url, NULL);
    }
    status = atlas_client_options_set_digest_credentials(options, getenv("ATLAS_PUBLIC_KEY"),
                                                         getenv("ATLAS_PRIVATE_KEY"), &error);
    if (status == ATLAS_STATUS_OK) {
        status = atlas_client_new(options, &client, &error);
    }
    atlas_client_options_free(options);
    if (status == ATLAS_STATUS_OK) {
        status = atlas_delete_org_api_key(client, argv[1], argv[2], 0, &error);
    }

    if (status == ATLAS_STATUS_OK) {
        printf("deleted API key %s from organization %s\n", argv[2], argv[1]);
    } else {
        fprintf(stderr, "failed (%s): %s\n", atlas_status_str(status),
                atlas_error_message(error));
        if (atlas_error_code(error) != NULL) {
            fprintf(stderr, "  HTTP %u, errorCode %s\n", (unsigned)atlas_error_http_status(error),
                    atlas_error_code(error));
        }
    }
    atlas_error_free(error);
    atlas_client_free(client);
    return status == ATLAS_STATUS_OK ? 0 : 1;
}
