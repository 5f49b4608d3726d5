"""Audio made outside any job (a translation, a voice-chat answer, separated stems) that an answer
must hand out as a URL: kept here, bounded, and served beneath the provider's media host."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

PUBLISHED_BYTES = 128 * 1024 * 1024
PUBLISHED_PATH = "/_published/{token}/{name}"


@dataclass(frozen=True, slots=True)
class Published:
    provider: str
    audio: bytes
    media_type: str


class PublishedMedia:
    """Blobs by token, oldest dropped first once over the byte budget. Thread-safe."""

    def __init__(self, budget: int = PUBLISHED_BYTES) -> None:
        self._items: OrderedDict[str, Published] = OrderedDict()
        self._bytes = 0
        self._budget = budget
        self._lock = threading.Lock()

    def put(self, provider: str, audio: bytes, media_type: str) -> str:
        token = uuid.uuid4().hex
        with self._lock:
            self._items[token] = Published(provider, audio, media_type)
            self._bytes += len(audio)
            while self._bytes > self._budget and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.audio)
        return token

    def get(self, provider: str, token: str) -> Published | None:
        with self._lock:
            item = self._items.get(token)
        return item if item is not None and item.provider == provider else None
