"""Neuphonic's TTS WebSocket (`wss://api.neuphonic.com/speak/{lang_code}`) in the WebSocket speech family's terms, as
its official clients speak it (source: sdk): no opening message — the voice, rate and encoding ride on the URL's
query as `TTSConfig.to_query_params` writes them — the `x-api-key` header, {"text"} messages, {"text": " <STOP>"}
ending the passage ("We require a special end-of-sequence token `<STOP>` to be sent at the end of every passage of
text"), or `<STOP>` closing a text message (the repository's WebSocket page, WEBSOCKET_DOC, read 2026-11-25: "Sending
Messages (Python Example 2)": `await ws.send({'text': 'Hello, World! <STOP>'})`, and Example 1's `{'text': '<STOP>'}`),
answers {data: {audio (base64), text, sampling_rate}} of which the last carries `stop: true`; the client closes the
socket.
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
from harness.providers.neuphonic.models import SDK_WEBSOCKET, SDK_WEBSOCKET_JS, WEBSOCKET_DOC, SocketEvent, SocketText

# LiveKit Agents' Neuphonic plugin (livekit-plugins-neuphonic 1.8.9, tts.py SynthesizeStream) sends
# {"text": "...<STOP>", "context_id": <segment>} and keeps only the answers whose data.context_id is the one it sent:
# it reads the server as echoing the context. No stored Neuphonic page or official client names a context_id;
# Pipecat's Neuphonic service (pipecat-ai 1.14.0) sends none. Source: client.
LIVEKIT = "livekit-plugins-neuphonic 1.8.9 (livekit/plugins/neuphonic/tts.py: SynthesizeStream._run, data.context_id)"

RATE = 24000  # TTSConfig.sampling_rate "default=24000"
FORMATS = (
    Format(
        name="pcm_linear",
        spec=AudioSpec("pcm_s16le", RATE, "raw"),
        media_type=f"audio/pcm;rate={RATE}",
        rates=(8000, 16000, 22050, 24000),
    ),
    # TTSConfig.encoding's other value: headerless 8-bit mu-law samples at the asked sampling_rate
    Format(
        name="pcm_mulaw",
        spec=AudioSpec("pcm_mulaw", RATE, "raw"),
        media_type="audio/x-mulaw",
        rates=(8000, 16000, 22050, 24000),
    ),
)

SPEAK = Socket(
    key="speak.websocket",
    path="/speak/{lang_code}",
    summary="TTS WebSocket: text messages in, base64 PCM answers out (the last with stop)",
    doc=SDK_WEBSOCKET,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "pass your API key in the `x-api-key` header"
    upgrade=Upgrade(
        path_params={"lang_code": "en"},
        query={
            "speed": "1.0",
            "lang_code": "en",
            "voice_id": "{voice}",
            "sampling_rate": "{rate}",
            "encoding": "{format}",
        },  # TTSConfig's defaults, None values left out, as to_query_params writes them
    ),
    suffix="-ws",
    text=Send("text", {"text": "{text}"}, SocketText, Match("/text")),
    end=Send("stop", {"text": " <STOP>"}, SocketText, Match("/text", " <STOP>")),  # complete()
    ending=Ending(
        end_token="<STOP>",  # {'text': 'Hello, World! <STOP>'}: the passage and its end in one message (WEBSOCKET_DOC)
        server_closes=False,  # "If no messages are sent for 90 seconds, then the server will automatically disconnect"
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio",
            kind=Kind.AUDIO,
            match=Match("/data/audio"),
            model=SocketEvent,
            template={"data": {"audio": "{audio}", "sampling_rate": "{rate}"}},
        ),
        at=AudioAt("/data/audio"),
    ),
    final=Answer(
        name="stop",
        kind=Kind.FINAL,
        match=Match("/data/stop", True),
        model=SocketEvent,
        template={"data": {"audio": "", "sampling_rate": "{rate}", "stop": True}},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/errors"),
            model=SocketEvent,
            template={"status_code": "{code}", "errors": [{"message": "{message}"}]},
            code_at="/status_code",
            message_at="/errors/0/message",
        ),
        error_close=1008,  # not documented
    ),
    formats=FORMATS,
    context_at="/data/context_id",
    context_echoed_from="/context_id",
    drift=(
        DocDrift(
            "context_id",
            "No stored page or official client names a context: LiveKit's plugin sends "
            "context_id beside each text and reads only answers whose data.context_id echoes it (source: "
            "client). The sandbox takes the field (a finding, as any field the declaration does not list) and "
            "echoes the latest one a client named in data.context_id; a client that names none gets none.",
            (LIVEKIT, SDK_WEBSOCKET),
        ),
        DocDrift(
            "final marker",
            "The Python client reads no end of an utterance (its example sleeps); the "
            "official TypeScript client stops at the answer whose data carries stop: true, which the "
            "declaration follows.",
            (SDK_WEBSOCKET, SDK_WEBSOCKET_JS),
        ),
        DocDrift(
            "end of text",
            'The Python client\'s complete() sends {"text": " <STOP>"}; the repository\'s '
            'WebSocket page (marked "Deprecated") also ends a passage with <STOP> closing a text message, '
            'which the declaration reads as the end too. The page says the server returns "all the audio '
            "chunks up to that point\" at every <STOP>, each passage's own. Both clients "
            "also send bare text frames (pyneuphonic's send(str), neuphonic-js's send): only the JSON "
            '{"text"} form is declared.',
            (SDK_WEBSOCKET, SDK_WEBSOCKET_JS, WEBSOCKET_DOC),
        ),
        DocDrift(
            "errors",
            "No socket error message is in the stored material: the HTTP endpoint's "
            "{status_code, errors} shape (the client's APIResponse fields) is assumed, closed 1008.",
            (SDK_WEBSOCKET,),
        ),
    ),
)

SOCKETS = (SPEAK,)
