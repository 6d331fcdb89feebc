"""The scale benchmark's kept corpora (``--data DIR``) are those of the size asked for."""

import contextlib
import gzip

import msgspec

from benchmarks import scale


def test_chain_corpora_kept_in_data_dir_are_of_the_size_asked(tmp_path, monkeypatch):
    """A run of another ``--lines`` in the same ``--data DIR`` measures corpora of its
    own size, never the ones an earlier run left there (nor a half-written one)."""
    used: list[int] = []
    sizes: list[int] = []

    def lines_of(path):
        with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as f:
            return sum(1 for _ in f)

    def bare(path):
        used.append(lines_of(path))
        sizes.append(path.stat().st_size)
        return 1.0, 1.0

    def probe(args):
        report = args[args.index("--report") + 1]
        with open(report, "wb") as f:
            f.write(msgspec.json.encode({"people": []}))
        return 1.0, 1.0, 1.0

    monkeypatch.setattr(scale, "_bare_decode", bare)
    monkeypatch.setattr(scale, "_probe", probe)
    scale.chain(tmp_path, 30)
    assert used[:2] == [30, 30]
    v2_30 = sizes[2]
    used.clear()
    sizes.clear()
    scale.chain(tmp_path, 60)
    assert used[:2] == [60, 60] and sizes[2] > v2_30  # not the 30-tweet files again
    # a corpus left half-written by an interrupted run is not taken for a whole one
    used.clear()

    def interrupted(path, *a, **kw):
        with open(path, "w") as f:
            f.write("{}\n")
        raise KeyboardInterrupt

    real = scale.synth_tweets.write
    monkeypatch.setattr(scale.synth_tweets, "write", interrupted)
    with contextlib.suppress(KeyboardInterrupt):
        scale.chain(tmp_path, 90)
    monkeypatch.setattr(scale.synth_tweets, "write", real)
    scale.chain(tmp_path, 90)
    assert used[:2] == [90, 90]
