"""Together AI's text-to-speech WebSocket (`wss://api.together.xyz/v1/audio/speech/websocket`) in the WebSocket speech
family's terms, as Together's documentation writes it (WEBSOCKET_GUIDE: its client and its server messages, and the
example clients): the bearer key on the upgrade, the model and voice in the URL's query, `session.created` first
("Wait for session created"), then `input_text_buffer.append` messages and `input_text_buffer.commit` ("Use this at the
end of your input stream"), `input_text_buffer.clear` ("Clears all buffered text without processing (except text
already being processed by the model)") and `tts_session.updated` ("Updates TTS session settings like voice in real
time"; API_REFERENCE: "Update session parameters like voice", its `session` also taking `extra_params`); back
`conversation.item.input_text.received`, `conversation.item.audio_output.delta` (base64 at `delta`),
`conversation.item.audio_output.done` and `conversation.item.tts.failed`. The client closes. References read
2026-11-25.

The socket's message models are here, beside the socket (the HTTP declaration's `models` has the HTTP payloads).
"""

from __future__ import annotations

from typing import Any, Literal

from harness.core.protocols.http_speech import Format
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
    Start,
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift, RequestModel, ResponseModel

WEBSOCKET_GUIDE = "https://docs.together.ai/docs/inference/text-to-speech/websocket.md"
GUIDE_COPY = "Together AI's llms-full.txt (2025-11-08), section WebSocket API: the server messages and examples"
API_REFERENCE = "https://docs.together.ai/reference/audio-speech-websocket.md"


class AppendText(RequestModel):
    type: Literal["input_text_buffer.append"]
    text: str


class CommitBuffer(RequestModel):
    """ "Forces processing of all buffered text. Use this at the end of your input stream." """

    type: Literal["input_text_buffer.commit"]


class ClearBuffer(RequestModel):
    """ "Clears all buffered text without processing (except text already being processed by the model)." """

    type: Literal["input_text_buffer.clear"]


class SessionSettings(RequestModel):
    """ "The `session` object also accepts an `extra_params` field for additional model-specific parameters"
    (API_REFERENCE: `pronunciation_dict`, a list of "<source>/<replacement>" rules)."""

    voice: str | None = None
    extra_params: dict[str, Any] | None = None


class SessionUpdate(RequestModel):
    """`{"type": "tts_session.updated", "session": {"voice": "new_voice_id"}}`: "Updates TTS session settings like
    voice in real time." """

    type: Literal["tts_session.updated"]
    session: SessionSettings


class SessionInfo(ResponseModel):
    id: str
    object: str | None = None  # "realtime.tts.session"
    modalities: list[str] | None = None
    model: str | None = None
    voice: str | None = None


class SessionCreated(ResponseModel):
    event_id: str | None = None
    type: Literal["session.created"]
    session: SessionInfo


class TextReceived(ResponseModel):
    type: Literal["conversation.item.input_text.received"]
    text: str


class AudioDelta(ResponseModel):
    type: Literal["conversation.item.audio_output.delta"]
    item_id: str
    delta: str  # "base64-encoded-audio-chunk"


class AudioDone(ResponseModel):
    type: Literal["conversation.item.audio_output.done"]
    item_id: str


class TtsFailed(ResponseModel):
    type: Literal["conversation.item.tts.failed"]
    error: dict[str, Any]  # {"message", "type", "code"}


RATE = 24000  # the HTTP declaration's: "The default sampling rate ... is 24000"
FORMATS = (Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}"),)

SPEECH_SOCKET = Socket(
    key="audio.speech.websocket",
    path="/v1/audio/speech/websocket",
    summary="TTS WebSocket: text appended and committed, base64 audio deltas and done out",
    doc=WEBSOCKET_GUIDE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Or use the Authorization header"
    upgrade=Upgrade(query={"model": "{model}", "voice": "{voice}", "response_format": "{format}"}),
    start=Start(
        greeting=Answer(
            name="session.created",
            kind=Kind.OPENED,
            match=Match("/type", "session.created"),
            model=SessionCreated,
            template={
                "event_id": "{id}",
                "type": "session.created",
                "session": {
                    "id": "{id}",
                    "object": "realtime.tts.session",
                    "modalities": ["text", "audio"],
                    "model": "{model}",
                    "voice": "{voice}",
                },
            },
        ),
        waits_for_greeting=True,  # no opening: the text waits ("Wait for session created")
    ),
    text=Send(
        "append",
        {"type": "input_text_buffer.append", "text": "{text}"},
        AppendText,
        Match("/type", "input_text_buffer.append"),
    ),
    end=Send("commit", {"type": "input_text_buffer.commit"}, CommitBuffer, Match("/type", "input_text_buffer.commit")),
    clear=Send("clear", {"type": "input_text_buffer.clear"}, ClearBuffer, Match("/type", "input_text_buffer.clear")),
    # The cancel: the clear, answered by nothing; the text the model is already speaking is spoken (WEBSOCKET_GUIDE).
    cancel=Cancel(
        "clear",
        AfterCancel.FINISHED,
        doc=WEBSOCKET_GUIDE,
        quote="Clears all buffered text without processing (except text already being processed by the model).",
    ),
    update=Send(
        "tts_session.updated",
        {"type": "tts_session.updated", "session": {"voice": "{voice}"}},
        SessionUpdate,
        Match("/type", "tts_session.updated"),
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio_output.delta",
            kind=Kind.AUDIO,
            match=Match("/type", "conversation.item.audio_output.delta"),
            model=AudioDelta,
            template={"type": "conversation.item.audio_output.delta", "item_id": "tts_1", "delta": "{audio}"},
        ),
        at=AudioAt("/delta"),
    ),
    final=Answer(
        name="audio_output.done",
        kind=Kind.FINAL,
        match=Match("/type", "conversation.item.audio_output.done"),
        model=AudioDone,
        template={"type": "conversation.item.audio_output.done", "item_id": "tts_1"},
    ),
    failures=Failures(
        error=Answer(
            name="tts.failed",
            kind=Kind.ERROR,
            match=Match("/type", "conversation.item.tts.failed"),
            model=TtsFailed,
            template={
                "type": "conversation.item.tts.failed",
                "error": {"message": "{message}", "type": "{code}", "code": "{code}"},
            },
            code_at="/error/code",
            message_at="/error/message",
        ),
        error_close=1008,  # not documented: the TypeScript example closes on tts.failed itself
    ),
    others=(
        Answer(
            name="input_text.received",
            kind=Kind.METADATA,
            match=Match("/type", "conversation.item.input_text.received"),
            model=TextReceived,
            template={"type": "conversation.item.input_text.received", "text": ""},
        ),
    ),
    formats=FORMATS,
    ending=Ending(server_closes=False),  # the examples read until they close (or the server does)
    drift=(
        DocDrift(
            "query",
            "The parameters table names the model `model_id`; both examples send `model`, which the "
            "declaration follows. response_format pcm is taken to be the HTTP endpoint's raw 16-bit PCM at "
            "24 kHz.",
            (WEBSOCKET_GUIDE,),
        ),
        DocDrift(
            "other messages",
            "The documents name no answer to tts_session.updated (the guide's "
            "server-to-client messages have no session.updated) and the sandbox sends none; its extra_params "
            'are taken, not applied. "If no context_id is specified, all contexts are updated": no '
            "context_id field is documented, so none is declared. The sandbox sends no input_text.received.",
            (WEBSOCKET_GUIDE, API_REFERENCE, GUIDE_COPY),
        ),
    ),
)

SOCKETS = (SPEECH_SOCKET,)
