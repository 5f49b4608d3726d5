"""Resemble's streaming WebSocket (`wss://websocket.cluster.resemble.ai/stream`) in the WebSocket speech family's
terms, as its guide writes it (SOCKET_GUIDE): one JSON request per synthesis carrying the text and every setting (no
opening, no end message: the family's `end=None`), audio back as JSON frames with base64 at /audio_content until the
terminal {"type": "audio_end"}; the key is the upgrade's bearer header, as the integrations send it (PIPECAT), which
also read the error frame ({"type": "error", "error_name", "message", "status_code"}) and close the socket themselves.
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
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift
from harness.providers.resemble.models import PIPECAT, SOCKET_GUIDE, SocketFrame, SocketRequest

WS_HOST = "websocket"
RATE = 22050  # the integrations' rate; the guide's sample_rate takes 8000, 16000, 22050, 32000 or 44100
# JSON frames of raw PCM: "no_audio_header: When true, omits WAV headers" (each frame then decodes on its own).
# output_format: "wav (default) or mp3" (SOCKET_GUIDE's request table): mp3 is documented, so the socket takes it
# (issue 53: the imitation refused it). Its frames are pieces of one MP3 stream.
FORMATS = (
    Format(
        name="wav",
        spec=AudioSpec("pcm_s16le", RATE, "raw"),
        media_type=f"audio/pcm;rate={RATE}",
        rates=(8000, 16000, 22050, 32000, 44100),
    ),
    Format(
        name="mp3",
        spec=AudioSpec("mp3", RATE, "mp3"),
        media_type="audio/mpeg",
        rates=(8000, 16000, 22050, 32000, 44100),
    ),
)

# The request's id, carried back in every answer to it: "request_id number Optional integer echoed back on
# responses. Auto-increments per message if omitted." (SOCKET_GUIDE's request table, read 2026-11-27): the family's
# `{nonce}`, so a client numbering its requests from 1 is answered with its own numbers (issue 82: the imitation
# answered 0 whatever came).
STREAM = Socket(
    key="stream.ws",
    path="/stream",
    upgrade=Upgrade(host=WS_HOST),
    summary="Streaming WebSocket: one JSON request per synthesis, base64 audio frames, then audio_end",
    doc=SOCKET_GUIDE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),
    text=Send(
        "request",
        {
            "voice_uuid": "{voice}",
            "data": "{text}",
            "binary_response": False,
            "request_id": "{nonce}",
            "output_format": "{format}",
            "sample_rate": "{rate}",
            "precision": "PCM_16",
            "no_audio_header": True,
        },
        SocketRequest,
        Match("/data"),
    ),
    end=None,
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio",
            kind=Kind.AUDIO,
            match=Match("/type", "audio"),
            model=SocketFrame,
            template={"type": "audio", "audio_content": "{audio}", "sample_rate": "{rate}", "request_id": "{nonce}"},
        ),
        at=AudioAt("/audio_content"),
    ),
    final=Answer(
        name="audio_end",
        kind=Kind.FINAL,
        match=Match("/type", "audio_end"),
        model=SocketFrame,
        template={"type": "audio_end", "request_id": "{nonce}"},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=SocketFrame,
            template={"type": "error", "message": "{message}", "status_code": "{code}", "request_id": "{nonce}"},
            message_at="/message",
            code_at="/status_code",
        ),  # error_name's values are not in the material
    ),
    formats=FORMATS,
    models={"resemble": "resemble"},  # the one synthesis, not again as the HTTP stream's offering
    ending=Ending(server_closes=False),  # the integrations close it ("doesn't send disconnect acknowledgement")
    drift=(
        DocDrift(
            "errors",
            '"Recoverable errors: the connection remains open"; the family\'s imitation ends the '
            "socket after its error frame (close 1008).",
            (SOCKET_GUIDE,),
        ),
        DocDrift(
            "frames",
            "The guide names audio_end and error_name without showing either frame: their bodies "
            'are the integrations\' ({"type": "audio_end"}, {"type": "error", "error_name", '
            '"message", "status_code"}), as is the bearer key on the upgrade.',
            (SOCKET_GUIDE, PIPECAT),
        ),
        DocDrift(
            "binary frames",
            "binary_response=true (raw audio frames) is not declared: the declaration asks "
            "for JSON frames, as the integrations do.",
            (SOCKET_GUIDE,),
        ),
    ),
)

SOCKETS = (STREAM,)
