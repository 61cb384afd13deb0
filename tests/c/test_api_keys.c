/* The organization API key lifecycle through the C ABI, against the mock
 * Atlas: list, get, find, create, update, the access list, their handles,
 * and every refused argument (with nothing sent).
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic; run by `make test-c`,
 * plainly, under valgrind and under ASan/UBSan. Prints "N passed, N failed".
 *
 * A created key's private key is compared, never printed: the mock starts
 * every private key it makes with "6d6f636b-", which scripts/check-secrets
 * looks for in every log line and error message written here. */
#define _POSIX_C_SOURCE 200809L

#include "atlas_admin.h"
#include "check.h"
#include "mock_control.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
/* An organization of its own for the 1,234 keys the listing test seeds. */
#define BIG_ORG "5f1a2b3c4d5e6f7a8b9c0d77"
#define BIG_ORG_KEYS 1234
#define MOCK_PRIVATE_KEY_MARKER "6d6f636b-"
#define OTHER_VERSION "application/vnd.atlas.2024-08-05+json"
/* How this program's key IDs start (new_key_id). */
#define KEY_PREFIX "6f1b2c3d4e5f"

/* A pointer no call may leave in an out parameter it failed to fill. */
#define NOT_SET ((void *)&passed)

/* A fresh public key: 8 lowercase letters or digits. */
static void new_public_key(char out[9]) {
    static int counter;
    snprintf(out, 9, "pk%06x", (unsigned)++counter & 0xffffffu);
}

/* Seeds a fresh key in ORG with description `desc` and `roles_json` (a
 * JSON array), its ID into `id` and public key into `public_key`; 1 on
 * success. */
static int seed_key(char id[25], char public_key[9], const char *desc, const char *roles_json) {
    char body[512];
    new_key_id(KEY_PREFIX, id);
    new_public_key(public_key);
    snprintf(body, sizeof body,
             "{\"org_id\":\"" ORG "\",\"api_key\":{\"id\":\"%s\",\"public_key\":\"%s\","
             "\"desc\":\"%s\",\"roles\":%s}}",
             id, public_key, desc, roles_json);
    return mock_request("POST", "/__mock/keys", body, NULL, 0) == 201;
}

/* A fresh seeded key (ORG_MEMBER, "seeded"), its ID in `id`. */
static int new_key(char id[25]) {
    char public_key[9];
    return seed_key(id, public_key, "seeded", "[\"ORG_MEMBER\"]");
}

/* A client of the mock for the key pair given, retries off, API flavour
 * `api` (the mock serves every flavour below its origin). */
