// Temporary configuration files for the config unit tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace burrow::server::test {

/// A temporary directory removed (with its files) at scope exit.
class TempDir {
public:
    TempDir()
    {
        char pattern[] = "/tmp/burrowd_config_XXXXXX";
        const char* made = mkdtemp(pattern);
        m_path = made ? made : "";
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Write `text` to `name` (relative to the directory); returns its path.
    std::string write(const std::string& name, const std::string& text) const
    {
        const std::filesystem::path path = std::filesystem::path(m_path) / name;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
        return path.string();
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

}  // namespace burrow::server::test
