// The C++17 wrapper (bindings/cpp/atlas_admin.hpp) against the mock Atlas,
// with GoogleTest. Run by `make test-cpp` (ctest under scripts/with-mock,
// which sets MONGODB_ATLAS_BASE_URL and the test credentials). Every error message
// and log line goes to $ATLAS_SECRET_SCAN_DIR for scripts/check-secrets
// (support.cpp). The key lifecycle's tests are in test_api_keys.cpp.
#include "atlas_admin.hpp"
#include "support.hpp"

extern "C" {
#include "canned_server.h"
#include "mock_control.h"
}

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using atlas_admin::Api;
using atlas_admin::CallOptions;
using atlas_admin::Client;
using atlas_admin::ClientOptions;
using atlas_admin::DeleteOptions;
using atlas_admin::Error;
using atlas_admin::Response;
using atlas_admin::Status;
using namespace std::chrono_literals;

using support::digest_options;
using support::env;
using support::kOrg;
using support::mock_origin;
using support::new_key;
using support::new_key_id;
using support::seen;
using support::thrown_by;

// The API's types, checked at compile time.
static_assert(static_cast<std::uint32_t>(Status::Ok) == ATLAS_STATUS_OK);
static_assert(static_cast<std::uint32_t>(Status::NotFound) == ATLAS_STATUS_NOT_FOUND);
static_assert(static_cast<std::uint32_t>(Status::Internal) == ATLAS_STATUS_INTERNAL);
static_assert(static_cast<std::uint32_t>(Status::Cancelled) == ATLAS_STATUS_CANCELLED);
static_assert(static_cast<std::uint32_t>(Api::AtlasV1) == ATLAS_API_ATLAS_V1);
static_assert(static_cast<std::uint32_t>(Api::AtlasV2) == ATLAS_API_ATLAS_V2);
static_assert(static_cast<std::uint32_t>(Api::OpsManager) == ATLAS_API_OPS_MANAGER);
static_assert(std::is_base_of_v<std::runtime_error, Error>);
static_assert(!std::is_copy_constructible_v<Client> && !std::is_copy_assignable_v<Client>);
static_assert(std::is_nothrow_move_constructible_v<Client> &&
              std::is_nothrow_move_assignable_v<Client>);
static_assert(!std::is_copy_constructible_v<ClientOptions> &&
              !std::is_copy_assignable_v<ClientOptions>);
static_assert(std::is_nothrow_move_constructible_v<ClientOptions> &&
              std::is_nothrow_move_assignable_v<ClientOptions>);
static_assert(std::is_same_v<decltype(ClientOptions().base_url("")), ClientOptions &>);
static_assert(std::is_same_v<decltype(std::declval<Error>().retry_after()),
                             std::optional<std::chrono::milliseconds>>);
static_assert(noexcept(std::declval<const Client &>().try_delete_org_api_key("", "")));
static_assert(noexcept(std::declval<const Client &>().try_call(
    "", "", std::nullopt, std::nullopt, CallOptions(), std::declval<Response &>())));
static_assert(
    std::is_same_v<decltype(std::declval<const Client &>().call("GET", "/orgs")), Response>);
static_assert(std::is_same_v<decltype(std::declval<Response>().body), std::optional<std::string>>);
static_assert(
    std::is_same_v<decltype(CallOptions().pretty().envelope().accept("")), CallOptions &>);
static_assert(std::is_same_v<decltype(DeleteOptions().pretty().envelope().missing_ok()),
                             DeleteOptions &>);
static_assert(std::is_convertible_v<CallOptions, DeleteOptions>);
static_assert(std::is_nothrow_move_constructible_v<Response> &&
              std::is_nothrow_move_assignable_v<Response>);
static_assert(noexcept(std::declval<const Client &>().cancel_all()));

TEST(Delete, DeletesAKeyAndTheSecondDeleteIsNotFound) {
    const Client client(digest_options());
    const std::string key = new_key();
    const long deleted = mock_stat("deleted");
    client.delete_org_api_key(kOrg, key);
    EXPECT_EQ(mock_stat("deleted"), deleted + 1);
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, key); });
    EXPECT_EQ(error.status(), Status::NotFound);
}

