#include "client/key_text.h"

#include "client/host_verifier.h"
#include "client/known_hosts.h"
#include "crypto/key_files.h"
#include "crypto/keys.h"

namespace burrow::client {

namespace {

std::vector<std::string_view> split_fields(std::string_view line)
{
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        const size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            fields.push_back(line.substr(start, i - start));
        }
    }
    return fields;
}

/// The key in one line: the first "type base64" pair whose blob names the
/// same type (this skips authorized_keys options and known_hosts hosts).
std::optional<PublicKeyText> parse_line(std::string_view line)
{
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    const std::vector<std::string_view> fields = split_fields(line);
    if (fields.empty() || fields.front().front() == '#') {
        return std::nullopt;
    }
    for (size_t i = 0; i + 1 < fields.size(); ++i) {
        auto blob = crypto::base64_decode(fields[i + 1]);
        if (!blob || key_type_of_blob(*blob) != fields[i]) {
            continue;
        }
        PublicKeyText key{std::string(fields[i]), std::move(*blob), {}};
        // The comment is the rest of the line after the base64 field.
        const size_t end =
            static_cast<size_t>(fields[i + 1].data() - line.data()) + fields[i + 1].size();
        std::string_view comment = line.substr(end);
        while (!comment.empty() && (comment.front() == ' ' || comment.front() == '\t')) {
            comment.remove_prefix(1);
        }
        key.comment = std::string(comment);
        return key;
    }
    return std::nullopt;
}

/// Length in bits of an SSH mpint's magnitude (RFC 4251 §5).
size_t mpint_bits(ByteView value)
{
    size_t i = 0;
    while (i < value.size() && value[i] == 0) {
        ++i;
    }
    if (i == value.size()) {
        return 0;
    }
    size_t bits = (value.size() - i) * 8;
    for (uint8_t top = value[i]; (top & 0x80) == 0; top = static_cast<uint8_t>(top << 1)) {
        --bits;
    }
    return bits;
}

/// The n-th SSH string of a blob (0 = the type), or empty.
ByteView blob_field(ByteView blob, size_t n)
{
    size_t pos = 0;
    for (size_t k = 0;; ++k) {
        if (blob.size() - pos < 4) {
            return {};
        }
        const size_t len = (size_t{blob[pos]} << 24) | (size_t{blob[pos + 1]} << 16) |
                           (size_t{blob[pos + 2]} << 8) | size_t{blob[pos + 3]};
        pos += 4;
        if (len > blob.size() - pos) {
            return {};
        }
        if (k == n) {
            return blob.subspan(pos, len);
        }
        pos += len;
    }
}

}  // namespace

std::vector<PublicKeyText> parse_public_keys(std::string_view text)
{
    std::vector<PublicKeyText> keys;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (auto key = parse_line(text.substr(start, end - start))) {
            keys.push_back(std::move(*key));
        }
        start = end + 1;
    }
    return keys;
}

size_t key_bits(ByteView blob)
{
    const std::string type = key_type_of_blob(blob);
    if (type == "ssh-ed25519") {
        return 256;
    }
    if (type == "ssh-rsa") {
        return mpint_bits(blob_field(blob, 2));  // string type, mpint e, mpint n
    }
    if (type == "ecdsa-sha2-nistp256") {
        return 256;
    }
    if (type == "ecdsa-sha2-nistp384") {
        return 384;
    }
    if (type == "ecdsa-sha2-nistp521") {
        return 521;
    }
    return 0;
}

std::string fingerprint_line(const PublicKeyText& key, std::string_view fallback)
{
    return fingerprint_line(key, fallback, false);
}

std::string fingerprint_line(const PublicKeyText& key, std::string_view fallback, bool md5)
{
    const std::string comment = key.comment.empty() ? std::string(fallback) : key.comment;
    const std::string fp =
        md5 ? crypto::fingerprint_md5(key.blob) : crypto::fingerprint_sha256(key.blob);
    return std::to_string(key_bits(key.blob)) + " " + fp + " " + comment + " (" +
           key_type_display_name(key.type) + ")";
}

}  // namespace burrow::client
