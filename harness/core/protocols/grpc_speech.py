"""The gRPC streaming speech family: a provider's bidirectional streaming synthesis RPC as data. It names no provider.

A streaming synthesis RPC differs between providers in its words, not its shape: one method of one service, a
request stream whose first message holds the settings (voice, format, rate) and whose later messages hold text, a
response stream whose messages carry audio bytes in one field, the key in a metadata entry, refusals as gRPC status
codes. A provider declares it as an `Rpc`:

    client   config (the `config` template) → text × n (the `text` template) → half-close
    server   response × n (audio bytes at `audio_at`) → status OK; or a status that is not OK (the refusal)

Its messages are declared as data (`ProtoMessage`, `ProtoField`, `ProtoEnum`, quoting the provider's reference) and
built at run time into protobuf classes (`messages`: a `FileDescriptorProto` in a pool of its own, through
`message_factory`), so no generated code and no provider SDK is needed. Templates are filled as the other families'
(`http_speech.fill`: `{voice}`, `{language}`, `{format}`, `{rate}`, `{text}`) and parsed into messages by protobuf's
JSON reader (enum values by name); a request's settings are read back through the same templates' slots.

`with_rpcs` adds an offering of every model the RPC serves to the provider its `SpeechService` makes (named model +
`suffix`, spoken in the model's voice, priced as its HTTP request); `speak` runs one call with grpc.aio and records
what arrived, when (`StreamedCall`), for the benchmark and the contract checks; the sandbox imitates it from the
declaration alone (`harness.sandbox.grpc_server`, `harness.sandbox.emulations.http_speech`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.message import Message

from harness.core.answer_errors import GRPC_STATUSES
from harness.core.protocols.http_speech import (
    Format,
    Model,
    SpeechRefusal,
    SpeechService,
    build_provider,
    fill,
    request_for,
)
from harness.core.protocols.websocket_speech import slots_of
from harness.core.spec import DocDrift, Offering, Provider

PROTOCOL = "grpc-speech"
# A response handed over sooner than this after it was asked for may have been waiting already (grpc's client queues
# what arrives while the caller is busy): its arrival is then bounded by the last instant the queue was seen empty.
QUEUED_S = 0.001
# A reader blocked on the next response is woken when one comes, and looks again at least this often whatever happens
# (grpc's blocking waits spin in waits of grpc._common.MAXIMUM_WAIT_TIMEOUT): a response it blocked for arrived within
# this much before the reader had it — the width of its arrival bound, as `realtime_session.LOOK_S` is a socket's.
LOOK_S = 0.1
KINDS = {
    "string": 9,
    "bytes": 12,
    "int32": 5,
    "int64": 3,
    "double": 1,
    "float": 2,
    "bool": 8,
    "enum": 14,
    "message": 11,
}  # FieldDescriptorProto.Type


@dataclass(frozen=True, slots=True)
class ProtoField:
    """One field of a message as the reference's proto writes it: name, number, type (a `KINDS` word), the message
    or enum it holds (its name within the package), the oneof it belongs to."""

    name: str
    number: int
    kind: str
    type_name: str = ""
    oneof: str = ""


@dataclass(frozen=True, slots=True)
class ProtoMessage:
    name: str
    fields: tuple[ProtoField, ...]


@dataclass(frozen=True, slots=True)
class ProtoEnum:
    name: str
    values: Mapping[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rpc:
    """One documented bidirectional streaming synthesis method, every field quoting the provider's documents."""

    key: str  # stable within the provider: "streaming_synthesize"
    package: str  # "google.cloud.texttospeech.v1"
    service: str  # "TextToSpeech"
    method: str  # "StreamingSynthesize"
    summary: str
    doc: str
    request: str  # the request message's name
    response: str
    messages: tuple[ProtoMessage, ...]
    enums: tuple[ProtoEnum, ...]
    config: Mapping[str, Any]  # the first request: the settings (`{voice}`, `{language}`, `{format}`, `{rate}`)
    text: Mapping[str, Any]  # every later request: `{text}`
    config_field: str  # the request's oneof member the first message sets (the rest may not)
    text_field: str  # the member every later message sets
    audio_at: str  # the response's bytes field holding audio
    key_metadata: str  # the metadata entry carrying the key ("x-goog-api-key")
    address: str  # the live server, host:port (TLS)
    formats: tuple[Format, ...]  # the first is the benchmark's
    models: tuple[str, ...]  # the `SpeechService` models this method serves (by their names)
    suffix: str = "-grpc"
    drift: tuple[DocDrift, ...] = ()

    @property
    def path(self) -> str:
        """The method's HTTP/2 path: `/package.Service/Method`."""
        return f"/{self.package}.{self.service}/{self.method}"

    @property
    def signature(self) -> str:
        return f"gRPC {self.package}.{self.service}/{self.method}"

    def format(self, name: str | None) -> Format:
        for fmt in self.formats:
            if fmt.name == (name or self.formats[0].name):
                return fmt
        raise KeyError(name)


_BUILT: dict[str, dict[str, type[Message]]] = {}


