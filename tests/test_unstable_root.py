"""tools/unstable-root, without building a root.

- Its parsers (tools/unstable_root_config.py) on samples of each format they
  read: apt's deb822 and one-line sources, `pip config debug` and `pip config
  list`. The "real" samples are verbatim from the machine this was written on
  (Debian 12, pip 23.2.1); the others are made up to reach each rule.
- The script's argument handling, how it adds the packages a built root lacks
  (through a stand-in chroot that logs the commands and acts out apt), and its
  refusal to delete the root while anything is mounted below it, on a root of
  its own in a temporary folder (UNSTABLE_ROOT_DIR). Mounts are made in a
  mount namespace of their own (unshare), so they die with it and never show
  on the host.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "unstable-root"
HELPER = REPO / "tools" / "unstable_root_config.py"
# seconds for one run of the tool or the helper; the slowest took 0.6 s here
# (pytest tests/test_unstable_root.py --durations=5)
TIMEOUT = 60


def load_helper():
    spec = importlib.util.spec_from_file_location("unstable_root_config", HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


config = load_helper()


# apt's sources

REAL_DEB822 = """\
Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# http://snapshot.debian.org/archive/debian-security/20250520T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

SYNTHETIC_DEB822 = """\
# sources only: not a "deb" stanza
Types: deb-src
URIs: http://src.example/debian
Suites: sid

Types: deb
URIs: http://off.example/debian
Enabled: no
Suites: sid

types: deb-src deb
uris: http://a.example/ubuntu
# http://commented.example/debian
 http://b.example/debian
  http://c.example/debian
Suites: sid
"""

ONE_LINE = """\
# deb http://commented.example/debian sid main
deb-src http://src.example/debian sid main
deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] http://opts.example/debian sid main
deb [ trusted=yes ] file:///srv/mirror/debian sid main
  deb   http://spaces.example/debian sid main   # a comment
debian http://not-a-type.example/debian sid main
deb
"""


def test_deb822_this_machines_sources():
    assert list(config.deb822_uris(REAL_DEB822)) == [
        "http://deb.debian.org/debian",
        "http://deb.debian.org/debian-security",
    ]


def test_deb822_types_enabled_comments_and_folded_fields():
    assert list(config.deb822_uris(SYNTHETIC_DEB822)) == [
        "http://a.example/ubuntu",
        "http://b.example/debian",
        "http://c.example/debian",
    ]


def test_one_line_sources():
    assert list(config.one_line_uris(ONE_LINE)) == [
        "http://opts.example/debian",
        "file:///srv/mirror/debian",
        "http://spaces.example/debian",
    ]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_mirror_is_the_first_debian_archive_deb822_files_first(tmp_path):
    write(tmp_path / "sources.list", "deb http://list.example/debian sid main\n")
    write(tmp_path / "sources.list.d/a.sources", "Types: deb\nURIs: http://x.example/ubuntu\n")
    write(tmp_path / "sources.list.d/b.sources", SYNTHETIC_DEB822)
    assert config.debian_mirror(tmp_path) == "http://b.example/debian"
    (tmp_path / "sources.list.d/b.sources").unlink()
    assert config.debian_mirror(tmp_path) == "http://list.example/debian"
    write(tmp_path / "sources.list", "deb http://list.example/ubuntu sid main\n")
    write(tmp_path / "sources.list.d/z.list", ONE_LINE)
    assert config.debian_mirror(tmp_path) == "http://opts.example/debian"


def run_helper(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(HELPER), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        check=False,
    )


def test_mirror_command(tmp_path):
    write(tmp_path / "sources.list.d/debian.sources", REAL_DEB822)
    done = run_helper("mirror", "--apt-dir", str(tmp_path))
    assert (done.returncode, done.stdout, done.stderr) == (0, "http://deb.debian.org/debian\n", "")


def test_mirror_command_without_a_debian_archive(tmp_path):
    write(tmp_path / "sources.list", "deb http://archive.ubuntu.com/ubuntu noble main\n")
    done = run_helper("mirror", "--apt-dir", str(tmp_path))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "no Debian archive (a URI ending in /debian)" in done.stderr
    assert "set UNSTABLE_ROOT_MIRROR" in done.stderr


