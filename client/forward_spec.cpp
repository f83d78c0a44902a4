// Parsing of -L / -R / -D specifications (ssh(1) "-L", "-R", "-D"; the
// field rules follow the forms its manual page lists).
#include "client/forward_spec.h"

#include <charconv>
#include <vector>

namespace burrow::client {

namespace {

/// One ':'-separated field; `bracketed` when it was written as "[...]".
struct Field {
    std::string text;
    bool bracketed = false;
    /// A Unix socket path: ssh(1) recognises them by a '/'.
    bool is_path() const { return !bracketed && text.find('/') != std::string::npos; }
};

/// Split at ':' outside brackets. nullopt on unbalanced brackets or
/// text after a closing bracket that is not ':'.
std::optional<std::vector<Field>> split_fields(std::string_view text)
{
    std::vector<Field> fields;
    size_t i = 0;
    while (true) {
        Field field;
        if (i < text.size() && text[i] == '[') {
            const size_t close = text.find(']', i);
            if (close == std::string_view::npos) {
                return std::nullopt;
            }
            field.text = std::string(text.substr(i + 1, close - i - 1));
            field.bracketed = true;
            i = close + 1;
            if (i < text.size() && text[i] != ':') {
                return std::nullopt;
            }
        } else {
            const size_t colon = text.find(':', i);
            const size_t end = colon == std::string_view::npos ? text.size() : colon;
            field.text = std::string(text.substr(i, end - i));
            if (field.text.find_first_of("[]") != std::string::npos) {
                return std::nullopt;
            }
            i = end;
        }
        fields.push_back(std::move(field));
        if (i >= text.size()) {
            break;
        }
        ++i;  // the ':'
        if (fields.size() > 4) {
            return std::nullopt;
        }
    }
    return fields;
}

/// A port: decimal digits only, up to 65535; 0 only when `zero_ok`.
std::optional<uint16_t> parse_port(const Field& field, bool zero_ok)
{
    if (field.bracketed || field.text.empty()) {
        return std::nullopt;
    }
    unsigned value = 0;
    const char* first = field.text.data();
    const char* last = first + field.text.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last || value > 65535 || (value == 0 && !zero_ok)) {
        return std::nullopt;
    }
    return static_cast<uint16_t>(value);
}

bool valid_host(const Field& field)
{
    return !field.text.empty() && !field.is_path();
}

/// The listening side from `fields` (one path, one port, or bind + port).
bool parse_listen(const std::vector<Field>& fields, bool zero_ok, ForwardSpec& spec)
{
    if (fields.size() == 1 && fields[0].is_path()) {
        spec.listen_path = fields[0].text;
        return true;
    }
    const Field& port_field = fields.back();
    const auto port = parse_port(port_field, zero_ok);
    if (!port || fields.size() > 2) {
        return false;
    }
    if (fields.size() == 2) {
        // "" and "*" (all addresses) are legal bind addresses: no host check.
        if (fields[0].is_path()) {
            return false;
        }
        spec.listen_host = fields[0].text;
    }
    spec.listen_port = *port;
    return true;
}

/// The connecting side: one path, or host + port.
bool parse_connect(const std::vector<Field>& fields, ForwardSpec& spec)
{
    if (fields.size() == 1 && fields[0].is_path()) {
        spec.connect_path = fields[0].text;
        return true;
    }
    if (fields.size() != 2 || !valid_host(fields[0])) {
        return false;
    }
    const auto port = parse_port(fields[1], false);
    if (!port) {
        return false;
    }
    spec.connect_host = fields[0].text;
    spec.connect_port = *port;
    return true;
}

/// Where the listening fields end: -L/-R specs with 2..4 fields.
std::optional<size_t> listen_field_count(const std::vector<Field>& fields)
{
    switch (fields.size()) {
        case 2:
            // "/a:/b", "port:/path"; "bind:port" is only -R's dynamic form.
            return fields[1].is_path() ? std::optional<size_t>(1) : std::nullopt;
        case 3:
            // "/path:host:port", "port:host:port" or "bind:port:/path".
            if (fields[2].is_path()) {
                return 2;
            }
            return 1;
        case 4:
            return 2;
        default:
            return std::nullopt;
    }
}

}  // namespace

std::optional<ForwardSpec> parse_forward_spec(ForwardSpec::Kind kind, std::string_view text,
                                              std::string& error)
{
    const char* name = kind == ForwardSpec::Kind::local    ? "local"
                       : kind == ForwardSpec::Kind::remote ? "remote"
                                                           : "dynamic";
    error = "Bad " + std::string(name) + " forwarding specification '" + std::string(text) + "'";
    const auto fields = split_fields(text);
    if (!fields || fields->empty()) {
        return std::nullopt;
    }
    ForwardSpec spec;
    spec.kind = kind;
    const bool remote = kind == ForwardSpec::Kind::remote;
    // -R [bind:]port: reverse dynamic, when no field names a connect side.
    const bool listen_only = kind == ForwardSpec::Kind::dynamic || fields->size() == 1 ||
                             (remote && fields->size() == 2 && !(*fields)[1].is_path());
    if (listen_only) {
        if (kind == ForwardSpec::Kind::local || fields->size() > 2) {
            return std::nullopt;
        }
        if (!parse_listen(*fields, remote, spec)) {
            return std::nullopt;
        }
        if (spec.listens_on_path()) {
            return std::nullopt;  // SOCKS listeners are TCP only (as ssh)
        }
        error.clear();
        return spec;
    }
    const auto split = listen_field_count(*fields);
    if (!split) {
        return std::nullopt;
    }
    const std::vector<Field> listen(fields->begin(), fields->begin() + static_cast<long>(*split));
    const std::vector<Field> connect(fields->begin() + static_cast<long>(*split), fields->end());
    if (!parse_listen(listen, remote, spec) || !parse_connect(connect, spec)) {
        return std::nullopt;
    }
    error.clear();
    return spec;
}

std::string describe_listen(const ForwardSpec& spec)
{
    if (spec.listens_on_path()) {
        return spec.listen_path;
    }
    const std::string port = std::to_string(spec.listen_port);
    return spec.listen_host ? "[" + *spec.listen_host + "]:" + port : port;
}

std::string describe_connect(const ForwardSpec& spec)
{
    if (spec.connects_to_path()) {
        return spec.connect_path;
    }
    if (spec.is_dynamic()) {
        return "[socks]:0";
    }
    return "[" + spec.connect_host + "]:" + std::to_string(spec.connect_port);
}

}  // namespace burrow::client
