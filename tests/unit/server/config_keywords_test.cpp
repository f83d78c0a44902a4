// Every keyword burrowd parses shows its configured value in -T output; the
// issue F keywords (AddressFamily, UseDNS, SyslogFacility, ChrootDirectory,
// Allow/Deny*, unsupported features) and -C parsing.
#include <catch2/catch.hpp>

#include <algorithm>

#include "server/config.h"
#include "server/config_dump.h"

namespace server = burrow::server;

namespace {

server::ConfigDumpLines dump_of(const std::string& text, server::Options options = {})
{
    server::ConfigParser parser;
    parser.apply_file_text(text, "test.conf");
    return server::dump_config(server::resolve_config(options, parser.raw()));
}

bool has_line(const server::ConfigDumpLines& lines, const std::string& key,
              const std::string& value)
{
    return std::find(lines.begin(), lines.end(), std::pair{key, value}) != lines.end();
}

std::string error_of(const std::string& text)
{
    try {
        server::ConfigParser parser;
        parser.apply_file_text(text, "test.conf");
        server::resolve_config(server::Options{}, parser.raw());
    } catch (const server::ConfigError& e) {
        return e.what();
    }
    return "";
}

struct KeywordCase {
    const char* line;   ///< configuration line
    const char* key;    ///< -T keyword
    const char* value;  ///< -T value
};

}  // namespace

