"""Inworld's bidirectional TTS WebSocket (`wss://api.inworld.ai/tts/v1/voice:streamBidirectional`) in the WebSocket
speech family's terms, with the messages its reference shows (SOCKET_REFERENCE, its AsyncAPI examples):

    client  {"create": {voiceId, modelId, audioConfig}, "contextId"} → {"send_text": {"text"}, "contextId"} × n →
            {"flush_context": {}, "contextId"} → {"close_context": {}, "contextId"}
    server  {"result": {"contextId", "contextCreated" | "audioChunk" {"audioContent": base64} | "flushCompleted" |
            "contextClosed", "status": {"code", "message", "details"}}}

"A context is an independent conversation happening over the connection"; the connection stays open after a context
closes (up to 5 contexts a connection): the client closes it. The key is the upgrade's `Authorization: Basic`
header, as for the HTTP endpoints.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from harness.core.answer_errors import BodyErrors
from harness.core.protocols.http_speech import Format, file_pieces, g711
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Ending,
    Failures,
    KeyIn,
    Marks,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
)
from harness.core.spec import AudioAt, DocDrift, RequestModel, ResponseModel

SOCKET_REFERENCE = "https://docs.inworld.ai/api-reference/ttsAPI/texttospeech/synthesize-speech-websocket"
# Inworld's own examples (inworld-ai/inworld-api-examples): the bidirectional socket with PCM audio.
EXAMPLES = "https://github.com/inworld-ai/inworld-api-examples/blob/main/tts/python/example_tts_low_latency_ws.py"
RATES = tuple(range(8000, 48001))  # sampleRateHertz: "8000 to 48000", every one taken (the HTTP declaration's)
OK = {"code": 0, "message": "", "details": []}


class AudioConfig(RequestModel):
    audioEncoding: str | None = None
    sampleRateHertz: int | None = Field(None, ge=8000, le=48000)


class CreateSettings(RequestModel):
    voiceId: str = Field(min_length=1)
    modelId: str = Field(min_length=1)
    audioConfig: AudioConfig | None = None
    bufferCharThreshold: int | None = None
    maxBufferDelayMs: int | None = None
    autoMode: bool | None = None
    timestampType: str | None = None
    temperature: float | None = None


class CreateContext(RequestModel):
    create: CreateSettings
    contextId: str | None = None


class TextSettings(RequestModel):
    text: str = Field(max_length=1000)  # "You can only send up to 1000 characters in a single send_text request"
    flush_context: dict[str, Any] | None = None


class SendText(RequestModel):
    send_text: TextSettings
    contextId: str | None = None


class FlushContext(RequestModel):
    flush_context: dict[str, Any]
    contextId: str | None = None


class CloseContext(RequestModel):
    close_context: dict[str, Any]
    contextId: str | None = None


class Status(ResponseModel):
    code: int
    message: str = ""
    details: list[Any] = Field(default_factory=list)


class Result(ResponseModel):
    contextId: str | None = None
    contextCreated: dict[str, Any] | None = None
    audioChunk: dict[str, Any] | None = None
    flushCompleted: dict[str, Any] | None = None
    contextClosed: dict[str, Any] | None = None
    contextUpdated: dict[str, Any] | None = None
    status: Status | None = None


class ServerMessage(ResponseModel):
    result: Result


class ErrorMessage(ResponseModel):
    error: Status


def _result(key: str, value: Any) -> dict[str, Any]:
    return {"result": {"contextId": "{context}", key: value, "status": OK}}


# PCM: Inworld's own low-latency WebSocket example creates its context with "audio_encoding": "PCM" at
# "sample_rate_hertz": 24000 (EXAMPLES, read 2026-11-25; source: sdk). Neither it nor the reference says what PCM's
# chunks hold; declared as the name says, headerless 16-bit samples (the encoding beside LINEAR16, whose chunks are
# WAV files), at the asked rate.
FORMATS = (  # LINEAR16 at 16 kHz: what the reference's contextCreated answers a create without audioConfig
    Format(name="LINEAR16", spec=AudioSpec("pcm_s16le", 16000, "wav"), media_type="audio/wav", rates=RATES),
    Format(
        name="MP3",
        spec=AudioSpec("mp3", 48000, "mp3"),
        media_type="audio/mpeg",
        rates=(16000, 22050, 24000, 32000, 44100, 48000),
    ),
    Format(name="PCM", spec=AudioSpec("pcm_s16le", 16000, "raw"), media_type="audio/pcm", rates=RATES),
    # ALAW, MULAW: in the schema's transcription only, neither header nor rate said: answered as assumed
    g711("ALAW", "pcm_alaw", RATES),
    g711("MULAW", "pcm_mulaw", RATES),
    # FLAC: how a file arrives in pieces not said; WAV: in the transcription only, its samples not said either
    file_pieces(Format(name="FLAC", spec=AudioSpec("flac", 16000, "flac"), media_type="audio/flac", rates=RATES)),
    Format(
        name="WAV",
        spec=AudioSpec("pcm_s16le", 16000, "wav"),
        media_type="audio/wav",
        rates=RATES,
        assumed=(
            "the documents do not say its samples, rate or pieces; the sandbox answers each audio message as a whole "
            "WAV file of 16-bit PCM, as LINEAR16's"
        ),
    ),
)

# Word times on the socket: asked by the create's `timestampType` ("Set the timestampType request parameter to control
# granularity", the timestamps page), each audioChunk carrying the words its audio speaks at
# timestampInfo.wordAlignment, in seconds, counted again from zero after each flush ("the server resets timestamps to
# 0 after each generation"), as LiveKit's Inworld plugin reads them (the stored socket reference shows neither: source
# client).
TIMESTAMPS_PAGE = "https://docs.inworld.ai/tts/capabilities/timestamps"
LIVEKIT = "livekit-plugins-inworld 1.8.9 (livekit/plugins/inworld/tts.py)"
_AT = "/result/audioChunk/timestampInfo/wordAlignment"
WORD_ALIGNMENT = Marks(
    text_at=f"{_AT}/words",
    start_at=f"{_AT}/wordStartTimeSeconds",
    end_at=f"{_AT}/wordEndTimeSeconds",
    asked_by="/create/timestampType",
    asked_value="WORD",
    asked_at_start=True,
    evidence='"Set the timestampType request parameter to control granularity"; "WORD: timestampInfo.wordAlignment '
    'with words, wordStartTimeSeconds, wordEndTimeSeconds" (' + TIMESTAMPS_PAGE + ", read 2026-11-26); on "
    'the socket: pkt["create"]["timestampType"] = opts.timestamp_type; audio_chunk = '
    'result.get("audioChunk"); audio_chunk.get("timestampInfo").get("wordAlignment"): "words", '
    '"wordStartTimeSeconds", "wordEndTimeSeconds", with a cumulative offset because "When auto_mode '
    'is enabled or flush_context() is called, the server resets timestamps to 0 after each generation" ('
    + LIVEKIT
    + ")",
)

STREAM = Socket(
    key="tts.stream-bidirectional",
    path="/tts/v1/voice:streamBidirectional",
    summary="Synthesize speech (WebSocket): contexts created, fed text, flushed and closed",
    doc=SOCKET_REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),
    start=Start(
        opening=Send(
            "create",
            {
                "create": {
                    "voiceId": "{voice}",
                    "modelId": "{model}",
                    "audioConfig": {"audioEncoding": "{format}", "sampleRateHertz": "{rate}"},
                },
                "contextId": "{context}",
            },
            CreateContext,
            Match("/create"),
        ),
        ready=Answer(
            name="contextCreated",
            kind=Kind.READY,
            match=Match("/result/contextCreated"),
            model=ServerMessage,
            template=_result(
                "contextCreated",
                {
                    "voiceId": "{voice}",
                    "modelId": "{model}",
                    "audioConfig": {"audioEncoding": "{format}", "sampleRateHertz": "{rate}"},
                },
            ),
        ),
    ),
    text=Send("send_text", {"send_text": {"text": "{text}"}, "contextId": "{context}"}, SendText, Match("/send_text")),
    end=Send("flush_context", {"flush_context": {}, "contextId": "{context}"}, FlushContext, Match("/flush_context")),
    final=Answer(
        name="flushCompleted",
        kind=Kind.FINAL,
        match=Match("/result/flushCompleted"),
        model=ServerMessage,
        template=_result("flushCompleted", {}),
    ),
    ending=Ending(
        after_final=Send(
            "close_context", {"close_context": {}, "contextId": "{context}"}, CloseContext, Match("/close_context")
        ),
        closed=Answer(
            name="contextClosed",
            kind=Kind.METADATA,
            match=Match("/result/contextClosed"),
            model=ServerMessage,
            template=_result("contextClosed", {}),
        ),
        server_closes=False,
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audioChunk",
            kind=Kind.AUDIO,
            match=Match("/result/audioChunk"),
            model=ServerMessage,
            template=_result("audioChunk", {"audioContent": "{audio}"}),
        ),
        at=AudioAt("/result/audioChunk/audioContent"),
        chunk_files=True,  # each audioContent is a file: the reference's example chunk begins "UklGR" (RIFF)
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/error"),
            model=ErrorMessage,
            template={"error": {"details": []}},
            code_at="/error/code",
            message_at="/error/message",
        ),
        error_close=1011,
        # Every result carries a gRPC status ("status": {"code", "message", "details"}, the reference's examples
        # code 0): another code is that error, whatever the result beside it.
        errors=BodyErrors("/result/status/code", (0,), "/result/status/message"),
    ),
    marks=WORD_ALIGNMENT,
    formats=FORMATS,
    context_at="/result/contextId",
    drift=(
        DocDrift(
            "socket errors",
            "The reference's AsyncAPI shows no error message or close code: the declared "
            'error frame is the gRPC gateway\'s streamed error ({"error": {code, message, details}}) and a '
            "refused key the upgrade's 401, neither quoted; check them against the provider.",
            (SOCKET_REFERENCE,),
        ),
        DocDrift(
            "PCM",
            "The reference's contextCreated shows LINEAR16 only; Inworld's own WebSocket example asks "
            "for audio_encoding PCM, and no stored page says whether its chunks carry a header: declared "
            "headerless (16-bit little-endian at the asked rate); check it against the provider.",
            (SOCKET_REFERENCE, EXAMPLES),
        ),
    ),
)

SOCKETS = (STREAM,)
