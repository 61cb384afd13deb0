// What the C++ tests share: the mock's settings, the secret scan, fresh
// keys and thrown errors (support.cpp).
#ifndef ATLAS_TESTS_CPP_SUPPORT_HPP
#define ATLAS_TESTS_CPP_SUPPORT_HPP

#include "atlas_admin.hpp"

#include <gtest/gtest.h>

#include <string>

namespace support {

// The organization the tests' keys live in.
constexpr const char *kOrg = "5f1a2b3c4d5e6f7a8b9c0d1e";

// An environment variable scripts/with-mock sets; exits when it is missing.
std::string env(const char *name);

// Records an error's message in this run's file in $ATLAS_SECRET_SCAN_DIR
// (which scripts/check-secrets searches for private keys) and hands it back.
const atlas_admin::Error &seen(const atlas_admin::Error &error);

// A fresh key ID, unique in this process and across processes.
std::string new_key_id();

// A fresh key that exists in the mock.
std::string new_key();

// The mock's origin, e.g. http://127.0.0.1:PORT (MONGODB_ATLAS_BASE_URL less its API path).
std::string mock_origin();

// Options for the mock with its test key pair.
atlas_admin::ClientOptions digest_options();

// Runs `call`, which must throw atlas_admin::Error, and returns that error.
template <class Call>
atlas_admin::Error thrown_by(Call &&call) {
    try {
        call();
    } catch (const atlas_admin::Error &error) {
        return seen(error);
    }
    ADD_FAILURE() << "no atlas_admin::Error was thrown";
    return atlas_admin::Error(atlas_admin::Status::Ok, "nothing thrown");
}

}  // namespace support

#endif
