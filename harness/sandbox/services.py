"""`Services` for emulation handlers: what one call may ask of the engine beyond the job flow.

Synthesis and reference fetches go through the same producer (and caches) as jobs; wallets are those of
`accounts` (a key-less caller's anonymous wallet where the provider allows such calls); published audio
is served beneath the provider's media host.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime
from decimal import Decimal

from harness.core.protocols.catalogues import NO_ACCOUNT, AccountCatalogue, KnownModel, known_finding, unlisted_finding
from harness.core.spec import Cost
from harness.sandbox.clock import RealClock
from harness.sandbox.emulation import Reject, Speech
from harness.sandbox.job_audio import ProductionFailed
from harness.sandbox.languages import settled_languages
from harness.sandbox.misreadings import misread_speech
from harness.sandbox.netguard import FetchFailed, UrlRefused
from harness.sandbox.profiles import Timing
from harness.sandbox.published_media import PUBLISHED_PATH
from harness.sandbox.state import SandboxState
from harness.sandbox.streams import StreamPacer
from harness.sandbox.timeline import Phase
from harness.sandbox.urls import MEDIA_HOST, Urls, fill
from harness.speech import WordTime

log = logging.getLogger("harness.sandbox")


class EngineServices:
    """`Services` for one call: what emulation handlers may ask of the engine."""

    def __init__(
        self, state: SandboxState, provider: str, urls: Urls, client: str, stalls: int = 0, tag: str = ""
    ) -> None:
        self.state = state
        self.provider = provider
        self.urls = urls
        self.client = client
        self.stalls = stalls  # the `stall-<N>` fault of a socket's handshake: its streams stall N times
        self.tag = tag  # the request's `X-Sandbox-Tag`, kept on its streams' truth

    async def synthesize(self, speech: Speech) -> bytes:
        audio, _ = await self.synthesize_timed(speech)
        return audio

    async def synthesize_timed(self, speech: Speech) -> tuple[bytes, tuple[WordTime, ...]]:
        speech = misread_speech(speech, self.state.drift.misread)  # a changed reading of hard text (`ProviderDrift`)
        speech = settled_languages(speech, self.state.drift.language_fallback.get(self.provider), self.cannot_speak)
        shift = self.state.drift.pitch_shift
        if shift:  # another voice behind the same name (`ProviderDrift`): a silent model swap
            speech = dataclasses.replace(
                speech,
                voices=tuple(
                    dataclasses.replace(
                        v, rendition=dataclasses.replace(v.rendition, pitch_shift=v.rendition.pitch_shift + shift)
                    )
                    for v in speech.voices
                ),
            )
        try:
            recipe = await self.state.producer.resolve(speech)
        except ProductionFailed as failure:
            raise Reject(400, str(failure)) from None
        audio = await self.state.producer.audio(recipe)
        return audio, self.state.producer.words(recipe)

    async def take_time(self, timing: Timing, characters: int) -> float:
        """A synchronous answer takes the model's drawn time, like a job does. On a manual clock nothing
        moves unless a test advances it, so there the answer is immediate rather than held forever."""
        seconds = self.state.draw_work(timing, characters)
        if isinstance(self.state.clock, RealClock):
            await self.state.clock.sleep_until(self.state.clock.now() + seconds)
        return seconds

    async def transcribe(self, audio: bytes) -> str:
        transcriber = self.state.config.transcriber
        if transcriber is None:
            raise Reject(501, "speech to text is not configured in this sandbox (SandboxConfig.transcriber)")
        return await asyncio.to_thread(transcriber, audio)

    async def fetch_reference(self, url: str, field: str) -> bytes:
        try:
            return await self.state.producer.fetch(url, field)
        except (UrlRefused, FetchFailed) as error:
            raise Reject(400, str(error)) from None

    def accepted_unknown(self, where: str, fields: tuple[str, ...]) -> None:
        # Never stricter than the provider: accepted, and seen (a real client's field the declaration lacks).
        if fields and self.state.findings.record(self.provider, where, fields):
            log.info("%s %s: accepted field(s) its documents do not list: %s", self.provider, where, ", ".join(fields))

    def spoke_as_default(self, where: str, field: str, value: str, model: str) -> None:
        # The documents say the provider falls back: spoken, never refused, and seen (the value a client sent).
        finding = f"an unrecognised model {value!r}: spoken as {model}, as the documents say the provider falls back"
        if self.state.findings.record(self.provider, where, (field,), finding):
            log.info(
                "%s %s: %s %r is no declared model: spoken as %s, as its documents say",
                self.provider,
                where,
                field,
                value,
                model,
            )

    def cannot_speak(self, finding: str) -> bool:
        # A language the sandbox has no voice for: spoken in English, and seen (the provider would speak it).
        return self.state.findings.record(self.provider, "speech", ("language",), finding)

    def stream_fault(self) -> str:
        return self.state.drift.streams.get(self.provider, "")  # a provider whose streams break (`ProviderDrift`)

    def marks_fault(self) -> str:
        return self.state.drift.marks.get(self.provider, "")  # a provider whose timing marks break (`ProviderDrift`)

    def markup_fault(self) -> str:
        return self.state.drift.markup.get(self.provider, "")  # a provider whose markup breaks (`ProviderDrift`)

    def billed_factor(self) -> float:
        return self.state.drift.billing.get(self.provider, 1.0)  # a provider that bills more (`ProviderDrift`)

    def account_catalogue(self) -> AccountCatalogue:
        return self.state.catalogues.get(self.provider, NO_ACCOUNT)

    def spoke_known(self, where: str, field: str, known: KnownModel) -> None:
        # A model name only clients send: spoken like the declared model, never stricter than the provider, and seen.
        finding = known_finding(known)
        if finding is not None and self.state.findings.record(self.provider, where, (field,), finding):
            log.info("%s %s: %s: %s", self.provider, where, field, finding)

    def accepted_variant(self, where: str, field: str, finding: str) -> None:
        # A value another case or unit spells: taken as the listed one where the evidence is silent, and seen.
        if self.state.findings.record(self.provider, where, (field,), finding):
            log.info("%s %s: %s: %s", self.provider, where, field, finding)

    def spoke_unlisted(self, where: str, field: str, kind: str, value: str) -> None:
        # An open catalogue: the provider speaks any id of the documented form its account holds; spoken, and seen.
        if self.state.findings.record(self.provider, where, (field,), unlisted_finding(kind, value)):
            log.info(
                "%s %s: %s %r is not in the documents' sample: spoken, as its catalogue is open",
                self.provider,
                where,
                kind,
                value,
            )

    def balance(self, key: str | None) -> Decimal | None:
        payer = self.state.payer(self.provider, key, self.client)
        if payer is None or not self.state.accounts.known(self.provider, payer):
            return None
        return self.state.accounts.available(self.provider, payer, self.state.clock.now())

    def charge(self, key: str | None, cost: Cost | None) -> bool:
        payer = self.state.payer(self.provider, key, self.client)
        if payer is None or not self.state.accounts.known(self.provider, payer):
            return True
        charged = self.state.accounts.charge(self.provider, payer, cost, self.state.clock.now())
        if charged and self.state.journal is not None:
            self.state.journal.wallets()
        return charged

    def now(self) -> datetime:
        return self.state.clock.wall()

    def publish(self, audio: bytes, media_type: str, name: str) -> str:
        token = self.state.published.put(self.provider, audio, media_type)
        path, _ = fill(PUBLISHED_PATH, {"token": token, "name": name})
        return self.urls.base(MEDIA_HOST) + path

    def stream(self, text: str) -> StreamPacer:
        pacer = self.state.streams.start(text, self.tag)
        pacer.stalls_left = self.stalls
        return pacer

    def active_jobs(self, key: str | None = None) -> int:
        return self.state.jobs.active(self.provider, key, self.state.clock.now())

    async def job_audio(self, job_id: str) -> tuple[bytes, str] | None:
        job = self.state.jobs.get(job_id)
        if (
            job is None
            or job.provider != self.provider
            or job.recipe is None
            or job.phase(self.state.clock.now()) is not Phase.COMPLETED
        ):
            return None
        return await self.state.producer.audio(job.recipe), job.plan.speech.media_type