TEST(Delete, NotFoundCarriesAtlasErrorFields) {
    const Client client(digest_options());
    const std::string key = new_key_id();
    EXPECT_THROW(client.delete_org_api_key(kOrg, key), std::runtime_error);
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, key); });
    EXPECT_EQ(error.status(), Status::NotFound);
    EXPECT_STREQ(atlas_admin::to_string(error.status()), "not found");
    EXPECT_EQ(error.http_status(), 400);  // Atlas sends API_KEY_NOT_FOUND as 400
    EXPECT_EQ(error.error_code(), std::optional<std::string>("API_KEY_NOT_FOUND"));
    ASSERT_TRUE(error.detail().has_value());
    EXPECT_NE(error.detail()->find(key), std::string::npos) << *error.detail();
    EXPECT_EQ(error.reason(), std::optional<std::string>("Bad Request"));
    EXPECT_EQ(error.parameters(), std::vector<std::string>{key});
    ASSERT_TRUE(error.body().has_value());
    EXPECT_NE(error.body()->find("API_KEY_NOT_FOUND"), std::string::npos);
    EXPECT_EQ(error.retry_after(), std::nullopt);
    EXPECT_EQ(error.location(), std::nullopt);
    EXPECT_EQ(error.attempts(), 1u);
    EXPECT_NE(std::string(error.what()).find(key), std::string::npos) << error.what();
}

TEST(Delete, UnknownOrganizationIsNotFoundWithItsOwnCode) {
    const Client client(digest_options());
    const Error error = thrown_by(
        [&] { client.delete_org_api_key("5f1a2b3c4d5e6f7a8b9c0d99", new_key_id()); });
    EXPECT_EQ(error.status(), Status::NotFound);
    EXPECT_EQ(error.http_status(), 404);
    EXPECT_EQ(error.error_code(), std::optional<std::string>("ORG_NOT_FOUND"));
}

TEST(Delete, InvalidIdsAreRefusedBeforeAnythingIsSent) {
    const Client client(digest_options());
    const long requests = mock_stat("requests");
    for (std::string_view bad : {"not-an-id", "6A1B2C3D4E5F6A7B8C9D0E1F", "", "6a1b2c3d4e5f6a7b8c9d0e1"}) {
        const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, bad); });
        EXPECT_EQ(error.status(), Status::InvalidArgument) << bad;
        EXPECT_EQ(error.attempts(), 0u);
        EXPECT_EQ(error.http_status(), 0);
        EXPECT_EQ(error.error_code(), std::nullopt);
        EXPECT_EQ(error.body(), std::nullopt);
    }
    // A string_view may hold a NUL that a C string would silently end at.
    const std::string with_nul = new_key() + std::string("\0ff", 3);
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, with_nul); });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(error.what()).find("NUL"), std::string::npos) << error.what();
    EXPECT_EQ(mock_stat("requests"), requests);
}

TEST(Delete, MissingOkMakesAnAbsentKeySuccess) {
    const Client client(digest_options());
    const std::string absent = new_key_id();
    EXPECT_NO_THROW(client.delete_org_api_key(kOrg, absent, DeleteOptions().missing_ok()));
    const Error error = thrown_by([&] {
        client.delete_org_api_key(kOrg, absent, DeleteOptions().missing_ok().missing_ok(false));
    });
    EXPECT_EQ(error.status(), Status::NotFound);
    // An existing key is still deleted.
    const std::string key = new_key();
    const long deleted = mock_stat("deleted");
    client.delete_org_api_key(kOrg, key, DeleteOptions().missing_ok());
    EXPECT_EQ(mock_stat("deleted"), deleted + 1);
}

TEST(Delete, DeleteOptionsSetAndClearFlags) {
    EXPECT_EQ(DeleteOptions().flags(), 0u);
    EXPECT_EQ(DeleteOptions().pretty().flags(), static_cast<std::uint32_t>(ATLAS_DELETE_PRETTY));
    EXPECT_EQ(DeleteOptions().envelope().flags(),
              static_cast<std::uint32_t>(ATLAS_DELETE_ENVELOPE));
    EXPECT_EQ(DeleteOptions().missing_ok().flags(),
              static_cast<std::uint32_t>(ATLAS_DELETE_MISSING_OK));
    EXPECT_EQ(DeleteOptions().pretty().envelope().pretty(false).flags(),
              static_cast<std::uint32_t>(ATLAS_DELETE_ENVELOPE));
    EXPECT_EQ(DeleteOptions().pretty().envelope().missing_ok().flags(),
              static_cast<std::uint32_t>(ATLAS_CALL_PRETTY | ATLAS_CALL_ENVELOPE |
                                         ATLAS_DELETE_MISSING_OK));
    EXPECT_EQ(DeleteOptions().accept("application/json").call().media_type(),
              std::optional<std::string>("application/json"));
}