# pip's configuration

REAL_PIP_DEBUG = """\
env_var:
  PIP_CERT='/etc/ssl/certs/ca-certificates.crt'
  PIP_DEFAULT_TIMEOUT='180'
  PIP_DISABLE_PIP_VERSION_CHECK='1'
  PIP_FIND_LINKS='/opt/wheels'
env:
global:
  /etc/xdg/pip/pip.conf, exists: True
    global.constraint: /etc/xdg/pip/constraints.txt
    global.cert: /etc/ssl/certs/ca-certificates.crt
  /etc/pip.conf, exists: True
    global.constraint: /etc/xdg/pip/constraints.txt
    global.cert: /etc/ssl/certs/ca-certificates.crt
site:
  /root/.pyenv/versions/3.11.7/pip.conf, exists: False
user:
  /root/.pip/pip.conf, exists: False
  /root/.config/pip/pip.conf, exists: True
    global.find-links: /opt/wheels
    global.extra-index-url: file:///opt/pypi/simple file:///opt/pypi-more/simple
"""

# PIP_CONFIG_FILE set, a value over several lines (pip indents each line), a
# site file (the venv's own: not copied) and a missing user file.
SYNTHETIC_PIP_DEBUG = """\
env_var:
  PIP_CONFIG_FILE='/srv/ci/pip.conf'
env:
  /srv/ci/pip.conf, exists: True
    global.extra-index-url:\x20
    file:///srv/one/simple
    file:///srv/two/simple
global:
  /etc/xdg/pip/pip.conf, exists: False
  /etc/pip.conf, exists: True
site:
  /venv/pip.conf, exists: True
user:
  /home/me/.config/pip/pip.conf, exists: False
"""

REAL_PIP_LIST = """\
:env:.cert='/etc/ssl/certs/ca-certificates.crt'
:env:.default-timeout='180'
:env:.disable-pip-version-check='1'
:env:.find-links='/opt/wheels'
global.cert='/etc/ssl/certs/ca-certificates.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/opt/wheels'
"""

# What pip 23.2.1 prints for an extra-index-url over several lines in a file,
# and for a value holding a single quote (then repr quotes it with ").
SYNTHETIC_PIP_LIST = """\
global.extra-index-url='\\nfile:///srv/one/simple\\nfile:///srv/two/simple'
:env:.find-links="/srv/it's here"
install.no-cache-dir='1'
WARNING: not a setting
global.broken='unterminated
"""


def test_pip_config_files_this_machine():
    assert config.pip_config_files(REAL_PIP_DEBUG) == [
        "/etc/xdg/pip/pip.conf",
        "/etc/pip.conf",
        "/root/.config/pip/pip.conf",
    ]


def test_pip_config_files_env_multiline_site():
    assert config.pip_config_files(SYNTHETIC_PIP_DEBUG) == ["/srv/ci/pip.conf", "/etc/pip.conf"]


def test_pip_list_options_this_machine():
    assert list(config.pip_list_options(REAL_PIP_LIST)) == [
        ("cert", "/etc/ssl/certs/ca-certificates.crt"),
        ("default-timeout", "180"),
        ("disable-pip-version-check", "1"),
        ("find-links", "/opt/wheels"),
        ("cert", "/etc/ssl/certs/ca-certificates.crt"),
        ("constraint", "/etc/xdg/pip/constraints.txt"),
        ("extra-index-url", "file:///opt/pypi/simple file:///opt/pypi-more/simple"),
        ("find-links", "/opt/wheels"),
    ]


def test_pip_list_options_multiline_and_quoted_values():
    assert list(config.pip_list_options(SYNTHETIC_PIP_LIST)) == [
        ("extra-index-url", "\nfile:///srv/one/simple\nfile:///srv/two/simple"),
        ("find-links", "/srv/it's here"),
        ("no-cache-dir", "1"),
    ]


def test_pip_env_options():
    environ = {"PIP_FIND_LINKS": "/w", "PIP_EXTRA_INDEX_URL": "file:///i/simple", "PIPX": "no"}
    assert sorted(config.pip_env_options(environ)) == [
        ("extra-index-url", "file:///i/simple"),
        ("find-links", "/w"),
    ]


