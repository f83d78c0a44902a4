#!/usr/bin/env python3
"""User enumeration timing (issue C): how long burrowd takes to refuse a wrong
password for an existing user and for a user that does not exist.

A measurement, not a test: it prints the median and spread of each so a person
can judge. Needs root (burrowd must read the shadow file / run PAM) and PuTTY's
plink (it takes the password on the command line, so no terminal is needed).

Usage: bench/auth_timing.py BUILD_DIR [ROUNDS] [pam|shadow]
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

KNOWN_USER = "burrowpw"  # created by the interop tests; the script creates it if missing


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def attempt(port, user, known_hosts_dir, fingerprint):
    start = time.monotonic()
    subprocess.run(["plink", "-ssh", "-batch", "-P", str(port), "-pw", "wrong-password",
                    "-hostkey", fingerprint, f"{user}@127.0.0.1", "true"],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, cwd=known_hosts_dir, timeout=60, check=False)
    return time.monotonic() - start


def main():
    if len(sys.argv) < 2 or os.geteuid() != 0 or shutil.which("plink") is None:
        print(__doc__)
        return 2
    build = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    use_pam = (sys.argv[3] if len(sys.argv) > 3 else "pam") == "pam"
    if subprocess.run(["id", KNOWN_USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-m", KNOWN_USER], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        host_key = os.path.join(tmp, "host")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key], check=True)
        fingerprint = subprocess.run(["ssh-keygen", "-l", "-f", host_key + ".pub"], check=True,
                                     capture_output=True, text=True).stdout.split()[1]
        port = free_port()
        server = subprocess.Popen(
            [os.path.join(build, "server", "burrowd"), "-D", "-e", "-p", str(port), "-h", host_key,
             "-f", "/dev/null", "-o", "UsePAM=" + ("yes" if use_pam else "no"),
             "-o", "MaxAuthTries=1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_for_port(port, time.monotonic() + 10):
                print("burrowd did not start")
                return 1
            times = {"existing user": [], "unknown user": []}
            for i in range(rounds):
                # Interleaved, so drift in machine load hits both the same.
                times["existing user"].append(attempt(port, KNOWN_USER, tmp, fingerprint))
                times["unknown user"].append(attempt(port, f"nosuchuser{i}", tmp, fingerprint))
            print(f"wrong password, {rounds} rounds each, {'PAM' if use_pam else 'shadow'}:")
            for name, values in times.items():
                print(f"  {name:14} median {statistics.median(values) * 1000:7.1f} ms"
                      f"   min {min(values) * 1000:7.1f}   max {max(values) * 1000:7.1f}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
