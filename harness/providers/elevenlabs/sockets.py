"""ElevenLabs' stream-input WebSocket (`wss://api.elevenlabs.io/v1/text-to-speech/{voice_id}/stream-input`) in the
WebSocket speech family's terms, from its reference ("WebSocket", WS_REFERENCE, its AsyncAPI 2.6.0 file; read
2026-11-25):

    client  InitializeConnection {"text": " ", "voice_settings", "generation_config", "xi_api_key"?} →
            SendText {"text", "try_trigger_generation", "flush"} × n → CloseConnection {"text": ""}
    server  AudioOutput {"audio": base64, "alignment", "normalizedAlignment"} × n → FinalOutput {"isFinal": true}

The model and the output format travel in the URL's query ("model_id", "output_format"), the voice in the path. The
key is the `xi-api-key` header, or the first message's `xi_api_key` ("The API key can be passed either as a header or
in the first message": SocketAuth.fields). Alignment rides on every audio message, character by character, in
milliseconds counted from the chunk ("these times are relative to the returned chunk from the model").

The WebSocket's error message is not in the AsyncAPI: `{"message", "error", "code"}` before a close with code
1008 is what clients handle (the SDK reads `message`; `input_timeout_exceeded` after 20 s without input, the help
centre's inactivity limit), so it is declared and marked as drift.
"""

from __future__ import annotations

from harness.core.answer_errors import BodyErrors
from harness.core.protocols.http_speech import Format, SpeechRefusal
from harness.core.protocols.realtime_grammar import STANDARD_CLOSE_CODES, AfterCancel, AudioSpec, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    Contexts,
    Ending,
    Failures,
    GenerationSchedule,
    KeyIn,
    Marks,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift, Evidence, EvidenceSource
from harness.providers.elevenlabs.models import (
    MULTI_CONTEXT_LIMIT,
    MULTI_GUIDE,
    MULTI_REFERENCE,
    WS_FORMATS,
    WS_REFERENCE,
    AudioOutput,
    CloseConnection,
    CloseContext,
    CloseSocket,
    ContextAudioOutput,
    ContextFinalOutput,
    DialogueAudio,
    DialogueFinal,
    DialogueFlush,
    DialogueInit,
    DialogueInputs,
    DialogueKeepAlive,
    DialogueTurnDone,
    ErrorOutput,
    FinalOutput,
    FlushContext,
    InitializeConnection,
    InitializeContext,
    SendContextText,
    SendText,
)


def spec_of(output_format: str) -> AudioSpec:
    """`mp3_44100_128` → MP3 at 44.1 kHz; `pcm_24000` → raw 16-bit PCM at 24 kHz; `ulaw_8000` → μ-law."""
    codec, _, rest = output_format.partition("_")
    rate = int(rest.split("_")[0])
    return {
        "mp3": AudioSpec("mp3", rate, "mp3"),
        "pcm": AudioSpec("pcm_s16le", rate),
        "ulaw": AudioSpec("pcm_mulaw", rate),
        "alaw": AudioSpec("pcm_alaw", rate),
        "opus": AudioSpec("opus", rate, "ogg"),
    }[codec]


def media_type_of(output_format: str) -> str:
    """The Content-Type the sandbox answers a format with (the reference names none; headerless PCM says its rate,
    μ-law and A-law their RFC 3551 names, as the family's other declarations do)."""
    codec, _, rest = output_format.partition("_")
    return {"mp3": "audio/mpeg", "opus": "audio/ogg", "ulaw": "audio/basic", "alaw": "audio/pcma"}.get(
        codec, f"audio/pcm;rate={rest.split('_')[0]}"
    )


def format_of(name: str) -> Format:
    return Format(name=name, spec=spec_of(name), media_type=media_type_of(name))


# The benchmark's format first (raw 16-bit PCM at 24 kHz, what the declaration has always benchmarked). Streamed Opus
# would be chained Ogg files: the sandbox does not write it over the socket, so it is left out here.
FIRST = ("pcm_24000", "mp3_44100_128", "pcm_16000", "ulaw_8000")
FORMATS = tuple(
    format_of(name) for name in (*FIRST, *(f for f in WS_FORMATS if f not in FIRST)) if not name.startswith("opus")
)

ALIGNMENT = Marks(
    text_at="/alignment/chars",
    start_at="/alignment/charStartTimesMs",
    end_at="/alignment/charDurationsMs",
    unit_s=0.001,
    durations=True,
    chars=True,
    chunk_relative=True,
    evidence='"Word-to-audio alignment information is required." (among the scenarios the WebSocket '
    'suits, https://elevenlabs.io/docs/api-reference/websocket); AudioOutput {"audio", '
    '"normalizedAlignment": {"charStartTimesMs", "charDurationsMs", "chars"}, '
    '"alignment"} (' + WS_REFERENCE + ")",
)

