"""Rime's JSON WebSocket (`wss://users-ws.rime.ai/ws3`, "Rime's flagship WebSocket endpoint") in the WebSocket speech
family's terms, as Rime's reference writes it (WS_JSON; the segment settings page, SEGMENT): the bearer key on the
upgrade, every synthesis argument in the URL's query ("all synthesis arguments are provided as query parameters"), no
opening; {"text", "contextId"} messages, {"operation": "flush"}, {"operation": "clear"} ("Your client can clear out the
accumulated buffer, which is useful in the case of interruptions"), {"operation": "eos"} ("generate audio for whatever
remains in the buffer, and then have the connection immediately closed"); back {"type": "chunk", "data": base64},
{"type": "timestamps"}, {"type": "done"} after the last chunk of each synthesis ("If the client sends more text and
triggers further synthesis, another done will follow": under segment=never each flush is one), {"type": "error",
"message"}. References read 2026-11-25.

Rime's plain-text WebSocket (`wss://users-ws.rime.ai/ws`, "Raw binary audio" in the overview's table of endpoints,
serving Coda, Arcana, Mist v1 and Mist v2) as the Mist v2 "Websockets" page writes it (WS_PLAIN; Arcana's and Coda's
pages say the same): "Rime's websocket implementation accepts bare text, and responds with audio bytes of the selected
format. All synthesis arguments are provided as query parameters when establishing the connection." The client sends
"bare (non-serialized) text" and receives "raw audio bytes in the audio format specified at connection time"; its
commands are `<CLEAR>` ("This clears the current buffer. Used in the event of interruptions."), `<FLUSH>` ("This forces
whatever buffer exists, if any, to be synthesized, and the generated audio to be sent over.") and `<EOS>` ("This forces
whatever buffer exists, if any, to be synthesized, and for the server to close the connection after sending the
generated audio."): the family's `BareText` part. The key is the same bearer header ("All requests require
authentication with a bearer token in the `Authorization` header"). References read 2026-11-25.

The sockets' own host (users-ws.rime.ai) is added to the HTTP declaration's by `attach`; their message models are here,
beside the sockets (the HTTP declaration's `models` has the HTTP payloads).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from pydantic import Field

from harness.core.protocols.http_speech import Format
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    AudioAnswer,
    BareText,
    CloseError,
    CloseErrors,
    Ending,
    Failures,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Upgrade,
)
from harness.core.spec import AudioAt, DocDrift, RequestModel, ResponseModel
from harness.providers.rime.models import ARCANA_HTTP, CLI, MP3_RATES, RATES

WS_JSON = "https://docs.rime.ai/api-reference/mistv3/websockets-json.md"
SEGMENT = "https://docs.rime.ai/docs/websockets-segment (Segmentation and behavior settings)"
OVERVIEW = "https://docs.rime.ai/docs/websockets.md"
WS_JSON_V2 = "https://docs.rime.ai/api-reference/mistv2/websockets-json.md"
WS_PLAIN = "https://docs.rime.ai/api-reference/mistv2/websockets.md"
WS_PLAIN_ARCANA = "https://docs.rime.ai/api-reference/arcana/websockets.md"
WS_HOST = "ws"


class TextMessage(RequestModel):
    """`type TextMessage = { text: string, contextId?: string }`"""

    text: str
    contextId: str | None = None


class Operation(RequestModel):
    """`{ "operation": "flush" }`, `{ "operation": "clear" }`, `{ "operation": "eos" }` (the harness's own client sends
    no clear: it is an interruption's)."""

    operation: Literal["flush", "eos", "clear"]


class ChunkEvent(ResponseModel):
    type: Literal["chunk"]
    data: str = Field(min_length=1)  # "a base64 encoded chunk of audio bytes in the audio format specified"
    contextId: str | None = None


class WordTimestamps(ResponseModel):
    words: list[str]
    start: list[float]
    end: list[float]


class TimestampsEvent(ResponseModel):
    type: Literal["timestamps"]
    word_timestamps: WordTimestamps
    contextId: str | None = None


class DoneEvent(ResponseModel):
    """ "After the last audio chunk for a synthesis batch has been sent, the server emits a `done` event. This signals
    that the current synthesis is fully complete. If the client sends more text and triggers further synthesis,
    another done will follow." (WS_JSON)"""

    type: Literal["done"]
    contextId: str | None = None


class ErrorEvent(ResponseModel):
    type: Literal["error"]
    message: str


RATE = 24000  # samplingRate "Default: 24000"
# audioFormat "One of pcm, mulaw, or mp3" (WS_JSON; "One of mp3, mulaw, or pcm" on WS_JSON_V2 and WS_PLAIN); pcm first
# (raw 16-bit chunks the benchmark decodes one by one). samplingRate takes every rate Rime's models document (RATES:
# Arcana's "8000, 16000, 22050, 24000, 44100, 48000, 96000", Mist's "4000–44100"), MP3 the MPEG ones among them; mulaw
# is headerless G.711 mu-law at the rate asked for (the pages tie it to no rate).
FORMATS = (
    Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=MP3_RATES),
    Format(name="mulaw", spec=AudioSpec("pcm_mulaw", RATE, "raw"), media_type="audio/x-mulaw", rates=RATES),
)

