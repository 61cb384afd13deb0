// atlas_admin.hpp: a header-only C++17 wrapper over the atlas-admin C ABI
// (atlas_admin.h, libatlas_admin). Link with -latlas_admin, or with the
// CMake target atlas_admin::atlas_admin, and compile as C++17 or later.
//
//   atlas_admin::Client client(atlas_admin::ClientOptions()
//                                  .base_url("https://cloud.mongodb.com/api/atlas/v1.0")
//                                  .digest_credentials("PUBLIC-KEY", "PRIVATE-KEY"));
//   client.delete_org_api_key(org_id, key_id);       // throws atlas_admin::Error
//   client.delete_org_api_key(org_id, key_id, atlas_admin::DeleteOptions().missing_ok());
//   atlas_admin::ApiKey key = client.create_org_api_key(org_id, "ci", {"ORG_MEMBER"});
//   // key.private_key holds the secret this once; wiped when `key` goes.
//   std::optional<atlas_admin::ApiKey> leaked = client.find_org_api_key(org_id, "abcdefgh");
//   client.add_org_api_key_access_list(org_id, key.id, {"192.0.2.1", "10.0.0.0/24"});
//   atlas_admin::Response keys = client.call("GET", "/orgs/" + org_id + "/apiKeys",
//                                            "itemsPerPage=100");  // any endpoint
//
// Ownership: ClientOptions and Client own their C handle alone (move-only;
// a moved-from object is empty and its calls fail with
// Status::InvalidArgument). Error is an ordinary copyable exception that
// keeps everything the C atlas_error held; it owns no C handle. ApiKey,
// AccessListEntry and Response are plain values copied out of the C
// handles, which are freed before the call returns.
//
// Errors: with exceptions, ClientOptions setters, the Client constructor
// and every Client call (delete_org_api_key, call, the key calls) throw
// atlas_admin::Error on failure. The noexcept route never throws (except
// that running out of memory terminates, as it does in any noexcept
// function): each call has a try_ form returning std::optional<Error>,
// filling an out parameter on success.
//
//   atlas_admin::ClientOptions options(std::nothrow);  // setters keep their first failure
//   options.base_url(url).digest_credentials(public_key, private_key);
//   atlas_admin::Client client;
//   if (auto error = atlas_admin::Client::try_create(options, client)) { ... }  // reports it
//   if (auto error = client.try_delete_org_api_key(org_id, key_id)) { ... error->status() ... }
//   atlas_admin::Response response;
//   if (auto error = client.try_call("GET", path, std::nullopt, std::nullopt, {}, response)) {
//       ...
//   }
//   std::vector<atlas_admin::ApiKey> all;
//   if (auto error = client.try_list_org_api_keys(org_id, {}, all)) { ... }
//
// Built without exceptions (-fno-exceptions), the throwing functions are
// left out and every ClientOptions keeps its first failure this way.
//
// Threads: one Client may be used by many threads at once (and should be:
// it pools connections and shares the Digest challenge and the service
// account's token). ClientOptions is for one thread at a time. Error is
// immutable.
//
// SPDX-License-Identifier: Apache-2.0
#ifndef ATLAS_ADMIN_HPP
#define ATLAS_ADMIN_HPP

#include "atlas_admin.h"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#error "atlas_admin.hpp needs C++17 or later (e.g. -std=c++17, or cxx_std_17 in CMake)"
#endif

// 1 when the throwing API is available; define it to 0 to leave it out.
#ifndef ATLAS_ADMIN_EXCEPTIONS
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define ATLAS_ADMIN_EXCEPTIONS 1
#else
#define ATLAS_ADMIN_EXCEPTIONS 0
#endif
#endif

namespace atlas_admin {

// The outcome of a call; the numbers are atlas_status's, part of the ABI.
enum class Status : std::uint32_t {
    Ok = ATLAS_STATUS_OK,
    InvalidArgument = ATLAS_STATUS_INVALID_ARGUMENT,
    Unauthorized = ATLAS_STATUS_UNAUTHORIZED,
    Forbidden = ATLAS_STATUS_FORBIDDEN,
    NotFound = ATLAS_STATUS_NOT_FOUND,
    RateLimited = ATLAS_STATUS_RATE_LIMITED,
    HttpError = ATLAS_STATUS_HTTP_ERROR,
    ServerError = ATLAS_STATUS_SERVER_ERROR,
    Timeout = ATLAS_STATUS_TIMEOUT,
    Transport = ATLAS_STATUS_TRANSPORT,
    Protocol = ATLAS_STATUS_PROTOCOL,
    Internal = ATLAS_STATUS_INTERNAL,
    Cancelled = ATLAS_STATUS_CANCELLED,
};

// A short, static, English description, e.g. "not found" (atlas_status_str).
inline const char *to_string(Status status) noexcept {
    return atlas_status_str(static_cast<std::uint32_t>(status));
}

// The API flavour (atlas_api).
enum class Api : std::uint32_t {
    AtlasV1 = ATLAS_API_ATLAS_V1,        // {host}/api/atlas/v1.0, the default
    AtlasV2 = ATLAS_API_ATLAS_V2,        // {host}/api/atlas/v2
    OpsManager = ATLAS_API_OPS_MANAGER,  // Cloud or Ops Manager, {host}/api/public/v1.0
};

// The library's version, e.g. "0.1.0" (atlas_version).
inline const char *version() noexcept { return atlas_version(); }

// A failed call: what() is the library's message (never a secret), and the
// accessors give what the server answered, if it did.
class Error : public std::runtime_error {
  public:
    // An error made by the caller or this wrapper: no answer, no attempt.
    Error(Status status, const std::string &message)
        : Error(message, std::make_shared<Details>(status)) {}
    // Copies share the immutable details; there is no separate move, so a
    // moved-from Error keeps them too.
    Error(const Error &) noexcept = default;
    Error &operator=(const Error &) noexcept = default;
    ~Error() override = default;

