"""Gemini's Live API over its WebSocket (`BidiGenerateContent`), as a voice agent uses it to speak, in the WebSocket
speech family's terms: a speech-to-speech model asked to say a text.

    upgrade  wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.
             BidiGenerateContent?key=KEY ("La autenticación se controla incluyendo tu clave de API como parámetro de
             consulta en la URL de WebSocket", GUIDE); the official client sends the `x-goog-api-key` header instead
             (google-genai 3.6.1 `live.py` `AsyncLive.connect`: `uri = f'{base_url}/ws/google.ai.generativelanguage.
             {version}.GenerativeService.{method}'`)
    client   {"setup": {"model": "models/...", "generationConfig": {"responseModalities": ["AUDIO"], "speechConfig":
             {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName"}}}}, "systemInstruction", "outputAudioTranscription":
             {}}} ("BidiGenerateContentSetup: the session configuration sent in the first message", REFERENCE)
    server   {"setupComplete": {}}
    client   {"clientContent": {"turns": [{"role": "user", "parts": [{"text"}]}], "turnComplete": true}}
    server   {"serverContent": {"outputTranscription": {"text"}}} · {"serverContent": {"modelTurn": {"parts":
             [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": base64}}]}}} ... · {"serverContent":
             {"turnComplete": true}, "usageMetadata": {"promptTokenCount", "responseTokenCount",
             "responseTokensDetails": [{"modality": "AUDIO", "tokenCount"}]}}; {"goAway": {"timeLeft"}}

"The JSON object must have exactly one of the fields of the following object set: setup, clientContent, realtimeInput,
toolResponse" (REFERENCE). Audio out is 16-bit PCM at 24 kHz (the Live API guide: "Output audio ... 24kHz"). The
documents say nothing of unknown fields: the sandbox accepts them and records a finding. Errors are told by the close
frame (the clients read the close's reason); its codes are not documented in the stored pages (a drift below).

Gemini 3.8 Live is the default ("Gemini 3.8 Live 是大多数低延迟语音智能体体验和实时对话的默认选项", its
model page, stable, updated 2026-09; "回答模态:支持的回答模态为音频。如果您的应用需要文本转写,请启用输出音频转写":
audio only, transcription asked for); gemini-3.1-flash-live-preview is "a legacy preview model" (its page). A
model asked to say a text says it (the system instruction asks exactly that): the sandbox speaks the asked text, the
transcription its words.
"""

from __future__ import annotations

from typing import Any, Literal

from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.http_speech import Format, Model
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Clears,
    CloseError,
    CloseErrors,
    Ending,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    TranscriptDeltas,
)
from harness.core.spec import AudioAt, DocDrift, RequestModel, ResponseModel

REFERENCE = "https://ai.google.dev/api/live"
GUIDE = "https://ai.google.dev/gemini-api/docs/live-api/get-started-websocket"
MODEL_PAGE = "https://ai.google.dev/gemini-api/docs/models/gemini-3.8-live"
LEGACY_PAGE = "https://ai.google.dev/gemini-api/docs/models/gemini-3.1-flash-live-preview"
PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
RATE = 24000
# The realtime input's fields (google-genai's own reference of the message: "User input that is sent in real time. ...
# End of turn is not explicitly specified, but is rather derived from user activity"; LiveClientRealtimeInput
# {activityEnd, activityStart, audio, audioStreamEnd, mediaChunks, text, video}).
REALTIME_INPUT = "https://googleapis.github.io/js-genai/release_docs/interfaces/types.LiveClientRealtimeInput.html"
SAY_EXACTLY = "Repeat the user's message aloud, word for word, and say nothing else."


class GenerationConfig(RequestModel):
    responseModalities: list[Literal["AUDIO", "TEXT"]] | None = None
    speechConfig: dict[str, Any] | None = None
    temperature: float | None = None
    maxOutputTokens: int | None = None
    candidateCount: int | None = None
    topP: float | None = None
    topK: int | None = None
    presencePenalty: float | None = None
    frequencyPenalty: float | None = None
    mediaResolution: Any = None
    thinkingConfig: dict[str, Any] | None = None
    translationConfig: dict[str, Any] | None = None


class SetupConfig(RequestModel):
    model: str
    generationConfig: GenerationConfig | None = None
    systemInstruction: str | dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    realtimeInputConfig: dict[str, Any] | None = None
    sessionResumption: dict[str, Any] | None = None
    contextWindowCompression: dict[str, Any] | None = None
    inputAudioTranscription: dict[str, Any] | None = None
    outputAudioTranscription: dict[str, Any] | None = None
    proactivity: dict[str, Any] | None = None


class Setup(RequestModel):
    setup: SetupConfig