@pytest.mark.parametrize(
    ("key", "token", "path"),
    [
        ("find-links", "/opt/wheels/", "/opt/wheels"),
        ("find-links", "file:///opt/wheels", "/opt/wheels"),
        ("extra-index-url", "file:///opt/pypi/simple/", "/opt/pypi"),
        ("index-url", "file://localhost/opt/pypi/simple", "/opt/pypi"),
        ("find-links", "/opt/pypi/simple", "/opt/pypi/simple"),  # not an index: as it is
        ("find-links", "file:///srv/my%20wheels", "/srv/my wheels"),
        ("extra-index-url", "https://pypi.example/simple", None),
        ("find-links", "file://elsewhere/opt/wheels", None),
        ("constraint", "constraints.txt", None),  # relative: pip's working folder's
    ],
)
def test_option_path(key, token, path):
    assert config.option_path(key, token) == path


def test_pip_local_paths_exist_and_are_inputs(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "one").mkdir()
    options = [
        *config.pip_list_options(
            f"global.extra-index-url='\\nfile://{tmp_path}/one/simple\\n"
            f"file://{tmp_path}/two/simple'\n"
        ),
        ("find-links", f"{tmp_path}/wheels {tmp_path}/missing"),
        ("cache-dir", str(tmp_path)),  # written by pip: never mounted read-only
    ]
    assert config.pip_local_paths(options) == [f"{tmp_path}/one", f"{tmp_path}/wheels"]


def test_prune_paths():
    paths = [
        "/opt/wheels",
        "/opt/wheels/sub",
        "/opt/wheels",
        "/opt/wheels-2",
        "/etc/pip.conf",
        "/",
        "",
        "/proc/self/fd",
        "/dev",
        "/devices",
        "/work/repo/constraints.txt",
        "/work",
        "/cache/root/etc",
    ]
    kept, refused = config.prune_paths(paths, repo="/work/repo", root="/cache/root")
    assert kept == ["/devices", "/etc/pip.conf", "/opt/wheels", "/opt/wheels-2"]
    assert refused == ["/cache/root/etc", "/work", "/work/repo/constraints.txt"]


def pip_env(tmp_path: Path) -> dict:
    """This machine's environment with a pip configuration file of the test's
    (PIP_CONFIG_FILE: pip reads it on top of the global and user ones)."""
    (tmp_path / "wheels").mkdir()
    (tmp_path / "index/simple").mkdir(parents=True)
    conf = write(
        tmp_path / "pip.conf",
        textwrap.dedent(f"""\
            [global]
            extra-index-url =
                file://{tmp_path}/index/simple
                https://pypi.example/simple
            [install]
            find-links = {tmp_path}/wheels
            """),
    )
    return {**os.environ, "PIP_CONFIG_FILE": str(conf)}


@pytest.fixture
def pip_available():
    if importlib.util.find_spec("pip") is None:
        pytest.skip(f"{sys.executable} has no pip: the helper then reads PIP_* only")


@pytest.mark.usefixtures("pip_available")
def test_pip_files_command_runs_pip(tmp_path):
    done = run_helper("pip-files", env=pip_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "pip.conf") in done.stdout.splitlines()


@pytest.mark.usefixtures("pip_available")
def test_pip_paths_command_runs_pip(tmp_path):
    env = pip_env(tmp_path)
    env["PIP_CONSTRAINT"] = str(write(tmp_path / "repo/c.txt", ""))
    done = run_helper("pip-paths", "--repo", str(tmp_path / "repo"), "--root", "/nowhere", env=env)
    assert done.returncode == 0, done.stderr
    paths = done.stdout.splitlines()
    assert str(tmp_path / "index") in paths
    assert str(tmp_path / "wheels") in paths
    assert str(tmp_path / "repo/c.txt") not in paths
    assert f"pip names {tmp_path}/repo/c.txt, which holds or is in the repository" in done.stderr


# The script: arguments


