"""Murf's stream-input WebSocket (`wss://api.murf.ai/v1/speech/stream-input`) in the WebSocket speech family's terms,
as its reference names the messages and Murf's own maintained integration writes them (source: sdk): the `api-key`
header, the rate, format, channels and model in the URL's query, no opening — each text message carries the voice
configuration and the turn's `context_id` — an `end: true` message closing the turn, `audio` (base64) answers and a
`final: true` one for the context; the connection stays open for the next turn (the client closes it).
"""

from __future__ import annotations

from harness.core.protocols.http_speech import Format, file_pieces, g711
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Cancel, Kind
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
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift
from harness.providers.murf.models import (
    SOCKET_CONTEXTS,
    SOCKET_INTEGRATION,
    SOCKET_REFERENCE,
    SocketAnswer,
    SocketClear,
    SocketEnd,
    SocketText,
)

RATE = 24000  # "Defaults to 24000 for Falcon model"
RATES = (8000, 16000, 24000, 44100, 48000)  # the integration's "Valid values: 8000, 16000, 24000, 44100, 48000"
# PCM first (the integration's default: raw 16-bit chunks the benchmark decodes one by one); MP3 as the reference lists.
FORMATS = (
    Format(name="PCM", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=RATES),
    Format(name="MP3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    # ALAW, ULAW: listed, neither header nor rate said: answered as assumed
    g711("ALAW", "pcm_alaw", RATES),
    g711("ULAW", "pcm_mulaw", RATES),
    # WAV, FLAC: listed, how a file arrives in pieces not said: answered as assumed
    file_pieces(Format(name="WAV", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES)),
    file_pieces(Format(name="FLAC", spec=AudioSpec("flac", RATE, "flac"), media_type="audio/flac", rates=RATES)),
)

STREAM_INPUT = Socket(
    key="speech.stream-input",
    path="/v1/speech/stream-input",
    summary="Stream-input WebSocket: text turns in, base64 audio out, final per context",
    doc=SOCKET_REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Headers: api_key" (the integration: `api-key`)
    upgrade=Upgrade(query={"sample_rate": "{rate}", "format": "{format}", "channel_type": "MONO", "model": "{model}"}),
    text=Send(
        "text",
        {
            "voice_config": {"voice_id": "{voice}", "style": "Conversational"},
            "context_id": "{context}",
            "text": "{text}",
            "end": False,
        },
        SocketText,
        Match("/text"),
    ),
    end=Send("end", {"context_id": "{context}", "end": True}, SocketEnd, Match("/end", True)),
    # Clear Context: the turn's text not yet spoken is dropped (SOCKET_REFERENCE, SOCKET_CONTEXTS)
    clear=Send("clear", {"context_id": "{context}", "clear": True}, SocketClear, Match("/clear", True)),
    # The cancel: Clear Context, answered by nothing; a synthesis already started plays to completion.
    cancel=Cancel(
        "clear",
        AfterCancel.FINISHED,
        doc=SOCKET_CONTEXTS,
        quote="To cancel a pending or in-progress turn, use the clear parameter. If synthesis hasn't "
        "started, the request is cancelled. If synthesis has started, the audio will still play to "
        "completion.",
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audioOutput",
            kind=Kind.AUDIO,
            match=Match("/audio"),
            model=SocketAnswer,
            template={"context_id": "{context}", "audio": "{audio}"},
        ),
        at=AudioAt("/audio"),
    ),
    final=Answer(
        name="finalOutput",
        kind=Kind.FINAL,
        match=Match("/final", True),
        model=SocketAnswer,
        template={"context_id": "{context}", "final": True},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/error"),
            model=SocketAnswer,
            template={"context_id": "{context}", "error": "{message}"},
            message_at="/error",
        ),
        error_close=1008,  # not documented
    ),
    context_at="/context_id",
    formats=FORMATS,
    ending=Ending(server_closes=False),  # "context_ids can run independently over the same connection"
    drift=(
        DocDrift(
            "voice_config",
            "The reference's guide writes voice_config.voiceId; Murf's integration sends "
            "voice_id (with style, rate, pitch, variation) on every text message: the declaration follows "
            "the integration.",
            (SOCKET_REFERENCE, SOCKET_INTEGRATION),
        ),
        DocDrift(
            "other messages",
            "Set Advanced Settings ({min_buffer_size, max_buffer_delay_in_ms} on its own, "
            "without text) is not declared: the family has no message of settings that name no slot, so the "
            "sandbox refuses it; both settings are taken on a text message. Clear Context drops the text "
            "not yet spoken; a synthesis already started plays to completion (SOCKET_CONTEXTS).",
            (SOCKET_REFERENCE, SOCKET_CONTEXTS),
        ),
        DocDrift(
            "errors",
            "The integration reads an `error` field beside context_id; its shape and the close "
            "that follows are not documented (the sandbox writes the message there and closes 1008).",
            (SOCKET_INTEGRATION,),
        ),
    ),
)

SOCKETS = (STREAM_INPUT,)
