// Port forwarding specifications of ssh(1) -L, -R, -D and the ssh_config(5)
// LocalForward, RemoteForward and DynamicForward keywords: parsing and the
// `ssh -G` spelling. Pure text handling, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace burrow::client {

/// One forwarding as the user wrote it.
struct ForwardSpec {
    enum class Kind {
        local,    ///< -L: listen here, connect on the server's side
        remote,   ///< -R: the server listens, we connect here
        dynamic,  ///< -D: listen here as a SOCKS server
    };
    Kind kind = Kind::local;
    /// Listening side: a bind address (nullopt: the default for the kind),
    /// and a port, or a Unix socket path instead of both.
    std::optional<std::string> listen_host;
    uint16_t listen_port = 0;
    std::string listen_path;
    /// Connecting side: host and port, or a Unix socket path. Both empty
    /// for -D and for -R's reverse dynamic form (-R [bind:]port).
    std::string connect_host;
    uint16_t connect_port = 0;
    std::string connect_path;

    bool listens_on_path() const { return !listen_path.empty(); }
    bool connects_to_path() const { return !connect_path.empty(); }
    /// -D, or -R with only a listening side (the SOCKS server runs here).
    bool is_dynamic() const
    {
        return kind == Kind::dynamic || (connect_host.empty() && connect_path.empty());
    }

    friend bool operator==(const ForwardSpec&, const ForwardSpec&) = default;
};

/// Parse an -L / -R / -D argument (or LocalForward "listen connect" with the
/// two parts joined by ':'). Accepted forms, with IPv6 addresses in
/// brackets:
///   -L [bind:]port:host:hostport  -L [bind:]port:/path  -L /path:host:hostport  -L /a:/b
///   -R the same, plus -R [bind:]port (reverse dynamic)
///   -D [bind:]port
/// Port 0 is allowed for -R only (the server picks one). On failure nullopt
/// with `error` set.
std::optional<ForwardSpec> parse_forward_spec(ForwardSpec::Kind kind, std::string_view text,
                                              std::string& error);

/// The listening side as `ssh -G` prints it: "port", "[bind]:port" or the path.
std::string describe_listen(const ForwardSpec& spec);
/// The connecting side as `ssh -G` prints it: "[host]:port", the path, or
/// "[socks]:0" for reverse dynamic.
std::string describe_connect(const ForwardSpec& spec);

}  // namespace burrow::client