SOCKET_ERRORS = BodyErrors("/error", (), "/message", statuses={"quota_exceeded": 402})

STREAM_INPUT = Socket(
    key="tts.stream-input",
    path="/v1/text-to-speech/{voice_id}/stream-input",
    summary="Text in as it is written, audio and alignment out",
    doc=WS_REFERENCE,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=False, fields=("/xi_api_key",)),
    upgrade=Upgrade(path_params={"voice_id": "{voice}"}, query={"model_id": "{model}", "output_format": "{format}"}),
    start=Start(
        opening=Send(
            "InitializeConnection",
            {"text": " ", "generation_config": {"chunk_length_schedule": [50]}},
            InitializeConnection,
        ),
    ),
    text=Send("SendText", {"text": "{text}"}, SendText, Match("/text")),
    # "The default value for chunk_length_schedule is: [120, 160, 250, 290]"; "Each item should be in the range 50-500."
    schedule=GenerationSchedule("/generation_config/chunk_length_schedule", (120, 160, 250, 290)),
    flush=Send("SendText (flush)", {"text": "{text}", "flush": True}, SendText, Match("/flush", True)),
    end=Send("CloseConnection", {"text": ""}, CloseConnection, Match("/text", "")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="AudioOutput",
            kind=Kind.AUDIO,
            match=Match("/audio"),
            model=AudioOutput,
            template={"audio": "{audio}", "isFinal": None, "normalizedAlignment": None, "alignment": None},
        ),
        at=AudioAt("/audio"),
    ),
    marks=ALIGNMENT,
    final=Answer(
        name="FinalOutput",
        kind=Kind.FINAL,
        match=Match("/isFinal", True),
        model=FinalOutput,
        template={"isFinal": True},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/error"),
            model=ErrorOutput,
            template={"message": "{message}", "error": "{code}", "code": 1008},
            code_at="/error",
            message_at="/message",
        ),
        close_codes={
            **STANDARD_CLOSE_CODES,
            1008: "policy violation: an invalid key, or no input within inactivity_timeout",
        },
        error_close=1008,
        # An error message's `error` word; quota_exceeded ("This request exceeds your quota.") is a spent balance,
        # whatever status the HTTP endpoints give it (401, inferred), the others as the HTTP refusals of the same word.
        errors=SOCKET_ERRORS,
    ),
    formats=FORMATS,
    suffix="",  # the socket's offerings keep the models' own names, in place of Create speech's
    drift=(
        DocDrift(
            "alignment durations",
            "The AsyncAPI names the per-character durations `charDurationsMs`; clients "
            "in the field (LiveKit's plugin) also read `charsDurationsMs`. The sandbox writes the first.",
            (WS_REFERENCE,),
        ),
        DocDrift(
            "first message",
            "The SDK's first WebSocket message carries `try_trigger_generation`, which the "
            "AsyncAPI's InitializeConnection does not list: it is set aside as a finding.",
            (WS_REFERENCE,),
        ),
        DocDrift(
            "socket errors",
            'The AsyncAPI shows no error message: {"message", "error", "code"} before a '
            "1008 close is what clients handle (the SDK reads `message`), not a quoted example.",
            (WS_REFERENCE,),
        ),
    ),
)

ERROR = STREAM_INPUT.failures.error
CLOSE_CODES = STREAM_INPUT.failures.close_codes

# The multi-context socket (MULTI_REFERENCE's AsyncAPI, MULTI_GUIDE; the official SDK's types, elevenlabs 2.78.0):
# every message names its context (`context_id`; the answers `contextId`). Each context opens with its own
# initialisation, carrying its settings ("InitialiseContext: Payload to initialize or re-initialize a TTS context
# with specific settings and initial text for multi-stream connections"; its context_id: "If provided, this message
# will create a new context with this ID or re-initialize an existing one with the new settings and text"), a
# context ends with close_context (its isFinal follows its last audio: "This is sent when a context is closed") and
# the socket with close_socket ("closes all contexts and closes the entire WebSocket connection"). "Each connection
# is limited to 5 concurrent contexts" (MULTI_GUIDE); a sixth is refused with max_active_conversations and a 1008
# close, in the server's words as a client quotes them (MULTI_CONTEXT_LIMIT).
MAX_CONTEXTS = 5
TOO_MANY_CONTEXTS = SpeechRefusal(
    400,
    "max_active_conversations",
    "Maximum simultaneous contexts per WebSocket "
    "connection exceeded (5). Please close an existing context before opening a new one.",
)

