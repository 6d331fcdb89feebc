"""The ``mapper`` command ends without freeing its results (issue #17): ``python -m
mapper`` and the installed script flush stdout and stderr and leave by ``os._exit``
(``cli.hard_exit``); ``cli.main``, which the Python API and these tests call, returns
as always and keeps nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mapper import cli

ROOT = Path(__file__).resolve().parent.parent
THREAD = ROOT / "data" / "example" / "thread.txt"
V2 = ROOT / "tests" / "data" / "platforms" / "twitter_v2" / "search-page.jsonl"


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONUNBUFFERED", None)  # stdout block-buffered on a pipe, as for a user
    return env


def _mapper(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mapper", *args], capture_output=True, env=_env(), cwd=ROOT
    )


def test_map_and_report_are_complete_and_stdout_flushed(tmp_path):
    html, report = tmp_path / "m.html", tmp_path / "r.json"
    r = _mapper("map", str(V2), "-o", str(html), "--report", str(report), "--tiles", "none")
    assert r.returncode == 0, r.stderr
    # the summary line printed to a pipe (block-buffered) reached it whole
    assert r.stdout.decode().endswith("\n") and "participants" in r.stdout.decode()
    assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    # the same report as the Python API's main writes in process
    again = tmp_path / "again.json"
    args = ["-q", "map", str(V2), "-o", str(tmp_path / "a.html"), "--report", str(again)]
    assert cli.main([*args, "--tiles", "none"]) == 0
    assert json.loads(report.read_bytes()) == json.loads(again.read_bytes())


def test_report_to_stdout_is_flushed_whole(tmp_path):
    r = _mapper("-q", "report", str(THREAD), "-o", "-")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # the whole document, not a buffer's worth
    assert data["people"]


def test_exit_status_and_message_of_a_failed_command(tmp_path):
    r = _mapper("report", str(tmp_path / "missing.json"), "-o", str(tmp_path / "r.json"))
    assert r.returncode == 1
    assert b"no such file" in r.stderr
    assert not (tmp_path / "r.json").exists()
    r = _mapper("report", str(THREAD), "-o", str(tmp_path))  # a directory: usage error
    assert r.returncode == 2 and b"is a directory" in r.stderr


def test_main_keeps_nothing(tmp_path):
    # the Python API's way: results are freed as the command returns
    assert cli.main(["-q", "report", str(THREAD), "-o", str(tmp_path / "r.json")]) == 0
    assert cli._kept is None


def test_hard_exit_waits_for_running_threads(monkeypatch):
    # a thread still running (a Dask cluster winding down): the ordinary exit, which
    # waits for it, not os._exit
    monkeypatch.setattr(os, "_exit", lambda status: pytest.fail("os._exit called"))
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        with pytest.raises(SystemExit) as e:
            cli.hard_exit(3)
        assert e.value.code == 3
    finally:
        stop.set()
        t.join()


def test_hard_exit_flushes_then_exits(monkeypatch):
    calls: list[object] = []

    class Out:
        def __init__(self, name):
            self.name = name

        def flush(self):
            calls.append(self.name)

    monkeypatch.setattr(sys, "stdout", Out("stdout"))
    monkeypatch.setattr(sys, "stderr", Out("stderr"))
    monkeypatch.setattr(os, "_exit", lambda status: calls.append(status))
    cli.hard_exit(0)
    assert calls == ["stdout", "stderr", 0]


def test_a_closed_stdout_is_a_failure(monkeypatch):
    calls: list[object] = []

    class Closed:
        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    monkeypatch.setattr(os, "_exit", lambda status: calls.append(status))
    cli.hard_exit(0)
    assert calls == [1]


def test_map_command_imports_folium_without_pandas(tmp_path):
    # folium imports pandas only to recognise DataFrames, which mapper never gives it:
    # the command hides it (~0.5 s of CPU); the map is the same (test_map_and_report...)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["-q", "map", str(V2), "-o", str(tmp_path / "m.html"), "--tiles", "none"]
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mapper", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert "folium" in loaded
    assert not {m for m in loaded if m.startswith("pandas.")}
    assert "pandas" not in sys.modules or sys.modules["pandas"] is not None


def test_main_leaves_pandas_to_folium(monkeypatch):
    # the Python API's way (cli.main, not the command): nothing is hidden from folium
    monkeypatch.delitem(sys.modules, "folium", raising=False)
    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    assert cli._kept is None
    cli._import_folium_without_pandas()
    assert "folium" not in sys.modules and "pandas" not in sys.modules


def test_the_command_leaves_the_collector_paused(tmp_path, monkeypatch):
    # under console the process ends right after main: the collector, paused once the
    # inputs are read, is not turned on again (its next pass would traverse everything
    # made since); cli.main alone restores it (test_typed_report)
    import gc

    monkeypatch.setattr(cli, "_kept", [])
    assert gc.isenabled()
    try:
        assert cli.main(["-q", "report", str(THREAD), "-o", str(tmp_path / "r.json")]) == 0
        assert not gc.isenabled()
        assert cli._kept  # the results are kept for hard_exit
    finally:
        gc.enable()


def test_no_stdout_or_stderr_is_no_failure(monkeypatch):
    # `mapper map ... >&-` (a cron job closing them): Python sets sys.stdout/stderr to
    # None; the command did its work and exits 0, as `sys.exit(main())` did
    calls: list[object] = []
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(os, "_exit", lambda status: calls.append(status))
    cli.hard_exit(0)
    assert calls == [0]


def test_a_failed_flush_of_stdout_is_named(monkeypatch):
    # a full disk (or a file size limit) on stdout: the last buffer cannot be written;
    # the status says so and so does stderr (Python's own exit printed the error)
    import errno
    import io

    calls: list[object] = []

    class Full:
        def flush(self):
            raise OSError(errno.EFBIG, "File too large")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Full())
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(os, "_exit", lambda status: calls.append(status))
    cli.hard_exit(0)
    assert calls == [1]
    assert "File too large" in err.getvalue()


@pytest.mark.skipif(sys.platform != "linux" or not shutil.which("sh"), reason="POSIX sh")
def test_command_with_a_full_stdout_or_closed_outputs(tmp_path):
    # (through sh, not preexec_fn: a test process may hold other threads)
    import shlex

    py = f"{shlex.quote(sys.executable)} -m mapper"
    out, html = shlex.quote(str(tmp_path / "out.csv")), tmp_path / "m.html"
    people = f"{py} -q people {shlex.quote(str(THREAD))} --no-locate"
    r = subprocess.run(
        ["sh", "-c", f"ulimit -f 0; exec {people} > {out}"],
        capture_output=True,
        env=_env(),
        cwd=ROOT,
    )
    assert r.returncode == 1
    assert b"File too large" in r.stderr  # not lost silently
    mapped = f"{py} map {shlex.quote(str(THREAD))} -o {shlex.quote(str(html))} --tiles none"
    for closed in (">&-", "2>&-"):  # the map is written and the command succeeds
        r = subprocess.run(
            ["sh", "-c", f"exec {mapped} {closed}"], capture_output=True, env=_env(), cwd=ROOT
        )
        assert r.returncode == 0, r.stderr
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
        html.unlink()
