#include "server/authorized_keys.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "crypto/key_files.h"

namespace burrow::server {

namespace {

std::string_view trim(std::string_view s)
{
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// Key type names start like this; anything else in front is an option list.
bool looks_like_key_type(std::string_view line)
{
    return line.starts_with("ssh-") || line.starts_with("ecdsa-") || line.starts_with("sk-") ||
           line.starts_with("rsa-");
}

/// Parse one non-comment line; nullopt (after reporting) if it is bad.
std::optional<std::pair<crypto::PublicKeyLine, KeyOptions>> parse_line(std::string_view line,
                                                                       std::string& error)
{
    if (looks_like_key_type(line)) {
        std::optional<crypto::PublicKeyLine> parsed = crypto::parse_public_key_line(line);
        if (!parsed || !parsed->key) {
            error = "malformed or unsupported key";
            return std::nullopt;
        }
        return std::make_pair(std::move(*parsed), KeyOptions{});
    }
    const std::optional<size_t> length = option_list_length(line);
    if (!length) {
        error = "bad key options: unterminated quote";
        return std::nullopt;
    }
    std::string option_error;
    std::optional<KeyOptions> options = parse_key_options(line.substr(0, *length), option_error);
    if (!options) {
        error = "bad key options: " + option_error;
        return std::nullopt;
    }
    std::optional<crypto::PublicKeyLine> parsed =
        crypto::parse_public_key_line(trim(line.substr(*length)));
    if (!parsed || !parsed->key) {
        error = "malformed or unsupported key";
        return std::nullopt;
    }
    return std::make_pair(std::move(*parsed), std::move(*options));
}

}  // namespace

std::vector<AuthorizedKey> find_authorized_keys(std::string_view text, ByteView blob,
                                                const SkippedLine& skipped)
{
    std::vector<AuthorizedKey> found;
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        ++line_no;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        std::string error;
        auto entry = parse_line(line, error);
        if (!entry) {
            if (skipped) {
                skipped(line_no, error);
            }
            continue;
        }
        // sshd(8): a cert-authority entry trusts certificates signed by the
        // key, not the key itself.
        if (entry->second.cert_authority) {
            continue;
        }
        // Public data, but compare without early exit anyway.
        if (crypto::constant_time_equal(entry->first.key->blob(), blob)) {
            found.push_back(AuthorizedKey{line_no, std::move(entry->second)});
        }
    }
    return found;
}

std::optional<size_t> find_authorized_key(std::string_view text, ByteView blob,
                                          const SkippedLine& skipped)
{
    const std::vector<AuthorizedKey> found = find_authorized_keys(text, blob, skipped);
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front().line;
}

std::string strict_modes_problem(const std::string& path, const UserInfo& user)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return {};  // nothing to read, nothing to trust
    }
    if (!S_ISREG(st.st_mode)) {
        return path + " is not a regular file";
    }
    std::string home = user.home;
    while (home.size() > 1 && home.back() == '/') {
        home.pop_back();
    }
    std::string current = path;
    for (;;) {
        if (st.st_uid != 0 && st.st_uid != user.uid) {
            return "bad ownership or modes for " +
                   std::string(S_ISDIR(st.st_mode) ? "directory " : "file ") + current;
        }
        const bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0;
        if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky_dir) {
            return "bad ownership or modes for " +
                   std::string(S_ISDIR(st.st_mode) ? "directory " : "file ") + current;
        }
        if (current == "/" || (S_ISDIR(st.st_mode) && current == home)) {
            return {};
        }
        const size_t slash = current.find_last_of('/');
        if (slash == std::string::npos) {
            return {};
        }
        current = slash == 0 ? "/" : current.substr(0, slash);
        if (::stat(current.c_str(), &st) != 0) {
            return "cannot stat " + current + ": " + std::strerror(errno);
        }
    }
}

}  // namespace burrow::server