TEST(CallOptions, SetAndClearFlagsAndTheMediaType) {
    EXPECT_EQ(CallOptions().flags(), 0u);
    EXPECT_EQ(CallOptions().media_type(), std::nullopt);
    EXPECT_EQ(CallOptions().pretty().flags(), static_cast<std::uint32_t>(ATLAS_CALL_PRETTY));
    EXPECT_EQ(CallOptions().envelope().flags(), static_cast<std::uint32_t>(ATLAS_CALL_ENVELOPE));
    EXPECT_EQ(CallOptions().pretty().envelope().envelope(false).flags(),
              static_cast<std::uint32_t>(ATLAS_CALL_PRETTY));
    CallOptions versioned;
    versioned.accept("application/vnd.atlas.2024-08-05+json");
    EXPECT_EQ(versioned.media_type(),
              std::optional<std::string>("application/vnd.atlas.2024-08-05+json"));
    EXPECT_EQ(versioned.accept(std::nullopt).media_type(), std::nullopt);
    // A delete made from call options keeps them, with missing_ok off.
    const DeleteOptions from_call = CallOptions().envelope().accept("application/json");
    EXPECT_EQ(from_call.flags(), static_cast<std::uint32_t>(ATLAS_CALL_ENVELOPE));
    EXPECT_EQ(from_call.call().media_type(), std::optional<std::string>("application/json"));
}

TEST(Delete, EnvelopeAndPretty) {
    const Client client(digest_options());
    client.delete_org_api_key(kOrg, new_key(), DeleteOptions().envelope().pretty());
    const Error error = thrown_by(
        [&] { client.delete_org_api_key(kOrg, new_key_id(), DeleteOptions().envelope()); });
    EXPECT_EQ(error.status(), Status::NotFound);
    EXPECT_EQ(error.error_code(), std::optional<std::string>("API_KEY_NOT_FOUND"));
}

TEST(Delete, WrongPrivateKeyIsUnauthorizedAndNeverInTheMessage) {
    const std::string wrong = "ffffffff-0000-4000-8000-wrongprivate";
    const Client client(ClientOptions().base_url(mock_base_url())
                            .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"), wrong));
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, new_key()); });
    EXPECT_EQ(error.status(), Status::Unauthorized);
    EXPECT_EQ(error.http_status(), 401);
    EXPECT_EQ(std::string(error.what()).find(wrong), std::string::npos);
}

TEST(Delete, RateLimitGivesRetryAfter) {
    const Client client(digest_options().max_retries(0));
    const std::string key = new_key();
    ASSERT_EQ(mock_inject_status(429, 2, 1), 0);
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, key); });
    EXPECT_EQ(error.status(), Status::RateLimited);
    EXPECT_EQ(error.http_status(), 429);
    EXPECT_EQ(error.retry_after(), std::optional<std::chrono::milliseconds>(2000ms));
    EXPECT_EQ(error.attempts(), 1u);
    client.delete_org_api_key(kOrg, key);  // still there, deleted now
}

TEST(Delete, AttemptsCountRetries) {
    const Client client(digest_options().max_retries(2).retry_budget(10s));
    ASSERT_EQ(mock_inject_status(503, -1, 3), 0);
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, new_key()); });
    EXPECT_EQ(error.status(), Status::ServerError);
    EXPECT_EQ(error.http_status(), 503);
    EXPECT_EQ(error.attempts(), 3u);
}

TEST(ServiceAccount, DeletesWithOneTokenForManyDeletes) {
    const Client client(ClientOptions().base_url(mock_base_url())
                            .service_account(env("MONGODB_ATLAS_MOCK_CLIENT_ID"),
                                             env("MONGODB_ATLAS_MOCK_CLIENT_SECRET")));
    const long tokens = mock_stat("tokens_issued");
    const long bearer = mock_stat("bearer_authenticated");
    for (int i = 0; i < 3; ++i) client.delete_org_api_key(kOrg, new_key());
    EXPECT_EQ(mock_stat("tokens_issued"), tokens + 1);
    EXPECT_EQ(mock_stat("bearer_authenticated"), bearer + 3);
}

