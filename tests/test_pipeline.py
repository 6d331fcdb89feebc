"""The orchestrator: one stage order, used by every entry point; typed settings passed
explicitly; tier names and interaction kinds as StrEnums equal to the plain strings."""

from __future__ import annotations

import re
from pathlib import Path

import mapper
from mapper import _pipeline, report, settings
from mapper.model import KINDS, TIERS, Kind, Tier
from mapper.settings import Settings
from tests.conftest import EXAMPLE

THREAD = EXAMPLE / "thread.txt"
LOCATIONS = EXAMPLE / "locations.csv"


def test_stage_order_is_written_once():
    names = [s.name for s in _pipeline.STAGES]
    assert names == [
        "read",
        "merge",
        "spam",
        "locate",
        "graph",
        "influence",
        "infer",
        "geography",
        "report",
    ]
    # every stage needs only stages before it
    for i, stage in enumerate(_pipeline.STAGES):
        assert set(stage.needs) <= set(names[:i])
    # no other module calls a stage's function itself: they all go through the Run
    stage_calls = re.compile(
        r"\b(identity\.merge|flag_spam|infer_locations|build_report|locate_people)\("
    )
    pkg = Path(mapper.__file__).parent
    callers = {
        str(p.relative_to(pkg))
        for p in pkg.rglob("*.py")
        for line in p.read_text(encoding="utf-8").splitlines()
        if stage_calls.search(line) and not line.lstrip().startswith(("def ", ">>>", "#"))
    }
    # pipeline.locate is the locate stage offered alone, for Jupyter
    assert callers <= {"_pipeline.py", "pipeline.py"}, callers


def test_entry_points_agree():
    res = mapper.analyze([THREAD], locations=LOCATIONS)
    study = mapper.Study(THREAD, locations=LOCATIONS)
    assert study.report == res.report
    assert sorted(mapper.read(THREAD).people) == sorted(res.conversation.people)


def test_a_change_reruns_only_its_dependants():
    run = _pipeline.Run([THREAD], _pipeline.Options(locations=LOCATIONS))
    run.run_all()
    assert all(n == 1 for n in run.runs.values()) and len(run.runs) == len(_pipeline.STAGES)
    run.changed("locate")
    run.run_all()
    again = {name for name, n in run.runs.items() if n == 2}
    assert again == {"infer", "geography", "report"}


def test_settings_mirror_the_module_and_follow_monkeypatch(monkeypatch, tmp_path):
    cfg = Settings.current()
    assert cfg.long_tie_km == settings.long_tie_km and cfg.cache_dir == settings.cache_dir
    monkeypatch.setattr(settings, "long_tie_km", 12.5)
    assert Settings.current().long_tie_km == 12.5
    with settings.applied(cfg.replace(long_tie_km=99.0)):
        assert settings.long_tie_km == 99.0
    assert settings.long_tie_km == 12.5  # put back


def test_pinned_settings_reach_every_stage_and_are_put_back():
    base = mapper.analyze([THREAD], locations=LOCATIONS)
    tie = base.report["geography"]["tie_km"]
    assert tie["long_tie_km"] == 32.0
    assert tie["share_over_long_tie_km"] == tie["share_over_32km"]
    assert base.report["spam"] == 1

    cfg = Settings.current().replace(long_tie_km=5000.0, spam_max_on_topic_share=0.0)
    res = mapper.analyze([THREAD], locations=LOCATIONS, settings=cfg)
    tie2 = res.report["geography"]["tie_km"]
    assert tie2["long_tie_km"] == 5000.0
    assert tie2["share_over_long_tie_km"] < tie["share_over_long_tie_km"]
    assert tie2["share_over_32km"] == tie["share_over_32km"]  # DESIGN.md's key is fixed
    assert res.report["spam"] == 0  # no comment can be under 0 % on topic
    # the process-wide values are untouched
    assert settings.long_tie_km == 32.0 and settings.spam_max_on_topic_share == 0.30


