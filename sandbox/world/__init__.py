"""The sandbox's data: a deterministic, lazily derived Brightpearl account (see ../README.md).

`World(seed, scale, tz_offset, clock)` builds compact cores for orders, products and contacts at once and derives
everything else on first use: GET records per id (cached as bytes until they change), search rows per table
(cached until a mutation), and the goods and ledger passes that turn order lifecycles into goods notes,
movements, payments and journals.
"""

from .core import World
from .interface import Collection, Column, SearchTable, StaticList
from .scale import Scale

__all__ = ["World", "Scale", "Column", "SearchTable", "Collection", "StaticList"]
