"""Azure's Voice Live API over its WebSocket, as a voice agent uses it to speak, in the WebSocket speech family's
terms: a speech-to-speech model (gpt-realtime) asked to say a text, speaking an Azure neural voice.

    upgrade  wss://<region>.api.cognitive.microsoft.com/voice-live/realtime?api-version=2025-10-01&model=gpt-realtime
             ("For key access, you can provide the API key ... api-key connection header ... or the api-key query
             string parameter", TRAINING; LiveKit's Voice Live plugin: "AZURE_VOICE_LIVE_ENDPOINT=https://<region>.api.
             cognitive.microsoft.com/", "AZURE_VOICE_LIVE_API_KEY=<your-speech-key>", LIVEKIT)
    events   "Unless otherwise noted, the Voice Live API uses the same events as the Azure OpenAI Realtime API"
             (HOW_TO): the Realtime API's first names — session.update (`modalities`, `voice` {name, type:
             azure-standard}, `output_audio_format: pcm16`), conversation.item.create, response.create;
             response.audio.delta, response.audio_transcript.delta, response.done (the .NET client's
             SessionUpdateResponseAudioTranscriptDelta, a Voice Live sample's ResponseAudioDelta "response.audio.delta")

Declared as data only beside OpenAI's GA socket: the same shape under the names OpenAI retired. The voice is LiveKit's
default for it (`voice: str = 'en-US-AvaMultilingualNeural'`). No stored page prices it: its offering is named only.
"""

from __future__ import annotations

from typing import Any, Literal

from harness.core.protocols.http_speech import Format, Model
from harness.core.protocols.realtime_events import (
    RealtimeEvent,
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
from harness.core.spec import DocDrift, RequestModel

HOW_TO = "https://learn.microsoft.com/en-us/Azure/ai-services/speech-service/voice-live-how-to"
TRAINING = "https://learn.microsoft.com/en-ca/training/modules/develop-voice-live-agent/2-voice-live-api"
LIVEKIT = "https://pypi.org/project/livekit-plugins-azure/1.8.11/"
RATE = 24000  # pcm16: "16-bit PCM at a 24kHz sample rate" (the Realtime API's first session fields)
VOICE = "en-US-AvaMultilingualNeural"
SAY_EXACTLY = "Repeat the user's message aloud, word for word, and say nothing else."


class VoiceLiveVoice(RequestModel):
    name: str
    type: Literal["azure-standard", "azure-custom", "openai"] | None = None
    temperature: float | None = None


class VoiceLiveSession(RequestModel):
    modalities: list[Literal["text", "audio", "animation", "avatar"]] | None = None
    instructions: str | None = None
    voice: VoiceLiveVoice | str | None = None
    output_audio_format: Literal["pcm16", "g711_ulaw", "g711_alaw"] | None = None
    input_audio_format: str | None = None
    turn_detection: dict[str, Any] | None = None
    input_audio_transcription: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    temperature: float | None = None
    max_response_output_tokens: int | Literal["inf"] | None = None


class VoiceLiveUpdate(RequestModel):
    type: Literal["session.update"]
    session: VoiceLiveSession
    event_id: str | None = None


MODELS = (
    # "AZURE_VOICE_LIVE_MODEL=<model-name>  # e.g., gpt-realtime, gpt-4o, gpt-4o-mini" (LIVEKIT)
    # named only: no stored page prices it, and a run naming it is planned at its HTTP twin's characters (the
    # declaration's own figure, shown as weak), which is not Voice Live's price
    Model(
        name="gpt-realtime",
        synthesis="tts.synthesize",
        voice=VOICE,
        named_only=True,
        description=f"gpt-realtime over the Voice Live WebSocket (voice {VOICE}), asked to say the text",
    ),
)

# The cancel, as the Voice Live client library's reference gives it (ClientEventResponseCancel): "Send this event to
# cancel an in-progress response. The server will respond with a response.cancelled event or an error if there is no
# response to cancel." The response cancelled, none of its audio after the answer.
VOICELIVE_CANCEL = (
    "https://learn.microsoft.com/en-us/javascript/api/@azure/ai-voicelive/clienteventresponsecancel"
    "?view=azure-node-latest"
)

VOICE_LIVE = Socket(
    key="voice-live",
    path="/voice-live/realtime",
    summary="Voice Live API: session.update, conversation.item.create and response.create; response.audio.delta "
    "and its transcript, response.done",
    doc=HOW_TO,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True, query=("api-key",)),
    upgrade=Upgrade(host="sts", query={"api-version": "2025-10-01", "model": "{model}"}),
    start=Start(
        greeting=Answer(
            name="session.created",
            kind=Kind.OPENED,
            match=Match("/type", "session.created"),
            model=RealtimeEvent,
            template=realtime_event("session.created", session={"id": "sess_{id}"}),
        ),
        opening=Send(
            "session.update",
            {
                "type": "session.update",
                "session": {
                    "modalities": ["text", "audio"],
                    "instructions": SAY_EXACTLY,
                    "voice": {"name": "{voice}", "type": "azure-standard"},
                    "output_audio_format": "{format}",
                },
            },
            VoiceLiveUpdate,
            Match("/type", "session.update"),
        ),
        ready=Answer(
            name="session.updated",
            kind=Kind.READY,
            match=Match("/type", "session.updated"),
            model=RealtimeEvent,
            template=realtime_event("session.updated", session={"id": "sess_{id}"}),
        ),
    ),
    # the Realtime event grammar's shapes (harness.core.protocols.realtime_events), under its first names
    text=user_text(),
    end=respond(),
    audio_answer=audio_deltas("response.audio.delta"),
    transcript=transcript_deltas("response.audio_transcript.delta"),
    final=Answer(
        name="response.done",
        kind=Kind.FINAL,
        match=Match("/type", "response.done"),
        model=RealtimeEvent,
        template=realtime_event("response.done", response={"id": "resp_{response}", "status": "completed"}),
    ),
    others=metadata(
        (
            "conversation.item.created",
            "response.created",
            "response.output_item.added",
            "response.output_item.done",
            "response.content_part.added",
            "response.content_part.done",
            "response.audio.done",
            "response.audio_transcript.done",
        )
    ),
    failures=Failures(error=error_event()),
    clear=cancel_response(),
    clears=Clears(
        answer=Answer(
            name="response.cancelled",
            kind=Kind.CLEARED,
            match=Match("/type", "response.cancelled"),
            model=RealtimeEvent,
            template=realtime_event("response.cancelled"),
        ),
        drops_speech=True,
    ),
    cancel=Cancel(
        "clear",
        AfterCancel.DROPPED,
        ack=Kind.CLEARED,
        doc=VOICELIVE_CANCEL,
        quote="Send this event to cancel an in-progress response. The server will respond with a "
        "response.cancelled event or an error if there is no response to cancel.",
    ),
    formats=(
        Format(
            name="pcm16", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=(RATE,)
        ),
    ),
    ending=Ending(server_closes=False),  # the session goes on for the next turn: the client closes it
    own_models=MODELS,
    suffix="",
    drift=(
        DocDrift(
            "voice live key header",
            "The pages name an `api-key` header or query parameter; the harness "
            "sends Azure Speech's Ocp-Apim-Subscription-Key header (the provider's), and the api-key query is "
            "taken too: check the header against the provider.",
            (TRAINING,),
        ),
        DocDrift(
            "voice live price",
            "No stored page prices Voice Live: its offering (named only) is planned at "
            "the neural voice's characters, the declaration's own figure shown as weak, not Voice Live's "
            "price.",
            (HOW_TO,),
        ),
    ),
)

SOCKETS = (VOICE_LIVE,)
