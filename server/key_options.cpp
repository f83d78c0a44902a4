#include "server/key_options.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>

#include "server/pattern_list.h"
#include "server/text_case.h"

namespace burrow::server {

namespace {

/// Reads one "name" or "name=\"value\"" item; advances `pos` past it.
/// sshd(8): inside the quotes only \" is an escape; other backslashes stay.
bool next_option(std::string_view list, size_t& pos, std::string& name,
                 std::optional<std::string>& value, std::string& error)
{
    const size_t start = pos;
    while (pos < list.size() && list[pos] != ',' && list[pos] != '=') {
        ++pos;
    }
    name = lower_case(list.substr(start, pos - start));
    value.reset();
    if (name.empty()) {
        error = "empty option";
        return false;
    }
    if (pos < list.size() && list[pos] == '=') {
        ++pos;
        if (pos >= list.size() || list[pos] != '"') {
            error = "option \"" + name + "\" needs a double-quoted value";
            return false;
        }
        ++pos;
        std::string text;
        for (;; ++pos) {
            if (pos >= list.size()) {
                error = "unterminated quote in option \"" + name + "\"";
                return false;
            }
            if (list[pos] == '\\' && pos + 1 < list.size() && list[pos + 1] == '"') {
                text.push_back('"');
                ++pos;
            } else if (list[pos] == '"') {
                ++pos;
                break;
            } else {
                text.push_back(list[pos]);
            }
        }
        value = std::move(text);
    }
    if (pos < list.size()) {
        if (list[pos] != ',') {
            error = "garbage after option \"" + name + "\"";
            return false;
        }
        ++pos;
        if (pos == list.size()) {
            error = "trailing comma";
            return false;
        }
    }
    return true;
}

bool valid_port(std::string_view port)
{
    if (port == "*") {
        return true;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

/// "host:port" or "[v6]:port" (permitopen=); the host is required.
bool valid_host_port(std::string_view text, bool host_required)
{
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return !host_required && valid_port(text);
    }
    const std::string_view host = text.substr(0, colon);
    return !host.empty() && valid_port(text.substr(colon + 1));
}

/// Flags: name -> (member, value). "restrict" is handled separately.
bool apply_flag(const std::string& name, KeyOptions& out)
{
    struct Flag {
        const char* name;
        bool KeyOptions::*member;
        bool value;
    };
    static constexpr std::array<Flag, 13> flags{{
        {"agent-forwarding", &KeyOptions::agent_forwarding, true},
        {"no-agent-forwarding", &KeyOptions::agent_forwarding, false},
        {"port-forwarding", &KeyOptions::port_forwarding, true},
        {"no-port-forwarding", &KeyOptions::port_forwarding, false},
        {"pty", &KeyOptions::pty, true},
        {"no-pty", &KeyOptions::pty, false},
        {"user-rc", &KeyOptions::user_rc, true},
        {"no-user-rc", &KeyOptions::user_rc, false},
        {"x11-forwarding", &KeyOptions::x11_forwarding, true},
        {"no-x11-forwarding", &KeyOptions::x11_forwarding, false},
        {"cert-authority", &KeyOptions::cert_authority, true},
        {"no-touch-required", &KeyOptions::no_touch_required, true},
        {"verify-required", &KeyOptions::verify_required, true},
    }};
    for (const Flag& flag : flags) {
        if (name == flag.name) {
            out.*flag.member = flag.value;
            return true;
        }
    }
    if (name == "restrict") {
        // sshd(8): restrict disables every current and future capability;
        // options after it may re-enable single ones.
        out.agent_forwarding = false;
        out.port_forwarding = false;
        out.pty = false;
        out.user_rc = false;
        out.x11_forwarding = false;
        return true;
    }
    return false;
}

/// Options with a value; error text on a bad one (empty when applied).
std::string apply_valued(const std::string& name, std::string value, KeyOptions& out)
{
    if (name == "command") {
        if (out.command) {
            return "more than one command option";
        }
        out.command = std::move(value);
    } else if (name == "environment") {
        const size_t eq = value.find('=');
        if (eq == 0 || eq == std::string::npos || value.find_first_of(" \t") < eq) {
            return "environment value is not NAME=value";
        }
        out.environment.push_back(std::move(value));
    } else if (name == "from") {
        if (out.from) {
            return "more than one from option";
        }
        out.from = std::move(value);
    } else if (name == "permitopen") {
        if (!valid_host_port(value, true)) {
            return "bad permitopen \"" + value + "\"";
        }
        out.permit_open.push_back(std::move(value));
    } else if (name == "permitlisten") {
        if (!valid_host_port(value, false)) {
            return "bad permitlisten \"" + value + "\"";
        }
        out.permit_listen.push_back(std::move(value));
    } else if (name == "principals") {
        if (out.principals) {
            return "more than one principals option";
        }
        out.principals = std::move(value);
    } else if (name == "expiry-time") {
        const std::optional<int64_t> when = parse_expiry_time(value);
        if (!when) {
            return "bad expiry-time \"" + value + "\"";
        }
        // Several expiry times: the earliest applies.
        out.expiry_time = out.expiry_time ? std::min(*out.expiry_time, *when) : *when;
    } else {
        return "unknown option \"" + name + "\"";
    }
    return {};
}

/// An address as 16 bytes plus its family (IPv4-mapped IPv6 counts as IPv4).
struct Address {
    std::array<unsigned char, 16> bytes{};
    int family = 0;
    size_t bits = 0;
};

std::optional<Address> parse_address(std::string_view text)
{
    const std::string s(text);
    Address a;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
        a.family = AF_INET;
        a.bits = 32;
        return a;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
        static constexpr std::array<unsigned char, 12> mapped{0, 0, 0, 0, 0,    0,
                                                              0, 0, 0, 0, 0xff, 0xff};
        if (std::equal(mapped.begin(), mapped.end(), a.bytes.begin())) {
            std::copy(a.bytes.begin() + 12, a.bytes.end(), a.bytes.begin());
            a.family = AF_INET;
            a.bits = 32;
            return a;
        }
        a.family = AF_INET6;
        a.bits = 128;
        return a;
    }
    return std::nullopt;
}

bool match_cidr(std::string_view cidr, std::string_view ip)
{
    const size_t slash = cidr.find('/');
    const std::optional<Address> net = parse_address(cidr.substr(0, slash));
    const std::optional<Address> addr = parse_address(ip);
    const std::string_view len_text = cidr.substr(slash + 1);
    size_t len = 0;
    const auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (!net || !addr || ec != std::errc() || end != len_text.data() + len_text.size() ||
        len_text.empty() || len > net->bits || net->family != addr->family) {
        return false;
    }
    for (size_t bit = 0; bit < len; ++bit) {
        const unsigned mask = 0x80U >> (bit % 8);
        if ((net->bytes[bit / 8] & mask) != (addr->bytes[bit / 8] & mask)) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, LetterCase letters)
{
    size_t p = 0;
    size_t t = 0;
    size_t star = std::string_view::npos;
    size_t star_t = 0;
    const auto same = [letters](char a, char b) {
        return letters == LetterCase::exact ? a == b
                                            : std::tolower(static_cast<unsigned char>(a)) ==
                                                  std::tolower(static_cast<unsigned char>(b));
    };
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || same(pattern[p], text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_t = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_t;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::optional<size_t> option_list_length(std::string_view line)
{
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '\\' && i + 1 < line.size() && line[i + 1] == '"') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == ' ' || c == '\t')) {
            return i;
        }
    }
    return quoted ? std::nullopt : std::optional<size_t>(line.size());
}

std::optional<KeyOptions> parse_key_options(std::string_view list, std::string& error)
{
    KeyOptions out;
    size_t pos = 0;
    while (pos < list.size()) {
        std::string name;
        std::optional<std::string> value;
        if (!next_option(list, pos, name, value, error)) {
            return std::nullopt;
        }
        if (!value) {
            if (!apply_flag(name, out)) {
                error = "unknown option \"" + name + "\"";
                return std::nullopt;
            }
            continue;
        }
        error = apply_valued(name, std::move(*value), out);
        if (!error.empty()) {
            return std::nullopt;
        }
    }
    return out;
}

std::optional<int64_t> parse_expiry_time(std::string_view text)
{
    const bool utc = !text.empty() && (text.back() == 'Z' || text.back() == 'z');
    if (utc) {
        text.remove_suffix(1);
    }
    if (text.size() != 8 && text.size() != 12 && text.size() != 14) {
        return std::nullopt;
    }
    std::array<int, 6> field{0, 0, 0, 0, 0, 0};  // year month day hour minute second
    static constexpr std::array<size_t, 6> widths{4, 2, 2, 2, 2, 2};
    size_t pos = 0;
    for (size_t i = 0; i < field.size() && pos < text.size(); ++i) {
        const std::string_view part = text.substr(pos, widths[i]);
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), field[i]);
        if (ec != std::errc() || end != part.data() + part.size()) {
            return std::nullopt;
        }
        pos += widths[i];
    }
    if (field[1] < 1 || field[1] > 12 || field[2] < 1 || field[2] > 31 || field[3] > 23 ||
        field[4] > 59 || field[5] > 60 || field[0] < 1970) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = field[0] - 1900;
    tm.tm_mon = field[1] - 1;
    tm.tm_mday = field[2];
    tm.tm_hour = field[3];
    tm.tm_min = field[4];
    tm.tm_sec = field[5];
    tm.tm_isdst = -1;
    const time_t when = utc ? timegm(&tm) : mktime(&tm);
    if (when == static_cast<time_t>(-1)) {
        return std::nullopt;
    }
    return static_cast<int64_t>(when);
}