@pytest.fixture
def tool_env(tmp_path):
    """An environment whose root is in tmp_path/cache, and in which whatever
    would build a root (debootstrap, apt-get, chroot) fails loudly at once."""
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name in ("debootstrap", "apt-get", "chroot"):
        stub = stubs / name
        stub.write_text(f"#!/bin/sh\necho 'stub {name} called' >&2\nexit 97\n")
        stub.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNSTABLE_ROOT_")}
    env["PATH"] = f"{stubs}{os.pathsep}{env.get('PATH', '')}"
    env["UNSTABLE_ROOT_DIR"] = str(tmp_path / "cache" / "root")
    return env


def run_tool(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TOOL), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


USAGE = "usage: tools/unstable-root COMMAND [ARGS...]"
HINT = "(tools/unstable-root help: the commands and their options)"


@pytest.mark.parametrize("args", [[], ["help"], ["-h"], ["--help"]])
def test_help(args, tool_env):
    done = run_tool(*args, env=tool_env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(USAGE + "\n")
    assert "$UNSTABLE_ROOT_DIR" in done.stdout


@pytest.mark.parametrize("command", ["bogus", "--bogus", "-x"])
def test_unknown_command(command, tool_env, tmp_path):
    done = run_tool(command, "more", env=tool_env)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"unstable-root: unknown command: {command}\n{USAGE}\n")
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "-p"], "-p needs a version: one of 3.13 3.14 3.15"),
        (["run", "--python"], "--python needs a version: one of 3.13 3.14 3.15"),
        (["run", "-p", "3.99", "true"], "no python '3.99' in the root: one of 3.13 3.14 3.15"),
        (["run", "-p2.7"], "no python '2.7' in the root: one of 3.13 3.14 3.15"),
        (["run", "-p", "3.15", "--python=py312"], "no python 'py312' in the root"),
        (["shell", "-p", "3.15", "pytest"], "shell takes only -p VERSION (given: -p 3.15 pytest)"),
        (["shell", "-p"], "-p needs a version"),
        (["build", "now"], "build takes no arguments (given: now)"),
        (["clean", "-f"], "clean takes no arguments (given: -f)"),
        (["umount", "x"], "umount takes no arguments"),
        (["path", "x"], "path takes no arguments"),
    ],
)
def test_usage_errors_before_anything_is_built(args, message, tool_env, tmp_path):
    done = run_tool(*args, env=tool_env)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"unstable-root: {message}")
    assert done.stderr.endswith(f"\n{HINT}\n")
    assert not (tmp_path / "cache").exists()


INCLUDE = "python3.13,python3.13-venv,python3.14,python3.14-venv,python3.15,python3.15-venv"


@pytest.mark.skipif(os.geteuid() != 0, reason="run builds the root: needs root")
@pytest.mark.parametrize(
    "python", [["-p", "3.13"], ["-p313"], ["--python=py313"], ["-p", "python3.13"]]
)
def test_python_313_is_one_of_the_roots(python, tool_env, tmp_path):
    # Accepted: run goes on to build a root, with python3.13 in it (the stub
    # debootstrap then fails the build).
    done = run_tool("run", *python, "--", "python", "--version", env=tool_env)
    assert done.returncode == 1, done.stderr
    assert f"unstable-root: building a Debian sid root with {INCLUDE} in " in done.stderr
    assert "stub debootstrap called\n" in done.stderr
    assert not (tmp_path / "cache/root").exists()


def test_path_is_unstable_root_dir(tool_env, tmp_path):
    done = run_tool("path", env=tool_env)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{tmp_path}/cache/root\n", "")


@pytest.mark.parametrize("where", ["inside", "around"])
def test_a_root_inside_or_around_the_repository_is_refused(where, tool_env, tmp_path):
    # A copy of the script, in a repository of the test's: were the check to
    # fail, clean would delete only what is in tmp_path.
    repo = tmp_path / "repo"
    (repo / "tools").mkdir(parents=True)
    tool = shutil.copy2(TOOL, repo / "tools")
    root = repo / ".tox/root" if where == "inside" else tmp_path
    write(root / "etc/os-release", "sid\n")
    tool_env["UNSTABLE_ROOT_DIR"] = str(root)
    done = subprocess.run(
        [tool, "clean"], capture_output=True, text=True, timeout=TIMEOUT, env=tool_env, check=False
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"unstable-root: the root ({root}) must be neither inside the repository"
        f" ({repo}) nor around it\n"
    )
    assert (root / "etc/os-release").exists()
    assert not Path(f"{root}.lock").exists()