    // Takes over a C error returned with `status` (and frees it); NULL
    // gives an error with atlas_status_str(status) as its message.
    static Error adopt(atlas_status status, atlas_error *error) {
        std::unique_ptr<atlas_error, void (*)(atlas_error *)> owned(error, atlas_error_free);
        auto details = std::make_shared<Details>(static_cast<Status>(status));
        if (error == nullptr) {
            return Error(atlas_status_str(status), std::move(details));
        }
        details->status = static_cast<Status>(atlas_error_status(error));
        details->http_status = atlas_error_http_status(error);
        details->error_code = text(atlas_error_code(error));
        details->detail = text(atlas_error_detail(error));
        details->reason = text(atlas_error_reason(error));
        details->location = text(atlas_error_location(error));
        details->body = text(atlas_error_body(error));
        const std::size_t count = atlas_error_parameter_count(error);
        details->parameters.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const char *parameter = atlas_error_parameter(error, i);
            details->parameters.emplace_back(parameter != nullptr ? parameter : "");
        }
        const std::int64_t retry_after_ms = atlas_error_retry_after_ms(error);
        if (retry_after_ms >= 0) {
            details->retry_after = std::chrono::milliseconds(retry_after_ms);
        }
        details->attempts = atlas_error_attempts(error);
        const char *message = atlas_error_message(error);
        return Error(message != nullptr ? message : atlas_status_str(status), std::move(details));
    }

    // What went wrong, as the C API's atlas_status names it.
    Status status() const noexcept { return details_->status; }
    // The HTTP status of the answer (the envelope's with envelope()), 0 without one.
    std::uint16_t http_status() const noexcept { return details_->http_status; }
    // Atlas' errorCode, e.g. "API_KEY_NOT_FOUND".
    const std::optional<std::string> &error_code() const noexcept { return details_->error_code; }
    // Atlas' human-readable detail.
    const std::optional<std::string> &detail() const noexcept { return details_->detail; }
    // Atlas' reason, e.g. "Bad Request".
    const std::optional<std::string> &reason() const noexcept { return details_->reason; }
    // Atlas' parameters list.
    const std::vector<std::string> &parameters() const noexcept { return details_->parameters; }
    // The server's Retry-After.
    std::optional<std::chrono::milliseconds> retry_after() const noexcept {
        return details_->retry_after;
    }
    // The Location of a redirect (reported, never followed).
    const std::optional<std::string> &location() const noexcept { return details_->location; }
    // The raw response body (at most 1 MiB), when there was an answer.
    const std::optional<std::string> &body() const noexcept { return details_->body; }
    // Attempts made, answered or not; 0 when nothing was sent.
    std::uint32_t attempts() const noexcept { return details_->attempts; }

  private:
    struct Details {
        explicit Details(Status s) noexcept : status(s) {}
        Status status;
        std::uint16_t http_status = 0;
        std::optional<std::string> error_code, detail, reason, location, body;
        std::vector<std::string> parameters;
        std::optional<std::chrono::milliseconds> retry_after;
        std::uint32_t attempts = 0;
    };

    Error(const std::string &message, std::shared_ptr<const Details> details)
        : std::runtime_error(message), details_(std::move(details)) {}

    static std::optional<std::string> text(const char *value) {
        return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
    }

    // Shared and immutable, so copying an Error (as throwing may) never throws.
    std::shared_ptr<const Details> details_;
};

static_assert(std::is_nothrow_copy_constructible<Error>::value, "Error copies without throwing");
static_assert(std::is_nothrow_move_constructible<Error>::value, "Error moves without throwing");

namespace detail {

// Overwrites every byte `text` holds, spare capacity included, with NUL.
inline void wipe(std::string &text) noexcept {
    text.resize(text.capacity());  // within capacity: never allocates
    volatile char *p = text.data();
    for (std::size_t i = 0; i < text.size(); ++i) p[i] = '\0';
}

// A NUL-terminated copy of a string argument for one C call. A copy of a
// secret is wiped before its memory is released.
class CString {
  public:
    explicit CString(std::string_view value, bool secret = false)
        : value_(value), secret_(secret) {}
    CString(const CString &) = delete;
    CString &operator=(const CString &) = delete;
    ~CString() {
        if (secret_) wipe(value_);
    }
    const char *c_str() const noexcept { return value_.c_str(); }
    // The copy, NUL bytes included (for check_text).
    std::string_view view() const noexcept { return value_; }

  private:
    std::string value_;
    bool secret_;
};

// The C functions would stop at an embedded NUL: refuse it instead.
inline std::optional<Error> check_text(const char *name, std::string_view value) {
    if (value.find('\0') == std::string_view::npos) return std::nullopt;
    return Error(Status::InvalidArgument,
                 std::string("invalid argument `") + name + "`: contains a NUL byte");
}

// A duration as the C ABI's uint32_t milliseconds.
inline std::optional<Error> check_millis(const char *name, std::chrono::milliseconds value,
                                         std::uint32_t &out) {
    if (value.count() < 0 || value.count() > std::numeric_limits<std::uint32_t>::max()) {
        return Error(Status::InvalidArgument,
                     std::string("invalid argument `") + name +
                         "`: must be between 0 and 4294967295 ms");
    }
    out = static_cast<std::uint32_t>(value.count());
    return std::nullopt;
}

struct OptionsFree {
    void operator()(atlas_client_options *options) const noexcept {
        atlas_client_options_free(options);
    }
};

struct ClientFree {
    void operator()(atlas_client *client) const noexcept { atlas_client_free(client); }
};

struct ResponseFree {
    void operator()(atlas_response *response) const noexcept { atlas_response_free(response); }
};

struct ApiKeyFree {
    void operator()(atlas_api_key *key) const noexcept { atlas_api_key_free(key); }
};

struct ApiKeyListFree {
    void operator()(atlas_api_key_list *list) const noexcept { atlas_api_key_list_free(list); }
};

struct AccessListFree {
    void operator()(atlas_access_list *list) const noexcept { atlas_access_list_free(list); }
};

// A string array argument for one C call (`const char *const *` and a
// count), copied so that it outlives whatever it was copied from. An empty
// array still has a non-NULL pointer, so C tells "an empty list" (which
// the library judges) from "none given" (NULL).
class CStringArray {
  public:
    explicit CStringArray(const std::vector<std::string> &values) : values_(values) {
        pointers_.reserve(values_.size());
        for (const std::string &value : values_) pointers_.push_back(value.c_str());
    }
    CStringArray(const CStringArray &) = delete;
    CStringArray &operator=(const CStringArray &) = delete;
    const char *const *data() const noexcept {
        static const char *const none[1] = {nullptr};
        return pointers_.empty() ? none : pointers_.data();
    }
    std::size_t size() const noexcept { return pointers_.size(); }
    // The C functions would stop at an embedded NUL in any element:
    // refuse it instead, naming the element (`roles[1]`).
    std::optional<Error> check(const char *name) const {
        for (std::size_t i = 0; i < values_.size(); ++i) {
            const std::string element = std::string(name) + "[" + std::to_string(i) + "]";
            if (auto error = check_text(element.c_str(), values_[i])) return error;
        }
        return std::nullopt;
    }

