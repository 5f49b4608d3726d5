"""Rime's JSON WebSocket (`wss://users-ws.rime.ai/ws3`, "Rime's flagship WebSocket endpoint") in the WebSocket speech
family's terms, as Rime's reference writes it (WS_JSON; the segment settings page, SEGMENT): the bearer key on the
upgrade, every synthesis argument in the URL's query ("all synthesis arguments are provided as query parameters"), no
opening; {"text", "contextId"} messages, {"operation": "flush"}, {"operation": "clear"} ("Your client can clear out the
accumulated buffer, which is useful in the case of interruptions"), {"operation": "eos"} ("generate audio for whatever
remains in the buffer, and then have the connection immediately closed"); back {"type": "chunk", "data": base64},
{"type": "timestamps"}, {"type": "done"} after the last chunk of each synthesis ("If the client sends more text and
triggers further synthesis, another done will follow": under segment=never each flush is one), {"type": "error",
"message"}. References read 2026-11-25.

The socket's own host (users-ws.rime.ai) is added to the HTTP declaration's by `attach`; its message models are here,
beside the socket (the HTTP declaration's `models` has the HTTP payloads).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import AudioSpec, Kind
from harness.core.protocols.websocket_speech import Answer, KeyIn, Match, Send, Socket, SocketAuth
from harness.core.spec import AudioAt, DocDrift, RequestModel, ResponseModel

WS_JSON = "https://docs.rime.ai/api-reference/mistv3/websockets-json.md"
SEGMENT = "https://docs.rime.ai/docs/websockets-segment (Segmentation and behavior settings)"
OVERVIEW = "https://docs.rime.ai/docs/websockets.md"
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
    another done will follow." (WS_JSON) """

    type: Literal["done"]
    contextId: str | None = None


class ErrorEvent(ResponseModel):
    type: Literal["error"]
    message: str


RATE = 24000  # samplingRate "Default: 24000"
# pcm first (raw 16-bit chunks the benchmark decodes one by one); mp3 as the reference's example asks.
FORMATS = (Format("pcm", AudioSpec("pcm_s16le", RATE, "raw"), f"audio/pcm;rate={RATE}"),
           Format("mp3", AudioSpec("mp3", RATE, "mp3"), "audio/mpeg"))

WS3 = Socket(
    key="ws3", path="/ws3", host=WS_HOST,
    summary="JSON WebSocket: text in, base64 audio chunks, timestamps and done out",
    doc=WS_JSON,
    auth=SocketAuth(KeyIn.HEADER, in_handshake=True),  # "Authorization: Bearer YOUR_API_KEY"
    # segment=never: "Rime never synthesizes audio automatically" — the client's flush or eos decides.
    query={"speaker": "{voice}", "modelId": "{model}", "audioFormat": "{format}", "samplingRate": "{rate}",
           "segment": "never"},
    text=Send("text", {"text": "{text}", "contextId": "{context}"}, TextMessage, Match("/text")),
    # "This forces whatever buffer exists, if any, to be synthesized"; under segment=never "Rime synthesizes the entire
    # accumulated buffer as a single utterance" at each flush (SEGMENT), each synthesis ending with its done (WS_JSON).
    flush=Send("flush", {"operation": "flush"}, Operation, Match("/operation", "flush")),
    final_per_flush=True,
    # "Your client can clear out the accumulated buffer, which is useful in the case of interruptions." (WS_JSON)
    clear=Send("clear", {"operation": "clear"}, Operation, Match("/operation", "clear")),
    end=Send("eos", {"operation": "eos"}, Operation, Match("/operation", "eos")),
    audio=Answer("chunk", Kind.AUDIO, Match("/type", "chunk"), ChunkEvent,
                 {"type": "chunk", "data": "{audio}", "contextId": "{context}"}),
    audio_at=AudioAt("/data"),
    final=Answer("done", Kind.FINAL, Match("/type", "done"), DoneEvent, {"type": "done", "contextId": "{context}"}),
    error=Answer("error", Kind.ERROR, Match("/type", "error"), ErrorEvent, {"type": "error", "message": "{message}"},
                 message_at="/message"),
    others=(Answer("timestamps", Kind.METADATA, Match("/type", "timestamps"), TimestampsEvent,
                   {"type": "timestamps", "word_timestamps": {"words": [], "start": [], "end": []},
                    "contextId": "{context}"}),),
    context_at="/contextId",
    formats=FORMATS,
    error_close=1008,
    drift=(DocDrift("errors", "\"The server will not close the connection, and will still accept subsequent "
                    "well-formed messages\" after an error; the family's imitation ends the socket after its error "
                    "frame (close 1008).", (WS_JSON,)),
           DocDrift("clear", "\"send a clear operation to discard the buffer and stop queued synthesis\" (SEGMENT): "
                    "the sandbox's clear drops the buffer; speech an earlier flush asked for is still sent.",
                    (WS_JSON, SEGMENT)),
           DocDrift("timestamps", "Declared as a message the socket may send; the sandbox sends none.", (WS_JSON,))),
)

SOCKETS = (WS3,)