MULTI_STREAM_INPUT = Socket(
    key="tts.multi-stream-input",
    path="/v1/text-to-speech/{voice_id}/multi-stream-input",
    summary="Several contexts on one socket: text in per context_id, audio and alignment out per contextId",
    doc=MULTI_REFERENCE,
    # The xi-api-key header (Pipecat's); a wrong one refused at the upgrade (not documented: DRIFT), none there waiting
    # for the first message's xi_api_key as on stream-input.
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True, fields=("/xi_api_key",)),
    upgrade=Upgrade(path_params={"voice_id": "{voice}"}, query={"model_id": "{model}", "output_format": "{format}"}),
    start=Start(
        # Each context's first message: "Must be a single space character to initiate the context".
        opening=Send(
            "initializeConnectionMulti",
            {"text": " ", "context_id": "{context}", "generation_config": {"chunk_length_schedule": [50]}},
            InitializeContext,
            Match("/text", " "),
        ),
    ),
    text=Send("sendTextMulti", {"text": "{text}", "context_id": "{context}"}, SendContextText, Match("/text")),
    schedule=GenerationSchedule("/generation_config/chunk_length_schedule", (120, 160, 250, 290)),
    flush=Send(
        "flushContext",
        {"context_id": "{context}", "flush": True, "text": "{text}"},
        FlushContext,
        Match("/flush", True),
    ),
    end=Send(
        "closeContext", {"context_id": "{context}", "close_context": True}, CloseContext, Match("/close_context", True)
    ),
    ending=Ending(after_final=Send("closeSocket", {"close_socket": True}, CloseSocket, Match("/close_socket", True))),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audioOutputMulti",
            kind=Kind.AUDIO,
            match=Match("/audio"),
            model=ContextAudioOutput,
            template={
                "audio": "{audio}",
                "isFinal": None,
                "normalizedAlignment": None,
                "alignment": None,
                "contextId": "{context}",
            },
        ),
        at=AudioAt("/audio"),
    ),
    marks=ALIGNMENT,
    final=Answer(
        name="finalOutputMulti",
        kind=Kind.FINAL,
        match=Match("/isFinal", True),
        model=ContextFinalOutput,
        template={"isFinal": True, "contextId": "{context}"},
    ),
    failures=Failures(
        error=ERROR,
        errors=SOCKET_ERRORS,
        close_codes=CLOSE_CODES,
        error_close=1008,
    ),
    contexts=Contexts(
        at="/context_id", answer_at="/contextId", limit=MAX_CONTEXTS, beyond=TOO_MANY_CONTEXTS, opens_each=True
    ),
    # The cancel: a barge-in closes the context (close_context), answered by nothing of its own (its isFinal ends the
    # context's audio, whenever that is); the guide does not say whether speech already asked for still comes
    # (Pipecat #1942: it does).
    cancel=Cancel(
        "end",
        AfterCancel.SILENT,
        doc=MULTI_GUIDE,
        quote="Seamlessly handle user barge-ins by closing an existing speech context and initiating a new one.",
    ),
    formats=FORMATS,
    suffix="-multi",
    drift=(
        DocDrift(
            "evidence",
            "source: sdk and the reference. The messages are the AsyncAPI's and the official SDK's "
            "(elevenlabs 2.78.0: InitialiseContext, SendTextMulti, FlushContext, CloseContext, CloseSocket, "
            "KeepContextAlive; AudioOutputMulti, FinalOutputMulti), as Pipecat 1.14's ElevenLabsTTSService "
            'sends them ({"text": " ", "context_id"} opening a context, text, {"context_id", '
            '"flush": true}, {"context_id", "close_context": true}, {"close_socket": true}).',
            (MULTI_REFERENCE, MULTI_GUIDE),
        ),
        DocDrift(
            "key at the upgrade",
            "A wrong xi-api-key header is refused at the upgrade (401 in the HTTP error "
            "shape); no stored page says whether the server does so or answers an error message and a 1008 close "
            "as stream-input does.",
            (MULTI_REFERENCE,),
        ),
        DocDrift(
            "contexts",
            'The limit is documented ("Each connection is limited to 5 concurrent contexts"), '
            'the refusal past it is not: its words ("Maximum simultaneous contexts per WebSocket connection '
            'exceeded (5)", error max_active_conversations, code 1008) are as a client quotes them. A context '
            'counts until its close_context; a context-less message ("If omitted, a default context is '
            'used") is read as the context named "", which must be opened as any other.',
            (MULTI_GUIDE, MULTI_CONTEXT_LIMIT),
        ),
    ),
)

