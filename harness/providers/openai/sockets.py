"""OpenAI's Realtime API (GA) over its WebSocket, as a voice agent uses it to speak, in the WebSocket speech family's
terms: a speech-to-speech model asked to say a text.

    upgrade  GET wss://api.openai.com/v1/realtime?model=gpt-realtime-1.5, Authorization: Bearer KEY (the official
             client joins `/realtime` onto its base URL and puts `model` in the query: openai 3.57.0,
             resources/realtime/realtime.py `_prepare_url`, `_connect_ws`)
    server   session.created on connect
    client   session.update {"session": {"type": "realtime", "output_modalities": ["audio"], "instructions",
             "audio": {"output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice"}}}} → session.updated;
             conversation.item.create (a user message of `input_text`) · response.create
    server   conversation.item.added {"item": the item as sent, its id the client's or the server's,
             "previous_item_id"} for each conversation.item.create; then for each response.create:
             response.created {"response": {"id", "status": "in_progress", "metadata": the response.create's}} ·
             response.output_item.added {"item": {"id", "role": "assistant", "status": "in_progress"}} ·
             conversation.item.added (that item) · response.content_part.added {"part": {"type": "audio"}} ·
             response.output_audio_transcript.delta {"delta": text} · response.output_audio.delta {"delta": base64
             PCM} ... · response.output_audio.done · response.output_audio_transcript.done {"transcript"} ·
             response.content_part.done · response.output_item.done · conversation.item.done · response.done
             {"response": {"status", "output", "usage": {"input_token_details": {"text_tokens"},
             "output_token_details": {"audio_tokens"}}}}; error {"error": {"type", "code", "message", "param"}}
             Every event has its own `event_id` ("The unique ID of the server event"); the deltas and the events
             around them name the response (`response_id`), its item (`item_id`), `output_index` and `content_index`.

Every shape is the official client's generated types (openai==3.57.0, `openai/types/realtime/`, "File generated from
our OpenAPI spec"): `session_update_event.py`, `realtime_session_create_request.py` (`type: Literal["realtime"]`,
`output_modalities`, the models), `realtime_audio_formats.py` ("The PCM audio format. Only a 24kHz sample rate is
supported."), `realtime_audio_config_output.py` (the voices), `conversation_item_create_event.py`,
`response_create_event.py`, `response_audio_delta_event.py` (`type: Literal["response.output_audio.delta"]`),
`response_audio_transcript_delta_event.py`, `response_done_event.py`, `realtime_response_usage*.py`,
`realtime_error_event.py`; the events around a response's audio: `conversation_item_added.py`,
`conversation_item_done.py`, `response_created_event.py`, `response_output_item_added_event.py`,
`response_content_part_added_event.py`, `response_audio_done_event.py`, `response_audio_transcript_done_event.py`,
`response_content_part_done_event.py`, `response_output_item_done_event.py`, `realtime_response.py` (`metadata`),
`realtime_conversation_item_assistant_message.py` (the output item; its content `output_audio` with its
`transcript`). The order is the reference's
(https://developers.openai.com/api/reference/resources/realtime): `conversation.item.added` is "Sent by the server
when an Item is added to the default Conversation ... When the client sends a `conversation.item.create` event ...
When the model is generating a Response ... when the model starts generating a specific Item, and thus it will not yet
have any content (and `status` will be `in_progress`)"; `response.created` is "The first event of response creation,
where the response is in an initial state of `in_progress`"; `conversation.item.done` is "Returned when a conversation
item is finalized". The prices are the models' pages (harness/data/prices/openai.toml).

Strictness, as the GA endpoint shows it: a field it does not know is refused with an error event — "Unknown
parameter: 'session.input_audio_format'." (code `unknown_parameter`, type `invalid_request_error`: rudyll/stackchan-
ai-server#9, 2026-08-27; mastra-ai/mastra#16940, "Unknown parameter: 'session.voice'"; TanStack/ai#699: "GA rejects
the *entire* update on any unknown (Beta-named) field"). So the socket's `unknown_input` is `refused`.

A model asked to say a text says it (the instructions ask exactly that): the sandbox speaks the asked text in its
voice, and the transcript deltas are its words (docs/sandbox-differences.md).

The beta grammar (`OpenAI-Beta: realtime=v1`, `response.audio.delta`, `response.audio_transcript.delta`,
`session.modalities`) is kept as a dated, retired contract: `BETA` below. "OpenAI removed the Realtime Beta API on
2026-05-12" (OpenWhispr/openwhispr#811); a beta shape then fails with `beta_api_shape_disabled` (TanStack/ai#586).
"""

