#include "server/auth_settings.h"

#include <cctype>
#include <limits>

#include "server/text_case.h"

namespace burrow::server {

namespace {

/// Seconds per TIME FORMAT unit letter (sshd_config(5)); 0 if unknown.
long long unit_seconds(char unit)
{
    switch (std::tolower(static_cast<unsigned char>(unit))) {
        case 's':
            return 1;
        case 'm':
            return 60;
        case 'h':
            return 3600;
        case 'd':
            return 86400;
        case 'w':
            return 604800;
        default:
            return 0;
    }
}

}  // namespace

std::optional<bool> parse_yes_no(std::string_view value)
{
    const std::string v = lower_case(value);
    if (v == "yes") {
        return true;
    }
    if (v == "no") {
        return false;
    }
    return std::nullopt;
}

std::optional<PermitRootLogin> parse_permit_root_login(std::string_view value)
{
    const std::string v = lower_case(value);
    if (v == "yes") {
        return PermitRootLogin::yes;
    }
    // "without-password" is the older spelling of prohibit-password.
    if (v == "prohibit-password" || v == "without-password") {
        return PermitRootLogin::prohibit_password;
    }
    if (v == "forced-commands-only") {
        return PermitRootLogin::forced_commands_only;
    }
    if (v == "no") {
        return PermitRootLogin::no;
    }
    return std::nullopt;
}

std::optional<std::chrono::seconds> parse_time_interval(std::string_view value)
{
    // sshd_config(5) TIME FORMATS: a sequence of NUMBER[UNIT]; no unit = seconds.
    constexpr long long limit = std::numeric_limits<int>::max();
    if (value.empty()) {
        return std::nullopt;
    }
    long long total = 0;
    size_t i = 0;
    while (i < value.size()) {
        long long number = 0;
        const size_t start = i;
        while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])) != 0) {
            number = number * 10 + (value[i] - '0');
            if (number > limit) {
                return std::nullopt;
            }
            ++i;
        }
        if (i == start) {
            return std::nullopt;
        }
        long long unit = 1;
        if (i < value.size()) {
            unit = unit_seconds(value[i]);
            if (unit == 0) {
                return std::nullopt;
            }
            ++i;
        }
        total += number * unit;
        if (total > limit) {
            return std::nullopt;
        }
    }
    return std::chrono::seconds(total);
}

std::string_view base_method(std::string_view method)
{
    return method.substr(0, method.find(':'));
}

std::string parse_authentication_methods(const std::vector<std::string>& args,
                                         std::vector<std::vector<std::string>>& out)
{
    out.clear();
    if (args.size() == 1 && args[0] == "any") {
        return {};
    }
    for (const std::string& arg : args) {
        std::vector<std::string> list;
        size_t pos = 0;
        while (pos <= arg.size()) {
            const size_t comma = std::min(arg.find(',', pos), arg.size());
            const std::string method = arg.substr(pos, comma - pos);
            const std::string_view base = base_method(method);
            if (base != "publickey" && base != "password" && base != "keyboard-interactive") {
                out.clear();
                return "unsupported authentication method \"" + method + "\"";
            }
            list.push_back(method);
            pos = comma + 1;
        }
        out.push_back(std::move(list));
    }
    if (out.empty()) {
        return "AuthenticationMethods needs at least one list";
    }
    return {};
}

}  // namespace burrow::server
