// The organization API key lifecycle through the C++17 wrapper, against
// the mock Atlas: list, get, find, create, update, the access list, the
// value types and the noexcept forms. A created key's private key is
// compared, never printed (the mock starts each with "6d6f636b-", which
// scripts/check-secrets looks for).
#include "atlas_admin.hpp"
#include "support.hpp"

extern "C" {
#include "mock_control.h"
}

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using atlas_admin::AccessListEntry;
using atlas_admin::Api;
using atlas_admin::ApiKey;
using atlas_admin::CallOptions;
using atlas_admin::Client;
using atlas_admin::ClientOptions;
using atlas_admin::Error;
using atlas_admin::Status;
using support::digest_options;
using support::env;
using support::kOrg;
using support::mock_origin;
using support::new_key;
using support::new_key_id;
using support::seen;
using support::thrown_by;

constexpr const char *kPrivateKeyMarker = "6d6f636b-";
constexpr const char *kOtherVersion = "application/vnd.atlas.2024-08-05+json";

using Strings = std::vector<std::string>;

// The API's types, checked at compile time.
static_assert(std::is_same_v<decltype(std::declval<const Client &>().list_org_api_keys("")),
                             std::vector<ApiKey>>);
static_assert(
    std::is_same_v<decltype(std::declval<const Client &>().get_org_api_key("", "")), ApiKey>);
static_assert(std::is_same_v<decltype(std::declval<const Client &>().find_org_api_key("", "")),
                             std::optional<ApiKey>>);
static_assert(std::is_same_v<decltype(std::declval<const Client &>().create_org_api_key(
                                 "", "", Strings{})),
                             ApiKey>);
static_assert(std::is_same_v<decltype(std::declval<const Client &>().update_org_api_key(
                                 "", "", std::nullopt, std::nullopt)),
                             ApiKey>);
static_assert(
    std::is_same_v<decltype(std::declval<const Client &>().list_org_api_key_access_list("", "")),
                   std::vector<AccessListEntry>>);
static_assert(std::is_same_v<decltype(std::declval<const Client &>().add_org_api_key_access_list(
                                 "", "", Strings{})),
                             std::vector<AccessListEntry>>);
static_assert(noexcept(std::declval<const Client &>().try_list_org_api_keys(
    "", CallOptions(), std::declval<std::vector<ApiKey> &>())));
static_assert(noexcept(std::declval<const Client &>().try_get_org_api_key(
    "", "", CallOptions(), std::declval<ApiKey &>())));
static_assert(noexcept(std::declval<const Client &>().try_find_org_api_key(
    "", "", CallOptions(), std::declval<std::optional<ApiKey> &>())));
static_assert(noexcept(std::declval<const Client &>().try_create_org_api_key(
    "", "", Strings{}, CallOptions(), std::declval<ApiKey &>())));
static_assert(noexcept(std::declval<const Client &>().try_update_org_api_key(
    "", "", std::nullopt, std::nullopt, CallOptions(), std::declval<ApiKey &>())));
static_assert(noexcept(std::declval<const Client &>().try_list_org_api_key_access_list(
    "", "", CallOptions(), std::declval<std::vector<AccessListEntry> &>())));
static_assert(noexcept(std::declval<const Client &>().try_add_org_api_key_access_list(
    "", "", Strings{}, CallOptions(), std::declval<std::vector<AccessListEntry> &>())));
static_assert(noexcept(
    std::declval<const Client &>().try_delete_org_api_key_access_list_entry("", "", "")));
static_assert(std::is_nothrow_move_constructible_v<ApiKey> &&
              std::is_nothrow_move_assignable_v<ApiKey>);

// A client of the mock in flavour `api`, with the test key pair or another.
Client client_for(Api api, const std::string &public_key = env("MONGODB_ATLAS_PUBLIC_API_KEY"),
                  const std::string &private_key = env("MONGODB_ATLAS_PRIVATE_API_KEY")) {
    return Client(ClientOptions()
                      .host(mock_origin())
                      .api(api)
                      .max_retries(0)
                      .digest_credentials(public_key, private_key));
}

