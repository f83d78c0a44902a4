#!/usr/bin/env python3
"""Keeps the man pages in step with the programs (meson test "man-pages").

For each page:
  * it renders without a single warning (groff -man -ww -z; also mandoc -T lint
    and man-db's lexgrog when they are installed);
  * every flag of the program's usage text (taken from the built binary) has an
    entry in OPTIONS and appears in SYNOPSIS, and OPTIONS documents no flag the
    program lacks;
  * every configuration keyword the parser accepts has an entry, taken from the
    code: `burrowd -T` output (whose single-word defaults must be named too) and the `key == "..."` comparisons
    of server/config*.cpp for burrowd_config(5); `burrow -G` output, the
    `iequals(keyword, "...")` comparisons of client/*.cpp and the table of
    accepted-but-unimplemented ssh_config keywords for burrow(1). Keyword
    entries that name no keyword of the code are reported as stale.

Usage: check_man_pages.py SOURCE_ROOT BURROWD BURROW BURROW_KEYGEN
Exit status 0 when every check passes, 1 otherwise (each problem is printed).
"""

import glob
import os
import re
import shutil
import subprocess
import sys

# A program that hangs instead of printing its usage must not hang the test.
COMMAND_TIMEOUT_SECONDS = 30

PROBLEMS = []

# burrowd -T values that are not defaults to document: the listen addresses
# and the host keys (given with -h below).
DEFAULTS_NOT_IN_PAGE = {"listenaddress", "hostkey"}


def problem(text):
    PROBLEMS.append(text)
    print("FAIL: " + text)


def run(argv, stdin=subprocess.DEVNULL):
    """Runs argv; returns (exit status, stdout, stderr)."""
    result = subprocess.run(argv, stdin=stdin, capture_output=True, text=True,
                            timeout=COMMAND_TIMEOUT_SECONDS)
    return result.returncode, result.stdout, result.stderr


# ---------------------------------------------------------------- rendering

def check_rendering(page):
    rc, out, err = run(["groff", "-man", "-ww", "-z", page])
    if rc != 0 or err.strip():
        problem(f"{page}: groff -man -ww -z: exit {rc}: {err.strip()}")
    if shutil.which("mandoc"):
        rc, out, err = run(["mandoc", "-T", "lint", "-W", "warning", page])
        if rc != 0:
            problem(f"{page}: mandoc -T lint: {(out + err).strip()}")
    if shutil.which("lexgrog"):
        # man-db's parser of the NAME section (what apropos and whatis use).
        rc, out, err = run(["lexgrog", page])
        if rc != 0:
            problem(f"{page}: lexgrog cannot parse the NAME section: {(out + err).strip()}")


# ---------------------------------------------------------------- page parsing

def read_page(page):
    with open(page, encoding="utf-8") as f:
        return f.read().splitlines()


def sections(lines):
    """Maps each .SH title to its lines."""
    out, current = {}, None
    for line in lines:
        m = re.match(r'^\.SH\s+"?([^"]*)"?\s*$', line)
        if m:
            current = m.group(1).strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def tagged_entries(lines):
    """First word of the tag line of every .TP entry, '\\-' unescaped."""
    tags = []
    for prev, line in zip(lines, lines[1:]):
        if prev.startswith(".TP"):
            m = re.match(r"^\.(?:B|BI|BR|I|IR)\s+(\S+)", line)
            if m:
                tags.append(m.group(1).replace("\\-", "-").strip('"'))
    return tags


# ---------------------------------------------------------------- flags

def usage_text(argv):
    """The usage text a program prints for a bad or help flag."""
    rc, out, err = run(argv)
    text = out + err
    start = text.find("usage:")
    if start < 0:
        problem(f"{' '.join(argv)} printed no usage text (exit {rc}): {text.strip()}")
        return ""
    return text[start:]


def usage_flags(text):
    """Flag letters of a usage text: clusters such as [-46Aa] give every letter."""
    flags = set()
    for token in re.findall(r"(?:^|[\s\[|])-([A-Za-z0-9]+)", text):
        flags.update(token)
    return flags


