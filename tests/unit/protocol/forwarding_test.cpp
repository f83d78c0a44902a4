// Port forwarding messages through a client/server pair: global requests
// answered in order even when the owner answers later (RFC 4254 §4, §7.1),
// the port-0 reply, the forwarding channel opens (RFC 4254 §7.2, OpenSSH
// PROTOCOL §2.4) and hostile floods of unanswered requests.
#include <catch2/catch.hpp>

#include "pair.h"

using burrow::test::Pair;
namespace protocol = burrow::protocol;

TEST_CASE("global requests: replies in request order, port 0 answered", "[forwarding]")
{
    Pair p;
    REQUIRE(p.authenticate());
    p.server_events.take_global = true;
    p.client->request_tcpip_forward("localhost", 0);
    p.client->request_streamlocal_forward("/tmp/sock");
    REQUIRE(p.pump());
    REQUIRE(p.server_events.global_requests.size() == 2);
    CHECK(p.server_events.global_requests[0].name == "tcpip-forward");
    CHECK(p.server_events.global_requests[0].bind_address == "localhost");
    CHECK(p.server_events.global_requests[0].port == 0);
    CHECK(p.server_events.global_requests[1].socket_path == "/tmp/sock");
    CHECK(p.client_events.global_replies.empty());

    // A request the owner does not take is refused at once - but its reply
    // must wait behind the two still pending.
    p.server_events.take_global = false;
    p.client->send_keepalive();
    REQUIRE(p.pump());
    CHECK(p.client_events.global_replies.empty());

    p.server->reply_global_request(true, 40022);
    p.server->reply_global_request(false);
    REQUIRE(p.pump());
    REQUIRE(p.client_events.global_replies.size() == 3);
    CHECK(p.client_events.global_replies[0].success);
    CHECK(p.client_events.global_replies[0].bound_port == 40022U);
    CHECK_FALSE(p.client_events.global_replies[1].success);
    CHECK_FALSE(p.client_events.global_replies[2].success);
    CHECK_FALSE(p.client_events.disconnected);
}

TEST_CASE("forwarding channel opens carry their endpoints", "[forwarding]")
{
    Pair p;
    REQUIRE(p.authenticate());
    const auto direct = p.client->open_direct_tcpip("db.internal", 5432, "127.0.0.1", 50123);
    const auto local = p.client->open_direct_streamlocal("/run/app.sock");
    const auto back = p.server->open_forwarded_tcpip("0.0.0.0", 8080, "192.0.2.7", 4711);
    const auto back_local = p.server->open_forwarded_streamlocal("/tmp/fwd.sock");
    REQUIRE((direct && local && back && back_local));
    REQUIRE(p.pump());
    const auto& at_server = p.server_events.open_requests;
    REQUIRE(at_server.size() == 2);
    CHECK(at_server[0].type == "direct-tcpip");
    CHECK(at_server[0].host == "db.internal");
    CHECK(at_server[0].port == 5432);
    CHECK(at_server[0].originator_ip == "127.0.0.1");
    CHECK(at_server[0].originator_port == 50123);
    CHECK(at_server[1].type == "direct-streamlocal@openssh.com");
    CHECK(at_server[1].socket_path == "/run/app.sock");
    const auto& at_client = p.client_events.open_requests;
    REQUIRE(at_client.size() == 2);
    CHECK(at_client[0].type == "forwarded-tcpip");
    CHECK(at_client[0].host == "0.0.0.0");
    CHECK(at_client[0].port == 8080);
    CHECK(at_client[0].originator_ip == "192.0.2.7");
    CHECK(at_client[1].socket_path == "/tmp/fwd.sock");
    CHECK(p.client_events.open_ok[*direct]);
    CHECK(p.server_events.open_ok[*back]);
}

TEST_CASE("a flood of unanswered global requests ends the connection", "[forwarding][hostile]")
{
    Pair p;
    REQUIRE(p.authenticate());
    p.server_events.take_global = true;  // taken, never answered
    for (size_t i = 0; i <= protocol::limits::max_pending_global_requests; ++i) {
        p.client->request_tcpip_forward("", static_cast<uint32_t>(10000 + i));
    }
    p.pump();
    REQUIRE(p.server_events.disconnected);
    CHECK(p.server_events.disconnected->message.find("global requests") != std::string::npos);
}

TEST_CASE("replies without a pending request are never sent", "[forwarding]")
{
    Pair p;
    REQUIRE(p.authenticate());
    p.server->reply_global_request(true);  // nothing pending: ignored, nothing sent
    REQUIRE(p.pump());
    CHECK_FALSE(p.client_events.disconnected);
    // Only as many replies go out as requests came in.
    p.client_events.take_global = true;
    p.server->send_global_request("keepalive@openssh.com", true, {});
    REQUIRE(p.pump());
    p.client->reply_global_request(true);
    p.client->reply_global_request(true);  // nothing pending any more: ignored
    REQUIRE(p.pump());
    REQUIRE(p.server_events.global_replies.size() == 1);
    CHECK_FALSE(p.server_events.disconnected);
}

TEST_CASE("a refused open reports the RFC 4254 reason name and the description", "[forwarding]")
{
    Pair p;
    REQUIRE(p.authenticate());
    p.server_events.auto_accept_channels = false;  // rejects with code 1
    const auto id = p.client->open_direct_tcpip("db.internal", 5432, "127.0.0.1", 50123);
    REQUIRE(id);
    REQUIRE(p.pump());
    CHECK_FALSE(p.client_events.open_ok[*id]);
    CHECK(p.client_events.open_reason[*id] ==
          "administratively prohibited: administratively prohibited");
}
