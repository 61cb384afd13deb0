// What the C++ tests share (support.hpp), and the secret scan: every log
// line and error message of the run goes to $ATLAS_SECRET_SCAN_DIR.
#include "support.hpp"

extern "C" {
#include "mock_control.h"
}

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace support {

namespace {

// Every message the tests see, for scripts/check-secrets.
class SecretScan : public ::testing::Environment {
  public:
    void SetUp() override {
        const char *dir = std::getenv("ATLAS_SECRET_SCAN_DIR");
        if (dir != nullptr) {
            const std::string path = std::string(dir) + "/cpp-" + std::to_string(getpid()) + ".log";
            file_ = std::fopen(path.c_str(), "w");
            ASSERT_NE(file_, nullptr) << "cannot write " << path;
        }
        ASSERT_EQ(atlas_set_log_callback(log, nullptr, ATLAS_LOG_LEVEL_TRACE, nullptr),
                  ATLAS_STATUS_OK);
    }
    void TearDown() override {
        atlas_set_log_callback(nullptr, nullptr, 0, nullptr);
        if (file_ != nullptr) std::fclose(file_);
        file_ = nullptr;
    }
    static void write(const char *kind, const char *text) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (file_ != nullptr) std::fprintf(file_, "%s %s\n", kind, text);
    }

  private:
    static void log(void *, atlas_log_level level, const char *message) {
        write(level <= ATLAS_LOG_LEVEL_WARN ? "log-warn" : "log", message);
    }
    static inline std::FILE *file_ = nullptr;
    static inline std::mutex mutex_;
};

const ::testing::Environment *const scan_environment =
    ::testing::AddGlobalTestEnvironment(new SecretScan);

}  // namespace

std::string env(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr) {
        std::fprintf(stderr, "%s is not set: run these tests through `make test-cpp`\n", name);
        std::exit(2);
    }
    return value;
}

const atlas_admin::Error &seen(const atlas_admin::Error &error) {
    SecretScan::write("error", error.what());
    return error;
}

std::string new_key_id() {
    static std::atomic<unsigned> counter{0};
    char id[25];
    std::snprintf(id, sizeof id, "6c1b2c3d4e5f%06x%06x", static_cast<unsigned>(getpid()) & 0xffffffu,
                  (++counter) & 0xffffffu);
    return id;
}

std::string new_key() {
    std::string id = new_key_id();
    if (mock_add_key(kOrg, id.c_str()) != 0) {
        ADD_FAILURE() << "the mock did not create key " << id;
    }
    return id;
}

std::string mock_origin() {
    const std::string url = mock_base_url();
    return url.substr(0, url.find("/api/"));
}

atlas_admin::ClientOptions digest_options() {
    atlas_admin::ClientOptions options;
    options.base_url(mock_base_url())
        .digest_credentials(env("MONGODB_ATLAS_PUBLIC_API_KEY"), env("MONGODB_ATLAS_PRIVATE_API_KEY"));
    return options;
}

}  // namespace support
