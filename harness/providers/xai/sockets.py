"""xAI's streaming text-to-speech WebSocket (`wss://api.x.ai/v1/tts`) in the WebSocket speech family's terms, declared
from independent clients (source: client): the stored reference shows its "Streaming text to speech" section only as
"Loading WebSocket spec…", and the official client is REST-only ("The public TTS surface is REST-only", xai-sdk
tts.py). Every client read speaks it alike:

    Pipecat   pipecat-ai 1.14.0, `XAITTSService` (src/pipecat/services/xai/tts.py; read installed, and driven in
              tests/frameworks/test_pipecat.py)
    OpenClaw  its documentation of the xAI speech provider: "`textToSpeechStream` uses the native
              wss://api.x.ai/v1/tts" (the version not read)
    others    a Hermes agent's xAI streaming notes and check (`ws_connect` to /v1/tts?language&voice&codec&
              sample_rate, text.delta, text.done), grok_voice_mcp's stream (text.delta / text.done, audio.delta)

    upgrade   GET /v1/tts?voice=eve&language=en&codec=pcm&sample_rate=24000, Authorization: Bearer KEY
    client    {"type": "text.delta", "delta": "partial text"} ..., {"type": "text.done"} (the utterance's end)
    server    {"type": "audio.delta", "delta": base64} ..., {"type": "audio.done", "trace_id": uuid};
              {"type": "error", "message": ...}

The settings ride on the query (no opening message); the socket stays open for the next utterance ("multi-turn
sessions"), the client closes it. LiveKit Agents' xAI plugin (livekit-plugins-xai, livekit/agents 08ff668) speaks
another socket, `wss://api.x.ai/v1/realtime/audio/speech` (a `config` message, `text_chunk` messages): not declared
here, no stored page nor second client showing it.
"""

from __future__ import annotations

from typing import Literal

from harness.core.protocols.http_speech import Format, file_pieces, g711
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
from harness.core.spec import AudioAt, DocDrift, Evidence, EvidenceSource, RequestModel, ResponseModel

PIPECAT = "https://github.com/pipecat-ai/pipecat/blob/main/src/pipecat/services/xai/tts.py (XAITTSService)"
CLIENTS = Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0 (and OpenClaw's xAI provider, version not read)",
                   "XAITTSService._connect_websocket, run_tts, flush_audio, _receive_messages")
RATES = (8000, 16000, 22050, 24000, 44100, 48000)  # the REST endpoint's sample_rate values (models.OutputFormat)
RATE = 24000  # the clients' default and the REST endpoint's ("MP3 at 24 kHz")


class TextDelta(RequestModel):
    type: Literal["text.delta"]
    delta: str


class TextDone(RequestModel):
    type: Literal["text.done"]


class AudioDelta(ResponseModel):
    type: Literal["audio.delta"]
    delta: str  # base64 audio in the codec the query asked for


class AudioDone(ResponseModel):
    type: Literal["audio.done"]
    trace_id: str | None = None


class SocketError(ResponseModel):
    type: Literal["error"]
    message: str


# pcm first (Pipecat's default: "pcm so emitted TTSAudioRawFrame objects need no decoding"): headerless 16-bit
# samples, as the REST endpoint's pcm; mp3 (OpenClaw's for voice messages), pieces of one MP3 stream.
FORMATS = (
    Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=RATES),
    # mulaw, alaw: the REST endpoint's codecs, neither header nor rate said: answered as assumed
    g711("mulaw", "pcm_mulaw", RATES),
    g711("alaw", "pcm_alaw", RATES),
    file_pieces(
        Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES)
    ),  # how it is cut: not said
)

STREAM = Socket(
    key="tts.ws", path="/v1/tts",
    summary="Streaming TTS WebSocket: text.delta messages in, base64 audio.delta out, audio.done per utterance",
    doc=PIPECAT,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer <key> (on upgrade)"
    upgrade=Upgrade(query={"voice": "{voice}", "language": "en", "codec": "{format}", "sample_rate": "{rate}"}),
    text=Send("text.delta", {"type": "text.delta", "delta": "{text}"}, TextDelta, Match("/type", "text.delta")),
    end=Send("text.done", {"type": "text.done"}, TextDone, Match("/type", "text.done")),
    audio_answer=AudioAnswer(
        message=Answer(name="audio.delta", kind=Kind.AUDIO, match=Match("/type", "audio.delta"), model=AudioDelta,
                       template={"type": "audio.delta", "delta": "{audio}"}),
        at=AudioAt("/delta"),
    ),
    final=Answer(name="audio.done", kind=Kind.FINAL, match=Match("/type", "audio.done"), model=AudioDone,
                 template={"type": "audio.done", "trace_id": "{id}"}),
    failures=Failures(
        error=Answer(name="error", kind=Kind.ERROR, match=Match("/type", "error"), model=SocketError,
                     template={"type": "error", "message": "{message}"}, message_at="/message"),
        error_close=1008,  # not in the clients: they read the error message and go on or reconnect
    ),
    formats=FORMATS,
    ending=Ending(server_closes=False),  # multi-turn: the next text.delta after audio.done is the next utterance
    evidence=CLIENTS,
    drift=(DocDrift("evidence", "No stored page documents this socket (the reference shows \"Loading WebSocket "
                    "spec…\"; xai-sdk is REST-only): declared from independent clients, source: client. Its close "
                    "codes, error codes and limits are unknown.", (PIPECAT,)),),
)

SOCKETS = (STREAM,)