  private:
    std::vector<std::string> values_;
    std::vector<const char *> pointers_;
};

}  // namespace detail

// The options every call takes (Client::call, the key calls; DeleteOptions hold them),
// all off and the client's media type by default. Setters return *this;
// flags take `bool on = true`.
class CallOptions {
  public:
    CallOptions() noexcept = default;
    // Ask Atlas for a pretty-printed body (pretty=true).
    CallOptions &pretty(bool on = true) noexcept { return set(ATLAS_CALL_PRETTY, on); }
    // Ask Atlas to wrap its answer in an envelope (envelope=true); the
    // envelope's status decides the outcome and is the one reported.
    CallOptions &envelope(bool on = true) noexcept { return set(ATLAS_CALL_ENVELOPE, on); }
    // The Accept media type to send instead of the client's, e.g.
    // "application/vnd.atlas.2024-08-05+json" (Atlas v2 versions each
    // resource by date); std::nullopt keeps the client's. The library
    // checks it when the call is made.
    CallOptions &accept(std::optional<std::string_view> media_type) {
        accept_ = media_type ? std::optional<std::string>(*media_type) : std::nullopt;
        return *this;
    }
    // The ATLAS_CALL_* flags set.
    std::uint32_t flags() const noexcept { return flags_; }
    // The media type set with accept(), if any.
    const std::optional<std::string> &media_type() const noexcept { return accept_; }

  private:
    CallOptions &set(int flag, bool on) noexcept {
        flags_ = on ? (flags_ | static_cast<std::uint32_t>(flag))
                    : (flags_ & ~static_cast<std::uint32_t>(flag));
        return *this;
    }
    std::uint32_t flags_ = 0;
    std::optional<std::string> accept_;
};

// The options of a delete: those of every call, and missing_ok. Setters
// return *this; flags take `bool on = true`.
class DeleteOptions {
  public:
    DeleteOptions() noexcept = default;
    // A delete with these call options and missing_ok off.
    // Implicit, so a CallOptions may be passed where DeleteOptions are taken.
    DeleteOptions(CallOptions call) noexcept : call_(std::move(call)) {}
    // Ask Atlas for a pretty-printed body (pretty=true).
    DeleteOptions &pretty(bool on = true) noexcept {
        call_.pretty(on);
        return *this;
    }
    // Ask Atlas to wrap its answer in an envelope (envelope=true); its status decides.
    DeleteOptions &envelope(bool on = true) noexcept {
        call_.envelope(on);
        return *this;
    }
    // The Accept media type instead of the client's (CallOptions::accept).
    DeleteOptions &accept(std::optional<std::string_view> media_type) {
        call_.accept(media_type);
        return *this;
    }
    // A key that does not exist (Atlas' own API_KEY_NOT_FOUND) is success.
    DeleteOptions &missing_ok(bool on = true) noexcept {
        missing_ok_ = on;
        return *this;
    }
    // The options every call takes.
    const CallOptions &call() const noexcept { return call_; }
    // The flags for atlas_delete_org_api_key: the ATLAS_CALL_* flags and
    // ATLAS_DELETE_MISSING_OK.
    std::uint32_t flags() const noexcept {
        const auto missing_ok = static_cast<std::uint32_t>(ATLAS_DELETE_MISSING_OK);
        return call_.flags() | (missing_ok_ ? missing_ok : 0u);
    }

  private:
    CallOptions call_;
    bool missing_ok_ = false;
};

// The answer to a successful Client::call. The body may hold a secret (a
// new API key's privateKey): its bytes are wiped when the Response is
// destroyed or reset by try_call.
struct Response {
    // The HTTP status, e.g. 200 or 204 (with envelope(), the envelope's).
    std::uint16_t status = 0;
    // The body as compact JSON text; std::nullopt when there was none.
    std::optional<std::string> body;

    Response() noexcept = default;
    Response(const Response &) = default;
    // A moved-from Response is cleared, so no stray copy of the body is left.
    Response(Response &&other) noexcept : status(other.status), body(std::move(other.body)) {
        other.clear();
    }
    Response &operator=(const Response &other) {
        if (this != &other) {
            clear();
            status = other.status;
            body = other.body;
        }
        return *this;
    }
    Response &operator=(Response &&other) noexcept {
        if (this != &other) {
            clear();
            status = other.status;
            body = std::move(other.body);
            other.clear();
        }
        return *this;
    }
    ~Response() { clear(); }

    // Back to no status and no body, wiping the body first.
    void clear() noexcept {
        status = 0;
        if (body) detail::wipe(*body);
        body.reset();
    }
};

// An organization API key (atlas_api_key): what Atlas shows of it, and
// its private key only in the answer to Client::create_org_api_key. The
// private key's bytes are wiped when the ApiKey is destroyed, moved from
// or assigned to; store it at once and never print it.
struct ApiKey {
    // The key's ID, 24 hex digits.
    std::string id;
    // The public key: the Digest user name, what logs and leak reports show.
    std::string public_key;
    // What the key is for (Atlas' desc).
    std::string description;
    // Its organization roles, e.g. "ORG_MEMBER".
    std::vector<std::string> roles;
    // The private key, only right after creation; std::nullopt otherwise.
    std::optional<std::string> private_key;

