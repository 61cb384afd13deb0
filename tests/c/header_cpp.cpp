// The header compiles as C++17 with extern "C" linkage, and links.
#include "atlas_admin.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

int main() {
    int passed = 0, failed = 0;
    auto check = [&](bool ok, const char *what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            std::fprintf(stderr, "check failed: %s\n", what);
        }
    };
    check(std::strcmp(atlas_status_str(ATLAS_STATUS_NOT_FOUND), "not found") == 0,
          "status string");
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = nullptr;
    atlas_error *error = nullptr;
    check(atlas_client_new(options, &client, &error) == ATLAS_STATUS_INVALID_ARGUMENT,
          "client without key is refused");
    check(atlas_error_status(error) == ATLAS_STATUS_INVALID_ARGUMENT, "error status");
    check(client == nullptr, "no client");
    atlas_error_free(error);
    atlas_client_options_free(options);
    // The flags are integer constants in C++ too, and the aliases equal them.
    static_assert(ATLAS_DELETE_PRETTY == ATLAS_CALL_PRETTY, "pretty alias");
    static_assert(ATLAS_DELETE_ENVELOPE == ATLAS_CALL_ENVELOPE, "envelope alias");
    constexpr std::uint32_t flags =
        ATLAS_CALL_PRETTY | ATLAS_CALL_ENVELOPE | ATLAS_DELETE_MISSING_OK;
    check(flags == 7u, "flag values");
    atlas_response *response = reinterpret_cast<atlas_response *>(&passed);
    error = nullptr;
    check(atlas_call(nullptr, "GET", "/orgs", nullptr, nullptr, 0, &response, &error) ==
              ATLAS_STATUS_INVALID_ARGUMENT,
          "atlas_call refuses a NULL client");
    check(response == nullptr, "no response");
    atlas_error_free(error);
    check(atlas_response_status(nullptr) == 0 && atlas_response_body(nullptr) == nullptr,
          "response accessors take NULL");
    atlas_response_free(nullptr);
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
