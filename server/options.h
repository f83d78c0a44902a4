// burrowd's command line, as sshd(8):
//   burrowd [-DdeiqTt] [-C connection_spec] [-E log_file] [-f config_file]
//           [-h host_key_file] [-o option] [-p port]
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
    bool test_config = false;            ///< -t: check config and keys, then exit
    bool dump_config = false;            ///< -T: print the effective configuration
    /// -C user=,host=,addr=,laddr=,lport=,rdomain= (for -T; repeatable, joined
    /// with commas as sshd does).
    std::vector<std::string> connection_specs;
    bool inetd = false;    ///< -i: serve one connection on stdin/stdout
    bool quiet = false;    ///< -q: nothing on the log
    std::string log_file;  ///< -E: append the log to this file instead of syslog
};

/// Parse argv (without argv[0]). Throws std::runtime_error with a usage
/// message on bad input. Flags may be combined ("-De") and option values
/// attached ("-p2222") or separate ("-p 2222").
Options parse_options(const std::vector<std::string>& args);

/// One-line usage text.
const char* usage_text();

}  // namespace burrow::server