    ApiKey() noexcept = default;
    ApiKey(const ApiKey &) = default;
    // A moved-from ApiKey has no private key left, not even in spare bytes.
    ApiKey(ApiKey &&other) noexcept
        : id(std::move(other.id)),
          public_key(std::move(other.public_key)),
          description(std::move(other.description)),
          roles(std::move(other.roles)),
          private_key(std::move(other.private_key)) {
        other.wipe_private_key();
    }
    ApiKey &operator=(const ApiKey &other) {
        if (this != &other) {
            wipe_private_key();
            id = other.id;
            public_key = other.public_key;
            description = other.description;
            roles = other.roles;
            private_key = other.private_key;
        }
        return *this;
    }
    ApiKey &operator=(ApiKey &&other) noexcept {
        if (this != &other) {
            wipe_private_key();
            id = std::move(other.id);
            public_key = std::move(other.public_key);
            description = std::move(other.description);
            roles = std::move(other.roles);
            private_key = std::move(other.private_key);
            other.wipe_private_key();
        }
        return *this;
    }
    ~ApiKey() { wipe_private_key(); }

    // Wipes the private key's bytes and forgets it.
    void wipe_private_key() noexcept {
        if (private_key) detail::wipe(*private_key);
        private_key.reset();
    }
};

// One entry of an API key's access list (atlas_access_list).
struct AccessListEntry {
    // The network allowed, e.g. "10.0.0.0/24" (an address is "/32").
    std::optional<std::string> cidr_block;
    // The address allowed, when the entry was given as one.
    std::optional<std::string> ip_address;
};

namespace detail {

inline std::string text_or_empty(const char *text) { return text != nullptr ? text : ""; }

inline std::optional<std::string> text_or_none(const char *text) {
    return text != nullptr ? std::optional<std::string>(text) : std::nullopt;
}

// A C key as an ApiKey; the private key is copied once, at its size.
inline ApiKey api_key(const atlas_api_key *key) {
    ApiKey out;
    out.id = text_or_empty(atlas_api_key_id(key));
    out.public_key = text_or_empty(atlas_api_key_public_key(key));
    out.description = text_or_empty(atlas_api_key_description(key));
    const std::size_t count = atlas_api_key_role_count(key);
    out.roles.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        out.roles.push_back(text_or_empty(atlas_api_key_role(key, i)));
    }
    if (const char *secret = atlas_api_key_private_key(key)) out.private_key.emplace(secret);
    return out;
}

// A C access list as entries.
inline std::vector<AccessListEntry> access_list(const atlas_access_list *list) {
    std::vector<AccessListEntry> entries(atlas_access_list_len(list));
    for (std::size_t i = 0; i < entries.size(); ++i) {
        entries[i].cidr_block = text_or_none(atlas_access_list_cidr_block(list, i));
        entries[i].ip_address = text_or_none(atlas_access_list_ip_address(list, i));
    }
    return entries;
}

}  // namespace detail

// Settings for a new Client, mirroring the atlas_client_options_* functions
// (their documentation in atlas_admin.h applies). Each setter returns
// *this. A setter whose C function fails (e.g. load_env naming a profile
// that does not exist, text that is not UTF-8 or holds a NUL) throws Error,
// or, for options made with std::nothrow (or without exceptions), keeps
// the first such failure for Client::try_create (or the Client
// constructor) to report; later setters still apply. Some values (URLs,
// zero timeouts, the CA file) are only checked when the client is created.
class ClientOptions {
  public:
#if ATLAS_ADMIN_EXCEPTIONS
    // Setters throw Error on failure.
    ClientOptions() : ClientOptions(true) {
        if (first_error_) throw *first_error_;
    }
#else
    ClientOptions() noexcept : ClientOptions(false) {}
#endif
    // Setters never throw; the first failure is kept (see error()).
    explicit ClientOptions(const std::nothrow_t &) noexcept : ClientOptions(false) {}

    ClientOptions(ClientOptions &&) noexcept = default;
    ClientOptions &operator=(ClientOptions &&) noexcept = default;
    ClientOptions(const ClientOptions &) = delete;
    ClientOptions &operator=(const ClientOptions &) = delete;
    ~ClientOptions() = default;

    // The full API base URL, e.g. "https://ops.example.com:8443/api/public/v1.0".
    ClientOptions &base_url(std::string_view url) {
        return set_text("base_url", url, atlas_client_options_set_base_url);
    }
    // The host, e.g. "https://cloud.mongodb.com"; the API flavour's path goes below it.
    ClientOptions &host(std::string_view host) {
        return set_text("host", host, atlas_client_options_set_host);
    }
    // The API flavour: Atlas v1.0 (the default), Atlas v2 or Cloud/Ops Manager.
    ClientOptions &api(Api api) {
        return apply([api](atlas_client_options *options, atlas_error **error) {
            return atlas_client_options_set_api(options, static_cast<std::uint32_t>(api), error);
        });
    }
    // An API key, for HTTP Digest; the private key is never in any message.
    ClientOptions &digest_credentials(std::string_view public_key, std::string_view private_key) {
        return set_pair("public_key", public_key, "private_key", private_key,
                        atlas_client_options_set_digest_credentials);
    }
    // A service account (OAuth 2.0 client credentials).
    ClientOptions &service_account(std::string_view client_id, std::string_view client_secret) {
        return set_pair("client_id", client_id, "client_secret", client_secret,
                        atlas_client_options_set_service_account);
    }
    // How long establishing a connection (TCP and TLS) may take; more than zero.
    ClientOptions &connect_timeout(std::chrono::milliseconds timeout) {
        return set_millis("connect_timeout", timeout,
                          atlas_client_options_set_connect_timeout_ms);
    }
    // One HTTP exchange, connecting to the end of the body.
    ClientOptions &timeout(std::chrono::milliseconds timeout) {
        return set_millis("timeout", timeout, atlas_client_options_set_timeout_ms);
    }
    // 0 turns retries off.
    ClientOptions &max_retries(std::uint32_t retries) {
        return apply([retries](atlas_client_options *options, atlas_error **error) {
            return atlas_client_options_set_max_retries(options, retries, error);
        });
    }
    // The most time one call may take, all attempts and waits included.
    ClientOptions &retry_budget(std::chrono::milliseconds budget) {
        return set_millis("retry_budget", budget, atlas_client_options_set_retry_budget_ms);
    }
    // How many idle connections the client keeps open for later calls; 0 keeps none.
    ClientOptions &max_idle_connections(std::uint32_t connections) {
        return apply([connections](atlas_client_options *options, atlas_error **error) {
            return atlas_client_options_set_max_idle_connections(options, connections, error);
        });
    }
    // Trust the CA certificates in this PEM file instead of the bundled roots.
    ClientOptions &ca_bundle(std::string_view path) {
        return set_text("ca_bundle", path, atlas_client_options_set_ca_bundle);
    }
    // Allow plain http:// to a host that is not loopback.
    ClientOptions &allow_insecure_http(bool on = true) {
        return apply([on](atlas_client_options *options, atlas_error **error) {
            return atlas_client_options_set_allow_insecure_http(options, on, error);
        });
    }
    // The proxy every request goes through (e.g. "http://proxy.example.com:3128"),
    // whatever the environment says; by default HTTPS_PROXY, ALL_PROXY and NO_PROXY decide.
    ClientOptions &proxy(std::string_view url) {
        return set_text("proxy", url, atlas_client_options_set_proxy);
    }
    // No proxy at all, whatever the environment names.
    ClientOptions &disable_proxy() {
        return apply(atlas_client_options_disable_proxy);
    }
    // Credentials and host from the environment, then Atlas CLI profile
    // `profile` ("default" when none is named).
    ClientOptions &load_env(std::optional<std::string_view> profile = std::nullopt) {
        if (!profile) {
            return apply([](atlas_client_options *options, atlas_error **error) {
                return atlas_client_options_load_env(options, nullptr, error);
            });
        }
        return set_text("profile", *profile, atlas_client_options_load_env);
    }

