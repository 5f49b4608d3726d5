"""Deepgram's `/v1/speak` WebSocket ("Continuous Text Stream") in the WebSocket speech family's terms, from its API
reference (WS_REFERENCE, whose AsyncAPI 2.6.0 file `speak.v1` gives every message) and the guides FLUSH, CLEAR, CLOSE
and ERRORS (read 2026-11-25):

    WSS /v1/speak?model=...&encoding=linear16|mulaw|alaw&sample_rate=8000|16000|24000|32000|48000
      client  {"type": "Speak", "text": "..."} · {"type": "Flush"} · {"type": "Clear"} · {"type": "Close"}
      server  binary frames: the audio ("SpeakV1Audio ... format: binary")
              {"type": "Metadata", "request_id", "model_name", "model_version", "model_uuid"}
              {"type": "Flushed", "sequence_id"} · {"type": "Cleared", "sequence_id"}
              {"type": "Warning", "description", "code"}
      limits  "The maximum number of times you can send the Flush message is 20 times every 60 seconds. After that, you
               will receive a warning message stating that we cannot process any more flush messages until the
               60-second time window has passed." (FLUSH)
      close   a failed upgrade is an HTTP 4xx/5xx; later errors are close frames whose reason names the error (ERRORS):
              1003 MESSAGE-0000, 1008 DATA-0000/0001, 1009 BIG-0000/0001, 1011 NET-0000..0003

Flush: "the server will process all remaining text data and return the final audio results", answered by
{"type": "Flushed", "sequence_id": 0}; the text goes on after it (`Flushes`). Clear: "the TTS websocket will clear the
internal text and audio buffer ... and will stop sending new audio chunks as soon as possible", answered by
{"type": "Cleared", "sequence_id": 0}. The harness's own client says Speak × n, Flush, waits for Flushed, then Close.
"""

from __future__ import annotations

from typing import Literal

from harness.core.protocols.http_speech import Format
from harness.core.protocols.realtime_grammar import STANDARD_CLOSE_CODES, AfterCancel, AudioSpec, Cancel, Kind
from harness.core.protocols.websocket_speech import (
    Answer,
    Clears,
    CloseError,
    CloseErrors,
    Ending,
    Failures,
    Flushes,
    KeyIn,
    Match,
    Send,
    Socket,
    SocketAuth,
    Start,
    Upgrade,
    UpgradeRefusals,
)
from harness.core.spec import DocDrift, RequestModel, ResponseModel

WS_REFERENCE = "https://developers.deepgram.com/reference/text-to-speech/speak-streaming"
FLUSH = "https://developers.deepgram.com/docs/tts-ws-flush"
CLEAR = "https://developers.deepgram.com/docs/tts-ws-clear"
CLOSE = "https://developers.deepgram.com/docs/tts-ws-close"
ERRORS = "https://developers.deepgram.com/docs/tts-troubleshooting-websocket-net-and-data-errors"
SUBPROTOCOL = "https://developers.deepgram.com/docs/using-the-sec-websocket-protocol"

RATES = (8000, 16000, 24000, 32000, 48000)  # the AsyncAPI's sample_rate enum ('8000', ...)
MODEL_VERSION = "2025-01-01.0"  # the sandbox's Metadata model_version (the documents show the field, not a value)


class SpeakText(RequestModel):
    type: Literal["Speak"]
    text: str


class Control(RequestModel):
    type: Literal["Flush", "Clear", "Close"]  # the AsyncAPI gives the three messages one enum


class Metadata(ResponseModel):
    type: Literal["Metadata"]
    request_id: str
    model_name: str
    model_version: str
    model_uuid: str
    additional_model_uuids: list[str] | None = None


class Sequenced(ResponseModel):
    type: Literal["Flushed", "Cleared"]
    sequence_id: int


class Warning(ResponseModel):
    type: Literal["Warning"]
    description: str
    code: str


# "Only streaming-compatible encodings are supported": linear16 (the streaming default, 24000) first.
FORMATS = (
    Format(name="linear16", spec=AudioSpec("pcm_s16le", 24000, "raw"), media_type="audio/pcm;rate=24000", rates=RATES),
    Format(name="mulaw", spec=AudioSpec("pcm_mulaw", 8000, "raw"), media_type="audio/basic", rates=RATES),
    Format(name="alaw", spec=AudioSpec("pcm_alaw", 8000, "raw"), media_type="audio/x-alaw-basic", rates=RATES),
)

CLOSE_CODES = {
    **STANDARD_CLOSE_CODES,
    1003: "MESSAGE-0000",
    1008: "DATA-0000 or DATA-0001",
    1009: "BIG-0000 or BIG-0001",
    1011: "NET-0000 to NET-0003",
}

FLUSH_MESSAGE = Send("Flush", {"type": "Flush"}, Control, Match("/type", "Flush"))