TEST(ServiceAccount, WrongSecretIsUnauthorizedAndNeverInTheMessage) {
    const std::string wrong = "mdb_sa_sk_ffffffff-wrong-secret";
    const Client client(ClientOptions().base_url(mock_base_url())
                            .service_account(env("MONGODB_ATLAS_MOCK_CLIENT_ID"), wrong));
    const Error error = thrown_by([&] { client.delete_org_api_key(kOrg, new_key()); });
    EXPECT_EQ(error.status(), Status::Unauthorized);
    EXPECT_EQ(std::string(error.what()).find(wrong), std::string::npos);
}

ClientOptions service_account_options() {
    ClientOptions options;
    options.base_url(mock_base_url())
        .service_account(env("MONGODB_ATLAS_MOCK_CLIENT_ID"), env("MONGODB_ATLAS_MOCK_CLIENT_SECRET"));
    return options;
}

TEST(ServiceAccount, CloseRevokesTheTokenOnceAndTheClientStaysUsable) {
    const Client client(service_account_options());
    const long revoked = mock_stat("tokens_revoked");
    client.delete_org_api_key(kOrg, new_key());
    const long active = mock_stat("active_tokens");
    ASSERT_GE(active, 1);
    client.close();
    EXPECT_EQ(mock_stat("tokens_revoked"), revoked + 1);
    EXPECT_EQ(mock_stat("active_tokens"), active - 1);
    const long requests = mock_stat("revoke_requests");
    client.close();
    EXPECT_EQ(mock_stat("revoke_requests"), requests) << "closing twice revokes once";
    client.delete_org_api_key(kOrg, new_key());  // mints a new token
    EXPECT_EQ(mock_stat("active_tokens"), active);
    client.close();
    EXPECT_EQ(mock_stat("tokens_revoked"), revoked + 2);
}

TEST(ServiceAccount, TheDestructorSendsNothing) {
    long active = 0;
    long requests = 0;
    {
        const Client client(service_account_options());
        client.delete_org_api_key(kOrg, new_key());
        active = mock_stat("active_tokens");
        requests = mock_stat("requests");
    }
    EXPECT_EQ(mock_stat("requests"), requests);
    EXPECT_EQ(mock_stat("active_tokens"), active) << "the token is left to lapse";
}

TEST(ServiceAccount, CloseWithoutATokenSendsNothing) {
    const long requests = mock_stat("requests");
    Client().close();  // empty
    Client(service_account_options()).close();  // no call, no token
    const Client digest(digest_options());
    digest.close();  // an API key
    EXPECT_EQ(mock_stat("requests"), requests);
}

TEST(Flavours, AtlasV2FromHostAndApi) {
    const Client client(ClientOptions().host(mock_origin()).api(Api::AtlasV2)
                            .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"),
                                                env("MONGODB_ATLAS_PRIVATE_API_KEY")));
    const long deleted = mock_stat("deleted");
    client.delete_org_api_key(kOrg, new_key());
    EXPECT_EQ(mock_stat("deleted"), deleted + 1);
}

TEST(Noexcept, TryDeleteReturnsTheErrorInstead) {
    Client client;
    EXPECT_FALSE(client);
    ASSERT_EQ(Client::try_create(digest_options(), client), std::nullopt);
    ASSERT_TRUE(client);
    EXPECT_EQ(client.try_delete_org_api_key(kOrg, new_key()), std::nullopt);
    const std::optional<Error> error = client.try_delete_org_api_key(kOrg, new_key_id());
    ASSERT_TRUE(error.has_value());
    seen(*error);
    EXPECT_EQ(error->status(), Status::NotFound);
    EXPECT_EQ(error->error_code(), std::optional<std::string>("API_KEY_NOT_FOUND"));
    EXPECT_EQ(client.try_delete_org_api_key(kOrg, new_key_id(), DeleteOptions().missing_ok()),
              std::nullopt);
}

