"""Group commit for asyncio: concurrent calls with the same key run as one batch."""

from lml_batching.batcher import Batcher

__all__ = ["Batcher"]