from __future__ import annotations

from typing import Any, Literal

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.http_speech import Format, Model
from harness.core.protocols.realtime_events import (
    audio_deltas,
    cancel_response,
    error_event,
    metadata,
    realtime_event,
    respond,
    transcript_deltas,
    user_text,
)
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    Clears,
    Conversation,
    Ending,
    Failures,
    KeyIn,
    Match,
    RetiredGrammar,
    Send,
    Socket,
    SocketAuth,
    Start,
    Upgrade,
)
from harness.core.spec import DocDrift, RequestModel, ResponseModel, UnknownInput

HOST = "v1"  # the declaration's host: https://api.openai.com/v1 (the official client's base URL)
SDK_TYPES = "https://github.com/openai/openai-python/tree/main/src/openai/types/realtime"
SDK = Evidence(EvidenceSource.SDK, "openai==3.57.0", "client.realtime.connect, openai/types/realtime/*")
GUIDE = "https://platform.openai.com/docs/guides/realtime-websocket"
MODEL_PAGE = "https://developers.openai.com/api/docs/models/gpt-realtime-1.5"
MINI_PAGE = "https://developers.openai.com/api/docs/models/gpt-realtime-2.1-mini"
PCM_RATE = 24_000  # AudioPCM.rate: "The sample rate of the audio. Always `24000`."
# A model asked to say a text: what the session's instructions ask (`instructions`: "The default system instructions
# ... prepended to model calls").
SAY_EXACTLY = "Repeat the user's message aloud, word for word, and say nothing else."
VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")  # AudioOutput.voice


# --- client events (strict: the GA endpoint refuses what it does not know) ----------------------------------------


class PcmFormat(RequestModel):
    type: Literal["audio/pcm", "audio/pcmu", "audio/pcma"]
    rate: Literal[24000] | None = None


class AudioOutput(RequestModel):
    format: PcmFormat | None = None
    voice: str | None = None
    speed: float | None = None


class AudioConfig(RequestModel):
    input: dict[str, Any] | None = None
    output: AudioOutput | None = None


class SessionConfig(RequestModel):
    type: Literal["realtime"]
    model: str | None = None
    output_modalities: list[Literal["text", "audio"]] | None = None
    instructions: str | None = None
    audio: AudioConfig | None = None
    max_output_tokens: int | Literal["inf"] | None = None
    include: list[str] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    tracing: str | dict[str, Any] | None = None
    truncation: str | dict[str, Any] | None = None
    prompt: dict[str, Any] | None = None
    reasoning: dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None


class SessionUpdate(RequestModel):
    type: Literal["session.update"]
    session: SessionConfig
    event_id: str | None = None


class InputText(RequestModel):
    type: Literal["input_text"]
    text: str


class UserMessage(RequestModel):
    type: Literal["message"]
    role: Literal["user", "system"]
    content: list[InputText]
    id: str | None = None
    object: Literal["realtime.item"] | None = None
    status: str | None = None


class ItemCreate(RequestModel):
    type: Literal["conversation.item.create"]
    item: UserMessage
    event_id: str | None = None
    previous_item_id: str | None = None


# --- server events (what the server adds is drift, never a failure) -----------------------------------------------


class ServerEvent(ResponseModel):
    type: str
    event_id: str


class OutputDelta(ResponseModel):
    """response.output_audio.delta and response.output_audio_transcript.delta: the same fields."""

    type: str
    event_id: str
    response_id: str
    item_id: str
    output_index: int
    content_index: int
    delta: str


class ItemEvent(ResponseModel):
    """conversation.item.added and conversation.item.done (`ConversationItemAdded`, `ConversationItemDone`)."""

    type: str
    event_id: str
    item: dict[str, Any]
    previous_item_id: str | None = None


