// The header compiles as C++17 with extern "C" linkage, and links.
#include "atlas_admin.h"

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
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