static atlas_client *client_as(uint32_t api, const char *public_key, const char *private_key) {
    char origin[128];
    atlas_client_options *options;
    if (!mock_origin(origin, sizeof origin)) return NULL;
    options = atlas_client_options_new();
    if (atlas_client_options_set_host(options, origin, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_api(options, api, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_max_retries(options, 0, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_timeout_ms(options, 10000, NULL) != ATLAS_STATUS_OK ||
        atlas_client_options_set_digest_credentials(options, public_key, private_key, NULL) !=
            ATLAS_STATUS_OK) {
        atlas_client_options_free(options);
        return NULL;
    }
    return build_client(options);
}

static atlas_client *mock_client(uint32_t api) {
    return client_as(api, env("MONGODB_ATLAS_PUBLIC_API_KEY"), env("MONGODB_ATLAS_PRIVATE_API_KEY"));
}

static int text_is(const char *text, const char *expected) {
    return text != NULL && strcmp(text, expected) == 0;
}

static int starts_with(const char *text, const char *prefix) {
    return text != NULL && strncmp(text, prefix, strlen(prefix)) == 0;
}

/* The error names argument `name` ("invalid argument `name`"). */
static int names(const atlas_error *error, const char *name) {
    char wanted[128];
    snprintf(wanted, sizeof wanted, "invalid argument `%s`", name);
    return atlas_error_message(error) != NULL &&
           strstr(atlas_error_message(error), wanted) != NULL;
}

/* `call` fails with ATLAS_STATUS_INVALID_ARGUMENT naming `name`, leaving
 * `out` (set to NOT_SET first) NULL; `error` is checked and freed. */
#define REFUSED(call, name, out)                                 \
    do {                                                         \
        (out) = NOT_SET;                                         \
        CHECK((call) == ATLAS_STATUS_INVALID_ARGUMENT);          \
        scan_error(error);                                       \
        CHECK(atlas_error_status(error) == ATLAS_STATUS_INVALID_ARGUMENT); \
        CHECK(names(error, name));                               \
        CHECK(atlas_error_attempts(error) == 0);                 \
        CHECK((out) == NULL);                                    \
        atlas_error_free(error);                                 \
        error = NULL;                                            \
    } while (0)

/* The same for atlas_delete_org_api_key_access_list_entry, which has no out. */
#define REFUSED_PLAIN(call, name)                                \
    do {                                                         \
        CHECK((call) == ATLAS_STATUS_INVALID_ARGUMENT);          \
        scan_error(error);                                       \
        CHECK(names(error, name));                               \
        atlas_error_free(error);                                 \
        error = NULL;                                            \
    } while (0)

static int test_list_pages_through_1234_keys(void) {
    char first[25] = "", last[25] = "", seen[4096];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key_list *keys = NOT_SET;
    atlas_error *error = NOT_SET;
    const atlas_api_key *key;
    long listed;
    size_t i, members = 0, private_keys = 0;
    int status;
    CHECK(client != NULL);
    for (i = 0; i < BIG_ORG_KEYS; i++) {
        new_key_id(KEY_PREFIX, last);
        if (i == 0) memcpy(first, last, sizeof first);
        CHECK(mock_add_key(BIG_ORG, last) == 0);
    }
    listed = mock_stat("listed");
    status = atlas_list_org_api_keys(client, BIG_ORG, 0, &keys, &error);
    scan_error(error);
    CHECK(status == ATLAS_STATUS_OK && error == NULL);
    CHECK(mock_stat("listed") == listed + 3);
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "/orgs/" BIG_ORG "/apiKeys?") != NULL);
    CHECK(strstr(seen, "pageNum=3") != NULL && strstr(seen, "itemsPerPage=500") != NULL);
    CHECK(atlas_api_key_list_len(keys) == BIG_ORG_KEYS);
    CHECK(text_is(atlas_api_key_id(atlas_api_key_list_get(keys, 0)), first));
    CHECK(text_is(atlas_api_key_id(atlas_api_key_list_get(keys, BIG_ORG_KEYS - 1)), last));
    CHECK(atlas_api_key_list_get(keys, BIG_ORG_KEYS) == NULL);
    for (i = 0; i < BIG_ORG_KEYS; i++) {
        key = atlas_api_key_list_get(keys, i);
        members += atlas_api_key_role_count(key) == 1 &&
                   text_is(atlas_api_key_role(key, 0), "ORG_MEMBER");
        private_keys += atlas_api_key_private_key(key) != NULL;
    }
    CHECK(members == BIG_ORG_KEYS);
    CHECK(private_keys == 0); /* listed keys are masked */
    /* The list owns its keys: the same pointer each time. */
    CHECK(atlas_api_key_list_get(keys, 7) == atlas_api_key_list_get(keys, 7));
    atlas_api_key_list_free(keys);
    atlas_client_free(client);
    return 1;
}

static int test_get_reads_every_field(void) {
    char id[25], public_key[9];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key *key = NOT_SET;
    atlas_error *error = NULL;
    long fetched = mock_stat("fetched");
    int status;
    CHECK(client != NULL);
    CHECK(seed_key(id, public_key, "billing export", "[\"ORG_BILLING_ADMIN\",\"ORG_READ_ONLY\"]"));
    status = atlas_get_org_api_key(client, ORG, id, 0, &key, &error);
    scan_error(error);
    atlas_client_free(client);
    CHECK(status == ATLAS_STATUS_OK && error == NULL && key != NULL);
    CHECK(mock_stat("fetched") == fetched + 1);
    CHECK(text_is(atlas_api_key_id(key), id));
    CHECK(text_is(atlas_api_key_public_key(key), public_key));
    CHECK(text_is(atlas_api_key_description(key), "billing export"));
    CHECK(atlas_api_key_role_count(key) == 2);
    CHECK(text_is(atlas_api_key_role(key, 0), "ORG_BILLING_ADMIN"));
    CHECK(text_is(atlas_api_key_role(key, 1), "ORG_READ_ONLY"));
    CHECK(atlas_api_key_role(key, 2) == NULL);
    CHECK(atlas_api_key_private_key(key) == NULL);
    atlas_api_key_free(key);
    return 1;
}

static int test_find_by_public_key_hit_and_miss(void) {
    char id[25], public_key[9];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key *key = NOT_SET;
    atlas_error *error = NOT_SET;
    long listed;
    CHECK(client != NULL);
    CHECK(seed_key(id, public_key, "leaked", "[\"ORG_MEMBER\"]"));
    CHECK(atlas_find_org_api_key(client, ORG, public_key, 0, &key, &error) == ATLAS_STATUS_OK);
    CHECK(error == NULL && key != NULL);
    CHECK(text_is(atlas_api_key_id(key), id));
    CHECK(text_is(atlas_api_key_public_key(key), public_key));
    CHECK(text_is(atlas_api_key_description(key), "leaked"));
    atlas_api_key_free(key);
    /* No key has it: success, and nothing to free. */
    key = NOT_SET;
    error = NOT_SET;
    listed = mock_stat("listed");
    CHECK(atlas_find_org_api_key(client, ORG, "zz99zz99", 0, &key, &error) == ATLAS_STATUS_OK);
    CHECK(key == NULL && error == NULL);
    CHECK(mock_stat("listed") == listed + 1);
    atlas_client_free(client);
    return 1;
}

static int test_create_shows_the_private_key_once_and_it_signs_in(void) {
    static const char *const roles[] = {"ORG_MEMBER", "ORG_READ_ONLY"};
    char id[25], public_key[9];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1), *as_new_key = NULL;
    atlas_api_key *created = NOT_SET, *fetched = NOT_SET, *itself = NOT_SET;
    atlas_error *error = NOT_SET;
    long count = mock_stat("created");
    int status;
    CHECK(client != NULL);
    status = atlas_create_org_api_key(client, ORG, "ci rotation", roles, 2, 0, &created, &error);
    scan_error(error);
    CHECK(status == ATLAS_STATUS_OK && error == NULL && created != NULL);
    CHECK(mock_stat("created") == count + 1);
    CHECK(strlen(atlas_api_key_id(created)) == 24);
    CHECK(strlen(atlas_api_key_public_key(created)) == 8);
    CHECK(text_is(atlas_api_key_description(created), "ci rotation"));
    CHECK(atlas_api_key_role_count(created) == 2);
    CHECK(text_is(atlas_api_key_role(created, 1), "ORG_READ_ONLY"));
    CHECK(starts_with(atlas_api_key_private_key(created), MOCK_PRIVATE_KEY_MARKER));
    snprintf(id, sizeof id, "%s", atlas_api_key_id(created));
    snprintf(public_key, sizeof public_key, "%s", atlas_api_key_public_key(created));
    /* The pair works: the new key reads itself. */
    as_new_key = client_as(ATLAS_API_ATLAS_V1, public_key, atlas_api_key_private_key(created));
    atlas_api_key_free(created);
    CHECK(as_new_key != NULL);
    status = atlas_get_org_api_key(as_new_key, ORG, id, 0, &itself, &error);
    scan_error(error);
    atlas_client_free(as_new_key);
    CHECK(status == ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_public_key(itself), public_key));
    atlas_api_key_free(itself);
    /* Read again, the key has no private key. */
    CHECK(atlas_get_org_api_key(client, ORG, id, 0, &fetched, NULL) == ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_id(fetched), id));
    CHECK(atlas_api_key_private_key(fetched) == NULL);
    atlas_api_key_free(fetched);
    CHECK(atlas_delete_org_api_key(client, ORG, id, 0, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    return 1;
}

static int test_update_description_roles_or_both(void) {
    static const char *const owner[] = {"ORG_OWNER"};
    static const char *const two[] = {"ORG_GROUP_CREATOR", "ORG_BILLING_READ_ONLY"};
    char id[25];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key *key = NOT_SET;
    atlas_error *error = NULL;
    long updated = mock_stat("updated");
    CHECK(client != NULL && new_key(id));
    /* The description alone: the roles stay. */
    CHECK(atlas_update_org_api_key(client, ORG, id, "renamed", NULL, 0, 0, &key, &error) ==
          ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_description(key), "renamed"));
    CHECK(atlas_api_key_role_count(key) == 1 && text_is(atlas_api_key_role(key, 0), "ORG_MEMBER"));
    CHECK(atlas_api_key_private_key(key) == NULL);
    atlas_api_key_free(key);
    /* The roles alone: the description stays. */
    CHECK(atlas_update_org_api_key(client, ORG, id, NULL, owner, 1, 0, &key, &error) ==
          ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_description(key), "renamed"));
    CHECK(atlas_api_key_role_count(key) == 1 && text_is(atlas_api_key_role(key, 0), "ORG_OWNER"));
    atlas_api_key_free(key);
    /* Both. */
    CHECK(atlas_update_org_api_key(client, ORG, id, "both", two, 2, 0, &key, &error) ==
          ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_description(key), "both"));
    CHECK(atlas_api_key_role_count(key) == 2);
    CHECK(text_is(atlas_api_key_role(key, 1), "ORG_BILLING_READ_ONLY"));
    atlas_api_key_free(key);
    CHECK(mock_stat("updated") == updated + 3);
    /* As the mock now holds it. */
    CHECK(atlas_get_org_api_key(client, ORG, id, 0, &key, &error) == ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_description(key), "both"));
    CHECK(text_is(atlas_api_key_role(key, 0), "ORG_GROUP_CREATOR"));
    atlas_api_key_free(key);
    atlas_client_free(client);
    return 1;
}

