// burrow-keygen: create ed25519, ECDSA and RSA key pairs in OpenSSH's
// formats and show fingerprints / public keys of existing files, like
// ssh-keygen(1).
//   burrow-keygen [-q] [-t ed25519|ecdsa|rsa] [-b bits] [-f file] [-N passphrase] [-C comment]
//   burrow-keygen -l -f file
//   burrow-keygen -y -f file
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "client/key_text.h"
#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "crypto/rng.h"

namespace {

namespace client = burrow::client;
namespace crypto = burrow::crypto;

/// ssh-keygen's exit codes: 1 for refusals and usage, 255 for fatal errors.
constexpr int exit_usage = 1;
constexpr int exit_fatal = 255;

enum class Mode { generate, fingerprint, public_key };

struct KeygenOptions {
    Mode mode = Mode::generate;
    std::string type = "ed25519";
    std::optional<std::string> file;
    std::optional<std::string> passphrase;
    std::optional<std::string> comment;
    std::optional<std::string> bits;  ///< -b
    bool quiet = false;
};

/// What -t and -b select: the SSH key type name and the size to ask for.
struct KeySpec {
    std::string key_type;  ///< "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"
    size_t bits = 0;
    std::string short_name;  ///< "ed25519", "ecdsa", "rsa" (file names, messages)
};

void usage()
{
    std::fputs(
        "usage: burrow-keygen [-q] [-t ed25519 | ecdsa | rsa] [-b bits] [-f file]\n"
        "                     [-N passphrase] [-C comment]\n"
        "       burrow-keygen -l -f file\n"
        "       burrow-keygen -y -f file\n",
        stderr);
}

/// getopt-style parsing of "-lqy" flags and "-t x"/"-tx" options.
std::optional<KeygenOptions> parse_args(int argc, char** argv)
{
    KeygenOptions o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.size() < 2 || arg[0] != '-') {
            return std::nullopt;
        }
        for (size_t j = 1; j < arg.size(); ++j) {
            const char c = arg[j];
            if (c == 'l' || c == 'y' || c == 'q') {
                o.mode = c == 'l' ? Mode::fingerprint : c == 'y' ? Mode::public_key : o.mode;
                o.quiet = o.quiet || c == 'q';
                continue;
            }
            if (std::strchr("tbfNCE", c) == nullptr) {
                return std::nullopt;
            }
            std::string value;
            if (j + 1 < arg.size()) {
                value = arg.substr(j + 1);
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                return std::nullopt;
            }
            if (c == 't') {
                o.type = value;
            } else if (c == 'b') {
                o.bits = value;
            } else if (c == 'f') {
                o.file = value;
            } else if (c == 'N') {
                o.passphrase = value;
            } else if (c == 'C') {
                o.comment = value;
            } else if (value != "sha256" && value != "SHA256") {
                return std::nullopt;  // -E: only SHA256 fingerprints exist here
            }
            break;
        }
    }
    return o;
}

std::optional<std::string> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool write_new_file(const std::string& path, const std::string& text, mode_t mode, bool exclusive)
{
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
    const int fd = ::open(path.c_str(), flags, mode);
    if (fd < 0) {
        return false;
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    return ::close(fd) == 0 && ok;
}

std::string default_comment()
{
    const passwd* pw = ::getpwuid(::getuid());
    char host[HOST_NAME_MAX + 1] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(pw ? pw->pw_name : "user") + "@" + host;
}

/// Passphrase when -N is absent: asked on a terminal (echo off), else empty.
std::string obtain_passphrase()
{
    if (!::isatty(STDIN_FILENO)) {
        return {};
    }
    termios saved{};
    const bool have_termios = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (have_termios) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::fputs("Enter passphrase (empty for no passphrase): ", stderr);
    std::string line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar()) {
        line.push_back(static_cast<char>(c));
    }
    std::fputs("\n", stderr);
    if (have_termios) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    }
    return line;
}

/// ssh-keygen(1) -t / -b: ed25519 (fixed size), ecdsa (-b 256, 384 or 521;
/// default 256), rsa (-b at least crypto::min_rsa_bits; default 3072).
std::optional<KeySpec> key_spec(const KeygenOptions& o)
{
    std::string type;
    for (const char c : o.type) {
        type.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    size_t bits = 0;
    if (o.bits) {
        const std::string& text = *o.bits;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bits);
        if (ec != std::errc() || end != text.data() + text.size() || bits == 0) {
            std::fprintf(stderr, "burrow-keygen: Bits has bad value %s\n", text.c_str());
            return std::nullopt;
        }
    }
    if (type == "ed25519") {
        return KeySpec{"ssh-ed25519", 256, "ed25519"};
    }
    if (type == "ecdsa") {
        bits = bits == 0 ? 256 : bits;
        if (bits != 256 && bits != 384 && bits != 521) {
            std::fputs(
                "burrow-keygen: Invalid ECDSA key length: valid lengths are 256, 384 or "
                "521 bits\n",
                stderr);
            return std::nullopt;
        }
        return KeySpec{"ecdsa-sha2-nistp" + std::to_string(bits), bits, "ecdsa"};
    }
    if (type == "rsa") {
        bits = bits == 0 ? 3072 : bits;
        if (bits < crypto::min_rsa_bits || bits > 16384) {
            std::fprintf(stderr, "burrow-keygen: Invalid RSA key length: from %zu to 16384 bits\n",
                         crypto::min_rsa_bits);
            return std::nullopt;
        }
        return KeySpec{"ssh-rsa", bits, "rsa"};
    }
    std::fprintf(stderr, "burrow-keygen: unknown key type %s (ed25519, ecdsa or rsa)\n",
                 o.type.c_str());
    return std::nullopt;
}