class Part(RequestModel):
    text: str


class Turn(RequestModel):
    role: Literal["user", "model"] | None = None
    parts: list[Part]


class TurnContent(RequestModel):
    turns: list[Turn] | None = None
    turnComplete: bool | None = None


class ClientContent(RequestModel):
    clientContent: TurnContent


class RealtimeInputContent(RequestModel):
    """BidiGenerateContentRealtimeInput: "User input that is sent in real time" (REALTIME_INPUT), all optional."""

    audio: dict[str, Any] | None = None
    video: dict[str, Any] | None = None
    text: str | None = None
    mediaChunks: list[dict[str, Any]] | None = None
    audioStreamEnd: bool | None = None
    activityStart: dict[str, Any] | None = None
    activityEnd: dict[str, Any] | None = None


class RealtimeInput(RequestModel):
    realtimeInput: RealtimeInputContent


class ServerMessage(ResponseModel):
    """BidiGenerateContentServerMessage: one of setupComplete, serverContent, toolCall, toolCallCancellation, goAway,
    sessionResumptionUpdate, with usageMetadata beside any of them."""

    setupComplete: dict[str, Any] | None = None
    serverContent: dict[str, Any] | None = None
    usageMetadata: dict[str, Any] | None = None
    goAway: dict[str, Any] | None = None
    sessionResumptionUpdate: dict[str, Any] | None = None


_USAGE = (
    'UsageMetadata (REFERENCE: "Usage metadata about the response(s)"): responseTokensDetails "List of '
    "modalities that were returned in the response\"; a wire receipt on Google's forum: "
    '"responseTokensDetails": [{"modality": "AUDIO", "tokenCount": 42}]'
)
BILLING = (
    BilledSignal(
        unit=Unit.TEXT_TOKENS,
        at="/usageMetadata/promptTokenCount",
        source="docs",
        evidence=_USAGE + '; promptTokenCount "Number of tokens in the prompt"',
    ),
    BilledSignal(
        unit=Unit.AUDIO_TOKENS, at="/usageMetadata/responseTokensDetails/0/tokenCount", source="docs", evidence=_USAGE
    ),
)

MODELS = (
    Model(
        name="gemini-3.8-live",
        synthesis="models.generate_content",
        voice="Kore",
        description="gemini-3.8-live over the Live API WebSocket (voice Kore), asked to say the text",
    ),
)

_INVALID = CloseError(1007, "INVALID_ARGUMENT")
# A model the Live API does not serve (retired, or never one): the close alone, 1008 with the model named — "received
# 1008 (policy violation) models/gemini-live-2.5-flash-preview is not found for API version v1alpha, or is not supported
# for bidiGenerateContent" (google/adk-python#3964; google/adk-samples#23: "models/gemini-2.0-flash-001 is not found
# for API version v1alpha, or is not supported for bidiGenerateContent. Call ListMod"); the reason's words are the
# declaration's unknown_model refusal.
_NOT_FOUND = CloseError(1008, "NOT_FOUND")

# The interruption: "An interruption occurs when the client sends a message before the model finishes it's turn"
# (Firebase AI Logic's LiveServerContent.interrupted, FIREBASE_LIVE), acknowledged by serverContent.interrupted; the
# client message sent for it is a clientContent that adds no turn and completes none (`turnComplete: false`:
# "Incremental update of the current conversation delivered from the client", the reference's
# BidiGenerateContentClientContent), told apart from the text's turn by that flag.
FIREBASE_LIVE = "https://firebase.google.com/docs/reference/js/ai.liveservercontent.md"
GENAI_INTERRUPTED = "https://googleapis.github.io/js-genai/interfaces/types.LiveServerContent.html"
INTERRUPTED = Answer(
    name="serverContent.interrupted",
    kind=Kind.CLEARED,
    match=Match("/serverContent/interrupted"),
    model=ServerMessage,
    template={"serverContent": {"interrupted": True}},
)

