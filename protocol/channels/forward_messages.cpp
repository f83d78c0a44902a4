#include "protocol/channels/forward_messages.h"

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::channels {

namespace {

/// Bounds for the request names and reserved strings we skip.
constexpr size_t max_reserved = 1024;

}  // namespace

void parse_open_body(ChannelOpenRequest& open)
{
    wire::Reader r(open.type_specific, "SSH_MSG_CHANNEL_OPEN");
    if (open.type == "direct-tcpip" || open.type == "forwarded-tcpip") {
        // RFC 4254 §7.2: target (or connected) host and port, then originator.
        open.host = r.get_text(max_forward_host);
        open.port = r.get_u32();
        open.originator_ip = r.get_text(max_forward_host);
        open.originator_port = r.get_u32();
        r.expect_end();
    } else if (open.type == "direct-streamlocal@openssh.com") {
        // OpenSSH PROTOCOL §2.4: path, reserved string, reserved uint32.
        open.socket_path = r.get_text(max_socket_path);
        r.get_text(max_reserved);
        r.get_u32();
        r.expect_end();
    } else if (open.type == "forwarded-streamlocal@openssh.com") {
        open.socket_path = r.get_text(max_socket_path);
        r.get_text(max_reserved);
        r.expect_end();
    }
}

void parse_global_body(GlobalRequest& request, ByteView body)
{
    wire::Reader r(body, "SSH_MSG_GLOBAL_REQUEST");
    if (request.name == "tcpip-forward" || request.name == "cancel-tcpip-forward") {
        request.bind_address = r.get_text(max_forward_host);  // RFC 4254 §7.1
        request.port = r.get_u32();
        r.expect_end();
    } else if (request.name == "streamlocal-forward@openssh.com" ||
               request.name == "cancel-streamlocal-forward@openssh.com") {
        request.socket_path = r.get_text(max_socket_path);
        r.expect_end();
    } else {
        request.raw = r.get_rest();
    }
}

Bytes encode_tcpip_open(std::string_view host, uint32_t port, std::string_view originator_ip,
                        uint32_t originator_port)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(host);
    w.put_u32(port);
    w.put_string(originator_ip);
    w.put_u32(originator_port);
    return body;
}

Bytes encode_direct_streamlocal_open(std::string_view socket_path)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(socket_path);
    w.put_string("");
    w.put_u32(0);
    return body;
}

Bytes encode_forwarded_streamlocal_open(std::string_view socket_path)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(socket_path);
    w.put_string("");
    return body;
}

Bytes encode_forward_request(std::string_view bind_address, uint32_t port)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(bind_address);
    w.put_u32(port);
    return body;
}

Bytes encode_streamlocal_request(std::string_view socket_path)
{
    Bytes body;
    wire::Writer(body).put_string(socket_path);
    return body;
}

}  // namespace burrow::protocol::channels