def test_enums_equal_plain_strings():
    assert Tier.SMALL_TOWN == "small_town" and "small_town" in TIERS
    assert Kind.REPLY == "reply" and "reply" in KINDS
    assert {Kind.VIA: 1}["via"] == 1
    assert f"n_{Kind.COMMENT}" == "n_comment"
    report = mapper.analyze([THREAD]).report
    assert all(type(e["kind"]) is str for e in report["edges"])


def test_every_module_setting_is_a_typed_field():
    import types

    module_values = {
        name
        for name, value in vars(settings).items()
        if not name.startswith("_")
        and name not in {"version", "annotations", "FIELDS", "Settings"}
        and not isinstance(value, types.ModuleType | type | types.FunctionType)
        and not callable(value)
    }
    # a new threshold in mapper/settings.py must also be a documented Settings field
    assert module_values == set(settings.FIELDS)


def test_a_conversation_built_in_memory_runs_the_later_stages():
    base = mapper.analyze([THREAD], locations=LOCATIONS)
    run = _pipeline.Run.of_conversation(base.conversation)
    assert report.to_dict(run.product("report")) == base.report
    assert set(run.runs) == {"graph", "influence", "infer", "geography", "report"}


# each module's layer: a module imports only from its own layer or lower ones, so data
# and imports flow one way, from the model to the outputs
LAYERS = [
    {"errors", "settings", "files", "terminal"},
    {"model", "ids", "products", "columns", "tally"},
    {"http", "sources", "collect"},
    {"identity", "spam"},
    {"geo"},
    {"graph", "graphfile"},
    {"geo.infer"},  # places from the network: needs the graph
    {"geography"},
    {"report", "charts", "basemap", "flows", "render", "infographic"},
    {"_pipeline", "pipeline", "distributed"},
    {"study", "cli", "__init__", "__main__"},
]


def _layer(module: str) -> int:
    parts = module.split(".")
    for n in (2, 1):
        key = ".".join(parts[:n])
        for i, layer in enumerate(LAYERS):
            if key in layer:
                return i
    raise AssertionError(f"{module}: not in any layer")


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):  # imports only for the type checker are not a flow
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    if path.name == "__init__.py":
        package = [] if module == "__init__" else module.split(".")
    else:
        package = module.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package[: len(package) - node.level + 1] if node.level > 1 else package
        target = [*base, *(node.module.split(".") if node.module else [])]
        names = [target] if node.module else [[*target, a.name] for a in node.names]
        out += [(node.lineno, ".".join(t)) for t in names if t]
    return out


def test_imports_flow_downstream_only():
    pkg = Path(mapper.__file__).parent
    upstream = []
    for path in pkg.rglob("*.py"):
        rel = path.relative_to(pkg).with_suffix("")
        module = ".".join(rel.parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        for line, target in _imports(path, module):
            if target and _layer(target) > _layer(module):
                upstream.append(f"{module}:{line} imports {target}")
    assert upstream == [], upstream


def test_threads_applying_the_same_settings_share_them():
    """A Dask worker's threads each run a task under the run's settings: one task
    finishing must not put the defaults back under the others."""
    import threading

    cfg = Settings.current().replace(long_tie_km=77.0)
    inside, first_left = threading.Barrier(4), threading.Event()
    seen: list[float] = []

    def task(i: int) -> None:
        with settings.applied(cfg):
            inside.wait(timeout=30)
            if i == 0:
                return  # leaves first (the event is set below, once it has left)
            first_left.wait(timeout=30)
            seen.append(settings.long_tie_km)

    threads = [threading.Thread(target=task, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    threads[0].join(timeout=30)
    first_left.set()
    for t in threads[1:]:
        t.join(timeout=30)
    assert seen == [77.0, 77.0, 77.0]
    assert settings.long_tie_km == 32.0  # put back when the last one left
