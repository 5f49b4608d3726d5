"""Smallest.ai's live WebSocket (`wss://api.smallest.ai/waves/v1/tts/live`) in the WebSocket speech family's terms,
as its official client speaks it (source: sdk): no opening message — every request carries the voice, the model and
the rate — text sent with "continue": true, a flush that ends it, chunks back with base64 audio at /data/audio, and
"complete"; the key is the upgrade's bearer header ("Websocket initialized with invalid credentials" on a 401).
"""

from __future__ import annotations

from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import Answer, KeyIn, Match, Send, Socket, SocketAuth
from harness.core.spec import AudioAt, DocDrift
from harness.providers.smallest.models import SDK, TtsRequest, TtsResponse

RATE = 24000
SETTINGS = {"voice_id": "{voice}", "model": "{model}", "sample_rate": "{rate}"}

LIVE = Socket(
    key="tts.live", path="/waves/v1/tts/live", summary="Live TTS WebSocket: text in, PCM chunks out",
    doc=SDK,
    auth=SocketAuth(KeyIn.HEADER, in_handshake=True),
    text=Send("text", {**SETTINGS, "text": "{text}", "continue": True}, TtsRequest, Match("/continue", True)),
    end=Send("flush", {**SETTINGS, "text": "", "flush": True}, TtsRequest, Match("/flush", True)),
    audio=Answer("chunk", Kind.AUDIO, Match("/status", "chunk"), TtsResponse,
                 {"status": "chunk", "data": {"audio": "{audio}"}, "session_id": "{id}"}),
    audio_at=AudioAt("/data/audio"),
    final=Answer("complete", Kind.FINAL, Match("/status", "complete"), TtsResponse,
                 {"status": "complete", "session_id": "{id}"}),
    error=Answer("error", Kind.ERROR, Match("/status", "error"), TtsResponse, {"status": "error"},
                 message_at="/message"),
    formats=(Format("pcm", AudioSpec("pcm_s16le", RATE, "raw"), f"audio/pcm;rate={RATE}",
                    (8000, 16000, 24000, 44100)),),
    server_closes=False,
    drift=(DocDrift("end of text", "The client's request carries continue and flush switches; which ends an "
                    "utterance is not spelt out: the declaration sends the text with continue and ends it with a "
                    "flush, answered by complete.", (SDK,)),),
)

SOCKETS = (LIVE,)
