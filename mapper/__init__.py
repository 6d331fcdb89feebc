"""mapper: map social leadership — who leads a conversation, and where they live.

The pipeline, stage by stage (each usable alone), or all at once with :class:`Study`:

>>> import mapper, pathlib
>>> ex = pathlib.Path(mapper.__file__).parent.parent / "data" / "example"
>>> conv = mapper.read(ex / "thread.txt")                    # people and interactions
>>> _ = mapper.locate(conv, {"Samuel Okafor": "Lagos, Nigeria"})  # places (overrides win)
>>> g = mapper.build_graph(conv)                              # the networkx graph
>>> scores = mapper.influence(g)                              # PageRank and degrees
>>> max(scores, key=lambda p: scores[p]["pagerank"])
'twitter:maggieortiz'
>>> geo = mapper.geography(conv, g, scores)                   # where influence lives
>>> geo["by_tier"]["metropolis"]["participants"]
2
"""

import sys
import types
from typing import TYPE_CHECKING, Any

from .settings import version as __version__

# The public names load their modules on first use (PEP 562), so that `mapper geocode`
# does not pay for folium and networkx at start-up.
_EXPORTS = {
    "geography": "geography",
    "build_graph": "graph",
    "influence": "graph",
    "merge": "identity",
    "Conversation": "model",
    "Interaction": "model",
    "Person": "model",
    "Place": "model",
    "Post": "model",
    "Result": "pipeline",
    "analyze": "pipeline",
    "locate": "pipeline",
    "read": "pipeline",
    "render_map": "render",
    "Study": "study",
}

if TYPE_CHECKING:
    from .geography import geography
    from .graph import build_graph, influence
    from .identity import merge
    from .model import Conversation, Interaction, Person, Place, Post
    from .pipeline import Result, analyze, locate, read
    from .render import render_map
    from .study import Study


class _Package(types.ModuleType):
    """The package module: importing the submodule ``mapper.geography`` would bind the
    module over the function of the same name, as the eager import used to undo."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mapper' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Conversation",
    "Interaction",
    "Person",
    "Place",
    "Post",
    "Result",
    "Study",
    "__version__",
    "analyze",
    "build_graph",
    "geography",
    "influence",
    "locate",
    "merge",
    "read",
    "render_map",
]
