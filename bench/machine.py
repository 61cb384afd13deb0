"""The machine and the versions a result was measured with."""

import importlib.metadata
import platform
import subprocess
import sys

from clients import REPO


def _first_line(command):
    try:
        done = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def _cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    return "unknown"


def describe(apache_binary="/usr/sbin/apache2"):
    apache = _first_line([apache_binary, "-v"]).replace("Server version: ", "")
    return {
        "nproc": _first_line(["nproc"]),
        "cpu": _cpu_model(),
        "memory": _memory(),
        "kernel": "%s %s" % (platform.system(), platform.release()),
        "versions": {
            "atlas-admin": _first_line(["git", "describe", "--always", "--dirty"]),
            "rustc": _first_line(["rustc", "--version"]),
            "Apache httpd": apache,
            "OpenSSL": _first_line(["openssl", "version"]),
            "Python": sys.version.split()[0],
            "requests": importlib.metadata.version("requests"),
            "httpx": importlib.metadata.version("httpx"),
            "matplotlib": importlib.metadata.version("matplotlib"),
            "curl": " ".join(_first_line(["curl", "--version"]).split()[:2]),
            "strace": _first_line(["strace", "-V"]),
            "valgrind": _first_line(["valgrind", "--version"]),
            "cc": _first_line(["cc", "--version"]),
        },
    }
