"""Producing a job's audio: fetch references, choose voices, synthesise, encode — off the event loop.

A plan's `Speech` is first *resolved* into a `Recipe` (references fetched through the network guard —
concurrent fetches of one URL shared, results reused for a minute — and turned into renditions by
`ReferenceVoices`); a recipe fully determines the audio, so encoded files are
cached by recipe and two jobs asking for the same thing share one synthesis (in flight or done). The
speech engine's own (text, rendition) cache sits underneath; recipes are built from the same
renditions, so the sandbox never defeats it. Synthesis runs in a small thread pool.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from harness.sandbox.emulation import SpeakerVoice, Speech
from harness.sandbox.languages import in_language
from harness.sandbox.netguard import FetchFailed, NetPolicy, UrlRefused, fetch
from harness.sandbox.voices import ReferenceVoices, speakable
from harness.speech import AudioFormat, Rendition, SpeechEngine, SpeechError, WordTime, default_engine, encode

MEDIA_CACHE_BYTES = 256 * 1024 * 1024
REFERENCE_TTL_S = 60.0  # how long a fetched reference recording is reused (real seconds)
REFERENCE_CACHE_SIZE = 32


class ProductionFailed(Exception):
    """The job cannot produce audio for a reason its submitter caused (a bad reference)."""


@dataclass(frozen=True, slots=True)
class Recipe:
    """Everything that determines a job's audio file."""

    lines: tuple[tuple[int, str], ...]
    renditions: tuple[Rendition, ...]
    audio_format: AudioFormat


@dataclass(frozen=True, slots=True)
class RenderReading:
    """The render queue since the last reading: the renders waiting now and the most at once (queued or
    synthesising), and each render finished since, as (when it was asked for, on `time.perf_counter`; seconds it
    waited for its turn — a worker, then the voice, which renders one at a time —; seconds from request to
    audio)."""

    waiting_now: int
    waiting_peak: int
    finished: tuple[tuple[float, float, float], ...]