TEST(Noexcept, TryCreateReportsWhyAndLeavesTheClientEmpty) {
    Client client;
    ASSERT_EQ(Client::try_create(digest_options(), client), std::nullopt);
    ClientOptions options(std::nothrow);
    options.base_url(mock_base_url());  // no credentials
    const std::optional<Error> error = Client::try_create(options, client);
    ASSERT_TRUE(error.has_value());
    seen(*error);
    EXPECT_EQ(error->status(), Status::InvalidArgument);
    EXPECT_NE(std::string(error->what()).find("credentials"), std::string::npos) << error->what();
    EXPECT_FALSE(client);
    const std::optional<Error> empty = client.try_delete_org_api_key(kOrg, new_key_id());
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(seen(*empty).status(), Status::InvalidArgument);
    EXPECT_NE(std::string(empty->what()).find("empty"), std::string::npos) << empty->what();
}

// An XDG_CONFIG_HOME with no Atlas CLI config, so no profile exists.
void empty_config_home() {
    ASSERT_EQ(setenv("XDG_CONFIG_HOME", "/nonexistent/atlas-admin-cpp-tests", 1), 0);
}

TEST(Options, FailingSettersThrow) {
    empty_config_home();
    Error error = thrown_by([] { ClientOptions().load_env("no-such-profile"); });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(error.what()).find("no-such-profile"), std::string::npos)
        << error.what();
    error = thrown_by([] { ClientOptions().base_url("https://cloud.mongodb.com/\xff"); });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(error.what()).find("UTF-8"), std::string::npos) << error.what();
    error = thrown_by([] { ClientOptions().host(std::string_view("https://a\0b", 11)); });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(error.what()).find("`host`"), std::string::npos) << error.what();
    error = thrown_by([] { ClientOptions().timeout(-1ms); });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    error = thrown_by([] { ClientOptions().retry_budget(std::chrono::hours(24 * 60)); });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    EXPECT_NO_THROW(ClientOptions().load_env());  // no profile named: nothing to fail yet
}

TEST(Options, NothrowOptionsKeepTheFirstFailureForTheClient) {
    empty_config_home();
    ClientOptions options(std::nothrow);
    options.load_env("no-such-profile")
        .timeout(-5ms)
        .base_url(mock_base_url())
        .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"), env("MONGODB_ATLAS_PRIVATE_API_KEY"));
    ASSERT_TRUE(options.error().has_value());
    EXPECT_NE(std::string(options.error()->what()).find("no-such-profile"), std::string::npos);
    Client client;
    const std::optional<Error> error = Client::try_create(options, client);
    ASSERT_TRUE(error.has_value());
    EXPECT_STREQ(seen(*error).what(), options.error()->what());
    EXPECT_FALSE(client);
    const Error thrown = thrown_by([&] { Client{options}; });
    EXPECT_STREQ(thrown.what(), options.error()->what());
}

TEST(Options, ValuesCheckedWhenTheClientIsMade) {
    Error error = thrown_by([] { Client{digest_options().timeout(0ms)}; });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    error = thrown_by([] { Client{digest_options().ca_bundle("/nonexistent/ca.pem")}; });
    EXPECT_EQ(error.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(error.what()).find("ca_bundle"), std::string::npos) << error.what();
    ClientOptions remote;
    remote.base_url("http://ops.example.com/api/public/v1.0").digest_credentials("abcdefgh", "k");
    error = thrown_by([&] { Client{remote}; });
    EXPECT_NE(std::string(error.what()).find("plain http"), std::string::npos) << error.what();
    remote.allow_insecure_http();
    EXPECT_NO_THROW(Client{remote});
    remote.allow_insecure_http(false);
    EXPECT_THROW(Client{remote}, Error);
}

TEST(Options, EverySetterReachesTheClient) {
    const Client client(digest_options()
                            .connect_timeout(2s)
                            .timeout(5s)
                            .max_retries(1)
                            .retry_budget(20s)
                            .max_idle_connections(4)
                            .proxy("http://127.0.0.1:9")
                            .disable_proxy()  // wins over the proxy set before
                            .allow_insecure_http(false)
                            .api(Api::AtlasV1));
    const long deleted = mock_stat("deleted");
    client.delete_org_api_key(kOrg, new_key());
    EXPECT_EQ(mock_stat("deleted"), deleted + 1);
}

