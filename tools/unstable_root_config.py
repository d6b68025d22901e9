"""What tools/unstable-root reads from the host's configuration: the parsers.

tools/unstable-root (bash) mounts, locks and cleans up; what it needs to know
from apt's and pip's configuration is worked out here, by the host's python3
(any 3.9+, standard library only), and printed one item a line:

    unstable_root_config.py mirror [--apt-dir DIR]
        the first Debian archive (a URI ending in /debian) of a "deb" source in
        apt's sources: DIR/sources.list.d/*.sources (deb822), then
        DIR/sources.list and DIR/sources.list.d/*.list (one-line format).
        Exits 1, saying so, when there is none.
    unstable_root_config.py pip-files
        the pip configuration files this python3's pip reads (PIP_CONFIG_FILE,
        global, user) that exist, from `pip config debug`.
    unstable_root_config.py pip-paths --repo DIR --root DIR
        the local files and folders that pip's options name (find-links,
        file:// indexes, constraints, cert ...), from `pip config list` and
        PIP_*, that exist and are worth a read-only mount of their own.

The functions below take the text of each format, so that the tests can feed
them samples.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

# A Debian archive: apt's URI of it ends in /debian.
DEBIAN_ARCHIVE = re.compile(r"(https?|ftp|file)://\S*/debian/?")
# apt's words for "no" in a boolean field (Enabled:).
APT_FALSE = {"no", "false", "without", "off", "disable"}
# pip options whose values name files or folders pip only reads.
PIP_INPUT_KEYS = {
    "find-links",
    "index-url",
    "extra-index-url",
    "constraint",
    "build-constraint",
    "requirement",
    "cert",
    "client-cert",
}
# The sections of `pip config debug` that list files pip reads and that make
# sense inside the root: not "site", the venv's own (sys.prefix) file.
PIP_FILE_VARIANTS = {"env", "global", "user"}
# Paths never mounted from pip's options: the root has its own.
SYSTEM_PATHS = ("/proc", "/sys", "/dev")
PIP_TIMEOUT = 60  # seconds for one `pip config`: 0.7 s here (time python3 -m pip config debug)


def say(message: str) -> None:
    print(f"unstable-root: {message}", file=sys.stderr)


# apt


def deb822_stanzas(text: str) -> Iterator[dict[str, str]]:
    """The stanzas of a deb822 file (apt's *.sources): field names in lower
    case; a folded field's lines joined by newlines; comment lines dropped."""
    stanza: dict[str, str] = {}
    field = None
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if not line.strip():
            if stanza:
                yield stanza
            stanza, field = {}, None
        elif line[0] in " \t":
            if field is not None:  # a continuation line
                stanza[field] += "\n" + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            field = name.strip().lower()
            stanza[field] = value.strip()
    if stanza:
        yield stanza


def deb822_uris(text: str) -> Iterator[str]:
    """The URIs of the enabled "deb" stanzas of a deb822 sources file."""
    for stanza in deb822_stanzas(text):
        if "deb" not in stanza.get("types", "").split():
            continue
        if stanza.get("enabled", "yes").strip().lower() in APT_FALSE:
            continue
        yield from stanza.get("uris", "").split()


def one_line_uris(text: str) -> Iterator[str]:
    """The URIs of the "deb" lines of a one-line sources file (sources.list):
    ``deb [ options ] uri suite [component ...]``, comments from # on."""
    for line in text.splitlines():
        words = line.partition("#")[0].split(None, 1)
        if len(words) < 2 or words[0] != "deb":
            continue
        rest = words[1]
        if rest.startswith("["):
            rest = rest.partition("]")[2]
        uri = rest.split(None, 1)
        if uri:
            yield uri[0]


def apt_sources(apt_dir: Path) -> Iterator[tuple[Path, str]]:
    """(file, format) of apt's sources, in the order apt lists them in:
    deb822 files first, as tools/unstable-root always did."""
    parts = apt_dir / "sources.list.d"
    for path in sorted(parts.glob("*.sources")):
        yield path, "deb822"
    for path in [apt_dir / "sources.list", *sorted(parts.glob("*.list"))]:
        yield path, "one-line"


def debian_mirror(apt_dir: Path) -> str | None:
    """The first Debian archive of a "deb" source in apt's sources, or None."""
    for path, kind in apt_sources(apt_dir):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except (FileNotFoundError, IsADirectoryError):
            continue
        uris = deb822_uris(text) if kind == "deb822" else one_line_uris(text)
        for uri in uris:
            if DEBIAN_ARCHIVE.fullmatch(uri):
                return uri
    return None


# pip


def pip_config_files(debug_output: str) -> list[str]:
    """The files that `pip config debug` lists as existing, in its env, global
    and user sections: lines ``  /path, exists: True`` under ``variant:``."""
    files = []
    section = None
    for line in debug_output.splitlines():
        header = re.fullmatch(r"([a-z_]+):", line)
        if header:
            section = header.group(1)
            continue
        found = re.fullmatch(r"  (/.*), exists: True", line)
        if found and section in PIP_FILE_VARIANTS:
            files.append(found.group(1))
    return files


def pip_list_options(list_output: str) -> Iterator[tuple[str, str]]:
    """(option, value) from `pip config list`: lines ``variant.option=VALUE``,
    VALUE a Python string literal (pip prints its repr: quoted with ' or ",
    a newline of a value spread over lines as \\n)."""
    for line in list_output.splitlines():
        found = re.fullmatch(r"([^=\s]+)=(['\"].*)", line)
        if not found:
            continue
        try:
            value = ast.literal_eval(found.group(2))
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, str):
            yield found.group(1).rpartition(".")[2], value


