// Host / Match evaluation (ssh_config(5) "Host", "Match", "PATTERNS").
#include "client/config_match.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "client/config_text.h"
#include "client/config_tokens.h"
#include "client/pattern.h"

namespace burrow::client {

namespace {

/// ssh_config(5) "Match exec": run through /bin/sh -c with stdin and stdout
/// on /dev/null (the command's output must not mix with ours); exit status
/// 0 is a match.
bool exec_matches(const std::string& command)
{
    const pid_t pid = ::fork();
    if (pid < 0) {
        return false;
    }
    if (pid == 0) {
        const int null_fd = ::open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            ::dup2(null_fd, STDIN_FILENO);
            ::dup2(null_fd, STDOUT_FILENO);
        }
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return false;
        }
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool list_matches(std::string_view list, std::string_view text, Case mode = Case::insensitive)
{
    return match_pattern_list(list, text, mode) == ListMatch::positive;
}

TokenValues exec_tokens(const ClientConfig& config, const MatchContext& context)
{
    TokenValues values = local_token_values(context.home, context.local_user);
    values.host = match_host_name(config, context);
    values.original_host = context.original_host;
    values.port = std::to_string(config.port.value_or(22));
    values.remote_user = config.user.value_or(context.local_user);
    return values;
}

/// One criterion with its argument (already stripped of '!').
std::optional<bool> criterion(std::string_view name, const std::string& arg,
                              const ClientConfig& config, const MatchContext& context,
                              std::string& error)
{
    if (iequals(name, "host")) {
        return list_matches(arg, match_host_name(config, context));
    }
    if (iequals(name, "originalhost")) {
        return list_matches(arg, context.original_host);
    }
    if (iequals(name, "user")) {
        return list_matches(arg, config.user.value_or(context.local_user), Case::sensitive);
    }
    if (iequals(name, "localuser")) {
        return list_matches(arg, context.local_user, Case::sensitive);
    }
    if (iequals(name, "exec")) {
        const auto command = expand_tokens(arg, exec_tokens(config, context), error);
        if (!command) {
            return std::nullopt;
        }
        return exec_matches(*command);
    }
    error = "Unsupported Match attribute " + std::string(name);
    return std::nullopt;
}

}  // namespace

bool host_line_matches(const std::vector<std::string>& patterns, std::string_view host)
{
    bool matched = false;
    for (const std::string& pattern : patterns) {
        // OpenSSH compares Host patterns with the name exactly as given.
        const ListMatch m = match_pattern_list(pattern, host, Case::sensitive);
        if (m == ListMatch::negated) {
            return false;  // ssh_config(5): a negated match rules the Host line out
        }
        matched = matched || m == ListMatch::positive;
    }
    return matched;
}

std::string match_host_name(const ClientConfig& config, const MatchContext& context)
{
    if (!config.hostname) {
        return context.original_host;
    }
    TokenValues values;
    values.host = context.original_host;
    std::string error;
    return expand_tokens(*config.hostname, values, error).value_or(*config.hostname);
}

MatchResult evaluate_match(const std::vector<std::string>& words, const ClientConfig& config,
                           const MatchContext& context)
{
    MatchResult result;
    result.matched = true;
    if (words.empty()) {
        result.error = "Missing Match criteria";
        return result;
    }
    for (size_t i = 0; i < words.size(); ++i) {
        std::string_view name = words[i];
        const bool negate = name.starts_with("!");
        if (negate) {
            name.remove_prefix(1);
        }
        if (iequals(name, "all")) {
            // ssh_config(5): "all" stands alone or right after canonical/final.
            const bool after_pass =
                i == 1 && (iequals(words[0], "canonical") || iequals(words[0], "final"));
            if (i + 1 != words.size() || (i != 0 && !after_pass)) {
                result.error = "Match all must appear alone or after canonical/final";
                return result;
            }
            result.matched = result.matched && !negate;
            continue;
        }
        if (iequals(name, "canonical") || iequals(name, "final")) {
            result.wants_final_pass = result.wants_final_pass || iequals(name, "final");
            result.matched = result.matched && (context.final_pass != negate);
            continue;
        }
        if (i + 1 == words.size()) {
            result.error = "Missing Match criteria for " + std::string(name);
            return result;
        }
        const std::string& arg = words[++i];
        if (iequals(name, "exec") && !result.matched) {
            continue;  // as ssh(1): no command runs once the line cannot match
        }
        std::string error;
        const std::optional<bool> hit = criterion(name, arg, config, context, error);
        if (!hit) {
            result.error = error;
            return result;
        }
        result.matched = result.matched && (*hit != negate);
    }
    return result;
}

}  // namespace burrow::client
