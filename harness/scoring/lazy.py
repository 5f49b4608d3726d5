"""Load a model once, on first use, from whichever thread asks first.

The ASR backends, the speaker encoder and DNSMOS each import a heavy library or read weights only when a
clip needs them (importing ``harness.scoring`` must stay cheap), and a background scorer and the caller may
both ask at once. One helper does that for all of them: it holds the loader, a lock and the loaded value,
and turns the library's missing import into the classified ``MissingDependencyError``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from harness.scoring.scoring_errors import MissingDependencyError

Model = TypeVar("Model")


class LazyModel(Generic[Model]):
    """``get()`` runs ``loader`` once (under a lock) and returns its result from then on.

    ``extra`` names the tts-harness extra that provides the loader's imports; an ``ImportError`` raised by
    the loader becomes ``MissingDependencyError(module, extra)``. A loader that fails is tried again on the
    next ``get()``, so a fixed install is picked up without restarting.
    """

    def __init__(self, loader: Callable[[], Model], *, extra: str) -> None:
        self._loader = loader
        self._extra = extra
        self._lock = threading.Lock()
        self._value: Model | None = None

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def get(self) -> Model:
        with self._lock:
            if self._value is None:
                try:
                    self._value = self._loader()
                except ImportError as exc:
                    raise MissingDependencyError(exc.name or "a scoring library", self._extra) from exc
            return self._value
