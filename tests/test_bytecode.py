"""The plugin compiles mpspec once per run where no interpreter writes bytecode caches."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from mpspec.plugin import bytecode


def package(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "mod.py").write_text("VALUE = 1\n")
    return root


def cache_of(source):
    return importlib.util.cache_from_source(str(source))


def test_every_module_gets_a_current_cache(tmp_path):
    root = package(tmp_path)
    assert bytecode.compile_package(root)
    for source in (root / "__init__.py", root / "sub" / "__init__.py", root / "sub" / "mod.py"):
        assert os.path.exists(cache_of(source)), source


def test_a_changed_module_is_compiled_again(tmp_path):
    root = package(tmp_path)
    module = root / "sub" / "mod.py"
    bytecode.compile_package(root)
    stale = Path(cache_of(module)).read_bytes()
    module.write_text("VALUE = 2\n")
    later = module.stat().st_mtime + 10  # an edit made later (compileall compares the mtime)
    os.utime(module, (later, later))
    assert bytecode.compile_package(root)
    assert Path(cache_of(module)).read_bytes() != stale


def test_a_folder_it_cannot_write_is_left_alone_without_a_word(tmp_path, capsys):
    root = package(tmp_path)
    (root / "sub").chmod(0o555)
    try:
        if os.access(root / "sub", os.W_OK):  # root ignores the mode: make it a file instead
            (root / "sub").chmod(0o755)
            (root / "sub" / "__pycache__").write_text("not a folder")
        assert not bytecode.compile_package(root)
    finally:
        (root / "sub").chmod(0o755)
    assert capsys.readouterr() == ("", "")


def test_it_is_needed_exactly_when_interpreters_write_no_caches():
    code = "from mpspec.plugin import bytecode; print(bytecode.needed())"
    for flag, expected in (([], "False"), (["-B"], "True")):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        out = subprocess.run(
            [sys.executable, *flag, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.stdout.strip() == expected, out.stderr


def test_the_package_it_compiles_is_mpspec():
    assert (bytecode.PACKAGE / "runtime" / "channel.py").exists()


def test_a_run_without_caches_compiles_mpspec_first(pytester, monkeypatch):
    module = bytecode.PACKAGE / "runtime" / "versions.py"
    cache = Path(cache_of(module))
    bytecode.compile_package()
    cache.unlink()  # children meanwhile compile it from source, as they did before
    pytester.makepyfile("def test_nothing():\n    pass\n")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "0", timeout=60)
    assert result.ret == 0, result.stdout.str()
    assert cache.exists()