def pip_env_options(environ: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(option, value) from PIP_* variables (PIP_FIND_LINKS: find-links), for
    a host whose python3 has no pip."""
    for name, value in environ.items():
        if name.startswith("PIP_") and len(name) > 4:
            yield name[4:].lower().replace("_", "-"), value


def option_path(key: str, token: str) -> str | None:
    """The absolute local path that one word of option ``key`` names, or None.
    An index at .../simple gives its parent: its pages link to ../../files/."""
    path = token
    if token.startswith("file:"):
        url = urlsplit(token)
        if url.netloc not in ("", "localhost"):
            return None
        path = unquote(url.path)
    if not path.startswith("/"):
        return None
    path = path.rstrip("/") or "/"
    if key.endswith("index-url") and path.endswith("/simple"):
        path = os.path.dirname(path)
    return path


def pip_local_paths(options: Iterable[tuple[str, str]]) -> list[str]:
    """The local paths that pip's input options name, that exist here."""
    paths = []
    for key, value in options:
        if key not in PIP_INPUT_KEYS:
            continue
        for token in value.split():
            path = option_path(key, token)
            if path is not None and os.path.exists(path):
                paths.append(path)
    return paths


def within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or below it (both absolute, no trailing /)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def prune_paths(paths: Iterable[str], repo: str, root: str) -> tuple[list[str], list[str]]:
    """(kept, refused): the paths worth a mount of their own, sorted, none
    inside another; and those refused because they hold or are in the
    repository or the root. /, /proc, /sys and /dev (and below) are dropped."""
    kept: list[str] = []
    refused: list[str] = []
    for path in sorted(set(paths)):
        if path in ("", "/") or any(within(path, system) for system in SYSTEM_PATHS):
            continue
        if within(path, repo) or within(repo, path) or within(path, root) or within(root, path):
            refused.append(path)
        elif not any(within(path, k) for k in kept):
            kept.append(path)
    return kept, refused


def run_pip_config(*args: str) -> str:
    """The standard output of `python3 -m pip config ARGS` (this python3),
    empty if it has no pip or pip fails."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "config", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            timeout=PIP_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


# command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="unstable_root_config.py",
        description="What tools/unstable-root reads from apt's and pip's configuration.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    mirror = commands.add_parser("mirror", help="the Debian archive apt uses here")
    mirror.add_argument("--apt-dir", type=Path, default=Path("/etc/apt"))
    commands.add_parser("pip-files", help="the pip configuration files that exist")
    paths = commands.add_parser("pip-paths", help="local paths pip's options name")
    paths.add_argument("--repo", required=True)
    paths.add_argument("--root", required=True)
    args = parser.parse_args(argv)

    if args.command == "mirror":
        found = debian_mirror(args.apt_dir)
        if found is None:
            say(
                f"no Debian archive (a URI ending in /debian) in apt's sources"
                f" in {args.apt_dir}: set UNSTABLE_ROOT_MIRROR"
            )
            return 1
        print(found)
    elif args.command == "pip-files":
        for path in pip_config_files(run_pip_config("debug")):
            print(path)
    else:
        options = [*pip_list_options(run_pip_config("list")), *pip_env_options(os.environ)]
        kept, refused = prune_paths(pip_local_paths(options), args.repo, args.root)
        for path in refused:
            say(f"pip names {path}, which holds or is in the repository or the root: not mounted")
        for path in kept:
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