# The script: clean and umount

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="clean and umount need root")


@pytest.fixture
def fake_root(tmp_path):
    """A root with a file in it, and a folder outside it that must survive."""
    root = tmp_path / "cache" / "root"
    write(root / "etc/os-release", "sid\n")
    (root / "repo").mkdir()
    write(tmp_path / "precious/keep.txt", "keep me\n")
    return root


def in_namespace(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    """bash -c SCRIPT ARGS in a mount namespace of its own: its mounts end with it."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare (util-linux)")
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.decode().strip()}")
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "--", "bash", "-c", script, "-", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@needs_root
def test_clean_deletes_the_root(fake_root, tool_env, tmp_path):
    done = run_tool("clean", env=tool_env)
    assert done.returncode == 0, done.stderr
    assert f"deleted {fake_root} " in done.stderr
    assert not fake_root.exists()
    assert (tmp_path / "precious/keep.txt").exists()


MOUNTS = {
    # the dangerous one: rm --one-file-system would go through it
    "bind": 'mount --bind -- "$1" "$2/repo"',
    "tmpfs": 'mount -t tmpfs tmpfs "$2/repo"',
    # what a run does first: the root mounted on itself
    "root itself": 'mount --bind -- "$2" "$2"',
}


@needs_root
@pytest.mark.parametrize("mount", list(MOUNTS))
def test_clean_is_refused_while_something_is_mounted(mount, fake_root, tool_env, tmp_path):
    script = MOUNTS[mount] + ' && exec "$3" clean'
    done = in_namespace(script, str(tmp_path / "precious"), str(fake_root), str(TOOL), env=tool_env)
    assert done.returncode == 1, done.stderr
    assert f"unstable-root: not deleting {fake_root}: mounted below it:\n" in done.stderr
    assert (fake_root / "etc/os-release").exists()
    assert (tmp_path / "precious/keep.txt").read_text() == "keep me\n"


@needs_root
def test_umount_then_clean(fake_root, tool_env, tmp_path):
    script = """
        mount --bind -- "$1" "$2/repo" && mkdir -p "$2/dev" && mount -t tmpfs tmpfs "$2/dev" &&
            mkdir "$2/dev/shm" && mount -t tmpfs tmpfs "$2/dev/shm" || exit 99
        "$3" umount || exit
        findmnt -rn -o TARGET | grep -F -- "$2" && exit 98
        exec "$3" clean
    """
    done = in_namespace(script, str(tmp_path / "precious"), str(fake_root), str(TOOL), env=tool_env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"unstable-root: nothing is mounted below {fake_root}\n" in done.stderr
    assert f"unstable-root: deleted {fake_root} " in done.stderr
    assert not fake_root.exists()
    assert (tmp_path / "precious/keep.txt").read_text() == "keep me\n"


@needs_root
@pytest.mark.parametrize("command", ["clean", "umount"])
def test_clean_and_umount_are_refused_while_the_root_is_in_use(
    command, fake_root, tool_env, tmp_path
):
    lock = tmp_path / "cache" / "root.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_SH)  # what a run holds
        done = run_tool(command, env=tool_env)
    assert done.returncode == 1
    assert f"unstable-root: the root is in use: a run or a build holds {lock}\n" == done.stderr
    assert (fake_root / "etc/os-release").exists()


# The script: a built root that lacks packages gets them from apt-get inside it

OLD_INCLUDE = "python3.14,python3.14-venv,python3.15,python3.15-venv"
OLD_STAMP = (
    f"{OLD_INCLUDE}\nsuite: sid\nmirror: http://deb.example/debian\nbuilt: 2026-12-01T00:00:00Z\n"
)


def fake_chroot(stubs: Path, calls: Path, install: str) -> None:
    """A chroot that logs each command line to ``calls`` and acts out apt: ``install``
    says whether apt-get install succeeds: "yes", "after update" (only once apt-get
    update has run) or "no"."""
    write(
        stubs / "chroot",
        f"""#!/bin/sh
printf '%s\\n' "$*" >>'{calls}'
case "$*" in
*" --version") echo "Python ${{2#/usr/bin/python}}.99" ;;
*" apt-get update") : >'{calls}.updated' ;;
*" apt-get install "*)
    case '{install}' in
    yes) ;;
    "after update") [ -e '{calls}.updated' ] || exit 100 ;;
    *) exit 100 ;;
    esac
    ;;