    // The first failure kept by options made with std::nothrow, if any.
    const std::optional<Error> &error() const noexcept { return first_error_; }
    // The C handle, still owned by these options (NULL when moved from).
    atlas_client_options *handle() const noexcept { return handle_.get(); }

  private:
    explicit ClientOptions(bool throws) noexcept
        : handle_(atlas_client_options_new()), throws_(throws) {
        if (!handle_) {
            first_error_.emplace(Status::Internal, "atlas_client_options_new failed");
        }
    }

    ClientOptions &fail(Error error) {
#if ATLAS_ADMIN_EXCEPTIONS
        if (throws_) throw error;
#endif
        if (!first_error_) first_error_.emplace(std::move(error));
        return *this;
    }

    template <class Call>
    ClientOptions &apply(Call &&call) {
        if (!handle_) {
            return fail(Error(Status::InvalidArgument,
                              "invalid argument `options`: these atlas_admin::ClientOptions are "
                              "empty (moved from)"));
        }
        atlas_error *error = nullptr;
        const atlas_status status = call(handle_.get(), &error);
        if (status != ATLAS_STATUS_OK) return fail(Error::adopt(status, error));
        return *this;
    }

    template <class SetText>
    ClientOptions &set_text(const char *name, std::string_view value, SetText set) {
        if (auto error = detail::check_text(name, value)) return fail(std::move(*error));
        const detail::CString text(value);
        return apply([&](atlas_client_options *options, atlas_error **error) {
            return set(options, text.c_str(), error);
        });
    }

    template <class SetPair>
    ClientOptions &set_pair(const char *first_name, std::string_view first,
                            const char *second_name, std::string_view second, SetPair set) {
        if (auto error = detail::check_text(first_name, first)) return fail(std::move(*error));
        if (auto error = detail::check_text(second_name, second)) return fail(std::move(*error));
        const detail::CString first_text(first), second_text(second, /*secret=*/true);
        return apply([&](atlas_client_options *options, atlas_error **error) {
            return set(options, first_text.c_str(), second_text.c_str(), error);
        });
    }

    template <class SetMillis>
    ClientOptions &set_millis(const char *name, std::chrono::milliseconds value, SetMillis set) {
        std::uint32_t millis = 0;
        if (auto error = detail::check_millis(name, value, millis)) return fail(std::move(*error));
        return apply([&](atlas_client_options *options, atlas_error **error) {
            return set(options, millis, error);
        });
    }

    std::unique_ptr<atlas_client_options, detail::OptionsFree> handle_;
    bool throws_;
    std::optional<Error> first_error_;
};

// A client for the Atlas Administration API. Move-only; thread-safe.
// With a service account, call close() when done: the destructor, like
// atlas_client_free, does no network I/O and leaves the token to lapse.
class Client {
  public:
    // An empty client, e.g. for try_create to fill; its calls fail with
    // Status::InvalidArgument.
    Client() noexcept = default;

#if ATLAS_ADMIN_EXCEPTIONS
    // Throws Error: the options' kept failure, or why no client could be made.
    explicit Client(const ClientOptions &options) {
        if (auto error = try_create(options, *this)) throw std::move(*error);
    }
#endif

    // Makes a client from `options` into `out`; returns the failure (the
    // options' kept one first), leaving `out` empty, or nullopt.
    static std::optional<Error> try_create(const ClientOptions &options, Client &out) noexcept {
        out.handle_.reset();
        if (options.error()) return options.error();
        atlas_client *client = nullptr;
        atlas_error *error = nullptr;
        const atlas_status status = atlas_client_new(options.handle(), &client, &error);
        if (status != ATLAS_STATUS_OK) {
            atlas_client_free(client);
            return Error::adopt(status, error);
        }
        out.handle_.reset(client);
        return std::nullopt;
    }

    Client(Client &&) noexcept = default;
    Client &operator=(Client &&) noexcept = default;
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    ~Client() = default;

    // False when empty (default-constructed, failed try_create, moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }
    // The C handle, still owned by this client (NULL when empty).
    atlas_client *handle() const noexcept { return handle_.get(); }

    // Makes every call in flight on this client fail with Status::Cancelled
    // within about 200 ms; calls started afterwards are not affected
    // (atlas_client_cancel_all). Safe from any thread and from a signal
    // handler; nothing on an empty client.
    void cancel_all() const noexcept { atlas_client_cancel_all(handle_.get()); }

