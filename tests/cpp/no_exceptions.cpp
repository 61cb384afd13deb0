// The wrapper's noexcept API in a program built with -fno-exceptions, where
// the throwing functions are left out: options keep their first failure,
// Client::try_create, Client::try_delete_org_api_key, Client::try_call and
// the key calls' try_ forms return errors.
// Run by ctest under scripts/with-mock; prints "N passed, N failed".
#include "atlas_admin.hpp"

extern "C" {
#include "mock_control.h"
}

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#if ATLAS_ADMIN_EXCEPTIONS
#error "build this file with -fno-exceptions"
#endif

namespace {

int passed = 0, failed = 0;

void check(bool ok, const char *what) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "check failed: %s\n", what);
    }
}

#define CHECK(cond) check((cond), #cond)

const char *env(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr) {
        std::fprintf(stderr, "%s is not set: run this through `make test-cpp`\n", name);
        std::exit(2);
    }
    return value;
}

}  // namespace

int main() {
    const char *org = "5f1a2b3c4d5e6f7a8b9c0d1e";
    char key[25];
    std::snprintf(key, sizeof key, "6d1b2c3d4e5f%06x000001", static_cast<unsigned>(getpid()) & 0xffffffu);
    CHECK(mock_add_key(org, key) == 0);

    // A failing setter is kept, and try_create reports it.
    atlas_admin::ClientOptions bad;
    bad.base_url(mock_base_url()).timeout(std::chrono::milliseconds(-1));
    CHECK(bad.error().has_value());
    atlas_admin::Client client;
    std::optional<atlas_admin::Error> error = atlas_admin::Client::try_create(bad, client);
    CHECK(error.has_value() && error->status() == atlas_admin::Status::InvalidArgument);
    CHECK(!client);

    atlas_admin::ClientOptions options;
    options.base_url(mock_base_url())
        .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"), env("MONGODB_ATLAS_PRIVATE_API_KEY"));
    CHECK(!options.error().has_value());
    error = atlas_admin::Client::try_create(options, client);
    CHECK(!error.has_value());
    CHECK(static_cast<bool>(client));

    const long deleted = mock_stat("deleted");
    CHECK(!client.try_delete_org_api_key(org, key).has_value());
    CHECK(mock_stat("deleted") == deleted + 1);
    error = client.try_delete_org_api_key(org, key);
    CHECK(error.has_value() && error->status() == atlas_admin::Status::NotFound);
    CHECK(error.has_value() && error->error_code() == std::optional<std::string>("API_KEY_NOT_FOUND"));
    CHECK(error.has_value() && error->attempts() == 1);
    CHECK(!client.try_delete_org_api_key(org, key, atlas_admin::DeleteOptions().missing_ok())
               .has_value());

    // The generic call: a DELETE in an envelope (status 204, content {}),
    // then Atlas' error, then a refused method.
    char path[64];
    std::snprintf(key, sizeof key, "6d1b2c3d4e5f%06x000002",
                  static_cast<unsigned>(getpid()) & 0xffffffu);
    std::snprintf(path, sizeof path, "/orgs/%s/apiKeys/%s", org, key);
    CHECK(mock_add_key(org, key) == 0);
    atlas_admin::Response response;
    error = client.try_call("DELETE", path, std::nullopt, std::nullopt,
                            atlas_admin::CallOptions().envelope(), response);
    CHECK(!error.has_value());
    CHECK(response.status == 204 && response.body == std::optional<std::string>("{}"));
    error = client.try_call("DELETE", path, std::nullopt, std::nullopt, atlas_admin::CallOptions(),
                            response);
    CHECK(error.has_value() && error->status() == atlas_admin::Status::NotFound);
    CHECK(response.status == 0 && !response.body.has_value());
    error = client.try_call("FETCH", path, std::nullopt, std::nullopt, atlas_admin::CallOptions(),
                            response);
    CHECK(error.has_value() && error->status() == atlas_admin::Status::InvalidArgument);

    // The key lifecycle: create, find, update, the access list, list, get.
    atlas_admin::ApiKey created;
    error = client.try_create_org_api_key(org, "no exceptions", {"ORG_MEMBER"},
                                          atlas_admin::CallOptions(), created);
    CHECK(!error.has_value() && created.private_key.has_value());
    std::optional<atlas_admin::ApiKey> found;
    error = client.try_find_org_api_key(org, created.public_key, atlas_admin::CallOptions(), found);
    CHECK(!error.has_value() && found.has_value() && found->id == created.id);
    atlas_admin::ApiKey updated;
    error = client.try_update_org_api_key(org, created.id, std::nullopt,
                                          std::vector<std::string>{"ORG_READ_ONLY"},
                                          atlas_admin::CallOptions(), updated);
    CHECK(!error.has_value() && updated.roles == std::vector<std::string>{"ORG_READ_ONLY"});
    std::vector<atlas_admin::AccessListEntry> entries;
    error = client.try_add_org_api_key_access_list(org, created.id, {"10.1.0.0/16"},
                                                   atlas_admin::CallOptions(), entries);
    CHECK(!error.has_value() && entries.size() == 1);
    CHECK(!client.try_delete_org_api_key_access_list_entry(org, created.id, "10.1.0.0/16"));
    error = client.try_list_org_api_key_access_list(org, created.id, atlas_admin::CallOptions(),
                                                    entries);
    CHECK(!error.has_value() && entries.empty());
    std::vector<atlas_admin::ApiKey> keys;
    error = client.try_list_org_api_keys(org, atlas_admin::CallOptions(), keys);
    CHECK(!error.has_value() && !keys.empty());
    CHECK(!client.try_delete_org_api_key(org, created.id));
    error = client.try_get_org_api_key(org, created.id, atlas_admin::CallOptions(), updated);
    CHECK(error.has_value() && error->status() == atlas_admin::Status::NotFound);
    CHECK(updated.id.empty());

    // close() is noexcept: a service account's token is revoked without exceptions too.
    atlas_admin::ClientOptions account;
    account.base_url(mock_base_url())
        .service_account(env("MONGODB_ATLAS_MOCK_CLIENT_ID"), env("MONGODB_ATLAS_MOCK_CLIENT_SECRET"));
    atlas_admin::Client account_client;
    CHECK(!atlas_admin::Client::try_create(account, account_client).has_value());
    std::snprintf(key, sizeof key, "6d1b2c3d4e5f%06x000002", static_cast<unsigned>(getpid()) & 0xffffffu);
    CHECK(mock_add_key(org, key) == 0);
    CHECK(!account_client.try_delete_org_api_key(org, key).has_value());
    const long revoked = mock_stat("tokens_revoked");
    account_client.close();
    CHECK(mock_stat("tokens_revoked") == revoked + 1);

    std::printf("no-exceptions: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
