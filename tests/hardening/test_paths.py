"""Paths that are not plain design files: only regular files inside the designs folder are
read; anything else, and every output that cannot be written, is one line naming the path
and exit status 1. Nothing hangs, nothing is published that was not a design."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from plinkdocs.cli import main
from tests.helpers import design_text

SECRET = "TOP-SECRET-CONTENT-7f3a"
TIMEOUT = 60  # a FIFO that is opened would block forever: each case runs in a process with a bound


def run(*args, cwd=None, prefix=()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "plinkdocs", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=TIMEOUT)


# Root passes every permission check by two capabilities; without them, as CI runs, a root
# process meets file modes as any user does. setpriv (util-linux) drops them for one command.
_DAC = "-dac_override,-dac_read_search"
AS_A_USER = () if os.geteuid() != 0 else ("setpriv", f"--bounding-set={_DAC}", f"--inh-caps={_DAC}")
needs_setpriv = pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"),
                                   reason="running as root, and setpriv is missing to drop root's powers")


def one_problem(proc, *needles):
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert any(all(n in line for n in needles) for line in lines), lines


@pytest.fixture
def designs(tmp_path):
    folder = tmp_path / "designs"
    folder.mkdir()
    (folder / "good.yaml").write_text(design_text(), encoding="utf-8")
    (tmp_path / "secret.txt").write_text(f"name: {SECRET}\n", encoding="utf-8")
    return folder


def test_a_fifo_in_the_designs_folder_is_refused_not_opened(designs):
    os.mkfifo(designs / "pipe.yaml")
    one_problem(run("check", str(designs)), "pipe.yaml", "FIFO")


def test_a_fifo_named_on_the_command_line_is_refused(designs):
    os.mkfifo(designs / "pipe.yaml")
    one_problem(run("check", str(designs / "pipe.yaml")), "pipe.yaml", "not a regular file")


def test_a_fifo_as_the_baseline_is_refused(designs):
    os.mkfifo(designs.parent / "baseline.json")
    one_problem(run("check", "--baseline", str(designs.parent / "baseline.json"), str(designs)),
                "baseline.json", "not a regular file")


@pytest.mark.parametrize("target", ["../secret.txt", "/proc/self/environ", "/dev/zero"])
def test_a_link_out_of_the_designs_folder_is_never_read(designs, tmp_path, target):
    (designs / "leak.yaml").symlink_to(target)
    proc = run("check", "--format", "json", str(designs))
    one_problem(proc, "leak.yaml", "outside")
    assert SECRET not in proc.stdout + proc.stderr
    out = tmp_path / "site"
    proc = run("site", "--architectures", str(designs), "--out", str(out), "--no-cache", cwd=tmp_path)
    one_problem(proc, "leak.yaml", "outside")
    assert not out.exists() or SECRET not in "".join(p.read_text(errors="replace")
                                                     for p in out.rglob("*") if p.is_file())


def test_a_link_inside_the_folder_is_read(designs):
    (designs / "alias.yaml").symlink_to("good.yaml")
    proc = run("check", "--format", "json", str(designs))
    assert proc.returncode == 2 and not proc.stderr  # read, and the same name twice is PL006
    assert [f["file"].rsplit("/", 1)[-1] for f in json.loads(proc.stdout)["files"]] == ["alias.yaml", "good.yaml"]


def test_a_link_to_dev_zero_named_directly_is_refused(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    one_problem(run("check", str(tmp_path / "zero.yaml")), "zero.yaml", "outside")
    one_problem(run("check", "/dev/zero"), "/dev/zero", "character device")


def test_a_folder_without_designs_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("no designs here")
    one_problem(run("check", str(tmp_path / "empty")), "empty", "no designs found")


@needs_setpriv
def test_an_unreadable_folder_is_an_error(designs):
    sub = designs / "locked"
    sub.mkdir()
    (sub / "x.yaml").write_text(design_text())
    sub.chmod(0)
    try:
        one_problem(run("check", str(designs), prefix=AS_A_USER), "locked", "cannot read")
    finally:
        sub.chmod(0o755)


def test_a_path_longer_than_the_system_allows_is_an_error(designs):
    long = designs / ("x" * 300 + ".yaml")
    one_problem(run("check", str(long)), "cannot read", "too long")


def test_a_folder_too_deep_for_the_system_is_an_error_not_a_skip(designs):
    part = "d" * 250
    fd = os.open(designs, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 x 251 characters: the full path is past PATH_MAX (4096)
            os.mkdir(part, dir_fd=fd)
            inner = os.open(part, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with os.fdopen(os.open("x.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
            fh.write(design_text())
    finally:
        os.close(fd)
    one_problem(run("check", str(designs)), "cannot read", "too long")


def test_a_name_that_is_not_utf8_reaches_every_output(tmp_path):
    folder = tmp_path / "designs"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.yaml")
    (folder / name).write_text("version: 1\nname: 12345\n", encoding="utf-8")  # findings name the file
    for fmt in ("sarif", "json", "junit", "text", "github"):
        target = tmp_path / f"report.{fmt}"
        proc = run("check", "--format", fmt, "--output", str(target), "designs", cwd=tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        text = target.read_text(encoding="utf-8")
        if fmt == "json":
            text = json.loads(text)["files"][0]["file"]
        assert ("caf%E9.yaml" if fmt == "sarif" else "caf\\xe9.yaml") in text, text[:2000]
    proc = run("site", "--architectures", str(folder), "--out", str(tmp_path / "site"), "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    index = (tmp_path / "site" / "docs" / "architectures" / "index.md").read_text()
    assert "caf&#92;xe9.yaml" in index  # the escape, itself escaped for Markdown


def test_output_to_a_full_disk_is_one_line(designs):
    one_problem(run("check", "--output", "/dev/full", str(designs)), "/dev/full", "No space left")


def test_output_onto_a_device_writes_to_it_and_never_replaces_it(designs):
    proc = run("check", "--output", "/dev/null", str(designs))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_baseline_onto_a_device_or_a_full_disk(designs):
    proc = run("check", "--create-baseline", "/dev/null", str(designs))
    assert proc.returncode == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode), proc.stderr
    one_problem(run("check", "--create-baseline", "/dev/full", str(designs)), "/dev/full", "No space left")


def test_output_onto_a_folder_is_one_line(designs, tmp_path):
    one_problem(run("check", "--output", str(tmp_path), str(designs)), str(tmp_path), "folder")


@needs_setpriv
def test_output_into_a_read_only_folder_is_one_line(designs, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        one_problem(run("check", "--output", str(ro / "r.json"), str(designs), prefix=AS_A_USER),
                    "r.json", "cannot write")
    finally:
        ro.chmod(0o755)


def test_output_under_a_file_is_one_line(designs, tmp_path):
    one_problem(run("check", "--output", str(tmp_path / "secret.txt" / "r.json"), str(designs)),
                "r.json", "cannot write")


def test_diagram_output_onto_a_file_is_one_line(designs, tmp_path):
    one_problem(run("diagram", "--output", str(tmp_path / "secret.txt"), "--format", "dot", str(designs)),
                "secret.txt", "not a folder")


def test_site_out_to_an_unwritable_place_is_one_line(designs, tmp_path):
    one_problem(run("site", "--architectures", str(designs), "--out", str(tmp_path / "secret.txt" / "site"),
                    "--no-cache", cwd=tmp_path), "secret.txt", "cannot write the site")
    one_problem(run("site", "--architectures", str(designs), "--out", "/proc/plinkdocs/site", "--no-cache",
                    cwd=tmp_path), "/proc", "cannot write the site")


def test_a_deeply_nested_baseline_is_one_line(designs, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    assert main(["check", "--baseline", str(deep), str(designs)]) == 1
    err = capsys.readouterr().err
    assert "deep.json" in err and "nests too deep" in err and "Traceback" not in err


@pytest.mark.parametrize("text,needles", [
    ("severity: [PL202]\n", ["1:11", "`severity`", "a list should be a mapping"]),
    ("options: text\n", ["1:10", "`options`", "should be a mapping"]),
    ("site_url: [1, 2]\n", ["1:11", "`site_url`", "should be a string"]),
    ("limits: {max_depth: 100000}\n", ["1:21", "max_depth", "at most 200"]),
    ("select: {a: 1}\n", ["1:9", "`select`"]),
    ("limits: [1]\n", ["1:9", "`limits`"]),
])
def test_a_configuration_with_wrong_shapes_is_one_line_per_problem(designs, tmp_path, text, needles):
    cfg = tmp_path / "conf.yaml"
    cfg.write_text(text)
    proc = run("check", "--config", str(cfg), str(designs))
    one_problem(proc, "conf.yaml", *needles)


def test_every_problem_of_a_configuration_is_reported(designs, tmp_path):
    cfg = tmp_path / "conf.yaml"
    cfg.write_text("severity: [PL202]\noptions: text\nsite_url: [1, 2]\n")
    proc = run("check", "--config", str(cfg), str(designs))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [line.split(": ")[1].split(":")[1] for line in proc.stderr.strip().splitlines()] == ["1", "2", "3"]


def test_the_largest_depth_limit_still_checks_without_a_crash(tmp_path):
    cfg = tmp_path / "conf.yaml"
    cfg.write_text("limits: {max_depth: 200}\n")
    design = tmp_path / "deep.yaml"
    design.write_text(design_text() + "x-deep: " + "[" * 199 + "1" + "]" * 199 + "\n")
    proc = run("check", "--config", str(cfg), str(design))
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr
    Path(design).write_text(design_text() + "x-deep: " + "[" * 250 + "1" + "]" * 250 + "\n")
    proc = run("check", "--config", str(cfg), "--format", "json", str(design))
    assert proc.returncode == 2 and "PL005" in proc.stdout, proc.stderr


def test_the_mkdocs_plugin_stops_on_a_link_out_of_the_folder(tmp_path, caplog):
    from mkdocs.exceptions import Abort, PluginError

    from tests.browser.test_site_browser import build
    from tests.site.samples import write_project

    project = write_project(tmp_path / "project", hostile=False, bad=False)
    (tmp_path / "secret.txt").write_text(f"name: {SECRET}\n")
    (project / "designs" / "leak.yaml").symlink_to(tmp_path / "secret.txt")
    with pytest.raises((Abort, PluginError)):
        build(project / "mkdocs.yml", tmp_path / "site", "http://127.0.0.1/")
    assert "leak.yaml" in caplog.text and "outside" in caplog.text
    assert not (tmp_path / "site").exists() or SECRET not in "".join(
        p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file())


def test_a_link_out_of_the_docs_folder_is_not_copied_into_the_site(designs, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "leak.md").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - plinkdocs:\n      architectures: designs\n")
    out = tmp_path / "out"
    one_problem(run("site", "--out", str(out), "--no-cache", cwd=tmp_path), "leak.md", "outside")
    assert not out.exists()


def test_a_named_file_that_links_out_of_its_folder_is_refused(designs, tmp_path):
    """As a pre-commit hook or a CI step would name a committed link."""
    (designs / "leak.yaml").symlink_to("/proc/self/environ")
    proc = run("check", "--format", "json", str(designs / "leak.yaml"))
    one_problem(proc, "leak.yaml", "outside")
    assert "PATH=" not in proc.stdout + proc.stderr
    (designs / "ok.yaml").symlink_to("good.yaml")
    assert run("check", str(designs / "ok.yaml")).returncode == 0
