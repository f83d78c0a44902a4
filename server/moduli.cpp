#include "server/moduli.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "server/log.h"

namespace burrow::server {

namespace {

bool file_exists(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

/// Groups in `path`; empty (and logged) if unreadable or without groups.
std::vector<crypto::DhGroup> read_groups(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        log_error("WARNING: could not open " + path + ": using the built-in DH groups");
        return {};
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<crypto::DhGroup> groups = crypto::parse_moduli(text.str());
    if (groups.empty()) {
        log_error("WARNING: no usable groups in " + path + ": using the built-in DH groups");
    } else {
        log_debug("loaded " + std::to_string(groups.size()) + " DH groups from " + path);
    }
    return groups;
}

}  // namespace

std::vector<crypto::DhGroup> load_dh_groups(const std::optional<std::string>& moduli_file)
{
    if (moduli_file) {
        return read_groups(*moduli_file);
    }
    for (const char* path : {burrow_moduli_file, system_moduli_file}) {
        if (file_exists(path)) {
            return read_groups(path);
        }
    }
    log_debug("no moduli file: using the built-in DH groups");
    return {};
}

}  // namespace burrow::server
