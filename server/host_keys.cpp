#include "server/host_keys.h"

#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "crypto/key_files.h"
#include "server/log.h"

namespace burrow::server {

namespace {

const char* describe(crypto::KeyFileError error)
{
    switch (error) {
        case crypto::KeyFileError::encrypted:
            return "passphrase-protected keys are not supported";
        case crypto::KeyFileError::unsupported_type:
            return "unsupported key type";
        default:
            return "invalid format";
    }
}

}  // namespace

std::vector<std::unique_ptr<crypto::PrivateKey>> load_host_keys(
    const std::vector<std::string>& paths, bool skip_missing)
{
    std::vector<std::unique_ptr<crypto::PrivateKey>> keys;
    for (const std::string& path : paths) {
        if (skip_missing && ::access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
            log_debug("no host key " + path);
            continue;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            log_error("Unable to load host key \"" + path + "\": cannot open file");
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        crypto::KeyFileResult result = crypto::parse_openssh_private_key(text.str());
        if (!result.loaded || !result.loaded->key) {
            log_error("Unable to load host key \"" + path + "\": " + describe(result.error));
            continue;
        }
        log_debug("loaded host key " + path + ": " + std::string(result.loaded->key->key_type()) +
                  " " + std::to_string(result.loaded->key->public_key().bits()));
        keys.push_back(std::move(result.loaded->key));
    }
    return keys;
}

}  // namespace burrow::server
