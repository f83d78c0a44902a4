#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "server/log.h"
#include "server/options.h"

namespace server = burrow::server;

TEST_CASE("options: flags, repeated and attached values", "[options]")
{
    const server::Options o =
        server::parse_options({"-De", "-p", "2222", "-p2223", "-h", "/k1", "-h/k2", "-f", "/cfg",
                               "-o", "LogLevel=DEBUG"});
    REQUIRE(o.no_detach);
    REQUIRE(o.log_stderr);
    REQUIRE(o.debug == 0);
    REQUIRE(o.ports == std::vector<std::string>{"2222", "2223"});
    REQUIRE(o.host_keys == std::vector<std::string>{"/k1", "/k2"});
    REQUIRE(o.config_file == "/cfg");
    REQUIRE(o.config_file_given);
    REQUIRE(o.overrides == std::vector<std::string>{"LogLevel=DEBUG"});
}

TEST_CASE("options: defaults and -d counting", "[options]")
{
    const server::Options o = server::parse_options({"-d", "-dd"});
    REQUIRE(o.debug == 3);
    REQUIRE_FALSE(o.no_detach);
    REQUIRE(o.config_file == server::default_config_file);
    REQUIRE_FALSE(o.config_file_given);
}

TEST_CASE("options: errors", "[options]")
{
    REQUIRE_THROWS_AS(server::parse_options({"-x"}), std::runtime_error);
    REQUIRE_THROWS_AS(server::parse_options({"-p"}), std::runtime_error);
    REQUIRE_THROWS_AS(server::parse_options({"stray"}), std::runtime_error);
}

TEST_CASE("options: -t -T -i -q -E -C (issue F)", "[options]")
{
    const server::Options o =
        server::parse_options({"-tiq", "-E", "/var/log/b.log", "-T", "-C", "user=u", "-Caddr=1"});
    REQUIRE(o.test_config);
    REQUIRE(o.inetd);
    REQUIRE(o.quiet);
    REQUIRE(o.dump_config);
    REQUIRE(o.log_file == "/var/log/b.log");
    REQUIRE(o.connection_specs == std::vector<std::string>{"user=u", "addr=1"});
    REQUIRE_THROWS_AS(server::parse_options({"-E"}), std::runtime_error);
}

TEST_CASE("options: the usage text names every flag", "[options]")
{
    const std::string usage = server::usage_text();
    for (const char* flag : {"D", "d", "e", "i", "q", "T", "t"}) {
        INFO(flag);
        REQUIRE(usage.find(flag) != std::string::npos);
    }
    for (const char* flag : {"-C connection_spec", "-E log_file", "-f config_file",
                             "-h host_key_file", "-o option", "-p port"}) {
        INFO(flag);
        REQUIRE(usage.find(flag) != std::string::npos);
    }
}

TEST_CASE("log: SyslogFacility names map to syslog(3) codes", "[options][log]")
{
    REQUIRE(server::syslog_facility_code("AUTH") == LOG_AUTH);
    REQUIRE(server::syslog_facility_code("authpriv") == LOG_AUTHPRIV);
    REQUIRE(server::syslog_facility_code("DAEMON") == LOG_DAEMON);
    REQUIRE(server::syslog_facility_code("USER") == LOG_USER);
    REQUIRE(server::syslog_facility_code("LOCAL0") == LOG_LOCAL0);
    REQUIRE(server::syslog_facility_code("LOCAL7") == LOG_LOCAL7);
    REQUIRE_FALSE(server::syslog_facility_code("LOCAL8").has_value());
    REQUIRE_FALSE(server::syslog_facility_code("KERN").has_value());
}

TEST_CASE("log: -E appends whole lines at the configured level, control characters masked",
          "[options][log]")
{
    char dir_template[] = "/tmp/burrow-log-test-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    const std::string path = std::string(dir_template) + "/burrowd.log";
    server::LogSettings settings;
    settings.level = server::LogLevel::info;
    settings.target = server::LogTarget::file;
    settings.file = path;
    REQUIRE_FALSE(server::log_init(settings).has_value());
    server::log_info("before");
    // A second start appends to the same file.
    REQUIRE_FALSE(server::log_init(settings).has_value());
    const size_t errors = server::log_error_count();
    server::log_info("Accepted publickey for u\nfake line");
    server::log_verbose("not at INFO");
    server::log_debug("not at INFO either");
    server::log_error("an error");
    REQUIRE(server::log_error_count() == errors + 1);

    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE(text.str() == "before\nAccepted publickey for u?fake line\nan error\n");
    // sshd(8) -E: the file is created for the owner only.
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    REQUIRE((st.st_mode & 0777) == 0600);

    settings.file = std::string(dir_template) + "/missing/burrowd.log";
    REQUIRE(server::log_init(settings).has_value());
    server::log_init("burrowd-test", server::LogLevel::quiet, true);
    std::filesystem::remove_all(dir_template);
}