class ResponseCreated(ResponseModel):
    type: Literal["response.created"]
    event_id: str
    response: dict[str, Any]


class OutputItemEvent(ResponseModel):
    """response.output_item.added and .done: the response's item."""

    type: str
    event_id: str
    response_id: str
    output_index: int
    item: dict[str, Any]


class ContentEvent(ResponseModel):
    """response.content_part.added/.done (`part`), response.output_audio.done, response.output_audio_transcript.done
    (`transcript`): the same ids."""

    type: str
    event_id: str
    response_id: str
    item_id: str
    output_index: int
    content_index: int
    part: dict[str, Any] | None = None
    transcript: str | None = None


class ResponseDone(ResponseModel):
    type: Literal["response.done"]
    event_id: str
    response: dict[str, Any]


class ErrorDetail(ResponseModel):
    type: str
    message: str
    code: str | None = None
    param: str | None = None
    event_id: str | None = None


class ErrorEvent(ResponseModel):
    type: Literal["error"]
    event_id: str
    error: ErrorDetail


_SESSION = {
    "type": "realtime",
    "object": "realtime.session",
    "id": "sess_{id}",
    "model": "{model}",
    "output_modalities": ["audio"],
    "audio": {"output": {"format": {"type": "{format}", "rate": "{rate}"}, "voice": "{voice}"}},
}
_USAGE = (
    'openai==3.57.0 RealtimeResponse.usage "Usage statistics for the Response, this will correspond to '
    'billing."; RealtimeResponseUsageInputTokenDetails / OutputTokenDetails: '
)
BILLING = (
    BilledSignal(
        unit=Unit.TEXT_TOKENS,
        at="/response/usage/input_token_details/text_tokens",
        event="response.done",
        source="sdk",
        evidence=_USAGE + 'text_tokens "The number of text tokens used as input"',
    ),
    BilledSignal(
        unit=Unit.AUDIO_TOKENS,
        at="/response/usage/output_token_details/audio_tokens",
        event="response.done",
        source="sdk",
        evidence=_USAGE + 'audio_tokens "The number of audio tokens used in the Response"',
    ),
)

# The models a team weighs beside a text-to-speech API (their pages: "The best voice model for audio in, audio out";
# "a distilled reasoning model for faster, lower-cost realtime voice interactions"). Offered over this socket alone.
MODELS = (
    Model(
        name="gpt-realtime-1.5",
        synthesis="audio.speech",
        voice="marin",
        max_chars=4096,
        description="gpt-realtime-1.5 over the Realtime WebSocket (voice marin), asked to say the text",
    ),
    Model(
        name="gpt-realtime-2.1-mini",
        synthesis="audio.speech",
        voice="marin",
        max_chars=4096,
        named_only=True,
        description="gpt-realtime-2.1-mini over the Realtime WebSocket (voice marin), asked to say the text",
    ),
)

FORMATS = (
    # "The PCM audio format. Only a 24kHz sample rate is supported." (audio/pcmu and audio/pcma carry no rate field and
    # are left out: the opening writes one)
    Format(name="audio/pcm", spec=AudioSpec("pcm_s16le", PCM_RATE, "raw"), media_type="audio/pcm", rates=(PCM_RATE,)),
)

#: The beta Realtime grammar, switched off on 2026-05-12 (OpenWhispr/openwhispr#811: "OpenAI removed the Realtime Beta
#: API on 2026-05-12"); its names from the SDK's beta types (openai 1.x `types/beta/realtime/`) and the GA migration
#: (TanStack/ai#699: "Server events: handled under GA names (`response.output_audio_transcript.*`,
#: `response.output_audio.*` ...)"; mastra-ai/mastra#16940: "voice moves to `audio.output.voice`").
BETA = RetiredGrammar(
    name="realtime=v1",
    retired_on="2026-05-12",
    evidence="https://github.com/OpenWhispr/openwhispr/pull/811",
    header=("OpenAI-Beta", "realtime=v1"),
    events=(
        ("response.audio.delta", "response.output_audio.delta"),
        ("response.audio.done", "response.output_audio.done"),
        ("response.audio_transcript.delta", "response.output_audio_transcript.delta"),
        ("response.audio_transcript.done", "response.output_audio_transcript.done"),
        ("response.text.delta", "response.output_text.delta"),
    ),
    fields=(
        ("session.modalities", "session.output_modalities"),
        ("session.voice", "session.audio.output.voice"),
        ("session.output_audio_format", "session.audio.output.format"),
    ),
)

