// The C++17 wrapper from an installed atlas-admin, through the CMake target
// atlas_admin::atlas_admin (built by `make test-packaging`). Against the
// mock Atlas (scripts/with-mock), it creates a key, deletes it, and checks
// that deleting it again throws atlas_admin::Error with Status::NotFound.
#include <atlas_admin.hpp>

extern "C" {
#include "mock_control.h"
}

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string env(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr) {
        std::fprintf(stderr, "%s is not set: run this under scripts/with-mock\n", name);
        std::exit(2);
    }
    return value;
}

}  // namespace

int main() {
    const std::string org = "5f1a2b3c4d5e6f7a8b9c0d1e";
    char key[25];
    std::snprintf(key, sizeof key, "6f1b2c3d4e5f%06x000001", static_cast<unsigned>(getpid()) & 0xffffffu);
    if (mock_add_key(org.c_str(), key) != 0) {
        std::fprintf(stderr, "the mock did not create key %s\n", key);
        return 1;
    }
    try {
        const atlas_admin::Client client(
            atlas_admin::ClientOptions().base_url(mock_base_url())
                .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"), env("MONGODB_ATLAS_PRIVATE_API_KEY")));
        const long deleted = mock_stat("deleted");
        client.delete_org_api_key(org, key);
        if (mock_stat("deleted") != deleted + 1) {
            std::fprintf(stderr, "the mock did not count the delete\n");
            return 1;
        }
        std::printf("C++: libatlas_admin %s deleted key %s\n", atlas_admin::version(), key);
        try {
            client.delete_org_api_key(org, key);
            std::fprintf(stderr, "the second delete succeeded\n");
            return 1;
        } catch (const atlas_admin::Error &error) {
            if (error.status() != atlas_admin::Status::NotFound ||
                error.error_code().value_or("") != "API_KEY_NOT_FOUND") {
                std::fprintf(stderr, "unexpected error: %s\n", error.what());
                return 1;
            }
            std::printf("deleting it again: %s (%s)\n", atlas_admin::to_string(error.status()),
                        error.error_code()->c_str());
        }
    } catch (const atlas_admin::Error &error) {
        std::fprintf(stderr, "failed (%s): %s\n", atlas_admin::to_string(error.status()),
                     error.what());
        return 1;
    }
    std::printf("1 passed, 0 failed\n");
    return 0;
}
