#include "client/keygen_host_keys.h"

#include <cstdio>
#include <memory>
#include <vector>

#include "crypto/host_key_generation.h"
#include "crypto/rng.h"

namespace burrow::client {

namespace {

/// ssh-keygen's exit code for a run that could not do all it was asked.
constexpr int exit_failure = 1;

}  // namespace

int generate_all_host_keys(const std::optional<std::string>& prefix, bool quiet)
{
    const std::string dir = prefix.value_or("") + host_key_directory;
    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
    const std::vector<crypto::CreatedHostKey> created = crypto::create_missing_host_keys(
        dir, crypto::all_host_key_kinds(), crypto::default_key_comment(), *rng);
    std::string made;
    int status = 0;
    for (const crypto::CreatedHostKey& key : created) {
        if (!key.error.empty()) {
            std::fprintf(stderr, "burrow-keygen: %s\n", key.error.c_str());
            status = exit_failure;
            continue;
        }
        made += " " + key.label;
    }
    if (!quiet && !made.empty()) {
        std::printf("burrow-keygen: generating new host keys:%s\n", made.c_str());
    }
    return status;
}

}  // namespace burrow::client