# The response's output item (RealtimeConversationItemAssistantMessage: "id ... may be provided by the client or
# generated by the server"; its content `output_audio` with the `transcript` "always ... present if the output type is
# `audio`"), while it is made and once done.
_ITEM = {"id": "item_{output}", "object": "realtime.item", "type": "message", "role": "assistant"}
_ITEM_MADE = {**_ITEM, "status": "in_progress", "content": []}
_ITEM_DONE = {
    **_ITEM,
    "status": "{item_status}",  # "incomplete" where the response is cancelled
    "content": [{"type": "output_audio", "transcript": "{transcript}"}],
}
_IDS = {"response_id": "resp_{response}", "item_id": "item_{output}", "output_index": 0, "content_index": 0}
_OUTPUT = {"response_id": "resp_{response}", "output_index": 0}

# The cancel over the WebSocket: response.cancel, answered by a response.done whose status is cancelled; no audio of
# the response after it. The events that close the response's item come first (response_audio_done_event.py and the
# other closing events: "Also emitted when a Response is interrupted, incomplete, or cancelled"), the item
# `incomplete`. (`output_audio_buffer.clear` is "WebRTC/SIP only", Azure's ai-projects reference of the same
# event, and "WebRTC Only" in the beta types: not this socket's.)
# openai-client-base 0.8.1, RealtimeClientEventResponseCancel (generated from OpenAI's OpenAPI spec):
CANCEL_QUOTE = (
    "Send this event to cancel an in-progress response. The server will respond with a `response.done` "
    "event with a status of `response.status=cancelled`. If there is no response to cancel, the server "
    "will respond with an error."
)
CANCELLED = realtime_event(
    "response.done",
    response={
        "id": "resp_{response}",
        "object": "realtime.response",
        "status": "cancelled",
        "output_modalities": ["audio"],
        "metadata": "{metadata}",
        "output": [_ITEM_DONE],
        "status_details": {"type": "cancelled", "reason": "client_cancelled"},
        "usage": {
            "input_token_details": {"text_tokens": 0, "audio_tokens": 0},
            "output_token_details": {"text_tokens": 0, "audio_tokens": 0},
        },
    },
)


def _event(name: str, model: type[ResponseModel], **fields: object) -> Answer:
    return Answer(
        name=name, kind=Kind.METADATA, match=Match("/type", name), model=model, template=realtime_event(name, **fields)
    )


CONVERSATION = Conversation(
    # ConversationItemAdded: "The event will include the full content of the Item"; the id "may be provided by the
    # client or generated by the server"; previous_item_id "The ID of the item that precedes this one, if any" (the
    # client's `root`: "added to the beginning of the conversation", ConversationItemCreateEvent.previous_item_id)
    added=_event("conversation.item.added", ItemEvent, previous_item_id="{previous}", item="{item}"),
    item_at="/item",
    previous_at="/previous_item_id",
    first="root",
    metadata_at="/response/metadata",  # RealtimeResponse.metadata, set by response.create's `response.metadata`
    opens=(
        _event(
            "response.created",
            ResponseCreated,
            response={
                "id": "resp_{response}",
                "object": "realtime.response",
                "status": "in_progress",
                "output_modalities": ["audio"],
                "metadata": "{metadata}",
                "output": [],
            },
        ),
        _event("response.output_item.added", OutputItemEvent, **_OUTPUT, item=_ITEM_MADE),
        _event("conversation.item.added", ItemEvent, previous_item_id="{previous}", item=_ITEM_MADE),
        _event("response.content_part.added", ContentEvent, **_IDS, part={"type": "audio", "transcript": ""}),
    ),
    closes=(
        _event("response.output_audio.done", ContentEvent, **_IDS),
        _event("response.output_audio_transcript.done", ContentEvent, **_IDS, transcript="{transcript}"),
        _event(
            "response.content_part.done", ContentEvent, **_IDS, part={"type": "audio", "transcript": "{transcript}"}
        ),
        _event("response.output_item.done", OutputItemEvent, **_OUTPUT, item=_ITEM_DONE),
        _event("conversation.item.done", ItemEvent, previous_item_id="{previous}", item=_ITEM_DONE),
    ),
)