bool starts_with(const std::string &text, const char *prefix) { return text.rfind(prefix, 0) == 0; }

TEST(ApiKeys, ListReadsEveryPage) {
    // An organization of its own: 501 keys are two pages of 500.
    const char *org = "5f1a2b3c4d5e6f7a8b9c0d78";
    std::vector<std::string> ids;
    for (int i = 0; i < 501; ++i) {
        ids.push_back(new_key_id());
        ASSERT_EQ(mock_add_key(org, ids.back().c_str()), 0);
    }
    const Client client(digest_options());
    const long listed = mock_stat("listed");
    const std::vector<ApiKey> keys = client.list_org_api_keys(org);
    EXPECT_EQ(mock_stat("listed"), listed + 2);
    ASSERT_EQ(keys.size(), ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(keys[i].id, ids[i]);
        EXPECT_EQ(keys[i].roles, Strings{"ORG_MEMBER"});
        EXPECT_EQ(keys[i].private_key, std::nullopt);
        EXPECT_EQ(keys[i].public_key.size(), 8u);
    }
}

TEST(ApiKeys, CreateShowsThePrivateKeyOnceAndItSignsIn) {
    const Client client(digest_options());
    const long created = mock_stat("created");
    ApiKey key = client.create_org_api_key(kOrg, "ci rotation", {"ORG_MEMBER", "ORG_READ_ONLY"});
    EXPECT_EQ(mock_stat("created"), created + 1);
    EXPECT_EQ(key.id.size(), 24u);
    EXPECT_EQ(key.description, "ci rotation");
    EXPECT_EQ(key.roles, (Strings{"ORG_MEMBER", "ORG_READ_ONLY"}));
    ASSERT_TRUE(key.private_key.has_value());
    EXPECT_TRUE(starts_with(*key.private_key, kPrivateKeyMarker));
    // The new pair signs in.
    const Client as_new_key = client_for(Api::AtlasV1, key.public_key, *key.private_key);
    EXPECT_EQ(as_new_key.get_org_api_key(kOrg, key.id).public_key, key.public_key);
    // Read again, the key has no private key.
    const ApiKey fetched = client.get_org_api_key(kOrg, key.id);
    EXPECT_EQ(fetched.id, key.id);
    EXPECT_EQ(fetched.public_key, key.public_key);
    EXPECT_EQ(fetched.description, "ci rotation");
    EXPECT_EQ(fetched.private_key, std::nullopt);
    client.delete_org_api_key(kOrg, key.id);
}

TEST(ApiKeys, FindByPublicKeyHitAndMiss) {
    const Client client(digest_options());
    const ApiKey created = client.create_org_api_key(kOrg, "leaked", {"ORG_MEMBER"});
    const std::optional<ApiKey> found = client.find_org_api_key(kOrg, created.public_key);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, created.id);
    EXPECT_EQ(found->description, "leaked");
    EXPECT_EQ(found->private_key, std::nullopt);
    EXPECT_EQ(client.find_org_api_key(kOrg, "zz99zz99"), std::nullopt);
}

TEST(ApiKeys, UpdateDescriptionRolesOrBoth) {
    const Client client(digest_options());
    const std::string id = new_key();
    const long updated = mock_stat("updated");
    ApiKey key = client.update_org_api_key(kOrg, id, "renamed", std::nullopt);
    EXPECT_EQ(key.description, "renamed");
    EXPECT_EQ(key.roles, Strings{"ORG_MEMBER"});
    key = client.update_org_api_key(kOrg, id, std::nullopt, Strings{"ORG_OWNER"});
    EXPECT_EQ(key.description, "renamed");
    EXPECT_EQ(key.roles, Strings{"ORG_OWNER"});
    key = client.update_org_api_key(kOrg, id, std::string("both"),
                                    Strings{"ORG_GROUP_CREATOR", "ORG_BILLING_READ_ONLY"});
    EXPECT_EQ(key.description, "both");
    EXPECT_EQ(key.roles, (Strings{"ORG_GROUP_CREATOR", "ORG_BILLING_READ_ONLY"}));
    EXPECT_EQ(mock_stat("updated"), updated + 3);
    EXPECT_EQ(client.get_org_api_key(kOrg, id).description, "both");
}

