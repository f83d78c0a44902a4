// ssh_config(5) file reader: lines, Host / Match blocks, Include, IgnoreUnknown.
#include "client/ssh_config.h"

#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/config_match.h"
#include "client/config_text.h"
#include "client/pattern.h"

namespace burrow::client {

namespace {

/// Cut a trailing comment: ssh_config(5) treats an unquoted '#' that starts
/// a word as the end of the line. Sets `bad_quotes` if a quote is unclosed.
std::string_view strip_comment(std::string_view line, bool& bad_quotes)
{
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (c == '#' && !quoted && (i == 0 || is_blank(line[i - 1]))) {
            return trim(line.substr(0, i));
        }
    }
    bad_quotes = quoted;
    return line;
}

/// ssh(1) refuses a user file others could write (ssh_config(5) "FILES").
std::optional<std::string> check_permissions(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    if ((st.st_uid != 0 && st.st_uid != ::getuid()) || (st.st_mode & 022) != 0) {
        return "Bad owner or permissions on " + path;
    }
    return std::nullopt;
}

/// Anything readable that is not a directory: ssh also takes -F /dev/null.
bool file_exists(const std::string& path)
{
    std::error_code ec;
    return std::filesystem::exists(path, ec) && !std::filesystem::is_directory(path, ec);
}

}  // namespace

ConfigReader::ConfigReader(ClientConfig& config, MatchContext context)
    : m_config(config), m_context(std::move(context))
{
}

std::optional<std::string> ConfigReader::read(const ConfigFile& file)
{
    if (!file_exists(file.path)) {
        if (file.required) {
            return "Can't open user config file " + file.path + ": No such file or directory";
        }
        return std::nullopt;
    }
    return read_file(file, false, 0);
}

std::optional<std::string> ConfigReader::read_file(const ConfigFile& file, bool never_match,
                                                   int depth)
{
    if (file.check_permissions) {
        if (auto error = check_permissions(file.path)) {
            return error;
        }
    }
    std::ifstream in(file.path);
    if (!in) {
        return "Can't open config file " + file.path;
    }
    State state;
    state.never_match = never_match;
    state.active = !never_match;
    std::string line;
    // Bounded by the file's length.
    for (size_t number = 1; std::getline(in, line); ++number) {
        if (auto error = process_line(file, line, state, depth)) {
            return file.path + " line " + std::to_string(number) + ": " + *error;
        }
    }
    return std::nullopt;
}

std::optional<std::string> ConfigReader::process_line(const ConfigFile& file, std::string_view line,
                                                      State& state, int depth)
{
    line = trim(line);
    if (line.empty() || line.front() == '#') {
        return std::nullopt;
    }
    bool bad_quotes = false;
    line = strip_comment(line, bad_quotes);
    if (bad_quotes) {
        return std::string("invalid quotes");
    }
    // ssh_config(5): "Keyword value", "Keyword=value" or "Keyword = value".
    size_t key_end = 0;
    while (key_end < line.size() && line[key_end] != '=' && !is_blank(line[key_end])) {
        ++key_end;
    }
    const std::string_view keyword = line.substr(0, key_end);
    std::string_view value = trim(line.substr(key_end));
    if (!value.empty() && value.front() == '=') {
        value = trim(value.substr(1));
    }
    const std::vector<std::string> words = split_words(value);
    if (words.empty()) {
        return "no argument after keyword \"" + std::string(keyword) + "\"";
    }
    if (iequals(keyword, "Host")) {
        // ssh(1) matches Host against the destination, and in the final
        // pass against the name HostName gave it.
        const std::string host =
            m_context.final_pass ? match_host_name(m_config, m_context) : m_context.original_host;
        state.active = !state.never_match && host_line_matches(words, host);
        return std::nullopt;
    }
    if (iequals(keyword, "Match")) {
        const MatchResult match = evaluate_match(words, m_config, m_context);
        if (match.error) {
            return *match.error;
        }
        m_wants_final_pass = m_wants_final_pass || match.wants_final_pass;
        state.active = !state.never_match && match.matched;
        return std::nullopt;
    }
    if (iequals(keyword, "Include")) {
        return include(file, value, state, depth);
    }
    if (iequals(keyword, "IgnoreUnknown")) {
        if (state.active && !m_ignore_unknown) {
            m_ignore_unknown = words.front();
        }
        return std::nullopt;
    }
    return apply(keyword, line, state.active);
}