    // Revokes the access token this client minted for its service account
    // (atlas_client_close): best effort, within 1 s, a failure logged and
    // never thrown; nothing is sent when there is no token to revoke, and
    // nothing happens on an empty client. The client stays usable (a later
    // call mints a new token); closing twice revokes once. Calls in flight
    // on other threads are not waited for: close once they are done. The
    // destructor does not close: it does no network I/O.
    void close() const noexcept { atlas_client_close(handle_.get()); }

#if ATLAS_ADMIN_EXCEPTIONS
    // DELETE {base}/orgs/{org_id}/apiKeys/{api_key_id}; throws Error on
    // failure (Status::NotFound when the key does not exist, unless
    // missing_ok()). Both IDs are 24 lowercase hex characters.
    void delete_org_api_key(std::string_view org_id, std::string_view api_key_id,
                            const DeleteOptions &options = DeleteOptions()) const {
        if (auto error = try_delete_org_api_key(org_id, api_key_id, options)) {
            throw std::move(*error);
        }
    }

    // `method` ("GET", "POST", "PUT", "PATCH" or "DELETE", in any case) on
    // `path` below the client's API base (e.g. "/orgs/{ORG-ID}/apiKeys"),
    // with `query` ("name=value&name=value", %-escapes decoded) and a JSON
    // body: any endpoint, with the typed calls' authentication, retries
    // and errors (atlas_call_with_accept documents each rule). Returns the
    // answer to a 2xx; throws Error otherwise, and for a refused argument
    // (Status::InvalidArgument, naming it, with nothing sent).
    Response call(std::string_view method, std::string_view path,
                  std::optional<std::string_view> query = std::nullopt,
                  std::optional<std::string_view> json_body = std::nullopt,
                  const CallOptions &options = CallOptions()) const {
        Response response;
        if (auto error = try_call(method, path, query, json_body, options, response)) {
            throw std::move(*error);
        }
        return response;
    }

    // Every API key of organization `org_id`, all pages
    // (atlas_list_org_api_keys); throws Error on failure.
    std::vector<ApiKey> list_org_api_keys(std::string_view org_id,
                                          const CallOptions &options = CallOptions()) const {
        std::vector<ApiKey> keys;
        if (auto error = try_list_org_api_keys(org_id, options, keys)) throw std::move(*error);
        return keys;
    }

    // API key `api_key_id` of organization `org_id` (atlas_get_org_api_key);
    // throws Error (Status::NotFound when it does not exist).
    ApiKey get_org_api_key(std::string_view org_id, std::string_view api_key_id,
                           const CallOptions &options = CallOptions()) const {
        ApiKey key;
        if (auto error = try_get_org_api_key(org_id, api_key_id, options, key)) {
            throw std::move(*error);
        }
        return key;
    }

    // The key of organization `org_id` whose public key is `public_key`, or
    // std::nullopt (atlas_find_org_api_key); throws Error on failure.
    std::optional<ApiKey> find_org_api_key(std::string_view org_id, std::string_view public_key,
                                           const CallOptions &options = CallOptions()) const {
        std::optional<ApiKey> key;
        if (auto error = try_find_org_api_key(org_id, public_key, options, key)) {
            throw std::move(*error);
        }
        return key;
    }

    // A new API key of organization `org_id` with `description` and
    // organization `roles` (atlas_create_org_api_key): its private_key is
    // set, this once. Throws Error on failure.
    ApiKey create_org_api_key(std::string_view org_id, std::string_view description,
                              const std::vector<std::string> &roles,
                              const CallOptions &options = CallOptions()) const {
        ApiKey key;
        if (auto error = try_create_org_api_key(org_id, description, roles, options, key)) {
            throw std::move(*error);
        }
        return key;
    }

    // Changes the description and/or the roles of API key `api_key_id`
    // (atlas_update_org_api_key; std::nullopt leaves one unchanged, an
    // empty role list is refused) and returns the key as it now is. Throws
    // Error on failure.
    ApiKey update_org_api_key(std::string_view org_id, std::string_view api_key_id,
                              const std::optional<std::string> &description,
                              const std::optional<std::vector<std::string>> &roles,
                              const CallOptions &options = CallOptions()) const {
        ApiKey key;
        if (auto error =
                try_update_org_api_key(org_id, api_key_id, description, roles, options, key)) {
            throw std::move(*error);
        }
        return key;
    }

    // The access list of API key `api_key_id`, all pages
    // (atlas_list_org_api_key_access_list); throws Error on failure.
    std::vector<AccessListEntry> list_org_api_key_access_list(
        std::string_view org_id, std::string_view api_key_id,
        const CallOptions &options = CallOptions()) const {
        std::vector<AccessListEntry> entries;
        if (auto error = try_list_org_api_key_access_list(org_id, api_key_id, options, entries)) {
            throw std::move(*error);
        }
        return entries;
    }

    // Adds `entries` (IP addresses or CIDR blocks) to the access list of
    // API key `api_key_id` (atlas_add_org_api_key_access_list) and returns
    // the list as Atlas answers (its first page). Throws Error on failure.
    std::vector<AccessListEntry> add_org_api_key_access_list(
        std::string_view org_id, std::string_view api_key_id,
        const std::vector<std::string> &entries,
        const CallOptions &options = CallOptions()) const {
        std::vector<AccessListEntry> answer;
        if (auto error =
                try_add_org_api_key_access_list(org_id, api_key_id, entries, options, answer)) {
            throw std::move(*error);
        }
        return answer;
    }

    // Removes `entry` (an IP address or CIDR block) from the access list of
    // API key `api_key_id` (atlas_delete_org_api_key_access_list_entry);
    // throws Error on failure.
    void delete_org_api_key_access_list_entry(std::string_view org_id,
                                              std::string_view api_key_id,
                                              std::string_view entry,
                                              const CallOptions &options = CallOptions()) const {
        if (auto error =
                try_delete_org_api_key_access_list_entry(org_id, api_key_id, entry, options)) {
            throw std::move(*error);
        }
    }
#endif