TEST(ApiKeys, MissingKeyIsNotFoundInBothFlavours) {
    for (const auto &[api, http_status] : {std::pair{Api::AtlasV1, 400}, {Api::AtlasV2, 404}}) {
        const Client client = client_for(api);
        const std::string id = new_key_id();
        for (const Error &error : {
                 thrown_by([&] { client.get_org_api_key(kOrg, id); }),
                 thrown_by([&] { client.update_org_api_key(kOrg, id, "x", std::nullopt); }),
                 thrown_by([&] { client.list_org_api_key_access_list(kOrg, id); }),
                 thrown_by([&] { client.add_org_api_key_access_list(kOrg, id, {"192.0.2.7"}); }),
                 thrown_by([&] {
                     client.delete_org_api_key_access_list_entry(kOrg, id, "192.0.2.7");
                 }),
             }) {
            EXPECT_EQ(error.status(), Status::NotFound) << error.what();
            EXPECT_EQ(error.http_status(), http_status);
            EXPECT_EQ(error.error_code(), std::optional<std::string>("API_KEY_NOT_FOUND"));
        }
    }
}

TEST(ApiKeys, CreatedInV2AndAcceptChosenPerCall) {
    const Client client = client_for(Api::AtlasV2);
    const ApiKey key = client.create_org_api_key(kOrg, "v2 key", {"ORG_READ_ONLY"});
    ASSERT_TRUE(key.private_key.has_value());
    EXPECT_TRUE(starts_with(*key.private_key, kPrivateKeyMarker));
    const Error error = thrown_by(
        [&] { client.get_org_api_key(kOrg, key.id, CallOptions().accept(kOtherVersion)); });
    EXPECT_EQ(error.status(), Status::HttpError);
    EXPECT_EQ(error.http_status(), 406);
    EXPECT_EQ(error.error_code(), std::optional<std::string>("INVALID_VERSION"));
    char seen_request[4096];
    ASSERT_EQ(mock_last_request(seen_request, sizeof seen_request), 1);
    EXPECT_NE(std::string(seen_request).find(kOtherVersion), std::string::npos) << seen_request;
    EXPECT_EQ(client
                  .get_org_api_key(kOrg, key.id,
                                   CallOptions().accept("application/vnd.atlas.2023-01-01+json"))
                  .id,
              key.id);
    EXPECT_EQ(client.get_org_api_key(kOrg, key.id, CallOptions().pretty().envelope()).id, key.id);
}

TEST(AccessList, AddListAndDeleteAddressesAndBlocks) {
    const Client client(digest_options());
    const std::string id = new_key();
    const std::vector<AccessListEntry> added =
        client.add_org_api_key_access_list(kOrg, id, {"192.0.2.1", "10.0.0.0/24"});
    ASSERT_EQ(added.size(), 2u);
    EXPECT_EQ(added[0].ip_address, std::optional<std::string>("192.0.2.1"));
    EXPECT_EQ(added[0].cidr_block, std::optional<std::string>("192.0.2.1/32"));
    EXPECT_EQ(added[1].ip_address, std::nullopt);
    EXPECT_EQ(added[1].cidr_block, std::optional<std::string>("10.0.0.0/24"));
    const Error twice =
        thrown_by([&] { client.add_org_api_key_access_list(kOrg, id, {"10.0.0.0/24"}); });
    EXPECT_EQ(twice.error_code(), std::optional<std::string>("ADDRESS_ALREADY_IN_ACCESS_LIST"));
    client.delete_org_api_key_access_list_entry(kOrg, id, "10.0.0.0/24");
    char seen_request[4096];
    ASSERT_EQ(mock_last_request(seen_request, sizeof seen_request), 1);
    EXPECT_NE(std::string(seen_request).find("/accessList/10.0.0.0%2F24\""), std::string::npos)
        << seen_request;
    const std::vector<AccessListEntry> left = client.list_org_api_key_access_list(kOrg, id);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].ip_address, std::optional<std::string>("192.0.2.1"));
    const Error gone =
        thrown_by([&] { client.delete_org_api_key_access_list_entry(kOrg, id, "10.0.0.0/24"); });
    EXPECT_EQ(gone.status(), Status::NotFound);
}

