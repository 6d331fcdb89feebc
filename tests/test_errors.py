"""One error family: every user-facing failure is one line on stderr with the right
exit status (1: the run could not be done; 2: the command was asked wrongly), and
never a traceback."""

from __future__ import annotations

import pytest

from mapper import errors
from mapper.cli import main
from mapper.http import FetchError
from mapper.identity import Aliases
from mapper.sources import InputError
from tests.conftest import EXAMPLE

THREAD = str(EXAMPLE / "thread.txt")


def _one_line_error(capsys, prefix: str) -> str:
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith(f"mapper: {prefix}")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_family():
    for cls in (errors.InputError, errors.UsageError, errors.FetchError, errors.GeocoderError):
        assert issubclass(cls, errors.MapperError)
    # the old names are the same classes, so old imports keep working
    assert InputError is errors.InputError and FetchError is errors.FetchError
    # a ValueError before the family existed: callers that caught it still do
    assert issubclass(errors.InputError, ValueError) and issubclass(errors.UsageError, ValueError)
    assert errors.InputError.exit_code == 1 and errors.FetchError.exit_code == 1
    assert errors.UsageError.exit_code == 2 and errors.GeocoderError.exit_code == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a = b\nthis line has no operator\n", "line 2: expected 'A = B' or 'A != B'"),
        (b"a = b\n\xff\xfe = c\n", "not UTF-8 text"),
    ],
)
def test_bad_aliases_file_is_one_line_exit_1(tmp_path, capsys, content, expected):
    f = tmp_path / "aliases.txt"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content)
    assert main(["report", THREAD, "--aliases", str(f), "-o", str(tmp_path / "r.json")]) == 1
    line = _one_line_error(capsys, "error:")
    assert str(f) in line and expected in line
    assert not (tmp_path / "r.json").exists()


def test_missing_aliases_file(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["report", THREAD, "--aliases", str(missing)]) == 1
    assert f"{missing}: no such aliases file" in _one_line_error(capsys, "error:")
    with pytest.raises(InputError, match="no such aliases file"):
        Aliases.read(missing)


def test_bad_locations_file(tmp_path, capsys):
    f = tmp_path / "loc.csv"
    f.write_text("who,where\nx,y\n")
    assert main(["map", THREAD, "--locations", str(f), "-o", str(tmp_path / "m.html")]) == 1
    assert "a locations file needs" in _one_line_error(capsys, "error:")


def test_unknown_geocoder_is_usage_error(tmp_path, capsys):
    out = str(tmp_path / "r.json")
    assert main(["report", THREAD, "--geocoder", "no-such-service", "-o", out]) == 2
    assert "unknown geocoder 'no-such-service'" in _one_line_error(capsys, "usage error:")


def test_bad_option_values_are_usage_errors(tmp_path, capsys):
    assert main(["evaluate-inference", THREAD, "--hide", "1.5"]) == 2
    assert "--hide must be between 0 and 1" in _one_line_error(capsys, "usage error:")
    assert main(["report", THREAD, "--geocoder", "photon", "--geocoder-option", "novalue"]) == 2
    assert "expected KEY=VALUE" in _one_line_error(capsys, "usage error:")
    assert main(["collect", "mastodon", "https://example.org/nothing", "-o", "x.json"]) == 2
    assert "not a Mastodon status URL" in _one_line_error(capsys, "usage error:")


def test_unwritable_output_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["report", THREAD, "-o", str(blocker / "r.json")]) == 1
    assert str(blocker) in _one_line_error(capsys, "error:")


def test_fetch_failure_is_one_line_exit_1(make_httpserver, tmp_path, capsys):
    make_httpserver.expect_request("/api/v1/statuses/1").respond_with_data("gone", status=404)
    url = make_httpserver.url_for("/@someone/1")
    out = tmp_path / "t.json"
    assert main(["collect", "mastodon", url, "-o", str(out), "--no-cache"]) == 1
    assert "HTTP 404" in _one_line_error(capsys, "error:")
    assert not out.exists()


def test_unreachable_map_assets_are_one_line(
    make_httpserver, tmp_cache, tmp_path, capsys, monkeypatch
):
    from mapper import settings

    # a mirror that has none of the assets (pytest-httpserver answers 500 to the unknown)
    monkeypatch.setattr(settings, "asset_base_url", make_httpserver.url_for("/empty-mirror"))
    out = tmp_path / "m.html"
    rc = main(["-q", "map", THREAD, "-o", str(out), "--self-contained", "--tiles", "none"])
    assert rc == 1
    line = _one_line_error(capsys, "error:")
    assert "/empty-mirror/" in line and "HTTP 500" in line and "--self-contained" in line
    assert not out.exists()