static int test_access_list_add_list_and_delete(void) {
    static const char *const entries[] = {"192.0.2.1", "10.0.0.0/24", "2001:db8::/32"};
    static const char *const cidr[] = {"10.0.0.0/24"};
    char id[25], seen[4096];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_access_list *list = NOT_SET;
    atlas_error *error = NULL;
    long added = mock_stat("access_added"), removed = mock_stat("access_removed");
    CHECK(client != NULL && new_key(id));
    CHECK(atlas_add_org_api_key_access_list(client, ORG, id, entries, 3, 0, &list, &error) ==
          ATLAS_STATUS_OK);
    CHECK(mock_stat("access_added") == added + 3);
    CHECK(atlas_access_list_len(list) == 3);
    CHECK(text_is(atlas_access_list_ip_address(list, 0), "192.0.2.1"));
    CHECK(text_is(atlas_access_list_cidr_block(list, 0), "192.0.2.1/32"));
    CHECK(atlas_access_list_ip_address(list, 1) == NULL);
    CHECK(text_is(atlas_access_list_cidr_block(list, 1), "10.0.0.0/24"));
    CHECK(text_is(atlas_access_list_cidr_block(list, 2), "2001:db8::/32"));
    CHECK(atlas_access_list_cidr_block(list, 3) == NULL);
    CHECK(atlas_access_list_ip_address(list, 3) == NULL);
    atlas_access_list_free(list);
    /* Adding an entry it has is Atlas' error, not ours. */
    CHECK(atlas_add_org_api_key_access_list(client, ORG, id, cidr, 1, 0, &list, &error) ==
          ATLAS_STATUS_HTTP_ERROR);
    scan_error(error);
    CHECK(list == NULL);
    CHECK(text_is(atlas_error_code(error), "ADDRESS_ALREADY_IN_ACCESS_LIST"));
    atlas_error_free(error);
    error = NULL;
    /* A CIDR block's "/" goes as %2F. */
    CHECK(atlas_delete_org_api_key_access_list_entry(client, ORG, id, "10.0.0.0/24", 0, &error) ==
          ATLAS_STATUS_OK);
    CHECK(error == NULL);
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "\"method\":\"DELETE\"") != NULL);
    CHECK(strstr(seen, "/apiKeys/") != NULL && strstr(seen, "/accessList/10.0.0.0%2F24\"") != NULL);
    CHECK(atlas_delete_org_api_key_access_list_entry(client, ORG, id, "192.0.2.1", 0, NULL) ==
          ATLAS_STATUS_OK);
    CHECK(mock_stat("access_removed") == removed + 2);
    list = NOT_SET;
    CHECK(atlas_list_org_api_key_access_list(client, ORG, id, 0, &list, &error) ==
          ATLAS_STATUS_OK);
    CHECK(atlas_access_list_len(list) == 1);
    CHECK(text_is(atlas_access_list_cidr_block(list, 0), "2001:db8::/32"));
    atlas_access_list_free(list);
    /* An entry that is not there. */
    CHECK(atlas_delete_org_api_key_access_list_entry(client, ORG, id, "10.0.0.0/24", 0, &error) ==
          ATLAS_STATUS_NOT_FOUND);
    scan_error(error);
    CHECK(text_is(atlas_error_code(error), "API_KEY_ACCESS_LIST_ENTRY_NOT_FOUND"));
    atlas_error_free(error);
    atlas_client_free(client);
    return 1;
}