TEST(ApiKeys, RefusedArgumentsAreNamedAndNothingIsSent) {
    const Client client(digest_options());
    const std::string id = new_key();
    const std::string with_nul("ORG_MEMBER\0x", 12);
    const long requests = mock_stat("requests");
    const auto refused = [](const Error &error, const std::string &name) {
        EXPECT_EQ(error.status(), Status::InvalidArgument) << error.what();
        EXPECT_NE(std::string(error.what()).find("invalid argument `" + name + "`"),
                  std::string::npos)
            << error.what();
        EXPECT_EQ(error.attempts(), 0u);
    };
    refused(thrown_by([&] { client.list_org_api_keys("5F1A2B3C4D5E6F7A8B9C0D1E"); }), "org_id");
    refused(thrown_by([&] { client.get_org_api_key(kOrg, "6a1b"); }), "api_key_id");
    refused(thrown_by([&] { client.find_org_api_key(kOrg, "ABCDEFGH"); }), "public_key");
    refused(thrown_by([&] { client.create_org_api_key(kOrg, "", {"ORG_MEMBER"}); }),
            "description");
    const std::string too_long(251, 'x');
    refused(thrown_by([&] { client.create_org_api_key(kOrg, too_long, {"ORG_MEMBER"}); }),
            "description");
    refused(thrown_by([&] { client.create_org_api_key(kOrg, "d", {"GROUP_OWNER"}); }), "roles");
    refused(thrown_by([&] { client.create_org_api_key(kOrg, "d", Strings{}); }), "roles");
    // An empty list given to an update is refused, not taken for "unchanged".
    refused(thrown_by([&] { client.update_org_api_key(kOrg, id, "d", Strings{}); }), "roles");
    refused(thrown_by([&] { client.update_org_api_key(kOrg, id, std::nullopt, std::nullopt); }),
            "description");
    refused(thrown_by([&] { client.create_org_api_key(kOrg, "d", {"ORG_OWNER", with_nul}); }),
            "roles[1]");
    refused(thrown_by([&] { client.update_org_api_key(kOrg, id, with_nul, std::nullopt); }),
            "description");
    refused(thrown_by([&] { client.add_org_api_key_access_list(kOrg, id, {"10.0.0.0/33"}); }),
            "entries");
    refused(thrown_by([&] { client.add_org_api_key_access_list(kOrg, id, {"300.1.1.1"}); }),
            "entries");
    refused(thrown_by([&] { client.add_org_api_key_access_list(kOrg, id, Strings{}); }),
            "entries");
    refused(thrown_by([&] { client.add_org_api_key_access_list(kOrg, id, {"1.2.3.4", with_nul}); }),
            "entries[1]");
    refused(thrown_by([&] {
                client.delete_org_api_key_access_list_entry(kOrg, id, "example.com");
            }),
            "entry");
    refused(thrown_by([&] {
                client.list_org_api_keys(kOrg, CallOptions().accept(std::string("a\0b", 3)));
            }),
            "accept");
    refused(thrown_by([&] { Client().get_org_api_key(kOrg, id); }), "client");
    EXPECT_EQ(mock_stat("requests"), requests);
}