REALTIME = Socket(
    key="realtime",
    path="/realtime",
    summary="Realtime API (GA): session.update, conversation.item.create and response.create; "
    "response.output_audio.delta and its transcript, response.done with usage",
    doc=SDK_TYPES,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),
    upgrade=Upgrade(host=HOST, query={"model": "{model}"}),
    start=Start(
        greeting=Answer(
            name="session.created",
            kind=Kind.OPENED,
            match=Match("/type", "session.created"),
            model=ServerEvent,
            template=realtime_event("session.created", session=_SESSION),
        ),
        opening=Send(
            "session.update",
            {
                "type": "session.update",
                "session": {
                    "type": "realtime",
                    "output_modalities": ["audio"],
                    "instructions": SAY_EXACTLY,
                    "audio": {"output": {"format": {"type": "{format}", "rate": "{rate}"}, "voice": "{voice}"}},
                },
            },
            SessionUpdate,
            Match("/type", "session.update"),
        ),
        ready=Answer(
            name="session.updated",
            kind=Kind.READY,
            match=Match("/type", "session.updated"),
            model=ServerEvent,
            template=realtime_event("session.updated", session=_SESSION),
        ),
        waits_for_greeting=True,
        waits_for_ready=True,
    ),
    # the Realtime event grammar's shapes (harness.core.protocols.realtime_events) with the GA types' stricter models
    text=user_text(ItemCreate),
    end=respond(),
    audio_answer=audio_deltas("response.output_audio.delta", OutputDelta),
    transcript=transcript_deltas("response.output_audio_transcript.delta", OutputDelta),
    final=Answer(
        name="response.done",
        kind=Kind.FINAL,
        match=Match("/type", "response.done"),
        model=ResponseDone,
        template=realtime_event(
            "response.done",
            response={
                "id": "resp_{response}",
                "object": "realtime.response",
                "status": "completed",
                "output_modalities": ["audio"],
                "metadata": "{metadata}",
                "output": [_ITEM_DONE],
                "usage": {
                    "input_token_details": {"text_tokens": 0, "audio_tokens": 0},
                    "output_token_details": {"text_tokens": 0, "audio_tokens": 0},
                },
            },
        ),
    ),
    conversation=CONVERSATION,
    others=metadata(
        (
            "conversation.item.created",
            "output_audio_buffer.started",
            "output_audio_buffer.stopped",
            "rate_limits.updated",
        ),
        ServerEvent,
    ),
    failures=Failures(
        error=error_event(ErrorEvent, param=None),
        error_close=1008,
    ),
    clear=cancel_response(),
    clears=Clears(
        answer=Answer(
            name="response.done (cancelled)",
            kind=Kind.FINAL,
            match=Match("/type", "response.done"),
            model=ResponseDone,
            template=CANCELLED,
        ),
        drops_speech=True,
    ),
    cancel=Cancel(
        "clear", AfterCancel.DROPPED, ack=Kind.FINAL, quote=CANCEL_QUOTE, doc=SDK_TYPES
    ),  # response_cancel_event.py, generated from the same spec
    formats=FORMATS,
    ending=Ending(server_closes=False),  # the session stays open for the next response: the client closes it
    billing=BILLING,
    unknown_input=UnknownInput.REFUSED,
    own_models=MODELS,
    suffix="",
    retired=BETA,
    evidence=DOCUMENTS,
    drift=(
        DocDrift(
            "realtime error close",
            "After an error event the GA socket stays open (the clients go on); the "
            "family's imitation closes it with 1008 after the error, as it does for every socket.",
            (SDK_TYPES,),
        ),
        DocDrift(
            "realtime tokens a second",
            "No stored page says how many audio tokens a second of speech is: the "
            "sandbox writes its estimate (openai.toml); response.done's usage is the bill.",
            (MODEL_PAGE,),
        ),
    ),
)


SOCKETS = (REALTIME,)
