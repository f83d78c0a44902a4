// ssh_config(5) configuration files for burrow: Host and Match blocks,
// Include, IgnoreUnknown, comments and quoting, read into a ClientConfig
// where the first value obtained for each option wins.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/options.h"

namespace burrow::client {

/// ssh(1) limits Include nesting to 16 levels (READCONF_MAX_DEPTH).
inline constexpr int max_include_depth = 16;

/// One configuration file and the directory its relative Include paths
/// are resolved against (ssh_config(5) "Include").
struct ConfigFile {
    std::string path;
    std::string include_dir;
    bool user_file = true;           ///< "~" is expanded in Include paths
    bool check_permissions = false;  ///< refuse a file others may write
    bool required = false;           ///< a missing file is an error (-F)
};

/// What is known when a Host or Match line is evaluated.
struct MatchContext {
    std::string original_host;  ///< destination as given on the command line
    std::string local_user;
    std::string home;
    bool final_pass = false;  ///< "Match final" / "Match canonical" are true only here
};

/// Reads configuration files into one ClientConfig.
class ConfigReader {
public:
    ConfigReader(ClientConfig& config, MatchContext context);

    /// Read `file` (missing file: nothing happens). Returns the error,
    /// formatted as ssh does ("file line N: ..."), or nullopt.
    std::optional<std::string> read(const ConfigFile& file);

    /// True once a "Match final" line was seen: the caller reads the files
    /// again with `final_pass` set, after HostName substitution.
    bool wants_final_pass() const { return m_wants_final_pass; }

private:
    struct State {
        bool active = true;
        bool never_match = false;  ///< inside an Include from an inactive block
    };
    std::optional<std::string> read_file(const ConfigFile& file, bool never_match, int depth);
    std::optional<std::string> process_line(const ConfigFile& file, std::string_view line,
                                            State& state, int depth);
    std::optional<std::string> include(const ConfigFile& file, std::string_view value,
                                       const State& state, int depth);
    std::optional<std::string> apply(std::string_view keyword, std::string_view line, bool active);

    ClientConfig& m_config;
    MatchContext m_context;
    std::optional<std::string> m_ignore_unknown;
    bool m_wants_final_pass = false;
};

/// The files read when -F is not given. burrow prefers its own files and
/// falls back to OpenSSH's: ~/.burrow/config if it exists, else
/// ~/.ssh/config; /etc/burrow/burrow_config if it exists, else
/// /etc/ssh/ssh_config. Relative Include paths resolve against the
/// directory of the file chosen.
std::vector<ConfigFile> default_config_files(std::string_view home);

/// The files for `-F path` (ssh(1): replaces both; "none" reads none).
std::vector<ConfigFile> explicit_config_files(std::string_view path, std::string_view home);

/// Read `files` in order into `config` (already holding the command line),
/// with a second, final pass when a file asks for "Match final".
/// Returns the error message or nullopt.
std::optional<std::string> load_config_files(ClientConfig& config,
                                             const std::vector<ConfigFile>& files,
                                             std::string_view home, std::string_view local_user);

}  // namespace burrow::client