TEST(ApiKeys, PrivateKeyIsWipedWhenMovedFromOrAssignedTo) {
    ApiKey key;
    key.id = "6a1b2c3d4e5f6a7b8c9d0e1f";
    key.private_key = std::string(40, 's');
    ApiKey copy = key;
    EXPECT_EQ(copy.private_key, key.private_key);
    ApiKey moved = std::move(key);
    EXPECT_EQ(moved.private_key, copy.private_key);
    EXPECT_EQ(key.private_key, std::nullopt);  // NOLINT(bugprone-use-after-move): the point
    moved = ApiKey();
    EXPECT_EQ(moved.private_key, std::nullopt);
    copy.wipe_private_key();
    EXPECT_EQ(copy.private_key, std::nullopt);
    EXPECT_EQ(copy.id, "6a1b2c3d4e5f6a7b8c9d0e1f");
}

TEST(Noexcept, TryKeyCallsReturnTheErrorAndLeaveOutEmpty) {
    const Client client(digest_options());
    const std::string missing = new_key_id();
    ApiKey key;
    key.id = "stale";
    std::optional<Error> error = client.try_get_org_api_key(kOrg, missing, CallOptions(), key);
    ASSERT_TRUE(error.has_value());
    seen(*error);
    EXPECT_EQ(error->status(), Status::NotFound);
    EXPECT_EQ(key.id, "");
    error = client.try_create_org_api_key(kOrg, "try", {"ORG_MEMBER"}, CallOptions(), key);
    ASSERT_FALSE(error.has_value());
    EXPECT_TRUE(key.private_key.has_value());
    // The arguments may be parts of `out`: a key updated and read in place.
    const std::string id = key.id;
    EXPECT_FALSE(client.try_update_org_api_key(kOrg, key.id, std::string("in place"), std::nullopt,
                                               CallOptions(), key));
    EXPECT_EQ(key.id, id);
    EXPECT_EQ(key.description, "in place");
    EXPECT_FALSE(client.try_get_org_api_key(kOrg, key.id, CallOptions(), key));
    EXPECT_EQ(key.id, id);
    std::optional<ApiKey> found = key;
    EXPECT_FALSE(client.try_find_org_api_key(kOrg, found->public_key, CallOptions(), found));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, key.id);
    std::vector<ApiKey> keys(3);
    EXPECT_FALSE(client.try_list_org_api_keys(kOrg, CallOptions(), keys));
    EXPECT_GE(keys.size(), 1u);
    error = client.try_list_org_api_keys("5f1a2b3c4d5e6f7a8b9c0d99", CallOptions(), keys);
    ASSERT_TRUE(error.has_value());
    seen(*error);
    EXPECT_EQ(error->error_code(), std::optional<std::string>("ORG_NOT_FOUND"));
    EXPECT_TRUE(keys.empty());
    std::vector<AccessListEntry> entries;
    EXPECT_FALSE(client.try_add_org_api_key_access_list(kOrg, key.id, {"2001:db8::/32"},
                                                        CallOptions(), entries));
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].cidr_block, std::optional<std::string>("2001:db8::/32"));
    EXPECT_FALSE(client.try_delete_org_api_key_access_list_entry(kOrg, key.id, "2001:db8::/32"));
    EXPECT_FALSE(client.try_list_org_api_key_access_list(kOrg, key.id, CallOptions(), entries));
    EXPECT_TRUE(entries.empty());
    error =
        client.try_update_org_api_key(kOrg, key.id, std::nullopt, Strings{}, CallOptions(), key);
    ASSERT_TRUE(error.has_value());
    seen(*error);
    EXPECT_EQ(error->status(), Status::InvalidArgument);
    EXPECT_EQ(key.private_key, std::nullopt);
}

}  // namespace
