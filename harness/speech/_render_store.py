"""Piper renders kept in a folder, so processes that speak the same text share one synthesis.

A Piper render is a pure function of the text, the voice, the speaking rate and the software that renders
it (noise scales are zero: identical samples every time), and it is the sandbox's largest CPU cost. The
engine's in-memory LRU serves one process; a test session or a CI job starts many sandboxes (servers,
benchmark subprocesses, examples) that speak the same corpus again. With `TTS_HARNESS_SPEECH_CACHE` naming
a folder, every process that renders with Piper reads and writes its renders there.

Off unless the variable is set: a render kept on disk is the samples of the machine that made it, and
onnxruntime's kernels differ between CPUs in the last bits, so a folder carried between machines would
change what "identical renders" means there. The key names every version that could change the samples.

A file is written to a temporary name and renamed into place, so a reader in another process sees the
whole render or none; one that does not read back (truncated, another format) is a miss and is rendered
again. Where each word is said (`WordTime`s, from the voice's phoneme durations) is kept beside the samples in
`<digest>.words.json`; a render whose words file is missing or of another revision is rendered again (the same
samples: they are kept, the words added).

The voices' ONNX graphs, patched to expose their phoneme durations, are kept in the same folder (`graph`): parsing,
patching and serialising a voice's graph costs about 0.6 CPU-s in every process that loads the voice, and the result
is a pure function of the voice's file and the packages that patch it, so a process finding it kept loads the file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ._words import WordTime

ENVIRONMENT_VARIABLE = "TTS_HARNESS_SPEECH_CACHE"
#: Raised whenever what a file holds changes meaning (its layout, how the engine asks Piper to render, or how a
#: render's words are placed: 2, each word counted in its sentence).
FORMAT_REVISION = 2
_MAGIC = b"TTSR"
_HEADER_BYTES = 8  # magic, then the sample rate as a little-endian uint32
#: Raised whenever how written words are mapped on the voice's durations changes (`harness.speech._words`; 2: Kokoro's
#: words less its sound lag, `harness.speech._kokoro.SOUND_LAG_S`).
WORDS_REVISION = 2
#: Raised whenever how a voice's graph is patched changes (Piper's alignment output, Kokoro's `duration` output).
GRAPH_REVISION = 1

log = logging.getLogger("harness.speech")


@dataclass(frozen=True, slots=True)
class RenderKey:
    """What determines a Piper render's samples."""

    text: str
    voice: str
    voice_package: str
    length_scale: float

    def digest(self) -> str:
        material = {
            "revision": FORMAT_REVISION,
            "text": self.text,
            "voice": self.voice,
            "length_scale": repr(float(self.length_scale)),
            "versions": _versions(self.voice_package),
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@functools.cache
def _versions(voice_package: str) -> dict[str, str]:
    found = {}
    # A package name, or several joined by "+" (an engine whose samples more than one package decides).
    for distribution in ("piper-tts", "onnxruntime", *voice_package.replace("_", "-").split("+")):
        try:
            found[distribution] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found[distribution] = "unknown"
    return found


class RenderStore:
    """A folder of renders, named by the digest of their `RenderKey`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def from_environment(cls) -> RenderStore | None:
        configured = os.environ.get(ENVIRONMENT_VARIABLE)
        return cls(Path(configured)) if configured else None

    def get(self, key: RenderKey) -> tuple[npt.NDArray[np.float32], int] | None:
        try:
            data = (self.folder / f"{key.digest()}.pcm").read_bytes()
        except OSError:
            return None
        body = len(data) - _HEADER_BYTES
        if data[:4] != _MAGIC or body <= 0 or body % 4:
            return None
        rate = int.from_bytes(data[4:_HEADER_BYTES], "little")
        return np.frombuffer(data, dtype="<f4", offset=_HEADER_BYTES).astype(np.float32), rate

    def put(self, key: RenderKey, samples: npt.NDArray[np.float32], rate: int) -> None:
        """Keep a render; a folder that cannot be written is said once a process and otherwise ignored."""
        payload = _MAGIC + int(rate).to_bytes(4, "little") + np.asarray(samples, dtype="<f4").tobytes()
        self._write(f"{key.digest()}.pcm", payload)

    def get_timed(self, key: RenderKey) -> tuple[npt.NDArray[np.float32], int, tuple[WordTime, ...]] | None:
        """A render with its words' times; None where either is missing (a render kept before words were)."""
        try:
            kept = json.loads((self.folder / f"{key.digest()}.words.json").read_text(encoding="utf-8"))
            if kept.get("revision") != WORDS_REVISION:
                return None
            words = tuple(WordTime(str(t), int(f), int(la), float(s), float(e)) for t, f, la, s, e in kept["words"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        found = self.get(key)
        return None if found is None else (found[0], found[1], words)

    def put_timed(
        self, key: RenderKey, samples: npt.NDArray[np.float32], rate: int, words: tuple[WordTime, ...]
    ) -> None:
        """Keep a render and its words' times (the samples first: a words file never stands without them)."""
        self.put(key, samples, rate)
        listed = [[w.text, w.first, w.last, w.start_s, w.end_s] for w in words]
        self._write(
            f"{key.digest()}.words.json",
            json.dumps({"revision": WORDS_REVISION, "words": listed}, ensure_ascii=False).encode(),
        )

    def graph(self, source: Path, packages: str, patch: Callable[[], str | bytes]) -> str | bytes:
        """The patched graph of the voice file `source`: the kept file's path where it was kept by an earlier load
        (here or in another process), else `patch()` — kept for the next where it is a patched graph (bytes);
        `packages` names what patches it, as a `RenderKey`'s voice package does."""
        try:
            stat = source.stat()
        except OSError:
            return patch()
        material = {
            "revision": GRAPH_REVISION,
            "source": str(source.resolve()),
            "size": stat.st_size,
            "modified": stat.st_mtime_ns,
            "versions": _versions(f"onnx+{packages}"),
        }
        digest = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()
        kept = self.folder / f"{digest}.onnx"
        if kept.is_file():  # written whole or not at all (`_write` renames it into place)
            return str(kept)
        patched = patch()
        if isinstance(patched, bytes):
            self._write(kept.name, patched)
        return patched

    def _write(self, name: str, payload: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, staging = tempfile.mkstemp(dir=self.folder, prefix=".render-", suffix=".partial")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(payload)
                os.replace(staging, self.folder / name)
            except BaseException:
                Path(staging).unlink(missing_ok=True)
                raise
        except OSError as error:
            _report_unwritable(self.folder, error)


_reported: set[Path] = set()


def _report_unwritable(folder: Path, error: OSError) -> None:
    if folder not in _reported:
        _reported.add(folder)
        log.warning(
            "renders are not kept in %s (%s): set %s to a writable folder",
            folder,
            error.strerror or error,
            ENVIRONMENT_VARIABLE,
        )
