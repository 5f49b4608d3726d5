"""Sarvam AI's text-to-speech WebSocket (`wss://api.sarvam.ai/text-to-speech/ws`) in the WebSocket speech family's
terms, as its API reference names the messages and the official client `sarvamai` 0.1.39 writes them (source: sdk,
models.SOCKET_SDK; read 2026-11-25): the `api-subscription-key` header, the model and `send_completion_event` in the
URL's query, a `config` message first (speaker, language, codec, rate), `text` messages, a `flush` — "Send signal to
end text streaming" —, a `ping` "to keep the WebSocket connection alive" (taken, answered by nothing), `audio`
answers with base64 at `/data/audio`, and the completion `event` (`event_type: "final"`) once "the final audio chunk
has been generated". The connection stays open for further text (the client closes it).
"""

from __future__ import annotations

from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Ending,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift
from harness.providers.sarvam.models import (
    SOCKET_CODECS,
    SOCKET_GUIDE,
    SOCKET_REFERENCE,
    SOCKET_SDK,
    SocketAudio,
    SocketConfig,
    SocketError,
    SocketEvent,
    SocketFlush,
    SocketPing,
    SocketText,
)

RATE = 22050  # speech_sample_rate "Default when omitted: 22050 Hz for all models"
RATES = (8000, 16000, 22050, 24000)  # "Supported values are 8000, 16000, 22050, 24000 Hz"

# The codec page's output_audio_codec values (SOCKET_CODECS: "mp3", "linear16", "mulaw", "alaw", "opus", "flac", "aac",
# "wav"). linear16 first ("Uncompressed PCM audio"): headerless chunks the benchmark decodes one by one, and what
# Pipecat's SarvamTTSService asks for; mp3 is the socket's default ("streamed in base64-encoded MPEG format by
# default"); wav as content_type's own example names it ("'audio/wav'"), each chunk a whole WAV file, and flac likewise
# (the pages say nothing of how either arrives chunked: a finding in docs/sandbox-differences.md); mulaw and alaw
# headerless at the rate asked for. Left out: aac (the sandbox writes no AAC) and opus ("currently returns a validation
# error" with bulbul:v3 and v4-flash; for the other models unsaid) — docs/sandbox-differences.md.
FORMATS = (
    Format(name="linear16", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="flac", spec=AudioSpec("flac", RATE, "flac"), media_type="audio/flac", rates=RATES),
    Format(name="mulaw", spec=AudioSpec("pcm_mulaw", RATE, "raw"), media_type="audio/basic", rates=RATES),
    Format(name="alaw", spec=AudioSpec("pcm_alaw", RATE, "raw"), media_type="audio/pcma", rates=RATES),
)

TEXT_TO_SPEECH_WS = Socket(
    key="text_to_speech_streaming.connect",
    path="/text-to-speech/ws",
    summary="Text to speech WebSocket: config, text and flush in, base64 audio chunks and a final event out",
    doc=SOCKET_REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Headers Api-Subscription-Key string Required"
    upgrade=Upgrade(query={"model": "{model}", "send_completion_event": "true"}),
    start=Start(
        opening=Send(
            "config",
            {
                "type": "config",
                "data": {
                    "language_code": "en-IN",
                    "speaker": "{voice}",
                    "output_audio_codec": "{format}",
                    "speech_sample_rate": "{rate}",
                },
            },
            SocketConfig,
            Match("/type", "config"),
        ),
        # "Always send the config message first"; the config "must be the first message" (SOCKET_GUIDE, SOCKET_SDK)
        opening_first=True,
    ),
    text=Send("text", {"type": "text", "data": {"text": "{text}"}}, SocketText, Match("/type", "text")),
    end=Send("flush", {"type": "flush"}, SocketFlush, Match("/type", "flush")),
    # "Send ping signal to keep the WebSocket connection alive" (the reference's ping message; the client's ping())
    keepalive=Send("ping", {"type": "ping"}, SocketPing, Match("/type", "ping")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio",
            kind=Kind.AUDIO,
            match=Match("/type", "audio"),
            model=SocketAudio,
            template={"type": "audio", "data": {"content_type": "audio/{format}", "audio": "{audio}"}},
        ),
        at=AudioAt("/data/audio"),
    ),
    final=Answer(
        name="event",
        kind=Kind.FINAL,
        match=Match("/data/event_type", "final"),
        model=SocketEvent,
        template={"type": "event", "data": {"event_type": "final"}},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=SocketError,
            template={"type": "error", "data": {"message": "{message}"}},
            message_at="/data/message",
        ),
        error_close=1008,  # not documented
    ),
    formats=FORMATS,
    ending=Ending(server_closes=False),  # "Single WebSocket connection handles multiple text to speech conversions"
    drift=(
        DocDrift(
            "language field",
            "The client's ConfigureConnectionData sends language_code; the guide and "
            "Pipecat send target_language_code: either is accepted, one is required.",
            (SOCKET_SDK, SOCKET_GUIDE),
        ),
        DocDrift(
            "default model",
            "The query's model \"Defaults to bulbul:v2\" while the model's own words call "
            'bulbul:v3 the "API default when omitted": the sandbox requires the model in the query.',
            (SOCKET_REFERENCE, SOCKET_SDK),
        ),
        DocDrift(
            "codecs",
            "The guide's older copy and the client's configure() say output_audio_codec \"currently "
            "supports MP3 only\"; the codec page lists eight. linear16's byte order is not stated (16-bit "
            "little-endian assumed, as Pipecat reads it) and content_type's values beyond the examples "
            "('audio/mp3', 'audio/wav') are not documented: the sandbox writes audio/<codec>.",
            (SOCKET_CODECS, SOCKET_SDK),
        ),
        DocDrift(
            "errors",
            "An error frame's data carries message, an optional integer code, details and "
            "request_id; no code values and no close code are documented: the sandbox writes the message only "
            "and closes 1008.",
            (SOCKET_SDK,),
        ),
    ),
)

SOCKETS = (TEXT_TO_SPEECH_WS,)