    // The same, returning the failure instead of throwing it; nullopt on success.
    std::optional<Error> try_delete_org_api_key(
        std::string_view org_id, std::string_view api_key_id,
        const DeleteOptions &options = DeleteOptions()) const noexcept {
        if (auto error =
                check({{"org_id", org_id}, {"api_key_id", api_key_id}}, options.call())) {
            return error;
        }
        const detail::CString org(org_id), key(api_key_id);
        return run([&](atlas_client *client, atlas_error **e) {
            return atlas_delete_org_api_key_with_accept(client, org.c_str(), key.c_str(),
                                                        accept(options.call()), options.flags(),
                                                        e);
        });
    }

    // Client::call, returning the failure instead of throwing it: on
    // success fills `out` and returns nullopt; on failure `out` is left
    // cleared (status 0, no body).
    std::optional<Error> try_call(std::string_view method, std::string_view path,
                                  std::optional<std::string_view> query,
                                  std::optional<std::string_view> json_body,
                                  const CallOptions &options, Response &out) const noexcept {
        // Copied before `out` is cleared: the arguments may be its own.
        const detail::CString method_text(method), path_text(path),
            query_text(query.value_or(std::string_view())),
            body_text(json_body.value_or(std::string_view()), /*secret=*/true);
        out.clear();
        if (auto error = check({{"method", method_text.view()}, {"path", path_text.view()}},
                               options)) {
            return error;
        }
        if (query) {
            if (auto error = detail::check_text("query", query_text.view())) return error;
        }
        if (json_body) {
            if (auto error = detail::check_text("json_body", body_text.view())) return error;
        }
        atlas_response *response = nullptr;
        if (auto error = run([&](atlas_client *client, atlas_error **e) {
                return atlas_call_with_accept(client, method_text.c_str(), path_text.c_str(),
                                              query ? query_text.c_str() : nullptr,
                                              json_body ? body_text.c_str() : nullptr,
                                              accept(options), options.flags(), &response, e);
            })) {
            return error;
        }
        const std::unique_ptr<atlas_response, detail::ResponseFree> owned(response);
        out.status = atlas_response_status(response);
        if (const char *body = atlas_response_body(response)) out.body.emplace(body);
        return std::nullopt;
    }

    // The key calls without exceptions: each returns the failure, or
    // nullopt on success with `out` filled; on failure `out` is left empty
    // (no keys, an empty ApiKey, std::nullopt, no entries). The arguments
    // are copied first, so they may be parts of `out` (e.g. updating `key`
    // with key.id).

    // list_org_api_keys, returning the failure instead of throwing it.
    std::optional<Error> try_list_org_api_keys(std::string_view org_id,
                                               const CallOptions &options,
                                               std::vector<ApiKey> &out) const noexcept {
        const detail::CString org(org_id);
        out.clear();
        if (auto error = check({{"org_id", org.view()}}, options)) return error;
        atlas_api_key_list *list = nullptr;
        if (auto error = run([&](atlas_client *client, atlas_error **e) {
                return atlas_list_org_api_keys_with_accept(client, org.c_str(), accept(options),
                                                           options.flags(), &list, e);
            })) {
            return error;
        }
        const std::unique_ptr<atlas_api_key_list, detail::ApiKeyListFree> owned(list);
        out.reserve(atlas_api_key_list_len(list));
        for (std::size_t i = 0; i < atlas_api_key_list_len(list); ++i) {
            out.push_back(detail::api_key(atlas_api_key_list_get(list, i)));
        }
        return std::nullopt;
    }

    // get_org_api_key, returning the failure instead of throwing it.
    std::optional<Error> try_get_org_api_key(std::string_view org_id, std::string_view api_key_id,
                                             const CallOptions &options,
                                             ApiKey &out) const noexcept {
        const detail::CString org(org_id), id(api_key_id);
        out = ApiKey();
        if (auto error = check({{"org_id", org.view()}, {"api_key_id", id.view()}}, options)) {
            return error;
        }
        return take_key(
            [&](atlas_client *client, atlas_api_key **key, atlas_error **e) {
                return atlas_get_org_api_key_with_accept(client, org.c_str(), id.c_str(),
                                                         accept(options), options.flags(), key, e);
            },
            out);
    }

    // find_org_api_key, returning the failure instead of throwing it;
    // `out` is std::nullopt also when no key has that public key.
    std::optional<Error> try_find_org_api_key(std::string_view org_id, std::string_view public_key,
                                              const CallOptions &options,
                                              std::optional<ApiKey> &out) const noexcept {
        const detail::CString org(org_id), public_text(public_key);
        out.reset();
        if (auto error =
                check({{"org_id", org.view()}, {"public_key", public_text.view()}}, options)) {
            return error;
        }
        atlas_api_key *key = nullptr;
        if (auto error = run([&](atlas_client *client, atlas_error **e) {
                return atlas_find_org_api_key_with_accept(client, org.c_str(), public_text.c_str(),
                                                          accept(options), options.flags(), &key,
                                                          e);
            })) {
            return error;
        }
        const std::unique_ptr<atlas_api_key, detail::ApiKeyFree> owned(key);
        if (key != nullptr) out.emplace(detail::api_key(key));
        return std::nullopt;
    }

    // create_org_api_key, returning the failure instead of throwing it.
    std::optional<Error> try_create_org_api_key(std::string_view org_id,
                                                std::string_view description,
                                                const std::vector<std::string> &roles,
                                                const CallOptions &options,
                                                ApiKey &out) const noexcept {
        const detail::CString org(org_id), text(description);
        const detail::CStringArray role_array(roles);
        out = ApiKey();
        if (auto error = check({{"org_id", org.view()}, {"description", text.view()}}, options)) {
            return error;
        }
        if (auto error = role_array.check("roles")) return error;
        return take_key(
            [&](atlas_client *client, atlas_api_key **key, atlas_error **e) {
                return atlas_create_org_api_key_with_accept(
                    client, org.c_str(), text.c_str(), role_array.data(), role_array.size(),
                    accept(options), options.flags(), key, e);
            },
            out);
    }

