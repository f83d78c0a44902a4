#include "client/known_hosts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "client/pattern.h"
#include "crypto/key_files.h"

namespace burrow::client {

namespace {

/// Hashed host names (OpenSSH HashKnownHosts): "|1|" then base64 salt, '|',
/// base64 HMAC-SHA1(key = salt, data = name).
constexpr std::string_view hashed_magic = "|1|";

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/// Next whitespace-separated field of `rest`, consuming it.
std::string_view next_field(std::string_view& rest)
{
    while (!rest.empty() && is_space(rest.front())) {
        rest.remove_prefix(1);
    }
    size_t end = 0;
    while (end < rest.size() && !is_space(rest[end])) {
        ++end;
    }
    const std::string_view field = rest.substr(0, end);
    rest.remove_prefix(end);
    return field;
}

bool hashed_name_matches(std::string_view field, std::string_view name)
{
    const std::string_view body = field.substr(hashed_magic.size());
    const size_t bar = body.find('|');
    if (bar == std::string_view::npos) {
        return false;
    }
    const auto salt = crypto::base64_decode(body.substr(0, bar));
    const auto hash = crypto::base64_decode(body.substr(bar + 1));
    if (!salt || !hash) {
        return false;
    }
    const Bytes expected = crypto::hmac_sha1(*salt, as_bytes(name));
    return crypto::constant_time_equal(expected, *hash);
}

bool blobs_equal(ByteView a, ByteView b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

std::string known_hosts_name(std::string_view host, uint16_t port)
{
    // sshd(8): non-standard ports are written "[host]:port".
    if (port == 22) {
        return std::string(host);
    }
    return "[" + std::string(host) + "]:" + std::to_string(port);
}

bool host_field_matches(std::string_view field, std::string_view name)
{
    if (field.starts_with(hashed_magic)) {
        return hashed_name_matches(field, name);
    }
    return match_pattern_list(field, name) == ListMatch::positive;
}

std::string key_type_of_blob(ByteView blob)
{
    // RFC 4253 §6.6: the blob starts with the key type as an SSH string.
    if (blob.size() < 4) {
        return {};
    }
    const size_t len = (size_t{blob[0]} << 24) | (size_t{blob[1]} << 16) | (size_t{blob[2]} << 8) |
                       size_t{blob[3]};
    if (len > blob.size() - 4) {
        return {};
    }
    return to_string(blob.subspan(4, len));
}

std::optional<KnownHostEntry> parse_known_hosts_line(std::string_view line)
{
    std::string_view rest = line;
    std::string_view field = next_field(rest);
    if (field.empty() || field.front() == '#') {
        return std::nullopt;
    }
    KnownHostEntry entry;
    if (field.front() == '@') {
        if (field == "@revoked") {
            entry.marker = KnownHostEntry::Marker::revoked;
        } else if (field == "@cert-authority") {
            entry.marker = KnownHostEntry::Marker::cert_authority;
        } else {
            return std::nullopt;  // unknown marker: ignore the line
        }
        field = next_field(rest);
    }
    entry.hosts = std::string(field);
    const std::string_view type = next_field(rest);
    const auto blob = crypto::base64_decode(next_field(rest));
    if (entry.hosts.empty() || type.empty() || !blob || blob->empty()) {
        return std::nullopt;
    }
    entry.key_type = key_type_of_blob(*blob);
    if (entry.key_type != type) {
        return std::nullopt;  // the type field and the blob disagree
    }
    entry.key_blob = *blob;
    return entry;
}

bool KnownHosts::load_file(const std::string& path)
{
    std::ifstream in(path);
    if (!in) {
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    add_text(text.str(), path);
    return true;
}

void KnownHosts::add_text(std::string_view text, std::string_view origin)
{
    size_t line_no = 0;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        ++line_no;
        if (auto entry = parse_known_hosts_line(text.substr(start, end - start))) {
            entry->file = std::string(origin);
            entry->line = line_no;
            m_entries.push_back(std::move(*entry));
        }
        start = end + 1;
    }
}

std::vector<std::string> KnownHosts::key_types_for(std::string_view name) const
{
    std::vector<std::string> types;
    for (const KnownHostEntry& entry : m_entries) {
        if (entry.marker != KnownHostEntry::Marker::none ||
            !host_field_matches(entry.hosts, name)) {
            continue;
        }
        if (std::find(types.begin(), types.end(), entry.key_type) == types.end()) {
            types.push_back(entry.key_type);
        }
    }
    return types;
}

HostKeyLookup KnownHosts::check(std::string_view name, ByteView key_blob) const
{
    const std::string offered_type = key_type_of_blob(key_blob);
    const KnownHostEntry* match = nullptr;
    const KnownHostEntry* conflict = nullptr;
    HostKeyLookup result;
    for (const KnownHostEntry& entry : m_entries) {
        if (entry.marker == KnownHostEntry::Marker::cert_authority ||
            !host_field_matches(entry.hosts, name)) {
            continue;  // certificates are not supported: CA lines never vouch
        }
        const bool same_key = blobs_equal(entry.key_blob, key_blob);
        if (entry.marker == KnownHostEntry::Marker::revoked) {
            if (same_key) {
                // A revoked key is refused whatever else the files say.
                return {HostKeyStatus::revoked, entry.file, entry.line, entry.key_blob, {}};
            }
            continue;
        }
        if (same_key) {
            match = match ? match : &entry;
        } else if (entry.key_type == offered_type) {
            conflict = conflict ? conflict : &entry;
        } else {
            result.other_key_types.push_back(entry.key_type);
        }
    }
    if (const KnownHostEntry* found = match ? match : conflict) {
        result.status = match ? HostKeyStatus::known : HostKeyStatus::changed;
        result.file = found->file;
        result.line = found->line;
        result.recorded_key = found->key_blob;
    }
    return result;
}

namespace {

/// Create the parent directory of `path` (one level) with mode 0700.
std::optional<std::string> ensure_parent_directory(const std::string& path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) {
        return std::nullopt;
    }
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return "cannot create directory " + dir + ": " + std::strerror(errno);
    }
    return std::nullopt;
}

bool write_all(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

}  // namespace

std::optional<std::string> append_known_host(const std::string& path, std::string_view name,
                                             ByteView key_blob)
{
    if (auto error = ensure_parent_directory(path)) {
        return error;
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        return "cannot open " + path + ": " + std::strerror(errno);
    }
    std::string line;
    // Keep the previous last line intact if the file lacks a final newline.
    const off_t size = ::lseek(fd, 0, SEEK_END);
    char last = '\n';
    if (size > 0 && ::pread(fd, &last, 1, size - 1) == 1 && last != '\n') {
        line.push_back('\n');
    }
    line += std::string(name) + " " + key_type_of_blob(key_blob) + " " +
            crypto::base64_encode(key_blob) + "\n";
    const bool ok = write_all(fd, line);
    const bool closed = ::close(fd) == 0;
    if (!ok || !closed) {
        return "cannot write " + path + ": " + std::strerror(errno);
    }
    return std::nullopt;
}

}  // namespace burrow::client