WS3 = Socket(
    key="ws3",
    path="/ws3",
    summary="JSON WebSocket: text in, base64 audio chunks, timestamps and done out",
    doc=WS_JSON,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer YOUR_API_KEY"
    upgrade=Upgrade(
        host=WS_HOST,
        # segment=never: "Rime never synthesizes audio automatically" — the client's flush or eos decides.
        query={
            "speaker": "{voice}",
            "modelId": "{model}",
            "audioFormat": "{format}",
            "samplingRate": "{rate}",
            "segment": "never",
        },
    ),
    text=Send("text", {"text": "{text}", "contextId": "{context}"}, TextMessage, Match("/text")),
    # "This forces whatever buffer exists, if any, to be synthesized"; under segment=never "Rime synthesizes the entire
    # accumulated buffer as a single utterance" at each flush (SEGMENT), each synthesis ending with its done (WS_JSON).
    flush=Send("flush", {"operation": "flush"}, Operation, Match("/operation", "flush")),
    ending=Ending(final_per_flush=True),
    # "Your client can clear out the accumulated buffer, which is useful in the case of interruptions." (WS_JSON)
    clear=Send("clear", {"operation": "clear"}, Operation, Match("/operation", "clear")),
    # The cancel: the clear, answered by nothing; it stops queued synthesis, so the one under way finishes (SEGMENT).
    cancel=Cancel(
        "clear",
        AfterCancel.FINISHED,
        doc=SEGMENT,
        quote="send a clear operation to discard the buffer and stop queued synthesis",
    ),
    end=Send("eos", {"operation": "eos"}, Operation, Match("/operation", "eos")),
    audio_answer=AudioAnswer(
        message=Answer(
            name="chunk",
            kind=Kind.AUDIO,
            match=Match("/type", "chunk"),
            model=ChunkEvent,
            template={"type": "chunk", "data": "{audio}", "contextId": "{context}"},
        ),
        at=AudioAt("/data"),
    ),
    final=Answer(
        name="done",
        kind=Kind.FINAL,
        match=Match("/type", "done"),
        model=DoneEvent,
        template={"type": "done", "contextId": "{context}"},
    ),
    failures=Failures(
        error=Answer(
            name="error",
            kind=Kind.ERROR,
            match=Match("/type", "error"),
            model=ErrorEvent,
            template={"type": "error", "message": "{message}"},
            message_at="/message",
        ),
        error_close=1008,
    ),
    # Word times, always (no flag asks), in seconds: "Word-level timestamps | ✅ | ✅ | ❌" (/ws3, /ws2, /ws: OVERVIEW);
    # the reference's client reads them as zip(message['word_timestamps']['words'], ...['start']).
    marks=Marks(
        text_at="/word_timestamps/words",
        start_at="/word_timestamps/start",
        end_at="/word_timestamps/end",
        answer=Answer(
            name="timestamps",
            kind=Kind.MARKS,
            match=Match("/type", "timestamps"),
            model=TimestampsEvent,
            template={
                "type": "timestamps",
                "word_timestamps": {"words": [], "start": [], "end": []},
                "contextId": "{context}",
            },
        ),
        evidence='"Word-level timestamps | ✅ | ✅ | ❌" (the /ws3, /ws2 and /ws columns of '
        + OVERVIEW
        + ", read 2026-11-26); the reference's client: \"if "
        "message['type'] == 'timestamps': ... for w, t in zip(message['word_timestamps']['words'], "
        "message['word_timestamps']['start'])\" (" + WS_JSON + ")",
    ),
    context_at="/contextId",
    formats=FORMATS,
    drift=(
        DocDrift(
            "errors",
            '"The server will not close the connection, and will still accept subsequent '
            "well-formed messages\" after an error; the family's imitation ends the socket after its error "
            "frame (close 1008).",
            (WS_JSON,),
        ),
        DocDrift(
            "clear",
            '"send a clear operation to discard the buffer and stop queued synthesis" (SEGMENT): '
            "the sandbox's clear drops the buffer and the syntheses queued behind the one under way, which "
            "finishes (docs/cancel.md).",
            (WS_JSON, SEGMENT),
        ),
        DocDrift(
            "rates",
            "The socket pages call samplingRate's default 24000 and list no rates of their own: "
            "the rates the model pages and the CLI document are taken (Arcana's 8000-96000 list, Mist's "
            "4000-44100); MP3 at the MPEG rates among them.",
            (WS_JSON, ARCANA_HTTP, CLI),
        ),
    ),
)