esac
""",
    ).chmod(0o755)


def chroot_calls(calls: Path, root: Path) -> list[str]:
    """The commands the fake chroot ran in ``root``, without a clean environment's
    ``/usr/bin/env -i NAME=VALUE...``."""
    found = []
    for line in calls.read_text().splitlines() if calls.exists() else []:
        where, *words = line.split()
        assert where == str(root), line
        if words[:2] == ["/usr/bin/env", "-i"]:
            words = words[2:]
            while "=" in words[0]:
                words.pop(0)
        found.append(" ".join(words))
    return found


INSTALL = "apt-get install -y --no-install-recommends -- python3.13 python3.13-venv"
VERSIONS = "Python 3.13.99, Python 3.14.99, Python 3.15.99"


@needs_root
@pytest.mark.parametrize(
    ("install", "apt"),
    [
        ("yes", ["dpkg --configure -a", INSTALL]),
        ("after update", ["dpkg --configure -a", INSTALL, "apt-get update", INSTALL]),
    ],
)
def test_build_adds_what_a_built_root_lacks(install, apt, fake_root, tool_env, tmp_path):
    stamp = write(fake_root / ".mpspec-unstable-root", OLD_STAMP)
    calls = tmp_path / "calls"
    fake_chroot(tmp_path / "stubs", calls, install)
    done = run_tool("build", env=tool_env)
    assert done.returncode == 0, done.stderr
    assert chroot_calls(calls, fake_root) == [
        *apt,
        "/usr/bin/python3.13 --version",
        "/usr/bin/python3.14 --version",
        "/usr/bin/python3.15 --version",
    ]
    assert f"unstable-root: adding python3.13,python3.13-venv to the root in {fake_root} " in (
        done.stderr
    )
    assert re.search(rf"unstable-root: added in \d+ s: {VERSIONS}\n", done.stderr)
    # The root was kept, and its stamp says what was added: a second build does nothing.
    assert (fake_root / "etc/os-release").exists()
    assert stamp.read_text().startswith(OLD_STAMP + "added: python3.13,python3.13-venv 20")
    calls.unlink()
    again = run_tool("build", env=tool_env)
    assert (again.returncode, again.stderr, calls.exists()) == (0, "", False)


@needs_root
def test_a_failed_add_keeps_the_root_and_its_stamp(fake_root, tool_env, tmp_path):
    stamp = write(fake_root / ".mpspec-unstable-root", OLD_STAMP)
    calls = tmp_path / "calls"
    fake_chroot(tmp_path / "stubs", calls, "no")
    done = run_tool("build", env=tool_env)
    assert done.returncode == 1
    assert chroot_calls(calls, fake_root) == [
        "dpkg --configure -a",
        INSTALL,
        "apt-get update",
        INSTALL,
    ]
    assert "unstable-root: could not add python3.13,python3.13-venv to the root (log: " in (
        done.stderr
    )
    assert stamp.read_text() == OLD_STAMP
    assert (fake_root / "etc/os-release").exists()


@needs_root
@pytest.mark.parametrize(
    "stamp",
    [
        f"{INCLUDE}\nsuite: sid\n",
        OLD_STAMP + "added: python3.13,python3.13-venv 2026-12-02T00:00:00Z\n",
        OLD_STAMP + "added: python3.13-venv 2026-12-02T00:00:00Z\nadded: python3.13 2026-12-03\n",
    ],
    ids=["built with all", "added", "added twice"],
)
def test_a_root_with_every_package_is_used_as_it_is(stamp, fake_root, tool_env, tmp_path):
    write(fake_root / ".mpspec-unstable-root", stamp)
    calls = tmp_path / "calls"
    fake_chroot(tmp_path / "stubs", calls, "no")
    done = run_tool("build", env=tool_env)
    assert (done.returncode, done.stderr, calls.exists()) == (0, "", False)
    assert (fake_root / ".mpspec-unstable-root").read_text() == stamp