LIVE = Socket(
    key="live",
    path=PATH,
    summary="Live API: setup, clientContent turns; serverContent audio (inlineData) and outputTranscription, "
    "turnComplete with usageMetadata",
    doc=REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True, query=("key",)),
    start=Start(
        opening=Send(
            "setup",
            {
                "setup": {
                    "model": "models/{model}",
                    "generationConfig": {
                        "responseModalities": ["AUDIO"],
                        "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "{voice}"}}},
                    },
                    "systemInstruction": {"parts": [{"text": SAY_EXACTLY}]},
                    "outputAudioTranscription": {},
                }
            },
            Setup,
            Match("/setup"),
        ),
        ready=Answer(
            name="setupComplete",
            kind=Kind.READY,
            match=Match("/setupComplete"),
            model=ServerMessage,
            template={"setupComplete": {}},
        ),
        waits_for_ready=True,
        opening_first=True,  # "要在第一条消息中发送的会话配置" (REFERENCE)
    ),
    text=Send(
        "clientContent",
        {"clientContent": {"turns": [{"role": "user", "parts": [{"text": "{text}"}]}], "turnComplete": True}},
        ClientContent,
        Match("/clientContent"),
    ),
    # One of the four client messages (REFERENCE); what a user says or types in real time is taken and not heard (the
    # sandbox answers turns, not a microphone). Pipecat's Gemini Live service sends `{"text": " "}` after each turn.
    taken=(Send("realtimeInput", {"realtimeInput": {"text": " "}}, RealtimeInput, Match("/realtimeInput")),),
    audio_answer=AudioAnswer(
        message=Answer(
            name="serverContent.modelTurn",
            kind=Kind.AUDIO,
            match=Match("/serverContent/modelTurn"),
            model=ServerMessage,
            template={
                "serverContent": {
                    "modelTurn": {"parts": [{"inlineData": {"mimeType": f"audio/pcm;rate={RATE}", "data": "{audio}"}}]}
                }
            },
        ),
        at=AudioAt("/serverContent/modelTurn/parts/0/inlineData/data"),
    ),
    transcript=TranscriptDeltas(
        answer=Answer(
            name="serverContent.outputTranscription",
            kind=Kind.TRANSCRIPT,
            match=Match("/serverContent/outputTranscription"),
            model=ServerMessage,
            template={"serverContent": {"outputTranscription": {"text": ""}}},
        ),
        at="/serverContent/outputTranscription/text",
    ),
    final=Answer(
        name="serverContent.turnComplete",
        kind=Kind.FINAL,
        match=Match("/serverContent/turnComplete", True),
        model=ServerMessage,
        template={
            "serverContent": {"turnComplete": True},
            "usageMetadata": {"promptTokenCount": 0, "responseTokensDetails": [{"modality": "AUDIO", "tokenCount": 0}]},
        },
    ),
    others=(
        Answer(
            name="goAway",
            kind=Kind.WARNING,
            match=Match("/goAway"),
            model=ServerMessage,
            template={"goAway": {"timeLeft": "10s"}},
        ),
        Answer(
            name="serverContent.generationComplete",
            kind=Kind.METADATA,
            match=Match("/serverContent/generationComplete"),
            model=ServerMessage,
            template={"serverContent": {"generationComplete": True}},
        ),
        Answer(
            name="sessionResumptionUpdate",
            kind=Kind.METADATA,
            match=Match("/sessionResumptionUpdate"),
            model=ServerMessage,
            template={"sessionResumptionUpdate": {}},
        ),
    ),
    clear=Send(
        "clientContent (interrupting)",
        {"clientContent": {"turnComplete": False}},
        ClientContent,
        Match("/clientContent/turnComplete", False),
    ),
    clears=Clears(answer=INTERRUPTED, drops_speech=True),
    # "If true, indicates that a client message has interrupted current model generation. If the client is playing
    # out the content in realtime, this is a good signal to stop and empty the current queue." (google-genai's
    # LiveServerContent.interrupted): the generation under way stops, nothing more of it after the acknowledgement
    cancel=Cancel(
        "clear",
        AfterCancel.DROPPED,
        ack=Kind.CLEARED,
        doc=GENAI_INTERRUPTED,
        quote="If true, indicates that a client message has interrupted current model generation. If the "
        "client is playing out the content in realtime, this is a good signal to stop and empty the "
        "current queue.",
    ),
    failures=Failures(
        close_errors=CloseErrors(
            wrong_frame=_INVALID,
            not_json=_INVALID,
            invalid=_INVALID,
            idle=CloseError(1011, "DEADLINE_EXCEEDED"),
            unknown_model=_NOT_FOUND,
        )
    ),
    formats=(
        Format(
            name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=(RATE,)
        ),
    ),
    ending=Ending(server_closes=False),  # the session goes on for the next turn: the client closes it
    billing=BILLING,
    own_models=MODELS,
    suffix="",
    drift=(
        DocDrift(
            "live close codes",
            "The stored pages do not say how the Live API refuses a setup or a message: the "
            "declared close 1007 (INVALID_ARGUMENT) with the reason naming the fault is what clients report; "
            "check it against the provider.",
            (REFERENCE,),
        ),
        DocDrift(
            "live model name",
            "The setup names the model as models/<id>: the sandbox speaks the socket's model "
            "whatever the setup names (its slot is inside a longer string).",
            (GUIDE,),
        ),
    ),
)

SOCKETS = (LIVE,)
