// burrow-keygen: create ed25519, ECDSA and RSA key pairs in OpenSSH's
// formats and show fingerprints / public keys of existing files, like
// ssh-keygen(1).
//   burrow-keygen [-q] [-t ed25519|ecdsa|rsa] [-b bits] [-a rounds] [-f file]
//                 [-N passphrase] [-C comment]
//   burrow-keygen -p [-a rounds] [-P old] [-N new] -f file
//   burrow-keygen -l [-E sha256|md5] -f file
//   burrow-keygen -y [-P passphrase] -f file
//   burrow-keygen -A [-q] [-f prefix]
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
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
#include "client/keygen_host_keys.h"
#include "client/prompt.h"
#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "crypto/rng.h"

namespace {

namespace client = burrow::client;
namespace crypto = burrow::crypto;

/// ssh-keygen's exit codes: 1 for refusals and usage, 255 for fatal errors.
constexpr int exit_usage = 1;
constexpr int exit_fatal = 255;

enum class Mode { generate, fingerprint, public_key, change_passphrase, all_host_keys };

struct KeygenOptions {
    Mode mode = Mode::generate;
    std::string type = "ed25519";
    std::optional<std::string> file;
    std::optional<std::string> passphrase;
    std::optional<std::string> comment;
    std::optional<std::string> bits;            ///< -b
    std::optional<std::string> old_passphrase;  ///< -P
    uint32_t rounds = 16;  ///< -a: bcrypt_pbkdf rounds (ssh-keygen's default 16)
    bool md5 = false;      ///< -E md5
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
        "usage: burrow-keygen [-q] [-t ed25519 | ecdsa | rsa] [-b bits] [-a rounds]\n"
        "                     [-f file] [-N passphrase] [-C comment]\n"
        "       burrow-keygen -p [-a rounds] [-P old_passphrase] [-N new_passphrase] -f file\n"
        "       burrow-keygen -l [-E sha256 | md5] -f file\n"
        "       burrow-keygen -y [-P passphrase] -f file\n"
        "       burrow-keygen -A [-q] [-f prefix]\n",
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
            if (c == 'l' || c == 'y' || c == 'q' || c == 'p' || c == 'A') {
                o.mode = c == 'l'   ? Mode::fingerprint
                         : c == 'y' ? Mode::public_key
                         : c == 'p' ? Mode::change_passphrase
                         : c == 'A' ? Mode::all_host_keys
                                    : o.mode;
                o.quiet = o.quiet || c == 'q';
                continue;
            }
            if (std::strchr("tbfNCEPa", c) == nullptr) {
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
            } else if (c == 'P') {
                o.old_passphrase = value;
            } else if (c == 'a') {
                const auto [end, ec] =
                    std::from_chars(value.data(), value.data() + value.size(), o.rounds);
                if (ec != std::errc() || end != value.data() + value.size() || o.rounds == 0) {
                    return std::nullopt;
                }
            } else if (value == "md5" || value == "MD5") {
                o.md5 = true;
            } else if (value != "sha256" && value != "SHA256") {
                return std::nullopt;  // -E: sha256 or md5
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

/// Ask twice for a new passphrase on the terminal (or SSH_ASKPASS); empty
/// if there is no way to ask. nullopt if the two answers differ.
std::optional<std::string> obtain_new_passphrase(const char* first_prompt)
{
    std::optional<std::string> first = client::read_secret(first_prompt);
    if (!first || first->empty()) {
        return std::string{};
    }
    std::optional<std::string> again = client::read_secret("Enter same passphrase again: ");
    if (!again || *again != *first) {
        std::fputs("Passphrases do not match.  Try again.\n", stderr);
        client::wipe(*first);
        return std::nullopt;
    }
    client::wipe(*again);
    return first;
}

/// The private key text for `key`, encrypted when `passphrase` is not empty.
std::string private_key_text(const crypto::PrivateKey& key, const std::string& comment,
                             const std::string& passphrase, uint32_t rounds, crypto::Rng& rng)
{
    crypto::KeyFileEncryption encryption;
    encryption.passphrase = passphrase;
    encryption.rounds = rounds;
    return crypto::write_openssh_private_key(key, comment, rng, encryption);
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
    const std::string file = *o.file;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) {
        std::fprintf(stderr, "burrow-keygen: %s already exists; not overwriting it.\n",
                     file.c_str());
        return exit_usage;
    }
    std::optional<std::string> passphrase = o.passphrase;
    if (!passphrase) {
        passphrase = obtain_new_passphrase("Enter passphrase (empty for no passphrase): ");
        if (!passphrase) {
            return exit_usage;
        }
    }
    const std::string comment = o.comment.value_or(default_comment());
    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
    const std::unique_ptr<crypto::PrivateKey> key =
        crypto::generate_key(spec->key_type, spec->bits, *rng);
    if (!key) {
        std::fprintf(stderr, "burrow-keygen: cannot generate a %s key\n", spec->key_type.c_str());
        return exit_fatal;
    }
    const std::string private_text = private_key_text(*key, comment, *passphrase, o.rounds, *rng);
    client::wipe(*passphrase);
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

const char* describe(crypto::KeyFileError error)
{
    switch (error) {
        case crypto::KeyFileError::encrypted:
            return "a passphrase is needed to decrypt the private key";
        case crypto::KeyFileError::bad_passphrase:
            return "incorrect passphrase supplied to decrypt private key";
        case crypto::KeyFileError::unsupported_type:
            return "key type or format not supported";
        case crypto::KeyFileError::malformed:
            break;
    }
    return "not a private key file";
}

/// Load a private key, decrypting it with -P or a prompted passphrase if needed.
std::optional<crypto::LoadedPrivateKey> load_private(const std::string& file,
                                                     const std::string& text,
                                                     const std::optional<std::string>& given,
                                                     const char* prompt)
{
    crypto::KeyFileResult parsed = crypto::parse_private_key_file(text, std::nullopt);
    if (!parsed.loaded && parsed.error == crypto::KeyFileError::encrypted) {
        std::optional<std::string> passphrase = given ? given : client::read_secret(prompt);
        if (passphrase) {
            parsed = crypto::parse_private_key_file(text, *passphrase);
            client::wipe(*passphrase);
        }
    }
    if (!parsed.loaded) {
        std::fprintf(stderr, "burrow-keygen: Failed to load key %s: %s\n", file.c_str(),
                     describe(parsed.error));
        return std::nullopt;
    }
    return std::move(parsed.loaded);
}

client::PublicKeyText public_text(const crypto::LoadedPrivateKey& loaded)
{
    const crypto::PublicKey& pub = loaded.key->public_key();
    return client::PublicKeyText{std::string(pub.key_type()), pub.blob(), loaded.comment};
}

bool is_private_key_text(const std::string& text)
{
    return text.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string::npos ||
           text.find("PRIVATE KEY-----") != std::string::npos;
}

int show_fingerprint(const std::string& file, bool md5)
{
    const auto text = read_file(file);
    if (!text) {
        std::fprintf(stderr, "burrow-keygen: %s: %s\n", file.c_str(), std::strerror(errno));
        return exit_fatal;
    }
    std::vector<client::PublicKeyText> keys;
    if (is_private_key_text(*text)) {
        // openssh-key-v1 keeps the public half in the clear, even when the
        // private one is encrypted; other formats may have it in file.pub.
        const auto clear = crypto::public_key_of_private_file(*text);
        crypto::KeyFileResult parsed = crypto::parse_private_key_file(*text, std::nullopt);
        if (parsed.loaded) {
            keys.push_back(public_text(*parsed.loaded));
        } else if (auto pub = read_file(file + ".pub")) {
            keys = client::parse_public_keys(*pub);
        }
        if (keys.empty() && clear) {
            keys.push_back({std::string(clear->key_type()), clear->blob(), {}});
        }
    } else {
        keys = client::parse_public_keys(*text);
    }
    if (keys.empty()) {
        std::fprintf(stderr, "%s is not a public key file.\n", file.c_str());
        return exit_fatal;
    }
    for (const client::PublicKeyText& key : keys) {
        std::printf("%s\n", client::fingerprint_line(key, file, md5).c_str());
    }
    return 0;
}

int show_public_key(const std::string& file, const std::optional<std::string>& passphrase)
{
    const auto text = read_file(file);
    if (!text) {
        std::fprintf(stderr, "burrow-keygen: %s: %s\n", file.c_str(), std::strerror(errno));
        return exit_fatal;
    }
    const auto loaded = load_private(file, *text, passphrase, "Enter passphrase: ");
    if (!loaded) {
        return exit_fatal;
    }
    const auto key = public_text(*loaded);
    std::string line = key.type + " " + crypto::base64_encode(key.blob);
    if (!key.comment.empty()) {
        line += " " + key.comment;
    }
    std::printf("%s\n", line.c_str());
    return 0;
}

/// -p: re-encrypt `file` under a new passphrase (empty: no encryption).
int change_passphrase(const KeygenOptions& o)
{
    const std::string& file = *o.file;
    const auto text = read_file(file);
    if (!text) {
        std::fprintf(stderr, "burrow-keygen: %s: %s\n", file.c_str(), std::strerror(errno));
        return exit_fatal;
    }
    const auto loaded = load_private(file, *text, o.old_passphrase, "Enter old passphrase: ");
    if (!loaded) {
        return exit_fatal;
    }
    std::optional<std::string> passphrase = o.passphrase;
    if (!passphrase) {
        passphrase = obtain_new_passphrase("Enter new passphrase (empty for no passphrase): ");
        if (!passphrase) {
            return exit_usage;
        }
    }
    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
    const std::string out =
        private_key_text(*loaded->key, loaded->comment, *passphrase, o.rounds, *rng);
    client::wipe(*passphrase);
    if (out.empty() || !write_new_file(file, out, 0600, false)) {
        std::fprintf(stderr, "burrow-keygen: cannot write %s\n", file.c_str());
        return exit_fatal;
    }
    std::puts("Your identification has been saved with the new passphrase.");
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
    if (options->mode != Mode::generate && options->mode != Mode::all_host_keys && !options->file) {
        std::fputs("burrow-keygen: -l, -y and -p need -f file\n", stderr);
        return exit_usage;
    }
    try {
        switch (options->mode) {
            case Mode::fingerprint:
                return show_fingerprint(*options->file, options->md5);
            case Mode::public_key:
                return show_public_key(*options->file, options->old_passphrase);
            case Mode::change_passphrase:
                return change_passphrase(*options);
            case Mode::all_host_keys:
                // -f is a prefix here (ssh-keygen -A -f): PREFIX/etc/burrow.
                return client::generate_all_host_keys(options->file, options->quiet);
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