TEST(Move, ClientsAndOptionsMoveTheirHandle) {
    ClientOptions first = digest_options();
    atlas_client_options *const handle = first.handle();
    ClientOptions second(std::move(first));
    EXPECT_EQ(second.handle(), handle);
    EXPECT_EQ(first.handle(), nullptr);  // NOLINT(bugprone-use-after-move): checked on purpose
    const Error moved_from = thrown_by([&] { first.max_retries(1); });
    EXPECT_EQ(moved_from.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(moved_from.what()).find("empty"), std::string::npos);

    Client a(second);
    atlas_client *const client_handle = a.handle();
    Client b(std::move(a));
    EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(b.handle(), client_handle);
    b.delete_org_api_key(kOrg, new_key());
    EXPECT_EQ(thrown_by([&] { a.delete_org_api_key(kOrg, new_key_id()); }).status(),
              Status::InvalidArgument);

    Client c(second);  // replaced (and freed) by the move below
    c = std::move(b);
    EXPECT_EQ(c.handle(), client_handle);
    EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
    c.delete_org_api_key(kOrg, new_key());
    std::vector<Client> clients;
    for (int i = 0; i < 4; ++i) clients.emplace_back(second);  // growth moves them
    for (const Client &each : clients) each.delete_org_api_key(kOrg, new_key());
}

TEST(Errors, MadeHereAndAdopted) {
    const Error made(Status::Forbidden, "made here");
    EXPECT_EQ(made.status(), Status::Forbidden);
    EXPECT_STREQ(made.what(), "made here");
    EXPECT_EQ(made.attempts(), 0u);
    EXPECT_EQ(made.http_status(), 0);
    const Error adopted = Error::adopt(ATLAS_STATUS_TIMEOUT, nullptr);
    EXPECT_EQ(adopted.status(), Status::Timeout);
    EXPECT_STREQ(adopted.what(), atlas_status_str(ATLAS_STATUS_TIMEOUT));
    Error copy = adopted;
    Error moved = std::move(copy);
    EXPECT_EQ(moved.status(), Status::Timeout);
    EXPECT_EQ(copy.status(), Status::Timeout);  // NOLINT(bugprone-use-after-move): still whole
    EXPECT_STREQ(atlas_admin::version(), atlas_version());
}

TEST(Threads, EightThreadsShareOneClient) {
    constexpr int kThreads = 8, kDeletesPerThread = 10;
    const Client client(digest_options());
    std::vector<std::string> keys;
    for (int i = 0; i < kThreads * kDeletesPerThread; ++i) keys.push_back(new_key());
    const long deleted = mock_stat("deleted"), challenges = mock_stat("challenges");
    std::atomic<int> failures{0}, thrown{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kDeletesPerThread; ++i) {
                const std::string &key = keys[static_cast<std::size_t>(t * kDeletesPerThread + i)];
                if (i % 2 == 0) {
                    if (auto error = client.try_delete_org_api_key(kOrg, key)) {
                        seen(*error);
                        ++failures;
                    }
                } else {
                    try {
                        client.delete_org_api_key(kOrg, key);
                    } catch (const Error &error) {
                        seen(error);
                        ++thrown;
                    }
                }
            }
        });
    }
    for (std::thread &thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(thrown.load(), 0);
    EXPECT_EQ(mock_stat("deleted"), deleted + kThreads * kDeletesPerThread);
    // Each request in flight holds its own Digest session: at most one
    // challenge per thread over the client's life.
    EXPECT_LE(mock_stat("challenges"), challenges + kThreads);
}

// The path of key `key` below the API base.
std::string key_path(const std::string &key) {
    return std::string("/orgs/") + kOrg + "/apiKeys/" + key;
}

TEST(Call, DeletesAKeyAndAnswersWithNoBody) {
    const Client client(digest_options());
    const std::string key = new_key();
    const long deleted = mock_stat("deleted");
    const Response response = client.call("DELETE", key_path(key));
    EXPECT_EQ(response.status, 204);
    EXPECT_EQ(response.body, std::nullopt);
    EXPECT_EQ(mock_stat("deleted"), deleted + 1);
    // Errors are the typed calls' errors.
    const Error error = thrown_by([&] { client.call("delete", key_path(key)); });
    EXPECT_EQ(error.status(), Status::NotFound);
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_EQ(error.error_code(), std::optional<std::string>("API_KEY_NOT_FOUND"));
    EXPECT_EQ(error.attempts(), 1u);
}

