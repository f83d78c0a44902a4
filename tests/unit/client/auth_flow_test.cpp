// AuthFlow driven by a scripted server: method order, prompts, BatchMode,
// NumberOfPasswordPrompts, partial success and the final message.
#include <catch2/catch.hpp>
#include <deque>

#include "client/auth_flow.h"
#include "crypto/rng.h"

namespace burrow::client {

namespace {

/// Records every attempt as a short string.
class FakeTransport final : public AuthTransport {
public:
    void try_none(const std::string& user) override { calls.push_back("none " + user); }
    void try_publickey(const std::string& /*user*/, const crypto::PrivateKey& key) override
    {
        calls.push_back("publickey " + std::string(key.key_type()));
    }
    void try_password(const std::string& /*user*/, std::string password) override
    {
        calls.push_back("password " + password);
    }
    void try_keyboard_interactive(const std::string& /*user*/) override
    {
        calls.push_back("keyboard-interactive");
    }
    void answer_info_request(std::vector<std::string> responses) override
    {
        std::string line = "answers";
        for (const std::string& r : responses) {
            line += " " + r;
        }
        calls.push_back(line);
    }
    void auth_done(bool success) override { done = success ? 1 : 0; }

    std::vector<std::string> calls;
    int done = -1;  ///< -1: not yet
};

/// Answers prompts from a script; nullopt once it runs out.
class FakePrompter final : public Prompter {
public:
    std::optional<std::string> secret(const std::string& prompt) override
    {
        return answer("secret:" + prompt);
    }
    std::optional<std::string> line(const std::string& prompt, bool echo) override
    {
        return answer((echo ? "echo:" : "noecho:") + prompt);
    }
    void show(const std::string& text) override { shown.push_back(text); }

    std::deque<std::string> answers;
    std::vector<std::string> asked;
    std::vector<std::string> shown;

private:
    std::optional<std::string> answer(const std::string& prompt)
    {
        asked.push_back(prompt);
        if (answers.empty()) {
            return std::nullopt;
        }
        std::string a = answers.front();
        answers.pop_front();
        return a;
    }
};

protocol::AuthResult failure(std::vector<std::string> methods, bool partial = false)
{
    return protocol::AuthResult{false, partial, std::move(methods)};
}

const protocol::AuthResult success{true, false, {}};

Settings make_settings()
{
    Settings s;
    s.user = "alice";
    s.host = "example";
    s.preferred_authentications = {"publickey", "keyboard-interactive", "password"};
    return s;
}

struct Fixture {
    Fixture() : rng(crypto::make_seeded_rng(1)), key(crypto::generate_ed25519(*rng)) {}

