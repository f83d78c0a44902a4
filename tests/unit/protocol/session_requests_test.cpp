// Session channel requests (RFC 4254 §6, RFC 4335) through a client/server
// pair, the terminal modes codec (RFC 4254 §8) and its termios translation.
#include <catch2/catch.hpp>

#include "pair.h"
#include "protocol/channels/session_requests.h"
#include "protocol/terminal_modes.h"

using burrow::Bytes;
using burrow::test::Pair;
namespace protocol = burrow::protocol;
namespace channels = burrow::protocol::channels;

namespace {

/// An authenticated pair with one open session channel; returns the
/// client's and the server's channel ids.
std::pair<protocol::ChannelId, protocol::ChannelId> open_session(Pair& p)
{
    REQUIRE(p.authenticate());
    const auto cid = p.client->open_session();
    REQUIRE(cid);
    REQUIRE(p.pump());
    REQUIRE(p.client_events.open_ok[*cid]);
    p.client->request_shell(*cid, true);
    REQUIRE(p.pump());
    REQUIRE(p.server_events.requests.size() == 1);
    return {*cid, p.server_events.requests.back().id};
}

}  // namespace

TEST_CASE("pty-req, window-change, env, signal, break and subsystem arrive typed", "[session]")
{
    Pair p;
    const auto [cid, sid] = open_session(p);
    CHECK(p.server_events.requests[0].type == "shell");

    protocol::PtyRequest pty;
    pty.term = "xterm-256color";
    pty.size = {132, 43, 1056, 688};
    pty.modes = {{53, 0}, {128, 38400}, {3, 127}};
    p.client->request_pty(cid, pty, true);
    p.client->send_window_change(cid, {100, 30, 0, 0});
    p.client->request_env(cid, "LANG", "C.UTF-8", false);
    p.client->send_signal(cid, "INT");
    p.client->send_break(cid, 500, true);
    p.client->request_subsystem(cid, "sftp", true);
    REQUIRE(p.pump());

    const auto& got = p.server_events.requests;
    REQUIRE(got.size() == 7);
    REQUIRE(got[1].type == "pty-req");
    REQUIRE(got[1].pty);
    CHECK(got[1].want_reply);
    CHECK(got[1].pty->term == "xterm-256color");
    CHECK(got[1].pty->size.cols == 132);
    CHECK(got[1].pty->size.rows == 43);
    CHECK(got[1].pty->size.height_px == 688);
    REQUIRE(got[1].pty->modes.size() == 3);
    CHECK(got[1].pty->modes[1].opcode == 128);
    CHECK(got[1].pty->modes[1].value == 38400);
    CHECK(got[2].type == "window-change");
    CHECK_FALSE(got[2].want_reply);  // RFC 4254 §6.7
    CHECK(got[2].window.cols == 100);
    CHECK(got[2].window.rows == 30);
    CHECK(got[3].env_name == "LANG");
    CHECK(got[3].env_value == "C.UTF-8");
    CHECK(got[4].signal_name == "INT");
    CHECK(got[5].break_ms == 500);
    CHECK(got[6].type == "subsystem");
    CHECK(got[6].command == "sftp");
    CHECK_FALSE(p.server_events.disconnected);
    CHECK(sid == got[6].id);
}

TEST_CASE("terminal modes: undefined opcodes stop the parse, truncation is an error", "[session]")
{
    const Bytes encoded = channels::encode_terminal_modes({{53, 1}, {91, 1}});
    CHECK(channels::decode_terminal_modes(encoded).size() == 2);

    // RFC 4254 §8: opcode 160 and above end parsing; what follows is ignored.
    Bytes stop = {53, 0, 0, 0, 1, 200, 0xff, 0xff};
    CHECK(channels::decode_terminal_modes(stop).size() == 1);

    // An opcode whose uint32 argument is cut short is malformed.
    const Bytes truncated = {53, 0, 0};
    CHECK_THROWS_AS(channels::decode_terminal_modes(truncated), protocol::ProtocolError);
}

TEST_CASE("an oversized terminal modes string ends the connection", "[session][hostile]")
{
    Pair p;
    const auto [cid, sid] = open_session(p);
    (void)sid;
    protocol::PtyRequest pty;
    pty.term = "vt100";
    pty.modes.assign(channels::max_terminal_modes / 5 + 1, protocol::TerminalMode{53, 1});
    p.client->request_pty(cid, pty, true);
    p.pump();
    REQUIRE(p.server_events.disconnected);
    CHECK(p.server_events.disconnected->message.find("terminal modes") != std::string::npos);
}

TEST_CASE("termios survives encode then apply", "[session]")
{
    termios from{};
    from.c_iflag = ICRNL | IXON | IUTF8;
    from.c_oflag = OPOST | ONLCR;
    from.c_lflag = ISIG | ICANON | ECHO | ECHOE | IEXTEN;
    from.c_cflag = CS8 | CREAD;
    from.c_cc[VINTR] = 3;
    from.c_cc[VERASE] = 127;
    from.c_cc[VEOF] = 4;
    from.c_cc[VEOL] = _POSIX_VDISABLE;
    // Linux keeps one speed for both directions in c_cflag.
    cfsetispeed(&from, B115200);
    cfsetospeed(&from, B115200);

    termios to{};
    to.c_lflag = ECHOKE | TOSTOP;  // set bits the encoding clears
    to.c_cflag = CS7 | CREAD;
    cfsetospeed(&to, B9600);
    protocol::apply_terminal_modes(protocol::encode_termios(from), to);
    CHECK(to.c_iflag == from.c_iflag);
    CHECK(to.c_oflag == from.c_oflag);
    CHECK(to.c_lflag == from.c_lflag);
    CHECK((to.c_cflag & CSIZE) == CS8);
    CHECK(to.c_cc[VINTR] == 3);
    CHECK(to.c_cc[VERASE] == 127);
    CHECK(to.c_cc[VEOL] == _POSIX_VDISABLE);
    CHECK(cfgetispeed(&to) == B115200);
    CHECK(cfgetospeed(&to) == B115200);
}