/* Every call on a key that does not exist is ATLAS_STATUS_NOT_FOUND, in
 * each flavour (v1.0 answers HTTP 400 API_KEY_NOT_FOUND, v2 404). */
static int missing_key_is_not_found(uint32_t api, uint16_t http_status) {
    static const char *const roles[] = {"ORG_MEMBER"};
    static const char *const entries[] = {"192.0.2.7"};
    char id[25];
    atlas_client *client = mock_client(api);
    atlas_api_key *key = NOT_SET;
    atlas_access_list *list = NOT_SET;
    atlas_error *error = NULL;
    int i;
    CHECK(client != NULL);
    new_key_id(KEY_PREFIX, id);
    for (i = 0; i < 5; i++) {
        atlas_status status = ATLAS_STATUS_OK;
        key = NOT_SET;
        list = NOT_SET;
        switch (i) {
        case 0: status = atlas_get_org_api_key(client, ORG, id, 0, &key, &error); break;
        case 1:
            status = atlas_update_org_api_key(client, ORG, id, "x", roles, 1, 0, &key, &error);
            break;
        case 2:
            status = atlas_list_org_api_key_access_list(client, ORG, id, 0, &list, &error);
            break;
        case 3:
            status = atlas_add_org_api_key_access_list(client, ORG, id, entries, 1, 0, &list,
                                                       &error);
            break;
        default:
            status = atlas_delete_org_api_key_access_list_entry(client, ORG, id, "192.0.2.7", 0,
                                                                &error);
            list = NULL;
            key = NULL;
        }
        scan_error(error);
        CHECK(status == ATLAS_STATUS_NOT_FOUND);
        CHECK(key == NULL || key == NOT_SET);
        CHECK(list == NULL || list == NOT_SET);
        CHECK(atlas_error_http_status(error) == http_status);
        CHECK(text_is(atlas_error_code(error), "API_KEY_NOT_FOUND"));
        atlas_error_free(error);
        error = NULL;
    }
    atlas_client_free(client);
    return 1;
}