def check_flags(page, usage):
    expected = usage_flags(usage)
    if not expected:
        problem(f"{page}: no flags found in the usage text")
        return
    secs = sections(read_page(page))
    synopsis = "\n".join(secs.get("SYNOPSIS", []))
    in_synopsis = set("".join(re.findall(r"\\-([A-Za-z0-9]+)", synopsis)))
    documented = {tag[1:] for tag in tagged_entries(secs.get("OPTIONS", []))
                  if re.fullmatch(r"-[A-Za-z0-9]", tag)}
    for flag in sorted(expected):
        if flag not in documented:
            problem(f"{page}: flag -{flag} of the usage text has no entry in OPTIONS")
        if flag not in in_synopsis:
            problem(f"{page}: flag -{flag} of the usage text is missing from SYNOPSIS")
    for flag in sorted(documented - expected):
        problem(f"{page}: OPTIONS documents -{flag}, which the usage text does not list")
    print(f"{page}: {len(expected)} flags checked")


# ---------------------------------------------------------------- keywords

def source_matches(pattern, files):
    found = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            found.update(re.findall(pattern, f.read()))
    return found


def entry_texts(lines):
    """Maps the lower-case tag of each .TP entry to its text (tag line and body)."""
    entries, current = {}, None
    for prev, line in zip([""] + lines, lines):
        if prev.startswith(".TP"):
            m = re.match(r"^\.(?:B|BI|BR)\s+(\S+)", line)
            current = m.group(1).lower() if m else None
            if current:
                entries[current] = []
        elif line.startswith((".TP", ".SH", ".SS")):
            current = None
        if current:
            entries[current].append(re.sub(r"^\.[A-Z]+\s*", "", line).replace("\\-", "-"))
    return {key: " ".join(text) for key, text in entries.items()}


