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

from .geography import geography
from .graph import build_graph, influence
from .identity import merge
from .model import Conversation, Interaction, Person, Place, Post
from .pipeline import Result, analyze, locate, read
from .render import render_map
from .settings import version as __version__
from .study import Study

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