static int test_missing_key_is_not_found_in_v1(void) {
    return missing_key_is_not_found(ATLAS_API_ATLAS_V1, 400);
}

static int test_missing_key_is_not_found_in_v2(void) {
    return missing_key_is_not_found(ATLAS_API_ATLAS_V2, 404);
}

static int test_the_lifecycle_in_v2(void) {
    static const char *const roles[] = {"ORG_READ_ONLY"};
    static const char *const entries[] = {"198.51.100.0/24"};
    char id[25], public_key[9], seen[4096];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V2);
    atlas_api_key *key = NOT_SET, *found = NOT_SET;
    atlas_api_key_list *keys = NOT_SET;
    atlas_access_list *list = NOT_SET;
    atlas_error *error = NULL;
    int status;
    CHECK(client != NULL);
    /* Created answers 201 on v2. */
    status = atlas_create_org_api_key(client, ORG, "v2 key", roles, 1, 0, &key, &error);
    scan_error(error);
    CHECK(status == ATLAS_STATUS_OK && key != NULL);
    CHECK(starts_with(atlas_api_key_private_key(key), MOCK_PRIVATE_KEY_MARKER));
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "/api/atlas/v2/orgs/" ORG "/apiKeys\"") != NULL);
    CHECK(strstr(seen, "\"accept\":\"application/vnd.atlas.2023-01-01+json\"") != NULL);
    snprintf(id, sizeof id, "%s", atlas_api_key_id(key));
    snprintf(public_key, sizeof public_key, "%s", atlas_api_key_public_key(key));
    atlas_api_key_free(key);
    CHECK(atlas_find_org_api_key(client, ORG, public_key, 0, &found, NULL) == ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_id(found), id));
    CHECK(atlas_api_key_private_key(found) == NULL);
    atlas_api_key_free(found);
    CHECK(atlas_list_org_api_keys(client, ORG, 0, &keys, NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_api_key_list_len(keys) >= 1);
    atlas_api_key_list_free(keys);
    CHECK(atlas_add_org_api_key_access_list(client, ORG, id, entries, 1, 0, &list, NULL) ==
          ATLAS_STATUS_OK);
    CHECK(atlas_access_list_len(list) == 1);
    CHECK(text_is(atlas_access_list_cidr_block(list, 0), "198.51.100.0/24"));
    atlas_access_list_free(list);
    CHECK(atlas_delete_org_api_key_access_list_entry(client, ORG, id, "198.51.100.0/24", 0,
                                                     NULL) == ATLAS_STATUS_OK);
    CHECK(atlas_delete_org_api_key(client, ORG, id, 0, NULL) == ATLAS_STATUS_OK);
    atlas_client_free(client);
    return 1;
}

static int test_flags_and_accept_reach_the_wire(void) {
    char id[25], seen[4096];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V2);
    atlas_api_key *key = NOT_SET;
    atlas_access_list *list = NOT_SET;
    atlas_error *error = NULL;
    CHECK(client != NULL && new_key(id));
    CHECK(atlas_get_org_api_key(client, ORG, id, ATLAS_CALL_PRETTY | ATLAS_CALL_ENVELOPE, &key,
                                &error) == ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_id(key), id));
    atlas_api_key_free(key);
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "pretty=true") != NULL && strstr(seen, "envelope=true") != NULL);
    /* In an envelope, Atlas' error still decides. */
    CHECK(atlas_list_org_api_key_access_list(client, ORG, "6f1b2c3d4e5f000000000000",
                                             ATLAS_CALL_ENVELOPE, &list, &error) ==
          ATLAS_STATUS_NOT_FOUND);
    scan_error(error);
    CHECK(list == NULL);
    atlas_error_free(error);
    error = NULL;
    /* Each call's *_with_accept sends its media type. */
    CHECK(atlas_get_org_api_key_with_accept(client, ORG, id, OTHER_VERSION, 0, &key, &error) ==
          ATLAS_STATUS_HTTP_ERROR);
    scan_error(error);
    CHECK(key == NULL && atlas_error_http_status(error) == 406);
    CHECK(text_is(atlas_error_code(error), "INVALID_VERSION"));
    atlas_error_free(error);
    CHECK(mock_last_request(seen, sizeof seen));
    CHECK(strstr(seen, "\"accept\":\"" OTHER_VERSION "\"") != NULL);
    CHECK(atlas_list_org_api_key_access_list_with_accept(
              client, ORG, id, "application/vnd.atlas.2023-01-01+json", 0, &list, NULL) ==
          ATLAS_STATUS_OK);
    atlas_access_list_free(list);
    CHECK(atlas_delete_org_api_key_access_list_entry_with_accept(client, ORG, id, "192.0.2.9",
                                                                 OTHER_VERSION, 0, NULL) ==
          ATLAS_STATUS_HTTP_ERROR);
    atlas_client_free(client);
    return 1;
}