def check_defaults(page, dump):
    """Each single-word default burrowd -T prints is named in the keyword's entry."""
    entries = entry_texts(read_page(page))
    checked = 0
    for keyword, value in dump:
        # Addresses and key paths depend on the host and on -h; lists are
        # spelled out in prose.
        if keyword in DEFAULTS_NOT_IN_PAGE or not re.fullmatch(r"[A-Za-z0-9:._/-]+", value):
            continue
        text = entries.get(keyword, "")
        if not re.search(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", text):
            problem(f"{page}: entry {keyword} does not name its default {value!r} (burrowd -T)")
        checked += 1
    print(f"{page}: {checked} defaults checked against burrowd -T")


def burrowd_keywords(root, burrowd):
    """Lower-case keywords burrowd parses: its -T output and its parser's comparisons."""
    # config_dump.cpp compares -C's connection keys (user=, addr=, ...), not keywords.
    sources = [path for path in sorted(glob.glob(os.path.join(root, "server", "config*.cpp")))
               if os.path.basename(path) != "config_dump.cpp"]
    keywords = source_matches(r'\bkey\s*[!=]=\s*"([a-z0-9]+)"', sources)
    # Tables of keywords for features burrowd lacks: {"x11forwarding", "no", ...}.
    keywords |= source_matches(r'\{\s*"([a-z0-9]+)"\s*,\s*"[a-z-]+"\s*,\s*\{', sources)
    if not keywords:
        problem("found no `key == \"...\"` keyword comparisons in server/config*.cpp")
    # -h names a key that does not exist: should -T ever stop exiting early,
    # burrowd refuses to start instead of listening on port 22.
    rc, out, err = run([burrowd, "-T", "-f", "/dev/null", "-h", "/nonexistent/burrow-docs-key"])
    if rc != 0:
        problem(f"burrowd -T -f /dev/null exits {rc}: {err.strip()}")
        return keywords
    dump = [(line.split(None, 1) + [""])[:2] for line in out.splitlines() if line.strip()]
    dump = [(keyword.lower(), value.strip()) for keyword, value in dump]
    print(f"burrowd -T: {len(dump)} lines")
    keywords |= {keyword for keyword, _ in dump}
    check_defaults(os.path.join(root, "server", "burrowd_config.5"), dump)
    return keywords


def burrow_keywords(root, burrow):
    """(implemented, accepted-and-ignored) ssh_config keywords of burrow, lower case."""
    rc, out, err = run([burrow, "-G", "-F", "none", "burrow-docs.invalid"])
    if rc != 0:
        problem(f"burrow -G exits {rc}: {err.strip()}")
    implemented = {line.split()[0].lower() for line in out.splitlines() if line.strip()}
    client_sources = sorted(glob.glob(os.path.join(root, "client", "*.cpp")))
    # Comparisons such as iequals(keyword, "ForwardAgent") and keyword tables
    # such as {"Ciphers", AlgorithmKind::cipher, ...}, {"GatewayPorts", &ClientConfig::...}.
    implemented |= {k.lower() for k in
                    source_matches(r'iequals\(\s*keyword\s*,\s*"([A-Z][A-Za-z0-9]+)"\)',
                                   client_sources)}
    implemented |= {k.lower() for k in
                    source_matches(r'\{\s*"([A-Z][A-Za-z0-9]+)"\s*,\s*(?:AlgorithmKind::|&ClientConfig::)',
                                   client_sources)}
    with open(os.path.join(root, "client", "ssh_keywords.cpp"), encoding="utf-8") as f:
        table = re.search(r"unimplemented_keywords\s*=[^{]*\{(.*?)\}\s*\)", f.read(), re.S)
    ignored = set()
    if table:
        ignored = {k.lower() for k in re.findall(r'"([A-Za-z0-9]+)"', table.group(1))}
    else:
        problem("client/ssh_keywords.cpp: table unimplemented_keywords not found")
    return implemented, ignored


def check_keywords(page, keywords, keyword_sections, mentioned_only=frozenset()):
    lines = read_page(page)
    secs = sections(lines)
    entries = set()
    for title in keyword_sections:
        if title not in secs:
            problem(f"{page}: section {title} is missing")
            continue
        entries |= {tag.lower() for tag in tagged_entries(secs[title])}
    for keyword in sorted(keywords):
        if keyword not in entries:
            problem(f"{page}: keyword {keyword} (accepted by the code) has no entry")
    for entry in sorted(entries - keywords):
        problem(f"{page}: entry {entry} is not a keyword the code accepts")
    text = "\n".join(lines).lower().replace("\\-", "-")
    for keyword in sorted(mentioned_only):
        if not re.search(r"\b" + re.escape(keyword) + r"\b", text):
            problem(f"{page}: accepted-and-ignored keyword {keyword} is not mentioned")
    print(f"{page}: {len(keywords)} keywords with entries, {len(mentioned_only)} mentioned")


def check_match_keywords(root, page):
    """The page's list of keywords allowed in Match equals the parser's table."""
    path = os.path.join(root, "server", "config_match.cpp")
    if not os.path.exists(path):
        problem("server/config_match.cpp (the Match keyword table) is missing")
        return
    with open(path, encoding="utf-8") as f:
        table = re.search(r"match_keywords\s*=\s*\{(.*?)\}", f.read(), re.S)
    if not table:
        problem("server/config_match.cpp: table match_keywords not found")
        return
    allowed = set(re.findall(r'"([a-z0-9]+)"', table.group(1)))
    text = "\n".join(read_page(page))
    listed = re.search(r"match-keywords-begin.*?\n(.*?)\.\\\" match-keywords-end", text, re.S)
    if not listed:
        problem(f"{page}: the match-keywords-begin/end comments are missing")
        return
    documented = {k.lower() for k in re.findall(r"^\.BR? (\w+)", listed.group(1), re.M)}
    for keyword in sorted(allowed - documented):
        problem(f"{page}: {keyword} is allowed in Match but not listed as such")
    for keyword in sorted(documented - allowed):
        problem(f"{page}: {keyword} is listed as allowed in Match but the parser refuses it")
    print(f"{page}: {len(allowed)} keywords allowed in Match checked")


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    root, burrowd, burrow, keygen = sys.argv[1:]
    pages = {name: os.path.join(root, name) for name in
             ("server/burrowd.8", "server/burrowd_config.5", "client/burrow.1",
              "client/burrow-keygen.1")}
    for page in pages.values():
        check_rendering(page)

    check_flags(pages["server/burrowd.8"], usage_text([burrowd, "-?"]))
    check_flags(pages["client/burrow.1"], usage_text([burrow, "-h"]))
    check_flags(pages["client/burrow-keygen.1"], usage_text([keygen, "-?"]))

    check_keywords(pages["server/burrowd_config.5"], burrowd_keywords(root, burrowd),
                   ["INCLUDE AND MATCH", "KEYWORDS", "KEYWORDS FOR FEATURES BURROWD LACKS"])
    check_match_keywords(root, pages["server/burrowd_config.5"])
    implemented, ignored = burrow_keywords(root, burrow)
    check_keywords(pages["client/burrow.1"], implemented, ["CONFIGURATION KEYWORDS"],
                   ignored - implemented)

    print(f"{len(PROBLEMS)} problem(s)")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
