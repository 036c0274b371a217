"""A small thread-safe LRU cache of response bodies, bounded in entries and in bytes.

The served graph is immutable per build, so an answer keyed by (query, bindings, format,
dataset, build digest) never goes stale: a new build has a new digest. The byte bound
keeps a few large CONSTRUCTs from pushing out many small wiki tables.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Hashable


class ResponseCache:
    def __init__(self, max_entries: int = 512, max_bytes: int = 64 * 2**20, max_entry_bytes: int = 8 * 2**20):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._items: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[1]

    def put(self, key: Hashable, value, size: int) -> None:
        if self.max_entries <= 0 or size > self.max_entry_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[0]
            self._items[key] = (size, value)
            self._bytes += size
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                _, (dropped, _) = self._items.popitem(last=False)
                self._bytes -= dropped

    def stats(self) -> dict:
        with self._lock:
            return {"entries": len(self._items), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}