static int test_bad_ids_public_keys_and_flags_are_refused_before_sending(void) {
    static const char *const bad_ids[] = {"5F1A2B3C4D5E6F7A8B9C0D1E", "5f1a2b3c", "",
                                          "5f1a2b3c4d5e6f7a8b9c0d1e0", "5f1a2b3c4d5e6f7a8b9c0d1g"};
    static const char *const bad_public_keys[] = {"ABCDEFGH", "abcdefg", "abcd efg",
                                                  "5f1a2b3c4d5e6f7a8b9c0d1e"};
    static const char *const roles[] = {"ORG_MEMBER"};
    static const char *const entries[] = {"192.0.2.1"};
    char id[25];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key *key;
    atlas_api_key_list *keys;
    atlas_access_list *list;
    atlas_error *error = NULL;
    long requests;
    size_t i;
    CHECK(client != NULL && new_key(id));
    requests = mock_stat("requests");
    for (i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        const char *bad = bad_ids[i];
        REFUSED(atlas_list_org_api_keys(client, bad, 0, &keys, &error), "org_id", keys);
        REFUSED(atlas_get_org_api_key(client, bad, id, 0, &key, &error), "org_id", key);
        REFUSED(atlas_get_org_api_key(client, ORG, bad, 0, &key, &error), "api_key_id", key);
        REFUSED(atlas_find_org_api_key(client, bad, "abcdefgh", 0, &key, &error), "org_id", key);
        REFUSED(atlas_create_org_api_key(client, bad, "d", roles, 1, 0, &key, &error), "org_id",
                key);
        REFUSED(atlas_update_org_api_key(client, ORG, bad, "d", NULL, 0, 0, &key, &error),
                "api_key_id", key);
        REFUSED(atlas_list_org_api_key_access_list(client, ORG, bad, 0, &list, &error),
                "api_key_id", list);
        REFUSED(atlas_add_org_api_key_access_list(client, bad, id, entries, 1, 0, &list, &error),
                "org_id", list);
        REFUSED_PLAIN(atlas_delete_org_api_key_access_list_entry(client, ORG, bad, "192.0.2.1", 0,
                                                                 &error),
                      "api_key_id");
    }
    for (i = 0; i < sizeof bad_public_keys / sizeof bad_public_keys[0]; i++) {
        REFUSED(atlas_find_org_api_key(client, ORG, bad_public_keys[i], 0, &key, &error),
                "public_key", key);
    }
    /* Unknown bits, and a delete's own flag, are refused by every key call. */
    REFUSED(atlas_list_org_api_keys(client, ORG, 1u << 9, &keys, &error), "flags", keys);
    REFUSED(atlas_get_org_api_key(client, ORG, id, ATLAS_DELETE_MISSING_OK, &key, &error),
            "flags", key);
    CHECK(atlas_delete_org_api_key_access_list_entry(client, ORG, id, "192.0.2.1",
                                                     ATLAS_DELETE_MISSING_OK, &error) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    scan_error(error);
    CHECK(strstr(atlas_error_message(error), "ATLAS_DELETE_MISSING_OK (0x4) is a flag of "
                                             "atlas_delete_org_api_key only; "
                                             "atlas_delete_org_api_key_access_list_entry does "
                                             "not take it") != NULL);
    atlas_error_free(error);
    error = NULL;
    REFUSED(atlas_create_org_api_key_with_accept(client, ORG, "d", roles, 1,
                                                 "application/vnd.atlas.latest+json", 0, &key,
                                                 &error),
            "accept", key);
    CHECK(mock_stat("requests") == requests);
    atlas_client_free(client);
    return 1;
}

static int test_bad_descriptions_roles_and_entries_are_refused_before_sending(void) {
    static const char *const member[] = {"ORG_MEMBER"};
    static const char *const project_role[] = {"ORG_MEMBER", "GROUP_OWNER"};
    static const char *const lower_case[] = {"org_member"};
    static const char *const bad_entries[] = {"300.1.1.1", "10.0.0.0/33", "10.0.0.0/",
                                              "example.com", "192.0.2.1 ", "2001:db8::/129", ""};
    char id[25], too_long[252];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key *key;
    atlas_access_list *list;
    atlas_error *error = NULL;
    long requests;
    size_t i;
    CHECK(client != NULL && new_key(id));
    memset(too_long, 'x', 251);
    too_long[251] = '\0';
    requests = mock_stat("requests");
    REFUSED(atlas_create_org_api_key(client, ORG, "", member, 1, 0, &key, &error), "description",
            key);
    REFUSED(atlas_create_org_api_key(client, ORG, "   ", member, 1, 0, &key, &error),
            "description", key);
    REFUSED(atlas_create_org_api_key(client, ORG, too_long, member, 1, 0, &key, &error),
            "description", key);
    REFUSED(atlas_create_org_api_key(client, ORG, "a\nb", member, 1, 0, &key, &error),
            "description", key);
    REFUSED(atlas_update_org_api_key(client, ORG, id, too_long, NULL, 0, 0, &key, &error),
            "description", key);
    REFUSED(atlas_create_org_api_key(client, ORG, "d", project_role, 2, 0, &key, &error), "roles",
            key);
    REFUSED(atlas_create_org_api_key(client, ORG, "d", lower_case, 1, 0, &key, &error), "roles",
            key);
    REFUSED(atlas_update_org_api_key(client, ORG, id, NULL, project_role, 2, 0, &key, &error),
            "roles", key);
    /* Empty role lists: NULL with 0 on create, a given array with 0 on both. */
    REFUSED(atlas_create_org_api_key(client, ORG, "d", NULL, 0, 0, &key, &error), "roles", key);
    REFUSED(atlas_create_org_api_key(client, ORG, "d", member, 0, 0, &key, &error), "roles", key);
    REFUSED(atlas_update_org_api_key(client, ORG, id, "d", member, 0, 0, &key, &error), "roles",
            key);
    /* Nothing to update. */
    REFUSED(atlas_update_org_api_key(client, ORG, id, NULL, NULL, 0, 0, &key, &error),
            "description", key);
    for (i = 0; i < sizeof bad_entries / sizeof bad_entries[0]; i++) {
        REFUSED(atlas_add_org_api_key_access_list(client, ORG, id, &bad_entries[i], 1, 0, &list,
                                                  &error),
                "entries", list);
        REFUSED_PLAIN(atlas_delete_org_api_key_access_list_entry(client, ORG, id, bad_entries[i],
                                                                 0, &error),
                      "entry");
    }
    /* One bad entry among good ones: none is sent. */
    REFUSED(atlas_add_org_api_key_access_list(client, ORG, id, bad_entries, 7, 0, &list, &error),
            "entries", list);
    REFUSED(atlas_add_org_api_key_access_list(client, ORG, id, NULL, 0, 0, &list, &error),
            "entries", list);
    CHECK(mock_stat("requests") == requests);
    atlas_client_free(client);
    return 1;
}

static int test_nulls_invalid_utf8_and_null_elements_are_refused_by_name(void) {
    static const char bad_utf8[] = "\xc3\x28";
    static const char *const roles[] = {"ORG_MEMBER"};
    static const char *const holed[] = {"ORG_MEMBER", NULL};
    static const char *const invalid[] = {"ORG_MEMBER", bad_utf8};
    static const char *const entries[] = {"192.0.2.1"};
    static const char *const bad_entries[] = {bad_utf8};
    static const char *const null_entry[] = {NULL};
    char id[25];
    atlas_client *client = mock_client(ATLAS_API_ATLAS_V1);
    atlas_api_key *key;
    atlas_api_key_list *keys;
    atlas_access_list *list;
    atlas_error *error = NULL;
    long requests;
    CHECK(client != NULL && new_key(id));
    requests = mock_stat("requests");
    REFUSED(atlas_list_org_api_keys(NULL, ORG, 0, &keys, &error), "client", keys);
    REFUSED(atlas_list_org_api_keys(client, NULL, 0, &keys, &error), "org_id", keys);
    REFUSED(atlas_list_org_api_keys(client, bad_utf8, 0, &keys, &error), "org_id", keys);
    REFUSED(atlas_get_org_api_key(NULL, ORG, id, 0, &key, &error), "client", key);
    REFUSED(atlas_get_org_api_key(client, ORG, NULL, 0, &key, &error), "api_key_id", key);
    REFUSED(atlas_get_org_api_key(client, ORG, bad_utf8, 0, &key, &error), "api_key_id", key);
    REFUSED(atlas_find_org_api_key(client, ORG, NULL, 0, &key, &error), "public_key", key);
    REFUSED(atlas_find_org_api_key(client, ORG, bad_utf8, 0, &key, &error), "public_key", key);
    REFUSED(atlas_create_org_api_key(client, ORG, NULL, roles, 1, 0, &key, &error), "description",
            key);
    REFUSED(atlas_create_org_api_key(client, ORG, bad_utf8, roles, 1, 0, &key, &error),
            "description", key);
    REFUSED(atlas_create_org_api_key(client, ORG, "d", NULL, 1, 0, &key, &error), "roles", key);
    REFUSED(atlas_create_org_api_key(client, ORG, "d", holed, 2, 0, &key, &error), "roles[1]",
            key);
    REFUSED(atlas_create_org_api_key(client, ORG, "d", invalid, 2, 0, &key, &error), "roles[1]",
            key);
    REFUSED(atlas_update_org_api_key(client, ORG, id, bad_utf8, NULL, 0, 0, &key, &error),
            "description", key);
    REFUSED(atlas_update_org_api_key(client, ORG, id, "d", NULL, 3, 0, &key, &error), "roles", key);
    REFUSED(atlas_update_org_api_key(client, ORG, id, NULL, holed, 2, 0, &key, &error), "roles[1]",
            key);
    REFUSED(atlas_list_org_api_key_access_list(client, ORG, NULL, 0, &list, &error), "api_key_id",
            list);
    REFUSED(atlas_add_org_api_key_access_list(client, ORG, id, NULL, 2, 0, &list, &error),
            "entries", list);
    REFUSED(atlas_add_org_api_key_access_list(client, ORG, id, null_entry, 1, 0, &list, &error),
            "entries[0]", list);
    REFUSED(atlas_add_org_api_key_access_list(client, ORG, id, bad_entries, 1, 0, &list, &error),
            "entries[0]", list);
    REFUSED_PLAIN(atlas_delete_org_api_key_access_list_entry(client, ORG, id, NULL, 0, &error),
                  "entry");
    REFUSED_PLAIN(atlas_delete_org_api_key_access_list_entry(client, ORG, id, bad_utf8, 0, &error),
                  "entry");
    REFUSED_PLAIN(atlas_delete_org_api_key_access_list_entry(NULL, ORG, id, "192.0.2.1", 0, &error),
                  "client");
    /* A NULL out is refused by name too, and a NULL out_error leaves the status. */
    CHECK(atlas_get_org_api_key(client, ORG, id, 0, NULL, &error) == ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(names(error, "out"));
    atlas_error_free(error);
    error = NULL;
    CHECK(atlas_list_org_api_key_access_list(client, ORG, id, 0, NULL, NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(atlas_add_org_api_key_access_list(client, ORG, id, entries, 1, 0, NULL, NULL) ==
          ATLAS_STATUS_INVALID_ARGUMENT);
    CHECK(mock_stat("requests") == requests);
    /* Nothing reached the server: the key is as seeded. */
    CHECK(atlas_get_org_api_key(client, ORG, id, 0, &key, NULL) == ATLAS_STATUS_OK);
    CHECK(text_is(atlas_api_key_description(key), "seeded"));
    atlas_api_key_free(key);
    atlas_client_free(client);
    return 1;
}

static int test_accessors_and_frees_take_null(void) {
    CHECK(atlas_api_key_id(NULL) == NULL);
    CHECK(atlas_api_key_public_key(NULL) == NULL);
    CHECK(atlas_api_key_description(NULL) == NULL);
    CHECK(atlas_api_key_role_count(NULL) == 0);
    CHECK(atlas_api_key_role(NULL, 0) == NULL);
    CHECK(atlas_api_key_private_key(NULL) == NULL);
    CHECK(atlas_api_key_list_len(NULL) == 0);
    CHECK(atlas_api_key_list_get(NULL, 0) == NULL);
    CHECK(atlas_access_list_len(NULL) == 0);
    CHECK(atlas_access_list_cidr_block(NULL, 0) == NULL);
    CHECK(atlas_access_list_ip_address(NULL, 0) == NULL);
    atlas_api_key_free(NULL);
    atlas_api_key_list_free(NULL);
    atlas_access_list_free(NULL);
    return 1;
}

int main(void) {
    scan_open("api-keys", ATLAS_LOG_LEVEL_TRACE);
    RUN(test_list_pages_through_1234_keys);
    RUN(test_get_reads_every_field);
    RUN(test_find_by_public_key_hit_and_miss);
    RUN(test_create_shows_the_private_key_once_and_it_signs_in);
    RUN(test_update_description_roles_or_both);
    RUN(test_access_list_add_list_and_delete);
    RUN(test_missing_key_is_not_found_in_v1);
    RUN(test_missing_key_is_not_found_in_v2);
    RUN(test_the_lifecycle_in_v2);
    RUN(test_flags_and_accept_reach_the_wire);
    RUN(test_bad_ids_public_keys_and_flags_are_refused_before_sending);
    RUN(test_bad_descriptions_roles_and_entries_are_refused_before_sending);
    RUN(test_nulls_invalid_utf8_and_null_elements_are_refused_by_name);
    RUN(test_accessors_and_frees_take_null);
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