SPEAK = Socket(
    key="speak.streaming",
    path="/v1/speak",
    suffix="",  # the offerings keep the models' names
    summary="Speak/Flush in, binary audio and Flushed out",
    doc=WS_REFERENCE,
    # "Use your API key or a temporary token for authentication via the Authorization header. In client-side
    # environments where custom headers are not supported, use the Sec-WebSocket-Protocol header instead."
    # (WS_REFERENCE; SUBPROTOCOL: the subprotocols `token` and the key). A wrong key is refused at the upgrade.
    auth=SocketAuth(where=KeyIn.HEADER, in_handshake=True, subprotocol="token"),
    upgrade=Upgrade(host="api", query={"model": "{model}", "encoding": "{format}", "sample_rate": "{rate}"}),
    text=Send("Speak", {"type": "Speak", "text": "{text}"}, SpeakText, Match("/type", "Speak")),
    end=FLUSH_MESSAGE,  # every Flush is answered by Flushed and the text goes on (`flushes`)
    flushes=Flushes(
        limit=20,
        window_s=60.0,
        warning=Answer(
            name="Warning",
            kind=Kind.WARNING,
            match=Match("/type", "Warning"),
            model=Warning,
            template={"type": "Warning", "description": "{message}", "code": "{code}"},
            code_at="/code",
            message_at="/description",
        ),
    ),
    final=Answer(
        name="Flushed",
        kind=Kind.FINAL,
        match=Match("/type", "Flushed"),
        model=Sequenced,
        template={"type": "Flushed", "sequence_id": "{sequence}"},
    ),
    clear=Send("Clear", {"type": "Clear"}, Control, Match("/type", "Clear")),
    # "the TTS websocket will clear the internal text and audio buffer ... and will stop sending new audio chunks as
    # soon as possible", then {"type": "Cleared", "sequence_id": 0} (CLEAR)
    clears=Clears(
        Answer(
            name="Cleared",
            kind=Kind.CLEARED,
            match=Match("/type", "Cleared"),
            model=Sequenced,
            template={"type": "Cleared", "sequence_id": "{sequence}"},
        ),
        drops_speech=True,
    ),
    # The cancel: Clear, acknowledged by Cleared, after which no audio ("will stop sending new audio chunks as soon as
    # possible"; "Upon receiving the Clear message, the server will process all remaining audio data and return" it).
    cancel=Cancel(
        "clear",
        AfterCancel.DROPPED,
        ack=Kind.CLEARED,
        doc=CLEAR,
        quote="After sending the optional Clear message, the TTS websocket will clear the internal text "
        "and audio buffer for generating audio and will stop sending new audio chunks as soon as "
        "possible.",
    ),
    start=Start(
        greeting=Answer(
            name="Metadata",
            kind=Kind.METADATA,
            match=Match("/type", "Metadata"),
            model=Metadata,
            template={
                "type": "Metadata",
                "request_id": "{id}",
                "model_name": "{model}",
                "model_version": MODEL_VERSION,
                "model_uuid": "{id}",
            },
        )
    ),
    ending=Ending(after_final=Send("Close", {"type": "Close"}, Control, Match("/type", "Close"))),
    failures=Failures(
        error=None,  # no error message: the close frame's reason names the error (ERRORS)
        close_errors=CloseErrors(
            wrong_frame=CloseError(1003, "MESSAGE-0000"),
            not_json=CloseError(1008, "DATA-0000"),
            invalid=CloseError(1008, "DATA-0001"),
            idle=CloseError(1011, "NET-0001"),
        ),
        close_codes=CLOSE_CODES,
    ),
    # A bad setting, a spent wallet, a rate limit refused at the upgrade, the reason in `dg-error` (ERRORS: "a
    # failed upgrade is an HTTP 4xx/5xx"; Pipecat's DeepgramTTSService: "Deepgram explains a refusal (an invalid
    # setting, a bad API key, a model the project can't use) in the dg-error response header", source: sdk).
    upgrade_refusals=UpgradeRefusals(),
    formats=FORMATS,
    drift=(
        DocDrift(
            "Close",
            "The Close guide says Close closes the connection immediately; the AsyncAPI says it "
            "flushes the buffer and closes after all audio is generated. Both are accepted; the sandbox lets "
            "the audio already asked for finish.",
            (CLOSE, WS_REFERENCE),
        ),
        DocDrift(
            "sample_rate",
            "The AsyncAPI types sample_rate as a string enum ('8000', ...); the REST reference as a number.",
            (WS_REFERENCE,),
        ),
        DocDrift(
            "Warning code",
            "The Flush guide quotes the warning's words, not its code: the sandbox writes FLUSH_LIMIT_EXCEEDED.",
            (FLUSH,),
        ),
    ),
)

SOCKETS = (SPEAK,)
