#include "server/authorized_keys.h"

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

}  // namespace

std::optional<size_t> find_authorized_key(std::string_view text, ByteView blob,
                                          const SkippedLine& skipped)
{
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
        const std::optional<crypto::PublicKeyLine> parsed = crypto::parse_public_key_line(line);
        if (!parsed || !parsed->key) {
            if (skipped) {
                skipped(line_no, looks_like_key_type(line) ? "malformed or unsupported key"
                                                           : "key options are not supported yet");
            }
            continue;
        }
        // Public data, but compare without early exit anyway.
        if (crypto::constant_time_equal(parsed->key->blob(), blob)) {
            return line_no;
        }
    }
    return std::nullopt;
}

}  // namespace burrow::server