class RenderQueue:
    """How many renders wait and how long: on a machine short of CPU, a render that waits behind others holds
    its job (and a socket's frames) however fast the imitated provider is drawn to be, so this is the sandbox's
    part of the client's health (`harness.core.client_health`). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting = 0
        self._peak = 0
        self._finished: list[tuple[float, float, float]] = []

    def submitted(self) -> float:
        with self._lock:
            self._waiting += 1
            self._peak = max(self._peak, self._waiting)
        return time.perf_counter()

    def done(self, submitted_at: float, waited_s: float | None) -> None:
        """A render submitted at `submitted_at` ended; it waited `waited_s` for its turn (None: it never ran)."""
        end = time.perf_counter()
        with self._lock:
            self._waiting -= 1
            if waited_s is not None:
                self._finished.append((submitted_at, waited_s, end - submitted_at))

    @property
    def waiting(self) -> int:
        """Renders submitted and not done yet (queued or synthesising)."""
        with self._lock:
            return self._waiting

    def reading(self) -> RenderReading:
        """The queue since the last reading (the peak starts again from the renders waiting now)."""
        with self._lock:
            reading = RenderReading(self._waiting, self._peak, tuple(self._finished))
            self._finished = []
            self._peak = self._waiting
        return reading


class Producer:
    def __init__(
        self, voices: ReferenceVoices, policy: NetPolicy, *, engine: SpeechEngine | None = None, workers: int = 2
    ) -> None:
        self.voices = voices
        self.policy = policy
        self._engine = engine
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-synth")
        self._cache: OrderedDict[Recipe, bytes] = OrderedDict()
        self._words: dict[Recipe, tuple[WordTime, ...]] = {}  # where the voice said each word, beside the audio
        self._cache_bytes = 0
        self._inflight: dict[Recipe, asyncio.Future[bytes]] = {}
        self._lock = threading.Lock()
        self._fetching: dict[str, asyncio.Future[bytes]] = {}
        self._fetched: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.client: httpx.AsyncClient | None = None  # set by the server at start-up, on its loop
        self.renders = 0
        self.queue = RenderQueue()

    @property
    def engine(self) -> SpeechEngine:
        if self._engine is None:
            self._engine = default_engine()
        return self._engine

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def fetch(self, url: str, purpose: str) -> bytes:
        """A reference's bytes. Jobs naming the same URL at once share one fetch, and a fetched reference
        is reused for REFERENCE_TTL_S: a burst of cloning jobs must not become a burst of downloads."""
        self.policy.check(url, purpose)  # refuse before anything else, even a cache hit
        if self.client is None:
            raise RuntimeError("the sandbox's HTTP client is not started")
        kept = self._fetched.get(url)
        if kept is not None and time.monotonic() - kept[0] < REFERENCE_TTL_S:
            return kept[1]
        pending = self._fetching.get(url)  # only touched on the event loop: no lock needed
        if pending is None:
            pending = asyncio.ensure_future(fetch(self.client, self.policy, url, purpose))
            self._fetching[url] = pending
            pending.add_done_callback(lambda done: self._fetched_one(url, done))
        try:
            return await asyncio.shield(pending)
        except FetchFailed as failure:
            raise failure.for_purpose(purpose) from None

    def _fetched_one(self, url: str, done: asyncio.Future[bytes]) -> None:
        self._fetching.pop(url, None)
        if done.cancelled() or done.exception() is not None:
            return
        self._fetched[url] = (time.monotonic(), done.result())
        while len(self._fetched) > REFERENCE_CACHE_SIZE:
            self._fetched.popitem(last=False)

    async def resolve(self, speech: Speech) -> Recipe:
        renditions = [speakable(in_language(await self._voice(voice), voice.language)) for voice in speech.voices]
        return Recipe(speech.lines, tuple(renditions), speech.audio_format)

    async def _voice(self, voice: SpeakerVoice) -> Rendition:
        reference = voice.reference
        if reference is None:
            return voice.rendition
        try:
            if reference.upload is not None:
                audio = reference.upload.content
            elif reference.url is not None:
                audio = await self.fetch(reference.url, f"reference {reference.field}")
            else:
                return voice.rendition
        except (UrlRefused, FetchFailed) as error:
            raise ProductionFailed(str(error)) from None
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, self.voices.clone, voice.rendition, audio)
        except SpeechError as error:
            raise ProductionFailed(f"reference {reference.field} is not readable audio: {error}") from None

    def cached(self, recipe: Recipe) -> bytes | None:
        with self._lock:
            audio = self._cache.get(recipe)
            if audio is not None:
                self._cache.move_to_end(recipe)
            return audio

    async def audio(self, recipe: Recipe) -> bytes:
        """The encoded file for `recipe`: from cache, from a render in flight, or rendered now."""
        cached = self.cached(recipe)
        if cached is not None:
            return cached
        pending = self._inflight.get(recipe)  # only touched on the event loop: no lock needed
        if pending is not None:
            return await asyncio.shield(pending)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes] = loop.create_future()
        self._inflight[recipe] = future
        submitted = self.queue.submitted()
        waited: list[float] = []
        try:
            audio = await loop.run_in_executor(self._pool, self._render, recipe, submitted, waited)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        else:
            future.set_result(audio)
            self._store(recipe, audio)
            return audio
        finally:
            del self._inflight[recipe]
            self.queue.done(submitted, waited[0] if waited else None)

    def words(self, recipe: Recipe) -> tuple[WordTime, ...]:
        """Where the voice said each written word of a one-line recipe's audio, once `audio` has given it (); () where
        the voice does not tell, or for a script of several lines."""
        with self._lock:
            return self._words.get(recipe, ())

    def _render(self, recipe: Recipe, submitted: float, waited: list[float]) -> bytes:
        taken = time.perf_counter() - submitted  # a worker took it; the voice's own turn may take longer
        if len(recipe.lines) == 1 and len(recipe.renditions) == 1:
            clip = self.engine.render(recipe.lines[0][1], recipe.renditions[0])
            taken += self.engine.last_wait_s()
            with self._lock:
                self._words[recipe] = clip.words
        else:
            clip = self.engine.render_script(list(recipe.lines), list(recipe.renditions))
        waited.append(taken)
        self.renders += 1
        return encode(clip, recipe.audio_format)

    def _store(self, recipe: Recipe, audio: bytes) -> None:
        with self._lock:
            self._cache[recipe] = audio
            self._cache_bytes += len(audio)
            while self._cache_bytes > MEDIA_CACHE_BYTES and len(self._cache) > 1:
                gone, dropped = self._cache.popitem(last=False)
                self._cache_bytes -= len(dropped)
                self._words.pop(gone, None)