    // update_org_api_key, returning the failure instead of throwing it.
    std::optional<Error> try_update_org_api_key(
        std::string_view org_id, std::string_view api_key_id,
        const std::optional<std::string> &description,
        const std::optional<std::vector<std::string>> &roles, const CallOptions &options,
        ApiKey &out) const noexcept {
        const detail::CString org(org_id), id(api_key_id);
        const std::optional<detail::CString> text =
            description ? std::optional<detail::CString>(std::in_place, *description)
                        : std::nullopt;
        const std::optional<detail::CStringArray> role_array =
            roles ? std::optional<detail::CStringArray>(std::in_place, *roles) : std::nullopt;
        out = ApiKey();
        if (auto error = check({{"org_id", org.view()}, {"api_key_id", id.view()}}, options)) {
            return error;
        }
        if (text) {
            if (auto error = detail::check_text("description", text->view())) return error;
        }
        if (role_array) {
            if (auto error = role_array->check("roles")) return error;
        }
        return take_key(
            [&](atlas_client *client, atlas_api_key **key, atlas_error **e) {
                return atlas_update_org_api_key_with_accept(
                    client, org.c_str(), id.c_str(), text ? text->c_str() : nullptr,
                    role_array ? role_array->data() : nullptr, role_array ? role_array->size() : 0,
                    accept(options), options.flags(), key, e);
            },
            out);
    }

    // list_org_api_key_access_list, returning the failure instead of throwing it.
    std::optional<Error> try_list_org_api_key_access_list(
        std::string_view org_id, std::string_view api_key_id, const CallOptions &options,
        std::vector<AccessListEntry> &out) const noexcept {
        const detail::CString org(org_id), id(api_key_id);
        out.clear();
        if (auto error = check({{"org_id", org.view()}, {"api_key_id", id.view()}}, options)) {
            return error;
        }
        return take_access_list(
            [&](atlas_client *client, atlas_access_list **list, atlas_error **e) {
                return atlas_list_org_api_key_access_list_with_accept(
                    client, org.c_str(), id.c_str(), accept(options), options.flags(), list, e);
            },
            out);
    }

    // add_org_api_key_access_list, returning the failure instead of throwing it.
    std::optional<Error> try_add_org_api_key_access_list(
        std::string_view org_id, std::string_view api_key_id,
        const std::vector<std::string> &entries, const CallOptions &options,
        std::vector<AccessListEntry> &out) const noexcept {
        const detail::CString org(org_id), id(api_key_id);
        const detail::CStringArray entry_array(entries);
        out.clear();
        if (auto error = check({{"org_id", org.view()}, {"api_key_id", id.view()}}, options)) {
            return error;
        }
        if (auto error = entry_array.check("entries")) return error;
        return take_access_list(
            [&](atlas_client *client, atlas_access_list **list, atlas_error **e) {
                return atlas_add_org_api_key_access_list_with_accept(
                    client, org.c_str(), id.c_str(), entry_array.data(), entry_array.size(),
                    accept(options), options.flags(), list, e);
            },
            out);
    }

    // delete_org_api_key_access_list_entry, returning the failure instead
    // of throwing it; nullopt on success.
    std::optional<Error> try_delete_org_api_key_access_list_entry(
        std::string_view org_id, std::string_view api_key_id, std::string_view entry,
        const CallOptions &options = CallOptions()) const noexcept {
        if (auto error = check(
                {{"org_id", org_id}, {"api_key_id", api_key_id}, {"entry", entry}}, options)) {
            return error;
        }
        const detail::CString org(org_id), id(api_key_id), entry_text(entry);
        return run([&](atlas_client *client, atlas_error **e) {
            return atlas_delete_org_api_key_access_list_entry_with_accept(
                client, org.c_str(), id.c_str(), entry_text.c_str(), accept(options),
                options.flags(), e);
        });
    }

  private:
    // The failure of any call on an empty client.
    static Error empty() {
        return Error(Status::InvalidArgument,
                     "invalid argument `client`: this atlas_admin::Client is empty "
                     "(default-constructed, moved from, or its try_create failed)");
    }

    // The checks every call starts with: a client, then each named text
    // argument and the options' media type free of NUL bytes.
    std::optional<Error> check(
        std::initializer_list<std::pair<const char *, std::string_view>> texts,
        const CallOptions &options) const {
        if (!handle_) return empty();
        for (const auto &[name, text] : texts) {
            if (auto error = detail::check_text(name, text)) return error;
        }
        if (const auto &media_type = options.media_type()) {
            return detail::check_text("accept", *media_type);
        }
        return std::nullopt;
    }

    // The options' media type for a *_with_accept function (NULL: the client's).
    static const char *accept(const CallOptions &options) noexcept {
        const std::optional<std::string> &media_type = options.media_type();
        return media_type ? media_type->c_str() : nullptr;
    }

    // Runs `call(client, &error)`; its failure, or nullopt.
    template <class Call>
    std::optional<Error> run(Call &&call) const {
        atlas_error *error = nullptr;
        const atlas_status status = call(handle_.get(), &error);
        if (status != ATLAS_STATUS_OK) return Error::adopt(status, error);
        return std::nullopt;
    }

    // Runs a call answering one key into `out`; its failure, or nullopt.
    template <class Call>
    std::optional<Error> take_key(Call &&call, ApiKey &out) const {
        atlas_api_key *key = nullptr;
        if (auto error = run([&](atlas_client *client, atlas_error **e) {
                return call(client, &key, e);
            })) {
            return error;
        }
        const std::unique_ptr<atlas_api_key, detail::ApiKeyFree> owned(key);
        out = detail::api_key(key);
        return std::nullopt;
    }

    // Runs a call answering an access list into `out`; its failure, or nullopt.
    template <class Call>
    std::optional<Error> take_access_list(Call &&call, std::vector<AccessListEntry> &out) const {
        atlas_access_list *list = nullptr;
        if (auto error = run([&](atlas_client *client, atlas_error **e) {
                return call(client, &list, e);
            })) {
            return error;
        }
        const std::unique_ptr<atlas_access_list, detail::AccessListFree> owned(list);
        out = detail::access_list(list);
        return std::nullopt;
    }

    std::unique_ptr<atlas_client, detail::ClientFree> handle_;
};

}  // namespace atlas_admin

#endif  // ATLAS_ADMIN_HPP
