// Small helpers shared by the crypto unit tests.
#pragma once

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace burrow::crypto::test {

inline burrow::Bytes from_hex(std::string_view hex)
{
    auto nibble = [](char c) -> uint8_t {
        if (c >= '0' && c <= '9') {
            return static_cast<uint8_t>(c - '0');
        }
        if (c >= 'a' && c <= 'f') {
            return static_cast<uint8_t>(c - 'a' + 10);
        }
        throw std::invalid_argument("bad hex");
    };
    burrow::Bytes out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
    }
    return out;
}

inline std::string to_hex(burrow::ByteView data)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const uint8_t b : data) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

/// Run a shell command, capture stdout; returns the exit status.
inline int run_command(const std::string& cmd, std::string& out)
{
    out.clear();
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) {
        return -1;
    }
    char buf[512];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
        out.append(buf, n);
    }
    return ::pclose(p);
}

/// A private temporary directory, removed at scope exit.
class TempDir {
public:
    TempDir()
    {
        std::string templ =
            (std::filesystem::temp_directory_path() / "burrow-crypto-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        m_path = templ;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

/// A whole file as a string.
inline std::string slurp(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Write a file readable only by its owner (ssh-keygen refuses others).
inline void write_private(const std::filesystem::path& p, const std::string& text)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    ::chmod(p.c_str(), 0600);
}

}  // namespace burrow::crypto::test
