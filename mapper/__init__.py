"""mapper: map social leadership — who leads a conversation, and where they live.

>>> import mapper
>>> mapper.__version__
'0.1.0'
"""

from .graph import build_graph, influence
from .identity import merge
from .model import Conversation, Interaction, Person, Place, Post
from .pipeline import Result, analyze
from .settings import version as __version__
from .sources import read

__all__ = [
    "Conversation",
    "Interaction",
    "Person",
    "Place",
    "Post",
    "Result",
    "__version__",
    "analyze",
    "build_graph",
    "influence",
    "merge",
    "read",
]
