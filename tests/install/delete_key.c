/* A program built from an installed atlas-admin (by `make test-packaging`:
 * with pkg-config, with pkg-config --static against libatlas_admin.a, and
 * with CMake's find_package). Against the mock Atlas (scripts/with-mock),
 * it creates a key, deletes it through the library, checks that the mock
 * counted the delete and that deleting it again is API_KEY_NOT_FOUND.
 * Prints "N passed, N failed". */
#define _POSIX_C_SOURCE 200809L

#include <atlas_admin.h>

#include "check.h"
#include "mock_control.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"

static const char *env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL) {
        fprintf(stderr, "%s is not set: run this under scripts/with-mock\n", name);
        exit(2);
    }
    return value;
}

static int test_delete_through_the_installed_library(void) {
    char key[25];
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    atlas_status status;
    long deleted;

    snprintf(key, sizeof key, "6e1b2c3d4e5f%06x000001", (unsigned)getpid() & 0xffffffu);
    CHECK(mock_add_key(ORG, key) == 0);
    CHECK(options != NULL);
    CHECK(atlas_client_options_set_base_url(options, mock_base_url(), NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_client_options_set_digest_credentials(options, env("MONGODB_ATLAS_PUBLIC_API_KEY"),
                                                      env("MONGODB_ATLAS_PRIVATE_API_KEY"),
                                                      NULL) == ATLAS_STATUS_OK);
    status = atlas_client_new(options, &client, &error);
    atlas_client_options_free(options);
    if (status != ATLAS_STATUS_OK) fprintf(stderr, "  %s\n", atlas_error_message(error));
    CHECK(status == ATLAS_STATUS_OK);

    deleted = mock_stat("deleted");
    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    if (status != ATLAS_STATUS_OK) fprintf(stderr, "  %s\n", atlas_error_message(error));
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(error == NULL);
    CHECK(mock_stat("deleted") == deleted + 1);
    printf("libatlas_admin %s deleted key %s from organization %s\n", atlas_version(), key, ORG);

    status = atlas_delete_org_api_key(client, ORG, key, 0, &error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_NOT_FOUND);
    CHECK(atlas_error_code(error) != NULL &&
          strcmp(atlas_error_code(error), "API_KEY_NOT_FOUND") == 0);
    printf("deleting it again: %s (%s)\n", atlas_status_str(status), atlas_error_code(error));
    atlas_error_free(error);
    return 1;
}

int main(void) {
    RUN(test_delete_through_the_installed_library);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
