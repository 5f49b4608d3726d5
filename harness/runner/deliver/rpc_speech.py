"""Jobs spoken over a gRPC streaming synthesis method (an offering with an `rpc`: the gRPC streaming speech family).

The config message goes first, then the text — whole, or with `--text-rate N` token by token at N tokens a second,
as `socket_speech` feeds a socket — and the call half-closes. Every time counts from the first text message; the first
audio is the first response message that carries audio, each response's arrival the interval since the one before
(`Arrival`), and the stream figures are the one listener's (`harness.runner.deliver.streaming`). A status that is not
OK is the
provider's error in the harness's classes (the gRPC status's HTTP meaning), audio before it or not; a stream that ends
OK without audio is a protocol error. Against the sandbox the call goes to its gRPC port (TLS with its CA where it
serves TLS); live, to the declared address over TLS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.core.answer_errors import GRPC_STATUSES
from harness.core.errors import (
    ErrorClass,
    ProtocolError,
    ProviderError,
    TimeoutError_,
    TransportError,
    UsageError,
    error_for_status,
)
from harness.core.protocols.grpc_speech import Rpc, StreamedCall, rpc_of, speak, speaker_of
from harness.core.protocols.http_speech import SpeechService, voice_for
from harness.core.redact import Redactor
from harness.core.target import TargetKind
from harness.runner.deliver.audio_keeping import keep_bytes
from harness.runner.deliver.deadline import DeadlineReached, within
from harness.runner.deliver.job import Failed, Job
from harness.runner.deliver.socket_speech import tokens
from harness.runner.deliver.streaming import Arrival, chunk_evidence
from harness.runner.record.timing import Mark

if TYPE_CHECKING:
    from harness.sandbox import SandboxHandle

CALL_TIMEOUT_S = 120.0  # a call still going after this long is cut (the job's own deadline usually comes first)


def where(job: Job, rpc: Rpc) -> tuple[str, bool, bytes | None]:
    """The address a job's call goes to, whether it is plain, and the CA to trust (None: the system's)."""
    target = job.services.target
    if target.kind is TargetKind.SANDBOX and target.handle is not None:
        sandbox: SandboxHandle = target.handle
        address = sandbox.grpc_target
        if address is None:
            raise UsageError(f"the sandbox serves no gRPC method ({rpc.signature})")
        ca = sandbox.ca_file
        return address, ca is None, None if ca is None else ca.read_bytes()
    if target.kind is TargetKind.LIVE:
        return rpc.address, False, None
    if target.grpc is not None:  # a URL laid out like the sandbox: the port after its own (`serve` binds it there)
        address, tls = target.grpc
        return address, not tls, None
    raise UsageError(
        f"{rpc.signature} is a gRPC method: target {target.kind} has no address for it (the sandbox, "
        "a URL laid out like it, or the provider's own server only)"
    )


def call_error(call: StreamedCall, rpc: Rpc, secrets: tuple[str, ...]) -> ProviderError | None:
    """Why a call is no result, in the harness's error classes (None: it ended OK with audio). A status that is not
    OK is the provider's error whatever audio came before it (the utterance was cut); OK without audio is a protocol
    error."""
    if call.code == "OK":
        if not any(chunk for _, _, chunk in call.received):
            return ProtocolError(f"{call.target} {rpc.signature}: the stream ended OK without audio")
        return None
    said = Redactor(secrets).cut(f"{call.target} {rpc.signature}: status {call.code}: {call.details}", 300)
    if call.code == "DEADLINE_EXCEEDED":
        return TimeoutError_(said)
    if call.code == "UNAVAILABLE" and not call.received:
        return TransportError(said)
    return error_for_status(GRPC_STATUSES.get(call.code or "UNKNOWN", 500), said)


async def fetch_rpc(job: Job) -> None:
    """Say the job's text over its offering's gRPC method and keep what a listener would have met."""
    record, services, offering = job.record, job.services, job.planned.selection.offering
    provider = job.provider
    rpc = rpc_of(provider, offering.rpc or "")
    service = provider.family
    assert isinstance(service, SpeechService)
    model = speaker_of(provider, offering.name)
    name, language = voice_for(service, model, job.planned.item.language)  # a voice of the item's language
    voice = service.voice(name)
    fmt = rpc.formats[0]
    rate = services.config.workload.text_rate
    chunks = tokens(job.planned.item.text) if rate is not None else (job.planned.item.text,)
    record.delivery = "socket"  # a text-fed stream, as a socket's: the stream figures group them alike
    record.text_rate = rate
    try:
        address, plaintext, roots = where(job, rpc)
    except UsageError as error:
        record.cost(charged=False, basis="not-sent:no-address")
        record.error("plan", ErrorClass.VALIDATION, str(error), fatal=True)
        raise Failed from None
    key = services.target.key(provider)
    await job.ready()
    record.attempt += 1
    job.commit_submitting()
    if job.deadline.passed():
        record.cost(charged=False, basis="not-sent:timeout")
        job.fail("stream", job.deadline.reached(f"before the call to {rpc.signature} was made"))
    extra = services.target.extra_headers(job.label, job.planned.item.id, "stream", record.attempt)
    try:
        call = await within(
            job.deadline,
            speak(
                rpc,
                address,
                key,
                chunks,
                name,
                language or (voice.language if voice else "en-US"),
                fmt,
                at_s=None if rate is None else [k / rate for k in range(len(chunks))],
                root_certificates=roots,
                plaintext=plaintext,
                timeout_s=CALL_TIMEOUT_S,
                extra_metadata={name.lower(): value for name, value in extra.items()},
            ),
        )
    except DeadlineReached:
        job.charge(f"unknown-outcome:{ErrorClass.TIMEOUT}")
        job.fail("stream", job.deadline.reached(f"while the call to {rpc.signature} was going"))
    _account(job, rpc, call)


def _account(job: Job, rpc: Rpc, call: StreamedCall) -> None:
    record = job.record
    problem = call_error(call, rpc, job.services.target.secrets)
    refused_unheard = (
        problem is not None
        and not call.received
        and call.code
        in ("UNAUTHENTICATED", "PERMISSION_DENIED", "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "UNAVAILABLE")
    )
    record.final_status = f"grpc-{call.code}" if call.code else None
    if refused_unheard:
        record.cost(charged=False, basis=f"rejected:{call.code}")
        assert problem is not None
        job.fail("stream", problem)
    job.charge("documented-price")
    start = call.started_at
    first_token = start + (call.sent[1] if len(call.sent) > 1 else 0.0)
    audio = [
        Arrival(max(first_token, start + earliest), start + latest, chunk)
        for earliest, latest, chunk in call.received
        if chunk
    ]
    record.marks.set(Mark.REQUEST_SENT, first_token, overwrite=True)
    spec = rpc.formats[0].spec

    def decode(chunk: bytes) -> tuple[object, int] | None:
        try:
            from harness.speech import AudioCodecError, decode_as
        except ImportError:
            return None
        try:
            return decode_as(chunk, spec.codec, spec.container, spec.sample_rate)
        except (AudioCodecError, ValueError):
            return None

    if audio:
        record.marks.set(Mark.FIRST_AUDIO, audio[0].latest)
        record.chunks = chunk_evidence(audio, decode)
    ended = start + (call.received[-1][1] if call.received else 0.0)
    record.marks.set(Mark.TERMINAL, audio[-1].latest if audio else ended)
    if problem is not None:
        job.fail("stream", problem)
    _keep(job, decode, audio)


def _keep(job: Job, decode: object, audio: list[Arrival]) -> None:
    """The utterance's audio, decoded chunk by chunk and kept as one WAV file (what the listener heard)."""
    import numpy as np

    from harness.speech import encode_as

    decoded = [decode(a.audio) for a in audio]  # type: ignore[operator]
    if any(d is None for d in decoded):
        job.fail("stream", ProtocolError(f"audio from {job.label}: a chunk is not decodable as the declared format"))
    rate = decoded[0][1]
    samples = np.concatenate([np.asarray(d[0], dtype=np.float32) for d in decoded])
    keep_bytes(job, encode_as(samples, rate, "pcm_s16le", "wav"), "stream", job.label)
