/* Deletes one organization API key: ./delete_org_api_key API_KEY_ID
 * Host and credentials come from the environment (MONGODB_ATLAS_BASE_URL,
 * MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, or an
 * Atlas CLI profile), the organization from MONGODB_ATLAS_ORG_ID. */
#include <atlas_admin.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *org_id = getenv("MONGODB_ATLAS_ORG_ID");
    atlas_client_options *options;
    atlas_client *client = NULL;
    atlas_error *error = NULL;
    atlas_status status;

    if (argc != 2) {
        fprintf(stderr, "usage: %s API_KEY_ID\n", argv[0]);
        return 2;
    }
    if (org_id == NULL || org_id[0] == '\0') {
        fprintf(stderr, "MONGODB_ATLAS_ORG_ID is not set: export the organization's ID\n");
        return 2;
    }
    options = atlas_client_options_new();
    status = atlas_client_options_load_env(options, NULL, &error);
    if (status == ATLAS_STATUS_OK) {
        status = atlas_client_new(options, &client, &error);
    }
    atlas_client_options_free(options);
    if (status == ATLAS_STATUS_OK) {
        status = atlas_delete_org_api_key(client, org_id, argv[1], 0, &error);
    }
    if (status == ATLAS_STATUS_OK) {
        printf("deleted API key %s from organization %s\n", argv[1], org_id);
    } else {
        fprintf(stderr, "%s: %s\n", atlas_status_str(status), atlas_error_message(error));
    }
    atlas_error_free(error);
    atlas_client_close(client); /* revokes a service account's token */
    atlas_client_free(client);
    return status == ATLAS_STATUS_OK ? 0 : 1;
}