TEST(Call, EnvelopeGivesTheEnvelopesStatusAndContent) {
    const Client client(digest_options());
    const Response response = client.call("DELETE", key_path(new_key()), std::nullopt,
                                          std::nullopt, CallOptions().envelope().pretty());
    EXPECT_EQ(response.status, 204);
    EXPECT_EQ(response.body, std::optional<std::string>("{}"));
}

TEST(Call, APathAtlasDoesNotServeIsAnHttpError) {
    const Client client(digest_options());
    const Error error = thrown_by([&] { client.call("GET", "/no/such/resource"); });
    EXPECT_EQ(error.status(), Status::HttpError);
    EXPECT_EQ(error.http_status(), 404);
    EXPECT_EQ(error.error_code(), std::optional<std::string>("RESOURCE_NOT_FOUND"));
}

TEST(Call, GetReturnsTheJsonBodyAndSendsTheQuery) {
    const std::string body = R"({"results":[{"id":"a1"}],"totalCount":1})";
    const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: " + std::to_string(body.size()) +
                               "\r\nConnection: close\r\n\r\n" + body;
    canned_server server;
    ASSERT_EQ(canned_server_start(&server, answer.c_str()), 1);
    Response response;
    std::optional<Error> error;
    {
        const Client client(
            ClientOptions().base_url(server.base_url).digest_credentials("abcdefgh", "k"));
        error = client.try_call("GET", std::string("/orgs/") + kOrg + "/apiKeys",
                                "itemsPerPage=2&q=a%26b", std::nullopt, CallOptions(), response);
    }
    canned_server_stop(&server);
    ASSERT_EQ(error, std::nullopt) << seen(*error).what();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, body);
    const std::string request_line = std::string("GET /api/atlas/v1.0/orgs/") + kOrg +
                                     "/apiKeys?itemsPerPage=2&q=a%26b HTTP/1.1\r\n";
    EXPECT_EQ(std::string(server.request).rfind(request_line, 0), 0u) << server.request;
}

TEST(Call, RefusedArgumentsAreNamedAndNothingIsSent) {
    const Client client(digest_options());
    const std::string path = key_path(new_key());
    const long requests = mock_stat("requests");
    const auto refused = [&](const char *name, auto &&call) {
        const Error error = thrown_by(call);
        EXPECT_EQ(error.status(), Status::InvalidArgument) << name;
        EXPECT_NE(std::string(error.what()).find(std::string("`") + name + "`"), std::string::npos)
            << error.what();
        EXPECT_EQ(error.attempts(), 0u);
    };
    refused("method", [&] { client.call("FETCH", path); });
    refused("path", [&] { client.call("GET", "orgs"); });
    refused("path", [&] { client.call("GET", "/api/atlas/v1.0/orgs"); });
    refused("path", [&] { client.call("GET", "/orgs/../x"); });
    refused("path", [&] { client.call("GET", std::string_view("/orgs\0/x", 8)); });
    refused("query", [&] { client.call("GET", path, "=x"); });
    refused("json_body", [&] { client.call("DELETE", path, std::nullopt, "{nope"); });
    refused("json_body",
            [&] { client.call("DELETE", path, std::nullopt, std::string_view("{}\0", 3)); });
    refused("accept", [&] {
        client.delete_org_api_key(kOrg, new_key_id(),
                                  DeleteOptions().accept(std::string_view("a\0b", 3)));
    });
    refused("accept", [&] {
        client.call("DELETE", path, std::nullopt, std::nullopt,
                    CallOptions().accept("application/vnd.atlas.2024-13-01+json"));
    });
    EXPECT_EQ(mock_stat("requests"), requests);
    // The key is still there.
    EXPECT_EQ(client.call("DELETE", path).status, 204);
}

// A client for the mock's Atlas v2, whose one version is 2023-01-01.
Client v2_client() {
    return Client(ClientOptions().host(mock_origin()).api(Api::AtlasV2).max_retries(0)
                      .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"),
                                          env("MONGODB_ATLAS_PRIVATE_API_KEY")));
}