# The Text to Dialogue socket (`wss://api.elevenlabs.io/v1/text-to-dialogue/stream-input`, the eleven_v3 models): no
# stored page documents its messages, so it is declared from independent clients (source: client), each read
# 2026-11-26: the model and format in the query as on stream-input, no voice in the path ("the dialogue socket
# registers voices in the first message, not in the path"), a first message `{"voices": [voice_id], "xi_api_key"?,
# "voice_settings"?}`, text as `{"inputs": [{"text", "voice_id", "new_turn"?}]}`, `{"close_socket": true}` to end;
# back `{"audio": base64}`, `{"is_final_audio_for_turn": true}` after each turn and `{"is_final": true}` last; a
# `{"flush": true}` (alone or beside inputs) speaks what came so far, a `{"keep_alive": true}` keeps it open.
DIALOGUE_CLIENTS = Evidence(
    EvidenceSource.CLIENT,
    '@ai-sdk/elevenlabs 3.0.68 ("Text-to-Dialogue WebSocket for eleven_v3 / eleven_v4"); '
    "tryAGI's ElevenLabs .NET client (ConnectTextToDialogueRealtimeAsync, its 'Realtime Text to Dialogue' example); "
    "two open-source voice agents' dialogue adapters (messages as above)",
    "the socket's URL and messages",
)
DIALOGUE_DOC = "https://elevenlabs.io/docs/eleven-api/guides/how-to/websockets/realtime-tdd"
# The official SDK's types of the socket (elevenlabs 2.78.0, the realtime-clients extra; read 2026-11-27: source sdk):
# TextToDialogueWebsocketClientMessage's "flush: Force generation of buffered text without closing the connection",
# "keep_alive: Resets the 20s inactivity timer; performs no synthesis", "close_socket: Flush buffers, emit remaining
# audio, send `is_final`, and close the WebSocket"; TextToDialogueWebsocketFinalAudioForTurn's
# "is_final_audio_for_turn: Indicates that the final audio for a given turn has been sent". Clients end a turn on it
# (one sends `{"flush": true}` alone after its inputs and closes once it comes: issue 82).
DIALOGUE_SDK = (
    "elevenlabs 2.78.0: src/elevenlabs/types/text_to_dialogue_websocket_client_message.py, "
    "text_to_dialogue_websocket_final_audio_for_turn.py"
)

TEXT_TO_DIALOGUE = Socket(
    key="text-to-dialogue.stream-input",
    path="/v1/text-to-dialogue/stream-input",
    summary="Text to Dialogue: voices registered first, inputs of text and voice in, audio out per turn",
    doc=DIALOGUE_DOC,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=False, fields=("/xi_api_key",)),
    upgrade=Upgrade(query={"model_id": "{model}", "output_format": "{format}"}),
    start=Start(opening=Send("initializeDialogue", {"voices": ["{voice}"]}, DialogueInit, Match("/voices"))),
    text=Send("sendInputs", {"inputs": [{"text": "{text}", "voice_id": "{voice}"}]}, DialogueInputs, Match("/inputs")),
    # A flush alone or beside inputs (their text taken first): the turn spoken now, then its is_final_audio_for_turn.
    flush=Send(
        "flush",
        {"inputs": [{"text": "{text}", "voice_id": "{voice}"}], "flush": True},
        DialogueFlush,
        Match("/flush", True),
    ),
    keepalive=Send("keepAlive", {"keep_alive": True}, DialogueKeepAlive, Match("/keep_alive", True)),
    end=Send("closeSocket", {"close_socket": True}, CloseSocket, Match("/close_socket", True)),
    ending=Ending(
        turn_done=Answer(
            name="turnDone",
            kind=Kind.FLUSHED,
            match=Match("/is_final_audio_for_turn", True),
            model=DialogueTurnDone,
            template={"is_final_audio_for_turn": True},
        ),
    ),
    audio_answer=AudioAnswer(
        message=Answer(
            name="audio", kind=Kind.AUDIO, match=Match("/audio"), model=DialogueAudio, template={"audio": "{audio}"}
        ),
        at=AudioAt("/audio"),
    ),
    final=Answer(
        name="isFinal",
        kind=Kind.FINAL,
        match=Match("/is_final", True),
        model=DialogueFinal,
        template={"is_final": True},
    ),
    failures=Failures(error=ERROR, errors=SOCKET_ERRORS, close_codes=CLOSE_CODES, error_close=1008),
    formats=FORMATS,
    # "Text to Dialogue ... eleven_v3": the declared model a v3 name is spoken like (`KNOWN_MODELS`), under v3's name.
    models={"eleven_multilingual_v2": "eleven_v3"},
    evidence=DIALOGUE_CLIENTS,
    drift=(
        DocDrift(
            "evidence",
            "No stored page shows the socket's messages: declared from independent clients "
            "(source: client) and the official SDK's types (" + DIALOGUE_SDK + "). Its error message is "
            "stream-input's, inferred; the sandbox speaks every input in the connection's first voice's place as the "
            "voice each input names, ends a turn only at a flush or close_socket (not at a new_turn or a change of "
            "voice), and reads the first input of each message.",
            (DIALOGUE_DOC,),
        ),
    ),
)

SOCKETS = (STREAM_INPUT, MULTI_STREAM_INPUT, TEXT_TO_DIALOGUE)
