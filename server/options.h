// burrowd's command line: the sshd(8) subset
//   burrowd [-D] [-d] [-e] [-p port] [-h host_key_file] [-f config_file] [-o keyword=value]
#pragma once

#include <string>
#include <vector>

namespace burrow::server {

/// Default configuration file (used when -f is not given).
inline constexpr const char* default_config_file = "/etc/burrow/burrowd_config";

struct Options {
    bool no_detach = false;                         ///< -D
    int debug = 0;                                  ///< -d (repeat for more verbosity)
    bool log_stderr = false;                        ///< -e
    std::vector<std::string> ports;                 ///< -p (several allowed)
    std::vector<std::string> host_keys;             ///< -h (several allowed)
    std::string config_file = default_config_file;  ///< -f
    bool config_file_given = false;
    std::vector<std::string> overrides;  ///< -o keyword=value, in order
};

/// Parse argv (without argv[0]). Throws std::runtime_error with a usage
/// message on bad input. Flags may be combined ("-De") and option values
/// attached ("-p2222") or separate ("-p 2222").
Options parse_options(const std::vector<std::string>& args);

/// One-line usage text.
const char* usage_text();

}  // namespace burrow::server