def _classes(rpc: Rpc) -> dict[str, type[Message]]:
    """The message classes of `rpc`'s declared messages, built once per method in a pool of their own (never the
    default pool, where a provider SDK's generated classes of the same names may live)."""
    if rpc.path not in _BUILT:
        _BUILT[rpc.path] = _build(rpc)
    return _BUILT[rpc.path]


def _build(rpc: Rpc) -> dict[str, type[Message]]:
    proto = descriptor_pb2.FileDescriptorProto(
        name=f"tts_harness/{rpc.package}/{rpc.key}.proto", package=rpc.package, syntax="proto3"
    )
    for enum in rpc.enums:
        declared = proto.enum_type.add(name=enum.name)
        for name, number in enum.values.items():
            declared.value.add(name=name, number=number)
    for message in rpc.messages:
        declared_message = proto.message_type.add(name=message.name)
        oneofs: list[str] = []
        for item in message.fields:
            added = declared_message.field.add(name=item.name, number=item.number, type=KINDS[item.kind], label=1)
            if item.type_name:
                added.type_name = f".{rpc.package}.{item.type_name}"
            if item.oneof:
                if item.oneof not in oneofs:
                    oneofs.append(item.oneof)
                    declared_message.oneof_decl.add(name=item.oneof)
                added.oneof_index = oneofs.index(item.oneof)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return {
        m.name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{rpc.package}.{m.name}"))
        for m in rpc.messages
    }


def message_class(rpc: Rpc, name: str) -> type[Message]:
    return _classes(rpc)[name]


def request_of(rpc: Rpc, values: Mapping[str, Any]) -> Message:
    """A request message from its filled template (protobuf's JSON reading: enum values by name)."""
    return json_format.ParseDict(dict(values), message_class(rpc, rpc.request)())


def as_dict(message: Message) -> dict[str, Any]:
    """A message as data, with the proto's own field names and enum values by name."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def settings_of(rpc: Rpc, config: Mapping[str, Any]) -> dict[str, Any]:
    """What a config request holds at the template's slots (`voice`, `format`, `rate` ...); absent: missing."""
    from harness.core.protocols.http_speech import read

    return {
        name: value for name, at in slots_of(dict(rpc.config)).items() if (value := read(dict(config), at)) is not None
    }


def text_of(rpc: Rpc, request: Mapping[str, Any]) -> str | None:
    """The text a text request holds (None: it holds none where the template puts it)."""
    from harness.core.protocols.http_speech import read

    at = slots_of(dict(rpc.text)).get("text")
    found = read(dict(request), at) if at else None
    return found if isinstance(found, str) else None


def requests(rpc: Rpc, voice: str, language: str, fmt: Format, chunks: Sequence[str]) -> list[Message]:
    """The request stream that says `chunks` in `voice`: the config first, then a text message per chunk."""
    values = {"voice": voice, "language": language, "format": fmt.name, "rate": fmt.spec.sample_rate}
    return [
        request_of(rpc, fill(rpc.config, values)),
        *(request_of(rpc, fill(rpc.text, {"text": chunk})) for chunk in chunks),
    ]


def status_code_of(refusal: SpeechRefusal) -> str:
    """The gRPC status a refusal is answered with: its code where the provider writes gRPC's names (the
    canonical codes), else the one whose HTTP status is the refusal's."""
    if refusal.code in GRPC_STATUSES:
        return refusal.code
    return next((name for name, status in GRPC_STATUSES.items() if status == refusal.status), "UNKNOWN")


# --- one call, as a client makes it --------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class StreamedCall:
    """One streaming call as it went: when each request left and each response came (seconds after `started_at`,
    monotonic: the interval it arrived in, as the sockets' sessions bound it), the audio of each, and how it ended
    (`code`: the gRPC status name; None: it never ended)."""

    target: str
    started_at: float = 0.0
    sent: list[float] = field(default_factory=list)
    received: list[tuple[float, float, bytes]] = field(default_factory=list)  # (earliest, latest, audio)
    code: str | None = None
    details: str = ""

    @property
    def audio(self) -> bytes:
        return b"".join(a for _, _, a in self.received)


