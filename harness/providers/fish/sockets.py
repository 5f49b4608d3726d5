"""Fish Audio's live WebSocket (`wss://api.fish.audio/v1/tts/live`) in the WebSocket speech family's terms, as its
AsyncAPI page and the official client `fish-audio-sdk` 1.3.0 speak it: every message a MessagePack map in a binary
frame; the bearer key and the model in the upgrade's headers ("`model: <model_name>` - Required"); `start` with the
request (voice, format, rate), `text` chunks, an optional `flush`, `stop`; back `audio` events carrying the bytes
and `finish` (reason stop, or error), after which the server closes.
"""

from __future__ import annotations

from harness.core.protocols.http_speech import Format, UnknownModel
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.socket_framing import Framing
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
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
from harness.providers.fish.models import (
    SOCKET,
    SOCKET_SDK,
    SOCKET_SPEC,
    AudioEvent,
    CloseEvent,
    FinishEvent,
    FlushEvent,
    StartEvent,
    TextEvent,
)

# pcm first: headerless 16-bit chunks the benchmark decodes one by one ("WAV / PCM: 8kHz, 16kHz, 24kHz, 32kHz,
# 44.1kHz"); mp3 is the request's default format ("MP3: 32kHz, 44.1kHz"); wav as the AsyncAPI's request lists it
# ("format: enum: wav, pcm, mp3, opus"; "Audio bytes in the format specified in StartEvent (mp3, wav, pcm, or opus)",
# SOCKET_SPEC), each audio event a whole file (how a chunk of a WAV stream arrives is not said; LiveKit Agents' Fish
# plugin, whose default format is wav, reads either). opus is not imitated here, as on HTTP.
WAV_RATES = (8000, 16000, 24000, 32000, 44100)
FORMATS = (
    Format(name="pcm", spec=AudioSpec("pcm_s16le", 44100, "raw"), media_type="audio/pcm", rates=WAV_RATES),
    Format(name="mp3", spec=AudioSpec("mp3", 44100, "mp3"), media_type="audio/mpeg", rates=(32000, 44100)),
    Format(name="wav", spec=AudioSpec("pcm_s16le", 44100, "wav"), media_type="audio/wav", rates=WAV_RATES),
)

LIVE = Socket(
    key="tts.live",
    path="/v1/tts/live",
    summary="Live TTS: MessagePack text events in, MessagePack audio events out",
    doc=SOCKET,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer <api_key> - Required"
    framing=Framing.MSGPACK,
    upgrade=Upgrade(headers={"model": "{model}"}),
    # the channel binding's `model` enum (SOCKET_SPEC at fishaudio/docs 5783e097, read 2026-11-25): "enum: - s1 -
    # s2-pro - s2.1-pro - s2.1-pro-free"; "Falls back to `s2.1-pro` when omitted or unrecognized"
    models={name: name for name in ("s1", "s2-pro", "s2.1-pro", "s2.1-pro-free")},
    unknown_model=UnknownModel.DEFAULT,  # "Falls back to `s2.1-pro` when omitted or unrecognized" (SOCKET_SPEC)
    suffix="-live",
    start=Start(
        opening=Send(
            "start",
            {
                "event": "start",
                "request": {
                    "text": "",
                    "reference_id": "{voice}",
                    "format": "{format}",
                    "sample_rate": "{rate}",
                    "latency": "balanced",
                },
            },
            StartEvent,
            Match("/event", "start"),
        )
    ),
    text=Send("text", {"event": "text", "text": "{text}"}, TextEvent, Match("/event", "text")),
    flush=Send("flush", {"event": "flush"}, FlushEvent, Match("/event", "flush")),
    end=Send("stop", {"event": "stop"}, CloseEvent, Match("/event", "stop")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio",
            kind=Kind.AUDIO,
            match=Match("/event", "audio"),
            model=AudioEvent,
            template={"event": "audio", "audio": "{audio}"},
        ),
        at=AudioAt("/audio"),  # a bin value (the framing's): the bytes themselves
    ),
    final=Answer(
        name="finish",
        kind=Kind.FINAL,
        match=Match("/reason", "stop"),
        model=FinishEvent,
        template={"event": "finish", "reason": "stop"},
    ),
    failures=Failures(
        error=Answer(
            name="finish (error)",
            kind=Kind.ERROR,
            match=Match("/reason", "error"),
            model=FinishEvent,
            template={"event": "finish", "reason": "error"},
        ),
        error_close=1008,  # not documented: "The WebSocket connection will close after this event"
    ),
    formats=FORMATS,
    drift=(
        DocDrift(
            "error frame",
            "The documents' only error signal is finish with reason error: no code or message "
            "rides on it, and the close code after it is not given (the sandbox closes 1008).",
            (SOCKET_SPEC,),
        ),
        DocDrift(
            "model header",
            "The AsyncAPI file's model enum is s1, s2-pro, s2.1-pro, s2.1-pro-free (the "
            'stored page of the socket, older, lists s1 and s2-pro); "Falls back to `s2.1-pro` when omitted '
            'or unrecognized": the sandbox serves the four and speaks a session without the header, or with '
            "another name (a finding naming it), as s2.1-pro.",
            (SOCKET_SPEC, SOCKET),
        ),
        DocDrift(
            "start request",
            "The official client sends its generation settings (max_new_tokens, "
            "repetition_penalty, min_chunk_length, condition_on_previous_chunks, early_stop_threshold) "
            "inside start's request; the AsyncAPI schema does not list them: accepted (source: sdk).",
            (SOCKET_SDK,),
        ),
    ),
)

SOCKETS = (LIVE,)
