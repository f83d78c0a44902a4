// Helpers for the client unit tests: a temporary directory, file I/O and
// running external tools (ssh-keygen, burrow-keygen) with captured output.
#pragma once

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crypto/bytes.h"
#include "crypto/keys.h"
#include "crypto/rng.h"

namespace burrow::client::test {

/// A fresh directory under $TMPDIR, removed with its contents at scope exit.
class TempDir {
public:
    TempDir()
    {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/burrow-client-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return m_path + "/" + name; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

inline void write_file(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

inline std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Result of a shell command: exit status (-1 if it did not exit) and stdout.
struct CommandResult {
    int status = -1;
    std::string output;
};

inline CommandResult run_command(const std::string& command)
{
    CommandResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, n);
    }
    const int raw = ::pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return result;
}

/// Quote for /bin/sh.
inline std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

/// Sets an environment variable for the scope (nullptr: unsets it), then
/// restores the old value.
class EnvVar {
public:
    EnvVar(const char* name, const char* value) : m_name(name)
    {
        const char* old = std::getenv(name);
        m_had = old != nullptr;
        m_old = m_had ? old : "";
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    EnvVar(const char* name, const std::string& value) : EnvVar(name, value.c_str()) {}
    ~EnvVar()
    {
        if (m_had) {
            ::setenv(m_name, m_old.c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

private:
    const char* m_name;
    bool m_had = false;
    std::string m_old;
};

/// The burrow-keygen under test (meson passes BURROW_KEYGEN), shell-quoted.
inline std::string keygen()
{
    const char* path = std::getenv("BURROW_KEYGEN");
    REQUIRE(path != nullptr);
    return shell_quote(path);
}

/// A deterministic ed25519 public key blob for seed `seed`.
inline Bytes test_key_blob(uint64_t seed)
{
    const auto rng = crypto::make_seeded_rng(seed);
    const auto key = crypto::generate_ed25519(*rng);
    return key->public_key().blob();
}

}  // namespace burrow::client::test