async def speak(
    rpc: Rpc,
    target: str,
    key: str | None,
    chunks: Sequence[str],
    voice: str,
    language: str,
    fmt: Format,
    *,
    at_s: Sequence[float] | None = None,
    root_certificates: bytes | None = None,
    plaintext: bool = False,
    timeout_s: float = 60.0,
    extra_metadata: Mapping[str, str] | None = None,
) -> StreamedCall:
    """Say `chunks` over `rpc` at `target` (host:port) and record the call. TLS unless `plaintext` (a loopback
    imitation); `root_certificates`: the CA to trust (the sandbox's). `at_s`: when each text message leaves,
    seconds after the config (None: all at once). A status that is not OK ends the call and is recorded, never
    raised. The call runs on grpc's blocking client in a thread of its own (grpc.aio's client reports a call the
    server refused before reading its requests as INTERNAL now and then); `timeout_s` bounds it, and cancelling the
    coroutine cancels the call."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[StreamedCall] = loop.create_future()
    calls: list[Any] = []  # the call in flight, so a cancelled job ends it rather than leaving it to its timeout

    def settle(outcome: StreamedCall | BaseException) -> None:
        if done.done():
            return
        if isinstance(outcome, BaseException):
            done.set_exception(outcome)
        else:
            done.set_result(outcome)

    def run() -> None:  # a thread of its own: a call may last the utterance, and many run at once
        outcome: StreamedCall | BaseException
        try:
            outcome = _call(
                rpc,
                target=target,
                key=key,
                messages=requests(rpc, voice, language, fmt, chunks),
                at_s=at_s,
                root_certificates=root_certificates,
                plaintext=plaintext,
                timeout_s=timeout_s,
                extra=dict(extra_metadata or {}),
                calls=calls,
            )
        except BaseException as error:  # handed to the caller's loop
            outcome = error
        if not loop.is_closed():
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=run, name=f"grpc-{rpc.method}", daemon=True).start()
    try:
        return await done
    except asyncio.CancelledError:
        for call in calls:
            call.cancel()
        raise


def _call(
    rpc: Rpc,
    *,
    target: str,
    key: str | None,
    messages: Sequence[Message],
    at_s: Sequence[float] | None,
    root_certificates: bytes | None,
    plaintext: bool,
    timeout_s: float,
    extra: Mapping[str, str],
    calls: list[Any],
) -> StreamedCall:
    import grpc

    record = StreamedCall(target=target)
    metadata = (*(((rpc.key_metadata, key),) if key else ()), *extra.items())

    def stream() -> Iterator[Message]:
        for index, message in enumerate(messages):
            if at_s is not None and index > 0:
                delay = record.started_at + at_s[min(index - 1, len(at_s) - 1)] - time.monotonic()
                if delay > 0:
                    time.sleep(delay)  # the text's schedule (a language model's pace), in grpc's sending thread
            record.sent.append(time.monotonic() - record.started_at)
            yield message

    channel = (
        grpc.insecure_channel(target)
        if plaintext
        else grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=root_certificates))
    )
    with channel:
        method = channel.stream_stream(
            rpc.path,
            request_serializer=message_class(rpc, rpc.request).SerializeToString,
            response_deserializer=message_class(rpc, rpc.response).FromString,
        )
        record.started_at = time.monotonic()
        responses = method(stream(), metadata=metadata or None, timeout=timeout_s)
        calls.append(responses)
        bound = record.started_at  # the last instant no response was waiting: the next arrived after it
        try:
            while True:
                looked = time.monotonic()
                try:
                    response = next(responses)
                except StopIteration:
                    break
                now = time.monotonic()
                if now - looked > QUEUED_S:  # it blocked: nothing was waiting, and the reader looked until it came
                    bound = max(looked, now - LOOK_S)
                record.received.append(
                    (bound - record.started_at, now - record.started_at, bytes(getattr(response, rpc.audio_at)))
                )
            record.code = "OK"
        except grpc.RpcError as error:
            code = error.code() if callable(getattr(error, "code", None)) else None
            record.code = code.name if code is not None else "UNKNOWN"
            record.details = (error.details() if callable(getattr(error, "details", None)) else "") or ""
    return record


# --- the provider ----------------------------------------------------------------------------------------------


def served(service: SpeechService, rpc: Rpc) -> list[Model]:
    return [m for m in service.models if m.name in rpc.models]


def offering_name(model: Model, rpc: Rpc) -> str:
    return model.name + rpc.suffix


def with_rpcs(service: SpeechService, rpcs: Sequence[Rpc], provider: Provider | None = None) -> Provider:
    """The provider the `SpeechService` makes (or `provider`, already built from it), with its documented streaming
    RPCs: each on `Provider.rpcs`, and an offering of every model it serves (model + suffix, the model's voice,
    priced as its HTTP request)."""
    base = provider or build_provider(service)
    offerings = [
        Offering(
            name=offering_name(m, rpc),
            endpoint=m.synthesis,
            build=partial(request_for, service, m),
            rpc=rpc.key,
            languages=m.languages,
            max_chars=m.max_chars,
            description=f"{m.name} over {rpc.signature} (voice {m.voice})",
        )
        for rpc in rpcs
        for m in served(service, rpc)
    ]
    docs = tuple(dict.fromkeys((*base.docs, *(r.doc for r in rpcs if r.doc))))
    return replace(
        base,
        rpcs=(*base.rpcs, *rpcs),
        offerings=(*base.offerings, *offerings),
        docs=docs,
        doc_drift=(*base.doc_drift, *(d for r in rpcs for d in r.drift)),
    )


def rpc_of(provider: Provider, key: str) -> Rpc:
    for rpc in provider.rpcs:
        if isinstance(rpc, Rpc) and rpc.key == key:
            return rpc
    raise KeyError(f"{provider.name} has no streaming RPC {key!r}")


def speaker_of(provider: Provider, offering: str) -> Model:
    """The model (and so the voice) an offering of an RPC speaks with."""
    service = provider.family
    assert isinstance(service, SpeechService)
    for rpc in provider.rpcs:
        for model in served(service, rpc):
            if offering_name(model, rpc) == offering:
                return model
    raise KeyError(offering)