    std::unique_ptr<crypto::Rng> rng;
    std::unique_ptr<crypto::PrivateKey> key;
    Logger log{LogLevel::quiet};
    FakeTransport transport;
    FakePrompter prompter;
};

}  // namespace

TEST_CASE("auth flow: none first, then keys, then password", "[auth-flow]")
{
    Fixture f;
    const Settings s = make_settings();
    AuthFlow flow(s, f.log, {KeyCandidate{"k", f.key.get(), false}}, f.prompter, f.transport);
    f.prompter.answers = {"pw1"};
    flow.start();
    flow.on_result(failure({"publickey", "password"}));
    flow.on_result(failure({"publickey", "password"}));
    CHECK(f.prompter.asked == std::vector<std::string>{"secret:alice@example's password: "});
    flow.on_result(success);
    CHECK(f.transport.calls ==
          std::vector<std::string>{"none alice", "publickey ssh-ed25519", "password pw1"});
    CHECK(f.transport.done == 1);
    CHECK(flow.method_used() == "password");
}

TEST_CASE("auth flow: no password prompt for a key-only server", "[auth-flow]")
{
    Fixture f;
    const Settings s = make_settings();
    AuthFlow flow(s, f.log, {}, f.prompter, f.transport);
    flow.start();
    flow.on_result(failure({"publickey"}));
    CHECK(f.prompter.asked.empty());
    CHECK(f.transport.done == 0);
    CHECK(flow.failure_message() == "alice@example: Permission denied (publickey).");
}

TEST_CASE("auth flow: NumberOfPasswordPrompts bounds the attempts", "[auth-flow]")
{
    Fixture f;
    Settings s = make_settings();
    s.number_of_password_prompts = 2;
    AuthFlow flow(s, f.log, {}, f.prompter, f.transport);
    f.prompter.answers = {"a", "b", "c"};
    flow.start();
    flow.on_result(failure({"password"}));
    flow.on_result(failure({"password"}));
    CHECK(f.transport.done == -1);
    flow.on_result(failure({"password"}));
    CHECK(f.transport.calls == std::vector<std::string>{"none alice", "password a", "password b"});
    CHECK(f.transport.done == 0);
    CHECK(flow.failure_message() == "alice@example: Permission denied (password).");
}

TEST_CASE("auth flow: BatchMode never prompts", "[auth-flow]")
{
    Fixture f;
    Settings s = make_settings();
    s.batch_mode = true;
    AuthFlow flow(s, f.log, {}, f.prompter, f.transport);
    f.prompter.answers = {"a"};
    flow.start();
    flow.on_result(failure({"password", "keyboard-interactive"}));
    CHECK(f.prompter.asked.empty());
    CHECK(f.transport.done == 0);
    CHECK(flow.failure_message() ==
          "alice@example: Permission denied (password,keyboard-interactive).");
}

TEST_CASE("auth flow: keyboard-interactive shows text and echoes as told", "[auth-flow]")
{
    Fixture f;
    const Settings s = make_settings();
    AuthFlow flow(s, f.log, {}, f.prompter, f.transport);
    f.prompter.answers = {"bob", "secret"};
    flow.start();
    flow.on_result(failure({"keyboard-interactive"}));
    REQUIRE(f.transport.calls.back() == "keyboard-interactive");
    flow.on_info_request(protocol::InfoRequest{
        "Login\x1b[2J", "Answer please", {{"User: ", true}, {"Code: ", false}}});
    CHECK(f.prompter.shown == std::vector<std::string>{"Login[2J", "Answer please"});
    CHECK(f.prompter.asked == std::vector<std::string>{"echo:User: ", "secret:Code: "});
    CHECK(f.transport.calls.back() == "answers bob secret");
    flow.on_result(success);
    CHECK(f.transport.done == 1);
    CHECK(flow.method_used() == "keyboard-interactive");
}

TEST_CASE("auth flow: partial success continues with the listed methods", "[auth-flow]")
{
    Fixture f;
    const Settings s = make_settings();
    AuthFlow flow(s, f.log, {KeyCandidate{"k", f.key.get(), false}}, f.prompter, f.transport);
    f.prompter.answers = {"pw"};
    flow.start();
    flow.on_result(failure({"publickey"}));
    flow.on_result(failure({"password"}, true));
    CHECK(f.transport.calls.back() == "password pw");
    flow.on_result(success);
    CHECK(f.transport.done == 1);
}

TEST_CASE("auth flow: a server accepting \"none\" is refused unless configured", "[auth-flow]")
{
    Fixture f;
    Settings s = make_settings();
    {
        AuthFlow flow(s, f.log, {}, f.prompter, f.transport);
        flow.start();
        flow.on_result(success);
        CHECK(f.transport.done == 0);
        CHECK_THAT(flow.failure_message(), Catch::Contains("without any credential"));
    }
    s.preferred_authentications = {"none", "password"};
    FakeTransport transport;
    AuthFlow flow(s, f.log, {}, f.prompter, transport);
    flow.start();
    flow.on_result(success);
    CHECK(transport.done == 1);
    CHECK(flow.method_used() == "none");
}

TEST_CASE("order_keys: agent keys first, IdentitiesOnly filters them", "[auth-flow]")
{
    const auto rng = crypto::make_seeded_rng(3);
    std::vector<Identity> files;
    files.push_back(Identity{"file-a", "", crypto::generate_ed25519(*rng)});
    files.push_back(Identity{"file-b", "", crypto::generate_ed25519(*rng)});
    const std::vector<Bytes> file_blobs = {files[0].key->public_key().blob(),
                                           files[1].key->public_key().blob()};
    // No agent here: files keep their order.
    const std::vector<std::unique_ptr<AgentKey>> none;
    const auto keys = order_keys(none, files, file_blobs, true);
    REQUIRE(keys.size() == 2);
    CHECK(keys[0].label == "file-a");
    CHECK(keys[1].label == "file-b");
}

}  // namespace burrow::client