int generate(const KeygenOptions& o)
{
    const std::optional<KeySpec> spec = key_spec(o);
    if (!spec) {
        return exit_usage;
    }
    const std::string passphrase = o.passphrase ? *o.passphrase : obtain_passphrase();
    if (!passphrase.empty()) {
        std::fputs("burrow-keygen: passphrase-protected keys are not supported yet\n", stderr);
        return exit_usage;
    }
    const std::string file = *o.file;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) {
        std::fprintf(stderr, "burrow-keygen: %s already exists; not overwriting it.\n",
                     file.c_str());
        return exit_usage;
    }
    const std::string comment = o.comment.value_or(default_comment());
    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
    const std::unique_ptr<crypto::PrivateKey> key =
        crypto::generate_key(spec->key_type, spec->bits, *rng);
    if (!key) {
        std::fprintf(stderr, "burrow-keygen: cannot generate a %s key\n", spec->key_type.c_str());
        return exit_fatal;
    }
    const std::string private_text = crypto::write_openssh_private_key(*key, comment, *rng);
    std::string public_text = crypto::format_public_key_line(key->public_key(), comment) + "\n";
    if (!write_new_file(file, private_text, 0600, true)) {
        std::fprintf(stderr, "burrow-keygen: cannot write %s: %s\n", file.c_str(),
                     std::strerror(errno));
        return exit_fatal;
    }
    if (!write_new_file(file + ".pub", public_text, 0644, false)) {
        std::fprintf(stderr, "burrow-keygen: cannot write %s.pub: %s\n", file.c_str(),
                     std::strerror(errno));
        return exit_fatal;
    }
    if (!o.quiet) {
        std::printf(
            "Generated a %zu-bit %s key pair.\nPrivate key: %s\nPublic key:  %s.pub\n"
            "Fingerprint: %s %s\n",
            key->public_key().bits(), spec->short_name.c_str(), file.c_str(), file.c_str(),
            crypto::fingerprint_sha256(key->public_key().blob()).c_str(), comment.c_str());
    }
    return 0;
}

/// A private key file's public half, or nullopt (with the reason printed).
std::optional<client::PublicKeyText> public_from_private(const std::string& file,
                                                         const std::string& text, bool report)
{
    const crypto::KeyFileResult parsed = crypto::parse_openssh_private_key(text);
    if (!parsed.loaded) {
        if (report) {
            std::fprintf(stderr, "burrow-keygen: %s: %s\n", file.c_str(),
                         parsed.error == crypto::KeyFileError::encrypted
                             ? "passphrase-protected keys are not supported yet"
                         : parsed.error == crypto::KeyFileError::unsupported_type
                             ? "key type not supported"
                             : "not an OpenSSH private key");
        }
        return std::nullopt;
    }
    const crypto::PublicKey& pub = parsed.loaded->key->public_key();
    return client::PublicKeyText{std::string(pub.key_type()), pub.blob(), parsed.loaded->comment};
}

bool is_private_key_text(const std::string& text)
{
    return text.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string::npos;
}

int show_fingerprint(const std::string& file)
{
    const auto text = read_file(file);
    if (!text) {
        std::fprintf(stderr, "burrow-keygen: %s: %s\n", file.c_str(), std::strerror(errno));
        return exit_fatal;
    }
    std::vector<client::PublicKeyText> keys;
    if (is_private_key_text(*text)) {
        // An encrypted private key still has its public half in file.pub.
        if (auto key = public_from_private(file, *text, false)) {
            keys.push_back(std::move(*key));
        } else if (auto pub = read_file(file + ".pub")) {
            keys = client::parse_public_keys(*pub);
        }
    } else {
        keys = client::parse_public_keys(*text);
    }
    if (keys.empty()) {
        std::fprintf(stderr, "%s is not a public key file.\n", file.c_str());
        return exit_fatal;
    }
    for (const client::PublicKeyText& key : keys) {
        std::printf("%s\n", client::fingerprint_line(key, file).c_str());
    }
    return 0;
}

int show_public_key(const std::string& file)
{
    const auto text = read_file(file);
    if (!text) {
        std::fprintf(stderr, "burrow-keygen: %s: %s\n", file.c_str(), std::strerror(errno));
        return exit_fatal;
    }
    const auto key = public_from_private(file, *text, true);
    if (!key) {
        return exit_fatal;
    }
    std::string line = key->type + " " + crypto::base64_encode(key->blob);
    if (!key->comment.empty()) {
        line += " " + key->comment;
    }
    std::printf("%s\n", line.c_str());
    return 0;
}

/// ~/.ssh/id_<type>, as ssh-keygen(1) picks for -t.
std::string default_key_file(std::string_view type)
{
    const char* home = std::getenv("HOME");
    const std::string dir = std::string(home && *home ? home : "/") + "/.ssh";
    ::mkdir(dir.c_str(), 0700);  // like ssh-keygen: create ~/.ssh if missing
    return dir + "/id_" + std::string(type);
}

}  // namespace

int main(int argc, char** argv)
{
    auto options = parse_args(argc, argv);
    if (!options) {
        usage();
        return exit_usage;
    }
    if (options->mode != Mode::generate && !options->file) {
        std::fputs("burrow-keygen: -l and -y need -f file\n", stderr);
        return exit_usage;
    }
    try {
        switch (options->mode) {
            case Mode::fingerprint:
                return show_fingerprint(*options->file);
            case Mode::public_key:
                return show_public_key(*options->file);
            case Mode::generate:
                if (!options->file) {
                    const std::optional<KeySpec> spec = key_spec(*options);
                    if (!spec) {
                        return exit_usage;
                    }
                    options->file = default_key_file(spec->short_name);
                }
                return generate(*options);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "burrow-keygen: %s\n", e.what());
    }
    return exit_fatal;
}
