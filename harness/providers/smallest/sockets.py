"""Smallest.ai's live WebSocket (`wss://api.smallest.ai/waves/v1/tts/live`) in the WebSocket speech family's terms,
as its official client speaks it (source: sdk): no opening message — every request carries the voice, the model and
the rate — text sent with "continue": true, a flush that ends it, chunks back with base64 audio at /data/audio, and
"complete"; the key is the upgrade's bearer header ("Websocket initialized with invalid credentials" on a 401).
"""

from __future__ import annotations

from harness.core.protocols.http_speech import Format
from harness.core.protocols.marks import Marks
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
)
from harness.core.spec import AudioAt, DocDrift
from harness.providers.smallest.models import SDK, TtsRequest, TtsResponse

# "When you're done sending text, push one final message with `flush: true` and an empty `text` — the server finishes
# the buffer and sends `status: "complete"`" (its v3.1 page: the live socket is "Same protocol, same payload shape").
LIGHTNING_WS = "https://docs.smallest.ai/waves/api-reference/api-reference/text-to-speech/text-to-speech-v-3-1"

RATE = 24000
# Every request names its rate, and no format: "sample_rate: Audio sample rate in Hz. Supported values: 8000, 16000,
# 24000, 44100" (smallestai 5.14.0's TtsRequestMessage, source: sdk; read 2026-11-27), answered at the rate asked
# (issue 82: the imitation sent 24 kHz whatever came, a client asking 8 kHz playing it three times too long).
SETTINGS = {"voice_id": "{voice}", "model": "{model}", "sample_rate": "{rate}"}

# Word times, asked per text message with `word_timestamps`, a frame each word between the audio chunks, in seconds
# from the start of the audio stream; the words as written ("un-normalized"). The same frames on the SSE answer.
_TIMESTAMPS_SDK = "https://pypi.org/project/smallestai/5.14.0/ (smallestai/waves/tts/types/tts_request_message.py)"
WORD_TIMESTAMPS = Marks(
    text_at="/word",
    start_at="/start",
    end_at="/end",
    items_at="/data",
    each=True,
    asked_by="/word_timestamps",
    answer=Answer(
        name="word_timestamp",
        kind=Kind.MARKS,
        match=Match("/status", "word_timestamp"),
        model=TtsResponse,
        template={"status": "word_timestamp", "data": {}},
    ),
    evidence='word_timestamps: "Opt in to per-word timing events for the synthesized audio. When `true`, the server '
    'interleaves `status: "word_timestamp"` frames with the audio `chunk` frames; each carries `data: { id, '
    "word, start, end }` where `start`/`end` are floats in seconds relative to the start of the audio stream, "
    'and `word` is verbatim from the input text (un-normalized ...)" (' + _TIMESTAMPS_SDK + ", read "
    "2026-11-26)",
)

LIVE = Socket(
    key="tts.live",
    path="/waves/v1/tts/live",
    summary="Live TTS WebSocket: text in, PCM chunks out",
    doc=SDK,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),
    # Every message but the flush is a text message; its `continue` says whether more text follows: "This setting
    # controls whether the system should buffer and wait for more input after receiving the current one. If not set,
    # it assumes no more input is coming" (the client's TtsRequestMessage, source: sdk; read 2026-11-25). The end the
    # reference names: "push one final message with `flush: true` and an empty `text`" (LIGHTNING_WS).
    text=Send("text", {**SETTINGS, "text": "{text}", "continue": True}, TtsRequest, Match("/text")),
    end=Send("flush", {**SETTINGS, "text": "", "flush": True}, TtsRequest, Match("/flush", True)),
    ending=Ending(
        continues=Match("/continue", True),
        server_closes=False,
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="chunk",
            kind=Kind.AUDIO,
            match=Match("/status", "chunk"),
            model=TtsResponse,
            template={"status": "chunk", "data": {"audio": "{audio}"}, "session_id": "{id}"},
        ),
        at=AudioAt("/data/audio"),
    ),
    final=Answer(
        name="complete",
        kind=Kind.FINAL,
        match=Match("/status", "complete"),
        model=TtsResponse,
        template={"status": "complete", "session_id": "{id}"},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/status", "error"),
            model=TtsResponse,
            template={"status": "error"},
            message_at="/message",
        ),
    ),
    marks=WORD_TIMESTAMPS,
    formats=(
        Format(
            name="pcm",
            spec=AudioSpec("pcm_s16le", RATE, "raw"),
            media_type=f"audio/pcm;rate={RATE}",
            rates=(8000, 16000, 24000, 44100),
        ),
    ),
    drift=(
        DocDrift(
            "end of text",
            "The reference ends the text with a flush (flush: true, empty text); the client's "
            'request model says a message without continue true is the last ("If not set, it assumes no '
            'more input is coming"): both end it here, the declaration sending the text with continue and '
            "ending it with a flush, answered by complete.",
            (SDK, LIGHTNING_WS),
        ),
    ),
)

SOCKETS = (LIVE,)