bool match_source_pattern(std::string_view pattern, std::string_view ip, std::string_view host)
{
    if (pattern.find('/') != std::string_view::npos) {
        return match_cidr(pattern, ip);
    }
    return wildcard_match(pattern, ip) || (!host.empty() && wildcard_match(pattern, host));
}

bool match_source_list(std::string_view list, std::string_view ip, std::string_view host)
{
    // A negated match refuses outright.
    return match_pattern_list(list, [&](std::string_view pattern) {
               return match_source_pattern(pattern, ip, host);
           }) == ListMatch::match;
}

std::string refuse_reason(const KeyOptions& options, std::string_view ip, int64_t now,
                          std::string_view host)
{
    if (options.expiry_time && now > *options.expiry_time) {
        return "key expired";
    }
    if (options.from && !match_source_list(*options.from, ip, host)) {
        return "source address " + std::string(ip) + " not permitted by from=\"" + *options.from +
               "\"";
    }
    return {};
}

void apply_session_options(const KeyOptions& options, bool permit_user_environment,
                           std::vector<std::string>& env, std::optional<std::string>& command)
{
    const auto set = [&env](const std::string& entry) {
        const std::string_view name(entry.data(), entry.find('=') + 1);
        std::erase_if(env, [&](const std::string& e) { return e.starts_with(name); });
        env.push_back(entry);
    };
    if (permit_user_environment) {
        for (const std::string& entry : options.environment) {
            set(entry);
        }
    }
    if (options.command) {
        // sshd(8): the forced command runs instead; the client's request
        // stays visible to it.
        if (command) {
            set("SSH_ORIGINAL_COMMAND=" + *command);
        } else {
            std::erase_if(
                env, [](const std::string& e) { return e.starts_with("SSH_ORIGINAL_COMMAND="); });
        }
        command = *options.command;
    }
}

}  // namespace burrow::server