TEST_CASE("dump: each keyword with a valid value shows in -T output", "[config][dump]")
{
    const KeywordCase c = GENERATE(values<KeywordCase>({
        {"Port 2222", "port", "2222"},
        {"AddressFamily inet", "addressfamily", "inet"},
        {"ListenAddress 127.0.0.1:2200", "listenaddress", "127.0.0.1:2200"},
        {"ListenAddress [::1]:2201", "listenaddress", "[::1]:2201"},
        {"HostKey /k/ed25519", "hostkey", "/k/ed25519"},
        {"PidFile /run/x.pid", "pidfile", "/run/x.pid"},
        {"LogLevel VERBOSE", "loglevel", "VERBOSE"},
        {"SyslogFacility local3", "syslogfacility", "LOCAL3"},
        {"UsePAM yes", "usepam", "yes"},
        {"LoginGraceTime 1m", "logingracetime", "60"},
        {"PermitRootLogin no", "permitrootlogin", "no"},
        {"PermitRootLogin prohibit-password", "permitrootlogin", "without-password"},
        {"PubkeyAuthentication no", "pubkeyauthentication", "no"},
        {"PasswordAuthentication no", "passwordauthentication", "no"},
        {"KbdInteractiveAuthentication no", "kbdinteractiveauthentication", "no"},
        {"ChallengeResponseAuthentication no", "kbdinteractiveauthentication", "no"},
        {"PermitEmptyPasswords yes", "permitemptypasswords", "yes"},
        {"MaxAuthTries 3", "maxauthtries", "3"},
        {"AuthenticationMethods publickey,password", "authenticationmethods", "publickey,password"},
        {"StrictModes no", "strictmodes", "no"},
        {"PermitUserEnvironment yes", "permituserenvironment", "yes"},
        {"AuthorizedKeysFile .ssh/a %h/b", "authorizedkeysfile", ".ssh/a %h/b"},
        {"PrintMotd no", "printmotd", "no"},
        {"TCPKeepAlive no", "tcpkeepalive", "no"},
        {"PrintLastLog no", "printlastlog", "no"},
        {"Banner /etc/issue", "banner", "/etc/issue"},
        {"UseDNS yes", "usedns", "yes"},
        {"AllowUsers alice bob@10.0.0.0/8", "allowusers", "bob@10.0.0.0/8"},
        {"DenyUsers mallory", "denyusers", "mallory"},
        {"AllowGroups staff", "allowgroups", "staff"},
        {"DenyGroups guests", "denygroups", "guests"},
        {"Ciphers aes256-ctr", "ciphers", "aes256-ctr"},
        {"MACs hmac-sha2-256", "macs", "hmac-sha2-256"},
        {"KexAlgorithms curve25519-sha256", "kexalgorithms", "curve25519-sha256"},
        {"HostKeyAlgorithms ssh-ed25519", "hostkeyalgorithms", "ssh-ed25519"},
        {"PubkeyAcceptedAlgorithms ssh-ed25519", "pubkeyacceptedalgorithms", "ssh-ed25519"},
        {"Compression no", "compression", "no"},
        {"RekeyLimit 1G 30m", "rekeylimit", "1073741824 1800"},
        {"ModuliFile /etc/m", "modulifile", "/etc/m"},
        {"PermitTTY no", "permittty", "no"},
        {"ForceCommand /bin/echo hi", "forcecommand", "/bin/echo hi"},
        {"ChrootDirectory /srv/%u", "chrootdirectory", "/srv/%u"},
        {"MaxSessions 4", "maxsessions", "4"},
        {"AcceptEnv LANG LC_*", "acceptenv", "LC_*"},
        {"SetEnv A=1 B=two", "setenv", "A=1 B=two"},
        {"Subsystem sftp /usr/lib/sftp-server -l INFO", "subsystem",
         "sftp /usr/lib/sftp-server -l INFO"},
        {"AllowAgentForwarding no", "allowagentforwarding", "no"},
        {"GatewayPorts clientspecified", "gatewayports", "clientspecified"},
        {"AllowTcpForwarding local", "allowtcpforwarding", "local"},
        {"AllowStreamLocalForwarding no", "allowstreamlocalforwarding", "no"},
        {"DisableForwarding yes", "disableforwarding", "yes"},
        {"PermitOpen 10.0.0.1:80 [::1]:22", "permitopen", "10.0.0.1:80 [::1]:22"},
        {"PermitListen none", "permitlisten", "none"},
        {"StreamLocalBindMask 0022", "streamlocalbindmask", "0022"},
        {"StreamLocalBindUnlink yes", "streamlocalbindunlink", "yes"},
        {"ClientAliveInterval 15", "clientaliveinterval", "15"},
        {"ClientAliveCountMax 5", "clientalivecountmax", "5"},
        {"X11Forwarding no", "x11forwarding", "no"},
        {"PermitTunnel no", "permittunnel", "no"},
        {"GSSAPIAuthentication no", "gssapiauthentication", "no"},
        {"KerberosAuthentication no", "kerberosauthentication", "no"},
        {"HostbasedAuthentication no", "hostbasedauthentication", "no"},
        {"PermitUserRC no", "permituserrc", "no"},
        {"ExposeAuthInfo no", "exposeauthinfo", "no"},
        {"IgnoreRhosts yes", "ignorerhosts", "yes"},
        {"AuthorizedKeysCommand none", "authorizedkeyscommand", "none"},
        {"AuthorizedPrincipalsFile none", "authorizedprincipalsfile", "none"},
        {"TrustedUserCAKeys none", "trustedusercakeys", "none"},
        {"RevokedKeys none", "revokedkeys", "none"},
    }));
    CAPTURE(c.line);
    REQUIRE(has_line(dump_of(std::string(c.line) + "\n"), c.key, c.value));
}

TEST_CASE("dump: defaults as sshd -T prints them", "[config][dump]")
{
    const server::ConfigDumpLines d = dump_of("");
    REQUIRE(has_line(d, "port", "22"));
    REQUIRE(has_line(d, "addressfamily", "any"));
    REQUIRE(has_line(d, "listenaddress", "0.0.0.0:22"));
    REQUIRE(has_line(d, "listenaddress", "[::]:22"));
    REQUIRE(has_line(d, "banner", "none"));
    REQUIRE(has_line(d, "forcecommand", "none"));
    REQUIRE(has_line(d, "chrootdirectory", "none"));
    REQUIRE(has_line(d, "usedns", "no"));
    REQUIRE(has_line(d, "syslogfacility", "AUTH"));
    REQUIRE(has_line(d, "permitopen", "any"));
    REQUIRE(has_line(d, "authenticationmethods", "any"));
    REQUIRE(has_line(d, "streamlocalbindmask", "0177"));
    REQUIRE(has_line(d, "maxstartups", "10:30:100"));
}

