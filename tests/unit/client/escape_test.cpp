// The session escape filter (client/escape.h): every escape, the line-start
// rule, "~~", unknown escapes, and input split at every offset.
#include <catch2/catch.hpp>

#include "client/escape.h"

namespace client = burrow::client;
using Kind = client::EscapeItem::Kind;
using Action = client::EscapeAction;

namespace {

std::vector<client::EscapeItem> feed(client::EscapeFilter& filter, std::string_view text)
{
    return filter.feed(burrow::as_bytes(text));
}

/// Everything the filter sends to the remote side, concatenated.
std::string remote_text(const std::vector<client::EscapeItem>& items)
{
    std::string out;
    for (const auto& item : items) {
        if (item.kind == Kind::remote) {
            out += item.text;
        }
    }
    return out;
}

std::vector<Action> actions(const std::vector<client::EscapeItem>& items)
{
    std::vector<Action> out;
    for (const auto& item : items) {
        if (item.kind == Kind::action) {
            out.push_back(item.action);
        }
    }
    return out;
}

/// A compact trace: "r:<text>", "l:<text>", "a:<n>[:line]" per item.
std::string trace(const std::vector<client::EscapeItem>& items)
{
    std::string out;
    for (const auto& item : items) {
        switch (item.kind) {
            case Kind::remote:
                out += "r:" + item.text + "|";
                break;
            case Kind::local:
                out += "l:" + item.text + "|";
                break;
            case Kind::action:
                out += "a:" + std::to_string(static_cast<int>(item.action)) + ":" + item.text + "|";
                break;
        }
    }
    return out;
}

/// Merge adjacent items of the same kind, as one feed() would have produced.
std::vector<client::EscapeItem> merged(const std::vector<client::EscapeItem>& items)
{
    std::vector<client::EscapeItem> out;
    for (const auto& item : items) {
        if (!out.empty() && item.kind != Kind::action && out.back().kind == item.kind) {
            out.back().text += item.text;
        } else {
            out.push_back(item);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("escape: each escape at the start of input is an action", "[client][escape]")
{
    const std::vector<std::pair<std::string, Action>> cases = {
        {"~.", Action::disconnect}, {"~\x1a", Action::suspend}, {"~#", Action::list_connections},
        {"~?", Action::help},       {"~R", Action::rekey},      {"~B", Action::send_break},
    };
    for (const auto& [input, action] : cases) {
        client::EscapeFilter filter('~');
        const auto items = feed(filter, input);
        INFO(input);
        REQUIRE(items.size() == 1);
        CHECK(items[0].kind == Kind::action);
        CHECK(items[0].action == action);
    }
}

TEST_CASE("escape: only recognised after a newline or carriage return", "[client][escape]")
{
    client::EscapeFilter filter('~');
    auto items = feed(filter, "ls ~.");
    CHECK(remote_text(items) == "ls ~.");
    CHECK(actions(items).empty());

    items = feed(filter, "\r~.");
    CHECK(remote_text(items) == "\r");
    CHECK(actions(items) == std::vector<Action>{Action::disconnect});

    client::EscapeFilter lf('~');
    items = feed(lf, "x\n~B");
    CHECK(remote_text(items) == "x\n");
    CHECK(actions(items) == std::vector<Action>{Action::send_break});
}

TEST_CASE("escape: data and actions keep their order", "[client][escape]")
{
    client::EscapeFilter filter('~');
    const auto items = feed(filter, "ab\r~Bcd");
    CHECK(trace(items) == "r:ab\r|a:5:|r:cd|");
}

TEST_CASE("escape: commands keep the line start, so escapes chain", "[client][escape]")
{
    client::EscapeFilter filter('~');
    const auto items = feed(filter, "~B~#~.");
    CHECK(actions(items) ==
          std::vector<Action>{Action::send_break, Action::list_connections, Action::disconnect});
    CHECK(remote_text(items).empty());
}

TEST_CASE("escape: the escape character twice sends one", "[client][escape]")
{
    client::EscapeFilter filter('~');
    auto items = feed(filter, "~~");
    CHECK(remote_text(items) == "~");
    CHECK(actions(items).empty());
    // After "~~" the line has started: a further "~." is plain text.
    items = feed(filter, "~.");
    CHECK(remote_text(items) == "~.");
    CHECK(actions(items).empty());
}

TEST_CASE("escape: an unknown escape sends both characters", "[client][escape]")
{
    client::EscapeFilter filter('~');
    auto items = feed(filter, "~x~.");
    CHECK(remote_text(items) == "~x~.");
    CHECK(actions(items).empty());

    // "~" then Enter sends both, and the next line starts fresh.
    client::EscapeFilter enter('~');
    items = feed(enter, "~\r~.");
    CHECK(remote_text(items) == "~\r");
    CHECK(actions(items) == std::vector<Action>{Action::disconnect});
}

TEST_CASE("escape: another escape character", "[client][escape]")
{
    client::EscapeFilter filter('\x1d');  // ^]
    auto items = feed(filter, "~.");
    CHECK(remote_text(items) == "~.");
    items = feed(filter, "\r\x1d.");
    CHECK(actions(items) == std::vector<Action>{Action::disconnect});
    CHECK(client::escape_help_text('\x1d').find("^].") != std::string::npos);
}

TEST_CASE("escape: ~C reads a command line with local echo and editing", "[client][escape]")
{
    client::EscapeFilter filter('~');
    auto items = feed(filter, "~C");
    CHECK(filter.in_command_line());
    CHECK(trace(items) == "l:\r\n" + std::string(client::escape_command_prompt) + "|");

    items = feed(filter, "-L 80x\x7f:h:80");
    CHECK(remote_text(items).empty());
    CHECK(trace(items) == "l:-L 80x\b \b:h:80|");

    items = feed(filter, "\rls\r");
    CHECK(!filter.in_command_line());
    CHECK(trace(items) == "l:\r\n|a:6:-L 80:h:80|r:ls\r|");

    // Ctrl-C abandons the line; nothing is sent or run.
    items = feed(filter, "~Cabc\x03x");
    CHECK(actions(items).empty());
    CHECK(remote_text(items) == "x");
}

TEST_CASE("escape: input split at every offset gives the same result", "[client][escape]")
{
    const std::string input = "echo ~~hi\r~~\r~B~Xyz\n~#~?~C-KD 1080\r~R\r~\x1a~.tail";
    client::EscapeFilter whole_filter('~');
    const std::string expected = trace(merged(feed(whole_filter, input)));
    for (size_t cut = 0; cut <= input.size(); ++cut) {
        for (size_t cut2 = cut; cut2 <= input.size(); cut2 += 3) {
            client::EscapeFilter filter('~');
            auto items = feed(filter, input.substr(0, cut));
            auto more = feed(filter, input.substr(cut, cut2 - cut));
            items.insert(items.end(), more.begin(), more.end());
            more = feed(filter, input.substr(cut2));
            items.insert(items.end(), more.begin(), more.end());
            INFO("cut at " << cut << ", " << cut2);
            CHECK(trace(merged(items)) == expected);
        }
    }
    // And byte by byte.
    client::EscapeFilter bytewise('~');
    std::vector<client::EscapeItem> items;
    for (const char c : input) {
        const auto more = feed(bytewise, std::string_view(&c, 1));
        items.insert(items.end(), more.begin(), more.end());
    }
    CHECK(trace(merged(items)) == expected);
    CHECK(remote_text(items) == "echo ~~hi\r~\r~Xyz\n\rtail");
}

TEST_CASE("escape: ~C command parsing", "[client][escape]")
{
    std::string error;
    auto command = client::parse_escape_command("-L 8080:localhost:80", error);
    REQUIRE(command);
    CHECK(command->kind == client::ForwardCommand::Kind::local);
    CHECK_FALSE(command->cancel);
    CHECK(command->spec == "8080:localhost:80");

    command = client::parse_escape_command("  -KR 2222 ", error);
    REQUIRE(command);
    CHECK(command->kind == client::ForwardCommand::Kind::remote);
    CHECK(command->cancel);
    CHECK(command->spec == "2222");

    command = client::parse_escape_command("-D1080", error);
    REQUIRE(command);
    CHECK(command->kind == client::ForwardCommand::Kind::dynamic);
    CHECK(command->spec == "1080");

    CHECK_FALSE(client::parse_escape_command("-L", error));
    CHECK(error == "Bad forwarding specification.");
    CHECK_FALSE(client::parse_escape_command("-X 1", error));
    CHECK(error == "Invalid command.");
    CHECK_FALSE(client::parse_escape_command("", error));
    CHECK_FALSE(client::parse_escape_command("-K", error));
}

TEST_CASE("escape: help lists every escape", "[client][escape]")
{
    const std::string help = client::escape_help_text('~');
    for (const char* key : {"~.", "~B", "~C", "~R", "~^Z", "~#", "~?", "~~"}) {
        INFO(key);
        CHECK(help.find(key) != std::string::npos);
    }
    CHECK(help.find("\r\n") != std::string::npos);
}
