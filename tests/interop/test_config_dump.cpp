// burrowd -T -C against OpenSSH sshd -T -C on the same configuration file
// (sshd_config(5) Match): for several connection specifications (user,
// group, address CIDR with negation, local port, all) both must print the
// same values for every keyword the file sets or a Match block changes.
//
// Keywords compared: those below. Excluded: hostkey (both print the path,
// but sshd also loads it and may reorder by type), rekeylimit (burrowd's
// default time limit is one hour, sshd's none), ciphers/macs/kex lists (the
// supported sets differ, covered by the algorithm tests), and keywords the
// file leaves at their defaults where defaults differ by design (permituserrc:
// burrowd has no ~/.ssh/rc).
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <map>

#include "fixtures.h"

namespace burrow::interop_test {
namespace {

constexpr auto command_timeout = std::chrono::seconds(30);

/// A configuration with global values and Match blocks of every criterion.
constexpr const char* config_body =
    "Port 2222\n"
    "PasswordAuthentication yes\n"
    "PermitRootLogin no\n"
    "MaxAuthTries 4\n"
    "MaxSessions 8\n"
    "AllowTcpForwarding yes\n"
    "ClientAliveInterval 30\n"
    "AcceptEnv LANG\n"
    "AllowUsers root alice bob carol\n"
    "DenyGroups nogroup\n"
    "UseDNS no\n"
    "AddressFamily inet\n"
    "SyslogFacility LOCAL2\n"
    "X11Forwarding no\n"
    "Match User alice\n"
    "    PasswordAuthentication no\n"
    "    ForceCommand /bin/true\n"
    "Match Group root\n"
    "    PermitTTY no\n"
    "    MaxAuthTries 2\n"
    "Match Address 10.0.0.0/8,!10.1.0.0/16\n"
    "    AllowTcpForwarding no\n"
    "    MaxSessions 2\n"
    "    ChrootDirectory /srv/%u\n"
    "Match LocalPort 2222 LocalAddress 127.0.0.0/8\n"
    "    ClientAliveInterval 5\n"
    "Match User *,!root Address 192.0.2.*\n"
    "    PermitRootLogin yes\n"
    "    AllowAgentForwarding no\n"
    "    AllowUsers carol\n"
    "Match Host *.example.org\n"
    "    Banner /etc/issue.net\n"
    "Match all\n"
    "    GatewayPorts clientspecified\n"
    "    PermitOpen 127.0.0.1:80\n";

const std::vector<std::string> compared = {"port",
                                           "passwordauthentication",
                                           "permitrootlogin",
                                           "maxauthtries",
                                           "maxsessions",
                                           "allowtcpforwarding",
                                           "clientaliveinterval",
                                           "acceptenv",
                                           "allowusers",
                                           "denygroups",
                                           "usedns",
                                           "addressfamily",
                                           "syslogfacility",
                                           "x11forwarding",
                                           "forcecommand",
                                           "permittty",
                                           "chrootdirectory",
                                           "allowagentforwarding",
                                           "banner",
                                           "gatewayports",
                                           "permitopen",
                                           "listenaddress"};

/// keyword -> its values in order (keywords printed once per value repeat).
std::map<std::string, std::vector<std::string>> parse_dump(const std::string& text)
{
    std::map<std::string, std::vector<std::string>> out;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        const size_t space = line.find(' ');
        if (space != std::string::npos) {
            out[line.substr(0, space)].push_back(line.substr(space + 1));
        }
    }
    return out;
}

std::map<std::string, std::vector<std::string>> dump(const std::string& program,
                                                     const std::string& config,
                                                     const std::string& spec, const TempDir& dir)
{
    const std::vector<std::string> argv = {program, "-T", "-f", config, "-C", spec};
    const RunResult r = run(argv, RunOptions(dir.path(), command_timeout));
    INFO(describe(argv, r));
    REQUIRE(r.exit_code == 0);
    return parse_dump(r.out);
}

}  // namespace

TEST_CASE("burrowd -T -C prints what sshd -T -C prints for Match blocks", "[interop][config]")
{
    // sshd -T refuses to run without its privilege separation directory.
    mkdir("/run/sshd", 0755);
    const TempDir dir;
    const KeyPair host = make_openssh_key(dir, "host_ed25519");
    const std::string config = dir.file("sshd_config");
    write_text(config, "HostKey " + host.private_path + "\n" + config_body, 0644);

    const std::string spec =
        GENERATE(as<std::string>{},
                 // User match, address in the CIDR block, local port and address match.
                 "user=alice,host=a.example.org,addr=10.2.3.4,laddr=127.0.0.1,lport=2222",
                 // Group root; the address is in the negated sub-block; other local port.
                 "user=root,host=10.1.2.3,addr=10.1.2.3,laddr=127.0.0.1,lport=22",
                 // Negated user list with an address pattern; Match all only otherwise.
                 "user=carol,host=192.0.2.5,addr=192.0.2.5,laddr=192.0.2.1,lport=22",
                 // root is excluded by "User *,!root": no block but Group and all.
                 "user=root,host=192.0.2.5,addr=192.0.2.5,laddr=192.0.2.1,lport=2222",
                 // A user with no groups we know: only Host and all.
                 "user=nobody-burrow-test,host=box.example.org,addr=203.0.113.9,laddr=10.9.9.9,"
                 "lport=2200");
    CAPTURE(spec);
    const auto expected = dump(tools().sshd, config, spec, dir);
    const auto actual = dump(tools().burrowd, config, spec, dir);
    for (const std::string& key : compared) {
        CAPTURE(key);
        REQUIRE(expected.count(key) == 1);
        const auto found = actual.find(key);
        REQUIRE(found != actual.end());
        REQUIRE(found->second == expected.at(key));
    }
}

}  // namespace burrow::interop_test