TEST_CASE("config: AddressFamily selects the default listen addresses", "[config]")
{
    const server::Options options;
    server::ConfigParser inet;
    inet.apply_file_text("AddressFamily inet\n", "t");
    REQUIRE(server::resolve_config(options, inet.raw()).listen ==
            std::vector<server::ListenEndpoint>{{"0.0.0.0", 22}});
    server::ConfigParser inet6;
    inet6.apply_file_text("AddressFamily inet6\nPort 2222\n", "t");
    REQUIRE(server::resolve_config(options, inet6.raw()).listen ==
            std::vector<server::ListenEndpoint>{{"::", 2222}});
    REQUIRE(error_of("AddressFamily inet\nListenAddress ::1\n") ==
            "ListenAddress ::1 is IPv6 but AddressFamily is inet");
    REQUIRE(error_of("AddressFamily inet6\nListenAddress 127.0.0.1\n") ==
            "ListenAddress 127.0.0.1 is IPv4 but AddressFamily is inet6");
}

TEST_CASE("config: issue F keywords reject bad values naming file:line", "[config]")
{
    REQUIRE(error_of("AddressFamily ipx\n") ==
            "test.conf:1: unsupported option \"ipx\" for \"AddressFamily\"");
    REQUIRE(error_of("UseDNS maybe\n") == "test.conf:1: bad UseDNS value \"maybe\"");
    REQUIRE(error_of("SyslogFacility KERN\n") == "test.conf:1: unsupported log facility \"KERN\"");
    REQUIRE(error_of("ChrootDirectory /srv/%d\n") ==
            "test.conf:1: bad ChrootDirectory \"/srv/%d\": only %h, %u and %% expand");
    REQUIRE(error_of("ListenAddress 0.0.0.0 rdomain vrf1\n") ==
            "test.conf:1: ListenAddress 0.0.0.0 rdomain: burrowd has no routing domains");
    REQUIRE(error_of("\nX11Forwarding yes\n") ==
            "test.conf:2: X11Forwarding yes: burrowd has no X11 forwarding");
    REQUIRE(error_of("PermitTunnel point-to-point\n") ==
            "test.conf:1: PermitTunnel point-to-point: burrowd has no tun device forwarding");
    REQUIRE(error_of("GSSAPIAuthentication yes\n") ==
            "test.conf:1: GSSAPIAuthentication yes: burrowd has no GSSAPI authentication");
    REQUIRE(error_of("IgnoreRhosts no\n") ==
            "test.conf:1: IgnoreRhosts no: burrowd has no .rhosts/.shosts authentication");
    REQUIRE(
        error_of("TrustedUserCAKeys /etc/ca.pub\n") ==
        "test.conf:1: TrustedUserCAKeys /etc/ca.pub: burrowd has no certificate authentication");
    REQUIRE(error_of("X11Forwarding perhaps\n") ==
            "test.conf:1: bad X11Forwarding value \"perhaps\"");
    REQUIRE(error_of("ChrootDirectory none\n").empty());
}

TEST_CASE("config: -C specifications", "[config][dump]")
{
    const server::ConnectionInfo c =
        server::parse_connection_spec({"user=alice,addr=10.1.2.3", "laddr=127.0.0.1,lport=2222"});
    REQUIRE(c.user == "alice");
    REQUIRE(c.address == "10.1.2.3");
    REQUIRE(c.host == "10.1.2.3");  // host defaults to addr
    REQUIRE(c.local_address == "127.0.0.1");
    REQUIRE(c.local_port == 2222);
    REQUIRE(server::parse_connection_spec({"user=a,host=h.example,addr=1.2.3.4"}).host ==
            "h.example");
    REQUIRE_THROWS_WITH(server::parse_connection_spec({"user=a,colour=blue"}),
                        "invalid test mode specification: unknown key \"colour\"");
    REQUIRE_THROWS_WITH(server::parse_connection_spec({"lport=99999"}),
                        "invalid test mode specification: bad lport \"99999\"");
    REQUIRE_THROWS_WITH(server::parse_connection_spec({"user"}),
                        "invalid test mode specification \"user\"");
}