# The legacy JSON socket (`wss://users-ws.rime.ai/ws2`, WS_JSON_V2): "/ws2 supports the same JSON message format as /ws3
# but is limited to the mist model family (v1 and v2)" (OVERVIEW, read 2026-11-26): /ws3's messages, answers and query,
# on its own path, serving Mist v2 (Mist v1 is the known model `mist`, spoken like it).
WS2 = replace(
    WS3,
    key="ws2",
    path="/ws2",
    suffix="-ws2",
    doc=WS_JSON_V2,
    models={"mistv2": "mistv2"},
    summary="Legacy JSON WebSocket (Mist): text in, base64 audio chunks, timestamps and done out",
    drift=(
        *WS3.drift,
        DocDrift(
            "ws2",
            '"/ws2 is functionally equivalent to /ws3 for mist workloads": declared as '
            "/ws3's grammar on its own path, Mist v2 alone.",
            (OVERVIEW, WS_JSON_V2),
        ),
    ),
)

# "One of mp3, mulaw, or pcm" (audioFormat, WS_PLAIN), at the rate Rime's other socket and its HTTP API default to (the
# plain page names no rate, and the socket's query here carries none).
PLAIN_FORMATS = tuple(Format(name=f.name, spec=f.spec, media_type=f.media_type) for f in FORMATS)
# The page shows no error: a refusal once the socket is open is told by the close frame, in Rime's code for it.
_REFUSED = CloseError(1008, "invalid_request")

WS = Socket(
    key="ws",
    path="/ws",
    suffix="-ws-plain",
    summary="Plain-text WebSocket: bare text in, raw audio bytes out, closed after <EOS>",
    doc=WS_PLAIN,
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer YOUR_API_KEY"
    # "All synthesis arguments are provided as query parameters": the page's example asks
    # ?speaker={speaker}&modelId=mistv2&audioFormat=mp3.
    upgrade=Upgrade(host=WS_HOST, query={"speaker": "{voice}", "modelId": "{model}", "audioFormat": "{format}"}),
    bare=BareText(end="<EOS>", flush="<FLUSH>", clear="<CLEAR>"),
    # The cancel: <CLEAR>, answered by nothing; the page says what becomes of the buffer, not of speech under way.
    cancel=Cancel(
        "clear",
        AfterCancel.SILENT,
        doc=WS_PLAIN,
        quote="This clears the current buffer. Used in the event of interruptions.",
    ),
    failures=Failures(
        close_errors=CloseErrors(wrong_frame=_REFUSED, not_json=_REFUSED, invalid=_REFUSED, idle=_REFUSED),
    ),
    formats=PLAIN_FORMATS,
    drift=(
        DocDrift(
            "errors",
            "The plain-text pages show no error message or close code: a bad key is refused at the "
            "upgrade (401) as on /ws3, anything refused once the socket is open is a close 1008 whose reason "
            "starts with invalid_request. Inferred.",
            (WS_PLAIN,),
        ),
        DocDrift(
            "buffering",
            '"The websocket API buffers inputs up to one of the following punctuation '
            'characters: `.`, `,`, `?`, `!`": the sandbox speaks the buffer at <FLUSH> and <EOS> only.',
            (WS_PLAIN,),
        ),
        DocDrift(
            "formats",
            "wav (the Arcana page's example asks audioFormat=wav, its list does not name it) is not "
            "answered; the page names no sample rate: the sandbox answers 24000 Hz, Rime's default "
            "elsewhere, and takes no samplingRate (a client's is set aside).",
            (WS_PLAIN, WS_PLAIN_ARCANA),
        ),
    ),
)

SOCKETS = (WS3, WS2, WS)
