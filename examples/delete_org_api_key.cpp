// Deletes one organization API key: ./delete_org_api_key_cpp API_KEY_ID
// Host and credentials come from the environment (MONGODB_ATLAS_BASE_URL,
// MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, or an
// Atlas CLI profile), the organization from MONGODB_ATLAS_ORG_ID.
#include <atlas_admin.hpp>

#include <cstdlib>
#include <iostream>
#include <utility>

int main(int argc, char **argv) {
    const char *org_id = std::getenv("MONGODB_ATLAS_ORG_ID");
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " API_KEY_ID\n";
        return 2;
    }
    if (org_id == nullptr || *org_id == '\0') {
        std::cerr << "MONGODB_ATLAS_ORG_ID is not set: export the organization's ID\n";
        return 2;
    }
    try {
        atlas_admin::Client client(atlas_admin::ClientOptions().load_env());
        auto failure = client.try_delete_org_api_key(org_id, argv[1]);
        client.close();  // revokes a service account's token, whatever happened
        if (failure) throw std::move(*failure);
        std::cout << "deleted API key " << argv[1] << " from organization " << org_id << '\n';
    } catch (const atlas_admin::Error &e) {
        std::cerr << atlas_admin::to_string(e.status()) << ": " << e.what() << '\n';
        return 1;
    }
}