std::optional<std::string> ConfigReader::include(const ConfigFile& file, std::string_view value,
                                                 const State& state, int depth)
{
    if (depth + 1 > max_include_depth) {
        return std::string("Too many recursive configuration includes");
    }
    for (const std::string& word : split_words(value)) {
        // ssh_config(5) "Include": "~" in user files; relative paths are
        // taken from ~/.ssh (user) or /etc/ssh (system), here include_dir.
        std::string pattern = file.user_file ? expand_tilde(word, m_context.home) : word;
        if (!pattern.starts_with("/")) {
            pattern = file.include_dir + "/" + pattern;
        }
        glob_t matches{};
        const int rc = ::glob(pattern.c_str(), 0, nullptr, &matches);
        std::vector<std::string> paths;
        if (rc == 0) {
            paths.assign(matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
        }
        ::globfree(&matches);
        if (rc != 0 && rc != GLOB_NOMATCH) {
            return "glob failed for " + pattern;
        }
        for (const std::string& path : paths) {
            ConfigFile child = file;
            child.path = path;
            child.required = false;
            const bool never = state.never_match || !state.active;
            if (auto error = read_file(child, never, depth + 1)) {
                return error;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> ConfigReader::apply(std::string_view keyword, std::string_view line,
                                               bool active)
{
    // An inactive block is still checked, as ssh(1) does, on a scratch copy.
    ClientConfig scratch;
    ClientConfig& target = active ? m_config : scratch;
    const auto error = apply_option(target, line);
    if (!error) {
        return std::nullopt;
    }
    if (!error->starts_with(unsupported_option_prefix)) {
        return error;
    }
    if (m_ignore_unknown && match_pattern_list(*m_ignore_unknown, keyword) == ListMatch::positive) {
        return std::nullopt;
    }
    return "Bad configuration option: " + std::string(keyword);
}

std::vector<ConfigFile> default_config_files(std::string_view home)
{
    const std::string home_dir(home);
    std::vector<ConfigFile> files;
    if (file_exists(home_dir + "/.burrow/config")) {
        files.push_back({home_dir + "/.burrow/config", home_dir + "/.burrow", true, true, false});
    } else {
        files.push_back({home_dir + "/.ssh/config", home_dir + "/.ssh", true, true, false});
    }
    if (file_exists("/etc/burrow/burrow_config")) {
        files.push_back({"/etc/burrow/burrow_config", "/etc/burrow", false, false, false});
    } else {
        files.push_back({"/etc/ssh/ssh_config", "/etc/ssh", false, false, false});
    }
    return files;
}

std::vector<ConfigFile> explicit_config_files(std::string_view path, std::string_view home)
{
    if (iequals(path, "none")) {
        return {};
    }
    // ssh(1) -F: a user file (relative Includes from ~/.ssh), not
    // permission-checked, and it must exist.
    return {ConfigFile{expand_tilde(path, home), std::string(home) + "/.ssh", true, false, true}};
}

std::optional<std::string> load_config_files(ClientConfig& config,
                                             const std::vector<ConfigFile>& files,
                                             std::string_view home, std::string_view local_user)
{
    MatchContext context;
    context.original_host = config.host.value_or("");
    context.home = std::string(home);
    context.local_user = std::string(local_user);
    ConfigReader first(config, context);
    for (const ConfigFile& file : files) {
        if (auto error = first.read(file)) {
            return error;
        }
    }
    if (!first.wants_final_pass()) {
        return std::nullopt;
    }
    // ssh(1): "Match final" asks for a second reading once HostName is
    // known; values set in the first pass still win.
    context.final_pass = true;
    ConfigReader final_pass(config, context);
    for (const ConfigFile& file : files) {
        if (auto error = final_pass.read(file)) {
            return error;
        }
    }
    return std::nullopt;
}

}  // namespace burrow::client
