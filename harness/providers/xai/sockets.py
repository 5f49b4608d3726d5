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

Its Voice Agent API (`REALTIME`, wss://api.x.ai/v1/realtime?model=...) speaks the OpenAI Realtime event names
("It speaks the OpenAI Realtime event names with xAI's own session shape", a gateway's reference of it) and is
declared from xAI's guide and pricing pages: only its data differs from the GA grammar — a flat session
(`"voice": "eve"`, `instructions`, `turn_detection`: VOICE_GUIDE's quick start, which sends session.update at once,
waiting for nothing), the models, the voices and a price per minute of audio and per text message.
"""

from __future__ import annotations

from typing import Any, Literal

from harness.core.protocols.http_speech import Format, Model, file_pieces, g711
from harness.core.protocols.realtime_events import (
    RealtimeEvent,
    audio_deltas,
    error_event,
    metadata,
    realtime_event,
    respond,
    transcript_deltas,
    user_text,
)
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
from harness.core.spec import AudioAt, DocDrift, Evidence, EvidenceSource, RequestModel, ResponseModel

PIPECAT = "https://github.com/pipecat-ai/pipecat/blob/main/src/pipecat/services/xai/tts.py (XAITTSService)"
CLIENTS = Evidence(
    EvidenceSource.CLIENT,
    "pipecat-ai==1.14.0 (and OpenClaw's xAI provider, version not read)",
    "XAITTSService._connect_websocket, run_tts, flush_audio, _receive_messages",
)
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
    key="tts.ws",
    path="/v1/tts",
    summary="Streaming TTS WebSocket: text.delta messages in, base64 audio.delta out, audio.done per utterance",
    doc=PIPECAT,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer <key> (on upgrade)"
    upgrade=Upgrade(query={"voice": "{voice}", "language": "en", "codec": "{format}", "sample_rate": "{rate}"}),
    text=Send("text.delta", {"type": "text.delta", "delta": "{text}"}, TextDelta, Match("/type", "text.delta")),
    end=Send("text.done", {"type": "text.done"}, TextDone, Match("/type", "text.done")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio.delta",
            kind=Kind.AUDIO,
            match=Match("/type", "audio.delta"),
            model=AudioDelta,
            template={"type": "audio.delta", "delta": "{audio}"},
        ),
        at=AudioAt("/delta"),
    ),
    final=Answer(
        name="audio.done",
        kind=Kind.FINAL,
        match=Match("/type", "audio.done"),
        model=AudioDone,
        template={"type": "audio.done", "trace_id": "{id}"},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=SocketError,
            template={"type": "error", "message": "{message}"},
            message_at="/message",
        ),
        error_close=1008,  # not in the clients: they read the error message and go on or reconnect
    ),
    formats=FORMATS,
    ending=Ending(server_closes=False),  # multi-turn: the next text.delta after audio.done is the next utterance
    evidence=CLIENTS,
    drift=(
        DocDrift(
            "evidence",
            'No stored page documents this socket (the reference shows "Loading WebSocket '
            'spec…"; xai-sdk is REST-only): declared from independent clients, source: client. Its close '
            "codes, error codes and limits are unknown.",
            (PIPECAT,),
        ),
    ),
)

VOICE_GUIDE = "https://docs.x.ai/developers/model-capabilities/audio/voice-agent"
S2S_PRICES = "https://docs.x.ai/developers/models/speech-to-speech"
SAY_EXACTLY = "Repeat the user's message aloud, word for word, and say nothing else."


class RealtimeSession(RequestModel):
    voice: str | None = None
    instructions: str | None = None
    turn_detection: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    audio: dict[str, Any] | None = None


class RealtimeSessionUpdate(RequestModel):
    type: Literal["session.update"]
    session: RealtimeSession
    event_id: str | None = None


REALTIME_MODELS = (
    # "xai/grok-voice-think-fast-1.0 | Recommended | Flagship speech-to-speech voice model" (LiteLLM's xAI page,
    # read 2026-11-27); VOICE_GUIDE's quick start asks `?model=grok-voice-latest`
    Model(
        name="grok-voice-think-fast-1.0",
        synthesis="tts",
        voice="eve",
        description="grok-voice-think-fast-1.0 over the Voice Agent WebSocket (voice eve), asked to say the text",
    ),
)

REALTIME = Socket(
    key="realtime",
    path="/v1/realtime",
    summary="Voice Agent API: session.update, conversation.item.create and response.create; "
    "response.output_audio.delta and its transcript, response.done",
    doc=VOICE_GUIDE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer" (VOICE_GUIDE's quick start)
    upgrade=Upgrade(query={"model": "{model}"}),
    start=Start(
        opening=Send(
            "session.update",
            {"type": "session.update", "session": {"voice": "{voice}", "instructions": SAY_EXACTLY}},
            RealtimeSessionUpdate,
            Match("/type", "session.update"),
        ),
        ready=Answer(
            name="session.updated",
            kind=Kind.READY,
            match=Match("/type", "session.updated"),
            model=RealtimeEvent,
            template=realtime_event("session.updated", session={"voice": "{voice}"}),
        ),
    ),
    # the Realtime event grammar's shapes (harness.core.protocols.realtime_events), under its GA names
    text=user_text(),
    end=respond(),
    audio_answer=audio_deltas("response.output_audio.delta"),
    transcript=transcript_deltas("response.output_audio_transcript.delta"),
    final=Answer(
        name="response.done",
        kind=Kind.FINAL,
        match=Match("/type", "response.done"),
        model=RealtimeEvent,
        template=realtime_event("response.done", response={"id": "resp_{response}", "status": "completed"}),
    ),
    others=metadata(
        (
            "session.created",
            "conversation.created",
            "conversation.item.added",
            "response.created",
            "response.output_item.added",
            "response.output_item.done",
            "response.output_audio.done",
            "response.output_audio_transcript.done",
        )
    ),
    failures=Failures(error=error_event()),
    formats=(
        Format(
            name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=(RATE,)
        ),
    ),
    ending=Ending(server_closes=False),  # the session goes on for the next turn: the client closes it
    own_models=REALTIME_MODELS,
    suffix="",
    drift=(
        DocDrift(
            "realtime audio format",
            "VOICE_GUIDE's session names no audio format: the socket is declared "
            "with 16-bit PCM at 24 kHz, the OpenAI Realtime default its events copy; check it against the "
            "provider.",
            (VOICE_GUIDE,),
        ),
        DocDrift(
            "realtime usage",
            "The pricing page bills minutes of audio and text messages but no stored page "
            "shows a usage field in response.done: the cost is the price sheet's, from the audio kept.",
            (S2S_PRICES,),
        ),
    ),
)

SOCKETS = (STREAM, REALTIME)