TEST(Call, AcceptChoosesTheVersionPerCall) {
    const Client client = v2_client();
    const std::string key = new_key();
    const CallOptions unserved = CallOptions().accept("application/vnd.atlas.2024-08-05+json");
    Error error = thrown_by(
        [&] { client.call("DELETE", key_path(key), std::nullopt, std::nullopt, unserved); });
    EXPECT_EQ(error.status(), Status::HttpError);
    EXPECT_EQ(error.http_status(), 406);
    EXPECT_EQ(error.error_code(), std::optional<std::string>("INVALID_VERSION"));
    // The delete takes the same options (CallOptions converts to DeleteOptions).
    error = thrown_by([&] { client.delete_org_api_key(kOrg, key, unserved); });
    EXPECT_EQ(error.http_status(), 406);
    client.delete_org_api_key(kOrg, key,
                              DeleteOptions().accept("application/vnd.atlas.2023-01-01+json"));
    EXPECT_EQ(client.call("DELETE", key_path(new_key()), std::nullopt, std::nullopt,
                          CallOptions().accept("application/vnd.atlas.2023-01-01+json")).status,
              204);
}

TEST(Noexcept, TryCallReturnsTheErrorAndClearsTheResponse) {
    Client client;
    Response response;
    response.status = 299;
    response.body = "stale";
    std::optional<Error> error =
        client.try_call("GET", "/orgs", std::nullopt, std::nullopt, CallOptions(), response);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(seen(*error).status(), Status::InvalidArgument);
    EXPECT_EQ(response.status, 0);
    EXPECT_EQ(response.body, std::nullopt);
    ASSERT_EQ(Client::try_create(digest_options(), client), std::nullopt);
    const std::string path = key_path(new_key());
    error = client.try_call("DELETE", path, std::nullopt, std::nullopt, CallOptions(), response);
    EXPECT_EQ(error, std::nullopt);
    EXPECT_EQ(response.status, 204);
    error = client.try_call("DELETE", path, std::nullopt, std::nullopt, CallOptions(), response);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(seen(*error).status(), Status::NotFound);
    EXPECT_EQ(response.status, 0);
}

TEST(Cancel, CancelAllStopsACallInFlightAndNotLaterOnes) {
    canned_server silent;
    ASSERT_EQ(canned_server_start(&silent, nullptr), 1);  // accepts, never answers
    const Client client(ClientOptions()
                            .base_url(silent.base_url)
                            .digest_credentials("abcdefgh", "k")
                            .timeout(30s));
    std::optional<Error> error;
    std::chrono::steady_clock::time_point returned;
    std::thread call([&] {
        error = client.try_delete_org_api_key(kOrg, "6a1b2c3d4e5f6a7b8c9d0e1f");
        returned = std::chrono::steady_clock::now();
    });
    std::this_thread::sleep_for(500ms);  // a real wait: the call is blocked on the server
    const auto cancelled = std::chrono::steady_clock::now();
    client.cancel_all();
    call.join();
    canned_server_stop(&silent);  // returns once the cancelled call closed its connection
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(seen(*error).status(), Status::Cancelled) << error->what();
    EXPECT_LT(returned - cancelled, 1s);
    EXPECT_STREQ(atlas_admin::to_string(Status::Cancelled), "cancelled");
    // Calls made afterwards are not cancelled; an empty client ignores it.
    const Client mock(digest_options());
    mock.cancel_all();
    mock.delete_org_api_key(kOrg, new_key());
    Client().cancel_all();
}

TEST(Response, MovesAndCopiesKeepTheBodyAndClearTheSource) {
    Response first;
    first.status = 200;
    first.body = std::string(100, 'x');
    Response copy = first;
    EXPECT_EQ(copy.body, first.body);
    Response moved = std::move(first);
    EXPECT_EQ(moved.body, copy.body);
    EXPECT_EQ(first.status, 0);  // NOLINT(bugprone-use-after-move): cleared on purpose
    EXPECT_EQ(first.body, std::nullopt);
    copy = std::move(moved);
    EXPECT_EQ(copy.status, 200);
    EXPECT_EQ(moved.body, std::nullopt);  // NOLINT(bugprone-use-after-move)
    copy.clear();
    EXPECT_EQ(copy.status, 0);
    EXPECT_EQ(copy.body, std::nullopt);
}

}  // namespace
