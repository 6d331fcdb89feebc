"""The ``mapper`` command: a thin layer over :mod:`mapper.pipeline`.

Data goes to stdout or the output file, logs to stderr.  Exit status: 0 done,
1 an input could not be read, 2 a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import settings
from .errors import GeocoderError, MapperError, UsageError
from .terminal import SafeFormatter, escape, json_line

log = logging.getLogger("mapper")


def _inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="conversation files (saved page, WXR, HTML, Disqus, CSV, ...)",
    )
    p.add_argument(
        "--author", help="the post's author (handle, id or name) when the page does not say"
    )
    p.add_argument("--aliases", metavar="FILE", help="force (A = B) or forbid (A != B) merges")
    p.add_argument(
        "--keep-spam",
        action="store_true",
        help="count spam in influence, and read blog comments not approved (pending, spam, trash)",
    )
    p.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="dask: read and locate over shards on a Dask cluster",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="the Dask scheduler (default: start a local cluster)"
    )
    p.add_argument(
        "--max-input-mb",
        type=float,
        metavar="MB",
        help="largest document a reader holds in memory, after gunzip "
        f"(default {settings.max_document_mb:g})",
    )
    p.add_argument(
        "--max-decompressed-mb",
        type=float,
        metavar="MB",
        help="largest content streamed out of one .gz input "
        f"(default {settings.max_decompressed_mb:g})",
    )


def _locating(p: argparse.ArgumentParser, default_on: bool) -> None:
    if not default_on:
        p.add_argument(
            "--locate", action="store_true", help="locate people with the offline gazetteer"
        )
    p.add_argument(
        "--infer",
        action="store_true",
        help="also place unlocated people from their network (reported apart, drawn hollow)",
    )
    p.add_argument(
        "--locations",
        metavar="FILE",
        help="your locations (people.csv with 'location' filled in): override all",
    )
    _geocoder_options(p)


def _geocoder_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--geocoder",
        metavar="NAME",
        help="also ask this online geopy geocoder (e.g. nominatim) for what the "
        "offline gazetteer cannot resolve",
    )
    p.add_argument(
        "--geocoder-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="option for the geopy geocoder class (repeatable)",
    )
    p.add_argument(
        "--user-agent",
        help="user agent for the online geocoder (required by Nominatim's usage policy)",
    )
    p.add_argument("--cache", metavar="PATH", help="SQLite cache of online geocoder answers")
    p.add_argument(
        "--min-delay",
        type=float,
        metavar="SECONDS",
        help="seconds between online requests (default 1 for Nominatim, which the "
        "public service requires)",
    )


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="mapper",
        description="Map social leadership: who leads a conversation, and where they live.",
    )
    ap.add_argument("--version", action="version", version=f"mapper {settings.version}")
    ap.add_argument("-v", "--verbose", action="store_true", help="more detail on stderr")
    ap.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("report", help="write report.json (people, influence, edges, geography)")
    _inputs(p)
    _locating(p, default_on=False)
    p.add_argument("-o", "--output", default="-", help="report.json path (default: stdout)")
    p.add_argument(
        "--exact",
        action="store_true",
        help="keep exact coordinates from posts in report.json (default: place centres only)",
    )
    p.add_argument(
        "--charts",
        metavar="DIR",
        help="also write tiers.png and ties.png into DIR "
        "(needs matplotlib: pip install 'mapper[notebook]')",
    )

    p = sub.add_parser(
        "people", help="write people.csv, one row per participant, located where possible"
    )
    _inputs(p)
    _locating(p, default_on=True)
    p.add_argument(
        "--no-locate",
        action="store_true",
        help="leave the place and tier columns empty (skip the gazetteer)",
    )
    # --locate was needed before people located by default: still accepted
    p.add_argument("--locate", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("-o", "--output", default="-", help="people.csv path (default: stdout)")

    p = sub.add_parser("graph", help="write the interaction graph as GraphML or GEXF")
    _inputs(p)
    _locating(p, default_on=False)
    p.add_argument("-o", "--output", required=True, help="FILE.graphml or FILE.gexf")

    p = sub.add_parser("geocode", help="resolve place names offline; one JSON line per input")
    p.add_argument("texts", nargs="*", metavar="TEXT", help="place strings (default: stdin)")
    _geocoder_options(p)

    p = sub.add_parser(
        "evaluate-inference", help="hide located people, infer them back, and measure the error"
    )
    _inputs(p)
    p.add_argument("--locations", metavar="FILE", help="your locations file")
    p.add_argument("--hide", type=float, default=0.2, help="share of located people hidden")
    p.add_argument("--seeds", type=int, default=5, help="how many random hidings")
    p.add_argument("--max-dispersion", type=float, default=None, metavar="KM")
    p.add_argument("--min-neighbours", type=int, default=None)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = sub.add_parser("collect", help="fetch a public conversation into a file mapper reads")
    p.add_argument("platform", choices=["mastodon", "bluesky", "wordpress"])
    p.add_argument("url", help="the status, post or blog-post URL")
    p.add_argument("-o", "--output", required=True, help="the JSON file to write")
    p.add_argument("--appview", help="Bluesky AppView base URL (default: the public one)")
    p.add_argument("--no-cache", action="store_true", help="do not use the HTTP response cache")
    p.add_argument(
        "--allow-private",
        action="store_true",
        help="fetch from a host name that resolves to a private, loopback or link-local "
        "address (refused by default; an address typed as such is always allowed)",
    )

    p = sub.add_parser("map", help="the whole pipeline: write an HTML map of influence")
    _inputs(p)
    _locating(p, default_on=True)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="map.html path; a .png, .svg or .pdf path writes the static infographic instead",
    )
    p.add_argument(
        "--size",
        default="1600x1000",
        metavar="WxH",
        help="the static infographic's size in pixels (default 1600x1000)",
    )
    p.add_argument("--report", metavar="FILE", help="also write report.json")
    p.add_argument(
        "--geojson",
        metavar="BASE",
        help="also write BASE.people.geojson, BASE.places.geojson and BASE.ties.geojson",
    )
    p.add_argument(
        "--exact",
        action="store_true",
        help="draw people at exact coordinates from posts instead of their place's centre "
        "(and keep them in --report)",
    )
    p.add_argument(
        "--self-contained",
        action="store_true",
        help="inline all JS/CSS: the map opens with no network (tiles aside)",
    )
    p.add_argument("--tiles", default="OpenStreetMap", help="tile layer, or 'none'")
    p.add_argument(
        "--aggregate",
        choices=["auto", "people", "places"],
        default="auto",
        help="one circle per person or per place (auto: per place above "
        f"{settings.aggregate_threshold} located people)",
    )
    return ap


_terminated = False


def _on_sigterm(signum, frame):
    global _terminated
    _terminated = True
    raise KeyboardInterrupt


#: Allocations between two young-generation collections during a command (Python's
#: default is 700).
GC_YOUNG = 50_000

#: What a command made, kept until the process ends when it ends by :func:`hard_exit`
#: (``None``: not kept, freed as the command returns — the Python API's way).
_kept: list[object] | None = None


def _keep(*objects: object) -> None:
    """Keep ``objects`` (a command's results) alive until :func:`hard_exit`, which
    ends the process without freeing them; a no-op unless :func:`console` runs."""
    if _kept is not None:
        _kept.extend(objects)


def console() -> NoReturn:
    """The ``mapper`` command (``python -m mapper`` and the installed script):
    :func:`main`, then :func:`hard_exit` — a 1M-tweet run's report, places and
    people are not freed one by one at exit (0.9–2.3 s of CPU, issue #17).  Never
    called by the Python API: ``main`` returns as always there."""
    global _kept
    _kept = []
    hard_exit(main())


def hard_exit(status: int) -> NoReturn:
    """End the process with ``status`` once stdout and stderr are flushed, without
    freeing the heap (mypy's ``util.hard_exit``).  Every output is written by then
    (atomically, closed); the geocoder cache commits each answer as it comes.  When
    another thread or a child process is still running (a Dask cluster winding
    down), the ordinary exit is taken: it waits for them and runs atexit handlers."""
    import threading

    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    children = []
    if "multiprocessing" in sys.modules:
        children = sys.modules["multiprocessing"].active_children()
    if others or children:
        sys.exit(status)
    # (either may be None: `>&-` closed it before Python started; nothing to flush)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:  # a closed pipe (| head): the data went as far as it could
        status = status or 1
    except (OSError, ValueError) as e:  # a full disk: said, as Python's own exit says it
        status = status or 1
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                why = getattr(e, "strerror", None) or e
                print(f"mapper: error: standard output: {why}", file=sys.stderr)
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    import gc
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    args = parser().parse_args(argv)
    settings.keep_unapproved = bool(getattr(args, "keep_spam", False))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter("mapper: %(message)s"))  # names are not escapes
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO)
    young, collecting = gc.get_threshold(), gc.isenabled()
    # A run allocates millions of small objects that live (people, their dicts and
    # lists, decoded tweets): at the default 700 allocations between young collections
    # the collector took a fifth of a 200k-tweet `mapper map` (issue #17); 50,000
    # leaves the older generations' rules alone.  Restored when the command returns,
    # as is the collector, which _analyze pauses once the inputs are read (left paused
    # under console, which ends the process next).
    gc.set_threshold(max(young[0], GC_YOUNG), *young[1:])
    try:
        _limits(args)
        _outputs_are_not_inputs(args)
        if getattr(args, "engine", "local") == "dask":  # the work on the cluster (#19)
            from .distributed import command_on_cluster

            code = command_on_cluster(args, _COMMANDS[args.command])
            if code is not None:
                return code
        return _COMMANDS[args.command](args)
    except MapperError as e:
        # one line, no traceback: the message names the file, line, URL or option
        print(escape(f"mapper: {e.label}: {_one_line(e)}"), file=sys.stderr)
        return e.exit_code
    except OSError as e:  # an output that cannot be written (permissions, full disk, ...)
        where = f"{e.filename}: " if e.filename else ""
        print(escape(f"mapper: error: {where}{e.strerror or e}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # outputs are written atomically and the geocoder cache as it goes:
        # nothing half-written is left, and a re-run re-uses every answer obtained
        print("mapper: interrupted; run again to continue", file=sys.stderr)
        return 143 if _terminated else 130
    finally:
        gc.set_threshold(*young)
        # Under the mapper command (console) the process ends now, by hard_exit: turned
        # on again, the collector's next pass would traverse everything made since it
        # was paused (one pass of 1.5 s of CPU at 1M tweets, issue #17).
        if collecting and _kept is None:
            gc.enable()


def _limits(args) -> None:
    for option, name in (
        ("max_input_mb", "max_document_mb"),
        ("max_decompressed_mb", "max_decompressed_mb"),
    ):
        value = getattr(args, option, None)
        if value is not None:
            if not 0 < value < float("inf"):
                raise UsageError(f"--{option.replace('_', '-')} must be a positive number of MB")
            setattr(settings, name, value)


#: the options that name files a command writes, and those it reads
_OUTPUT_OPTIONS = ("output", "report", "geojson")
_INPUT_OPTIONS = ("locations", "aliases")


def _outputs_are_not_inputs(args) -> None:
    """A usage error (before anything is read or written) when an output is one of the
    inputs: ``-o thread.json thread.json`` would destroy the input."""
    from .files import same_file

    inputs = list(getattr(args, "inputs", None) or [])
    inputs += [getattr(args, o) for o in _INPUT_OPTIONS if getattr(args, o, None)]
    if "-" in inputs:  # readers sniff and re-open their files: stdin cannot be one
        raise UsageError("-: standard input is not an input of mapper; give a file name")
    for option in _OUTPUT_OPTIONS:
        out = getattr(args, option, None)
        flag = "-o" if option == "output" else f"--{option}"
        # one rule for '-' and directories in every command: '-' is stdout where the
        # command's -o is text (report, people); elsewhere it would make a file named
        # '-'; a directory is never an output (the error would come after all the work)
        if out == "-" and (option != "output" or args.command not in ("report", "people")):
            raise UsageError(f"{flag} -: this output cannot go to stdout; give a file name")
        if not out or out == "-":
            continue
        if os.path.isdir(out):
            raise UsageError(f"{flag} {out}: is a directory; give a file name")
        for inp in inputs:
            if inp != "-" and same_file(out, inp):
                raise UsageError(f"{flag} {out}: is the input {inp}; it would be overwritten")


def _one_line(e: BaseException) -> str:
    """The message of ``e`` on one line (a multi-line message would read as several)."""
    return " ".join(str(e).split()) or type(e).__name__


def _geocoder(args):
    if not getattr(args, "geocoder", None):
        return None
    from .geo.geocoders import online_geocoder

    options = {}
    for item in args.geocoder_option:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--geocoder-option {item!r}: expected KEY=VALUE")
        options[key.strip()] = value
    try:
        return online_geocoder(
            args.geocoder,
            options,
            user_agent=args.user_agent,
            cache_path=args.cache,
            min_delay_s=args.min_delay,
        )
    except ValueError as e:
        raise GeocoderError(str(e)) from None


def _analyze(args, locate: bool = False):
    import gc

    from ._pipeline import Options, Run
    from .pipeline import Result

    options = Options(
        author=args.author,
        aliases=args.aliases,
        keep_spam=args.keep_spam,
        locate=locate or getattr(args, "locate", False),
        locations=args.locations,
        geocoder=_geocoder(args),
        infer=getattr(args, "infer", False),
        engine=args.engine,
        scheduler=args.scheduler,
        release=True,  # what mapper.analyze does, without keeping what no stage reads
    )
    with Run(args.inputs, options) as run:
        run.product("read")
        # What the later stages make (places, edges, scores, the report's rows) lives
        # until the command ends, as what was read does: the cyclic collector would
        # only traverse it again and again (2 s of 1M tweets' ~45 s of CPU after
        # reading, issue #17; gc.freeze() would not spare that: it is the young
        # generations' work).  Paused here, on again when main returns.
        gc.disable()
        res = Result.of(run.run_all())
    for prob in res.typed.problems:
        log.warning("%s: %s: %s", prob["input"], prob["where"], prob["what"])
    return res


def _write_text(text: str, output: str) -> None:
    if output == "-":
        # a terminal gets control characters shown escaped; a pipe gets the data as is
        sys.stdout.write(escape(text) if sys.stdout.isatty() else text)
    else:
        from .files import write_atomic

        write_atomic(output, text)


def cmd_report(args) -> int:
    from .report import summary_of, without_exact, write_json, write_report

    if args.charts:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise UsageError("--charts needs matplotlib: pip install 'mapper[notebook]'") from None
    res = _analyze(args, locate=bool(args.charts))
    typed = res.typed
    # written to a file without charts, only the typed report is read: the run's
    # conversation, edge arrays and score dicts go before it is written (issue #17)
    kept = res if args.output == "-" or args.charts else None
    del res
    data = None
    if args.output == "-":
        assert kept is not None
        data = write_json(kept.report if args.exact else without_exact(kept.report), None)
    else:  # streamed from the typed report: its dict is never made
        write_report(typed, args.output, exact=args.exact)
    if data is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    if args.charts:
        from .charts import write_charts
        from .geography import tie_distances

        assert kept is not None
        geo = typed.geography
        assert geo is not None  # --charts locates
        for path in write_charts(geo, tie_distances(kept.conversation, kept.edges), args.charts):
            log.info("chart written to %s", path)
    log.info("%s", summary_of(typed))
    _keep(typed, kept)
    return 0


def cmd_people(args) -> int:
    from .report import people_csv

    if args.no_locate and (args.locations or args.infer or args.geocoder):
        raise UsageError("--no-locate cannot be combined with --locations, --infer or --geocoder")
    res = _analyze(args, locate=not args.no_locate)
    _write_text(people_csv(res.report), args.output)
    log.info("%d participants written to %s", len(res.report["people"]), args.output)
    _keep(res)
    return 0


def cmd_graph(args) -> int:
    from .graphfile import write_graph_file

    if not args.output.lower().endswith((".graphml", ".gexf")):
        raise UsageError(f"{args.output}: the graph file must end in .graphml or .gexf")
    res = _analyze(args)
    # streamed from the edge arrays: no networkx graph (issue #17)
    write_graph_file(res.edges, res.conversation, res.scores, args.output)
    log.info(
        "graph with %d nodes and %d edges written to %s",
        len(res.edges.nodes),
        len(res.edges),
        args.output,
    )
    _keep(res)
    return 0


def cmd_geocode(args) -> int:
    import json

    from .geo.locate import Locator

    locator = Locator(geocoder=_geocoder(args))
    texts = args.texts or (line.rstrip("\n") for line in sys.stdin)
    for text in texts:
        rec = json.dumps(locator.geocode_record(text), ensure_ascii=False)
        sys.stdout.write(json_line(rec) + "\n")
        sys.stdout.flush()
    return 0


def cmd_evaluate_inference(args) -> int:
    import json

    from ._pipeline import Options, Run
    from .geo import infer

    if not 0 < args.hide < 1:
        raise UsageError("--hide must be between 0 and 1")
    options = Options(
        author=args.author,
        aliases=args.aliases,
        keep_spam=args.keep_spam,
        locate=True,
        locations=args.locations,
        engine=args.engine,
        scheduler=args.scheduler,
    )
    with Run(args.inputs, options) as run:
        conv, edges = run.product("locate"), run.product("graph")
    in_graph = set(edges.nodes)
    known = {
        pid: (p.place.lat, p.place.lon)
        for pid, p in conv.people.items()
        if p.place is not None and pid in in_graph
    }
    res = infer.evaluate(
        known,
        infer.neighbour_weights(edges),
        hide=args.hide,
        seeds=range(args.seeds),
        max_dispersion_km=args.max_dispersion,
        min_neighbours=args.min_neighbours,
    )
    if args.json:
        print(json.dumps(res))
        return 0
    print(
        f"{len(known)} located people, {len(edges)} ties; hiding {args.hide:.0%} "
        f"× {args.seeds} seeds"
    )
    print(f"{'':18} {'median km':>10} {'≤ 40 km':>8} {'≤ 161 km':>9} {'coverage':>9} {'n':>6}")
    rows = [("network inference", res["method"])] + [
        (name.replace("_", " "), r) for name, r in res["baselines"].items()
    ]
    for name, r in rows:

        def fmt(x, pct=False):
            return "n/a" if x is None else (f"{x:.0%}" if pct else f"{x:.0f}")

        print(
            f"{name:18} {fmt(r['median_km']):>10} {fmt(r['within_40km'], True):>8} "
            f"{fmt(r['within_161km'], True):>9} {fmt(r['coverage'], True):>9} {r['n']:>6}"
        )
    return 0


def cmd_collect(args) -> int:
    import json

    from .files import write_atomic
    from .http import Session

    session = Session(
        cache_dir=None if args.no_cache else "default", allow_private=args.allow_private
    )
    try:
        if args.platform == "mastodon":
            from .collect import mastodon

            data = mastodon.collect(args.url, session)
        elif args.platform == "bluesky":
            from .collect import bluesky

            data = bluesky.collect(args.url, session, appview=args.appview)
        else:
            from .collect import wordpress

            data = wordpress.collect(args.url, session)
    except ValueError as e:  # a URL the collector does not recognise
        if isinstance(e, MapperError):
            raise
        raise UsageError(str(e)) from None
    write_atomic(args.output, json.dumps(data, ensure_ascii=False, indent=1))
    log.info("wrote %s (%d requests sent)", args.output, session.sent)
    return 0


def _import_folium_without_pandas() -> None:
    """Import folium with pandas hidden: folium imports pandas (~0.5 s of CPU, a third
    of its own import) only to tell a DataFrame from the lists it is given, and mapper
    gives it none, so the map is the same bytes (issue #17).  The ``mapper`` command
    only (:func:`console`), in its main thread: in the Python API a user's own folium
    keeps reading their DataFrames, and a Dask worker running the command as a task
    (``--engine dask``) may import pandas in another thread meanwhile."""
    import threading

    if (
        _kept is None
        or threading.current_thread() is not threading.main_thread()
        or "folium" in sys.modules
        or "pandas" in sys.modules
    ):
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # `import pandas` fails
    try:
        import folium  # noqa: F401
    finally:
        if sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]


def cmd_map(args) -> int:
    import json

    _import_folium_without_pandas()
    from .files import write_atomic
    from .infographic import format_of, infographic, parse_size, write_infographic
    from .render import geojson, geojson_paths, post_title, write_map
    from .report import summary_of, write_report

    try:
        size = parse_size(args.size)
    except ValueError as e:
        raise UsageError(str(e)) from None
    # only the typed report is drawn and written: the run's conversation, edge arrays
    # and score dicts go now, before the map's and the report's own memory (issue #17)
    r = _analyze(args, locate=True).typed
    assert r.geography is not None  # the map always locates
    if format_of(args.output):  # a picture, not a page: no browser needed
        fig = infographic(r.people, r.ties, r.geography, title=post_title(r.posts), size=size)
        write_infographic(fig, args.output)
        log.info("infographic written to %s", args.output)
    else:
        write_map(
            r.people,
            r.ties,
            r.geography,
            args.output,
            with_inferred=r.geography_with_inferred,
            exact=args.exact,
            tiles=args.tiles,
            aggregate=args.aggregate,
            self_contained=args.self_contained,
            title=post_title(r.posts),
            counts=r.counts,
        )
    if args.report:  # streamed from the typed report: its dict is never made
        write_report(r, args.report, exact=args.exact)
    if args.geojson:
        collections = geojson(r.people, r.ties, r.geography, exact=args.exact)
        for name, path in geojson_paths(args.geojson).items():
            write_atomic(path, json.dumps(collections[name], ensure_ascii=False))
    print(escape(summary_of(r)), file=sys.stdout)
    _keep(r)
    return 0


_COMMANDS = {
    "report": cmd_report,
    "people": cmd_people,
    "graph": cmd_graph,
    "geocode": cmd_geocode,
    "map": cmd_map,
    "collect": cmd_collect,
    "evaluate-inference": cmd_evaluate_inference,
}


if __name__ == "__main__":
    sys.exit(main())
