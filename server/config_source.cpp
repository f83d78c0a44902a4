// Reading the configuration into a ConfigSource (Include expanded, Match
// blocks kept apart) and resolving it, per connection when Match applies.
#include <glob.h>

#include <fstream>
#include <sstream>

#include "server/config.h"
#include "server/config_checks.h"
#include "server/text_case.h"

namespace burrow::server {

namespace {

/// Include nesting limit (sshd uses 16 too): stops include loops.
constexpr int max_include_depth = 16;

/// Reads files into a ConfigSource.
class SourceReader {
public:
    SourceReader(ConfigSource& source, std::string base_dir)
        : m_source(source), m_base_dir(std::move(base_dir))
    {
    }

    /// Read `path`'s lines into the global section, or into the Match block
    /// `block` (index into m_source.matches) when set.
    void read_file(const std::string& path, std::optional<size_t> block, int depth)
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            throw ConfigError(path + ": cannot open configuration file");
        }
        std::ostringstream text;
        text << in.rdbuf();
        read_text(text.str(), path, block, depth);
    }

    void read_text(const std::string& text, const std::string& origin, std::optional<size_t> block,
                   int depth)
    {
        size_t line_no = 0;
        size_t pos = 0;
        while (pos <= text.size()) {
            const size_t end = std::min(text.find('\n', pos), text.size());
            ++line_no;
            const std::string where = origin + ":" + std::to_string(line_no);
            auto tokens = split_config_line(std::string_view(text).substr(pos, end - pos), where);
            pos = end + 1;
            if (tokens) {
                line(std::move(tokens->first), std::move(tokens->second), where, block, depth);
            }
        }
    }

private:
    void line(std::string keyword, std::vector<std::string> args, const std::string& where,
              std::optional<size_t>& block, int depth)
    {
        const std::string key = lower_case(keyword);
        if (key == "match") {
            // A Match block lasts until the next Match or the end of this file.
            m_source.matches.push_back(MatchBlock{parse_match_criteria(args, where), {}});
            block = m_source.matches.size() - 1;
            return;
        }
        if (key == "include") {
            include(args, where, block, depth);
            return;
        }
        if (block && !keyword_allowed_in_match(key)) {
            config_fail(where, "Directive '" + keyword + "' is not allowed within a Match block");
        }
        SourceLine entry{std::move(keyword), std::move(args), where};
        if (block) {
            m_source.matches[*block].lines.push_back(std::move(entry));
        } else {
            m_source.global.push_back(std::move(entry));
        }
    }

    void include(const std::vector<std::string>& args, const std::string& where,
                 std::optional<size_t>& block, int depth)
    {
        require_args(args, 1, 256, "Include", where);
        if (depth + 1 > max_include_depth) {
            config_fail(where, "Include nested too deeply (over " +
                                   std::to_string(max_include_depth) + " levels)");
        }
        for (const std::string& pattern : args) {
            // Relative paths are relative to the main configuration file's
            // directory (sshd_config(5) uses /etc/ssh, its own directory).
            const std::string full =
                !pattern.empty() && pattern.front() == '/' ? pattern : m_base_dir + "/" + pattern;
            glob_t found{};
            const int rc = glob(full.c_str(), 0, nullptr, &found);
            if (rc != 0 && rc != GLOB_NOMATCH) {
                globfree(&found);
                config_fail(where, "Include " + pattern + ": glob failed");
            }
            std::vector<std::string> paths(found.gl_pathv, found.gl_pathv + found.gl_pathc);
            globfree(&found);
            for (const std::string& path : paths) {  // glob(3) sorts them
                const size_t before = m_source.matches.size();
                read_file(path, block, depth + 1);
                if (block && m_source.matches.size() != before) {
                    // The included file opened Match blocks of its own; the
                    // rest of this file continues the enclosing block.
                    m_source.matches.push_back(MatchBlock{m_source.matches[*block].criteria, {}});
                    block = m_source.matches.size() - 1;
                }
            }
        }
    }

    ConfigSource& m_source;
    std::string m_base_dir;
};

std::string directory_of(const std::string& path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

/// Apply every stored line once so errors surface at startup with their
/// location: -o values and the file (Match blocks included) separately,
/// since -o values shadow the file's list keywords.
void check_source(const ConfigSource& source)
{
    ConfigParser overrides;
    for (const SourceLine& l : source.overrides) {
        overrides.apply(l.keyword, l.args, l.where, ConfigTier::command_line);
    }
    ConfigParser file;
    for (const SourceLine& l : source.global) {
        file.apply(l.keyword, l.args, l.where, ConfigTier::file);
    }
    for (const MatchBlock& block : source.matches) {
        ConfigParser scratch;
        for (const SourceLine& l : block.lines) {
            scratch.apply(l.keyword, l.args, l.where, ConfigTier::match);
        }
    }
}

}  // namespace

ConfigSource load_config_source(const Options& options)
{
    ConfigSource source;
    for (size_t i = 0; i < options.overrides.size(); ++i) {
        const std::string where = "command-line:" + std::to_string(i + 1);
        if (auto tokens = split_config_line(options.overrides[i], where)) {
            const std::string key = lower_case(tokens->first);
            if (key == "match" || key == "include") {
                config_fail(where, "Directive '" + tokens->first + "' is not allowed with -o");
            }
            source.overrides.push_back(
                SourceLine{std::move(tokens->first), std::move(tokens->second), where});
        }
    }
    SourceReader reader(source, directory_of(options.config_file));
    std::ifstream probe(options.config_file, std::ios::binary);
    if (probe) {
        probe.close();
        reader.read_file(options.config_file, std::nullopt, 0);
    } else if (options.config_file_given || options.config_file != default_config_file) {
        throw ConfigError(options.config_file + ": cannot open configuration file");
    }
    // else: the default file is optional; run with the defaults.
    check_source(source);
    return source;
}

ServerConfig resolve_config(const Options& options, const ConfigSource& source,
                            const ConnectionInfo* connection)
{
    ConfigParser parser;
    for (const SourceLine& l : source.overrides) {
        parser.apply(l.keyword, l.args, l.where, ConfigTier::command_line);
    }
    if (connection) {
        std::optional<std::optional<std::vector<std::string>>> groups;  // read once, if needed
        for (const MatchBlock& block : source.matches) {
            if (needs_groups(block.criteria) && !groups) {
                groups = user_group_names(connection->user);
            }
            if (!match_criteria(block.criteria, *connection, groups.value_or(std::nullopt))) {
                continue;
            }
            for (const SourceLine& l : block.lines) {
                parser.apply(l.keyword, l.args, l.where, ConfigTier::match);
            }
        }
    }
    for (const SourceLine& l : source.global) {
        parser.apply(l.keyword, l.args, l.where, ConfigTier::file);
    }
    return resolve_config(options, parser.raw());
}

}  // namespace burrow::server
