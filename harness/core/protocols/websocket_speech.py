"""The WebSocket speech family: a provider's socket grammar as data. It names no provider.

Most realtime text-to-speech sockets differ in their words, not their shape: an opening message (settings,
sometimes the key), text messages, a message that ends the text (a flush, `finish`, `task_finish`,
`close_context`), audio back as binary frames or as base64/hex at a JSON pointer, a final marker, error
frames and close codes. A provider declares its socket as a `Socket` — every message a template (`fill`'s
`{text}`, `{voice}`, `{model}`, `{format}`, `{rate}`, `{key}`, `{context}`, `{seq}` (the client message's number, for
ids that must differ), `{id}` (the server's session), `{code}`, `{message}`, `{audio}`, `{last}`, `{sequence}` (the
final markers the server sent before), `{nonce}` (an id the client gives a request, which the server's answers to it
carry back: a flush's nonce, a request_id; `Utterance.request_id`, never 0 in the harness's own sessions, so an
imitation that answers a constant is seen)) with the pydantic model its documents give it and the `Match` that tells
it apart — and `with_sockets` adds it to the provider its HTTP declaration (`http_speech.SpeechService`) makes:

    client   [opening] → text × n (· [flush] · [clear] · [update]) → end → (final seen) → [after_final]
    server   [greeting] · [ready] · audio (binary | a message with audio at a pointer) · final · error · others

What its upgrade request carries is its `Upgrade` (the host, the path's values, the query, the headers), how it starts
its `Start` (the opening, the greeting, the answer to the opening, what the text waits for), how it ends beyond `end`
and `final` its `Ending` (an end token, a text message that says no more follows, a final per flush, `after_final` and
its answer, which side closes), how it tells an error its `Failures` (an error message or the close frame alone, the
close after an error message, the close codes, a status in every message) and how its audio comes back its
`AudioAnswer` (binary frames, or a message and the pointer to its audio; whether each chunk is a whole file): parts
with defaults that fit most sockets, so a declaration sets only what its socket does differently, and each engine reads
the part.

Messages are JSON text frames, or MessagePack maps in binary frames where the socket says so (`framing`; see the
declarations that set it), audio then a `bin` value at `AudioAnswer.at` (`harness.core.protocols.socket_framing`
owns both). A socket of no messages at all (`BareText`) takes the text itself as each text frame, control words as
frames of their own, answers with the audio's bytes alone and ends the utterance by closing the socket, not with a
final message.

`SocketGrammar` reads and writes it for every engine (the session runner, the frame checks of
`harness.contracts.frame_checks`, the benchmark's socket jobs); the sandbox's `http-speech` emulation imitates it
from the declaration alone. The model and voice of each offering, the prices, refusals and error codes are
the `SpeechService`'s: one owner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.core.answer_errors import BodyErrors, error_in
from harness.core.drift import resolve
from harness.core.errors import error_for_status
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.declaration import ProtocolDeclaration
from harness.core.protocols.http_speech import (
    Format,
    Model,
    SpeechRefusal,
    SpeechService,
    UnknownModel,
    build_provider,
    fill,
    model_normalisation,
    request_for,
)
from harness.core.protocols.marks import Answer, Marks, Match, read_marks
from harness.core.protocols.realtime_grammar import (
    KEY_SLOT,
    STANDARD_CLOSE_CODES,
    AudioSpec,
    Cancel,
    Channel,
    Event,
    Frame,
    Grammar,
    Kind,
    Opening,
    Outgoing,
    Session,
    Utterance,
)
from harness.core.protocols.socket_framing import BARE_TEXT_AT, Framing, audio_in, decode, encode
from harness.core.spec import DOCUMENTS, AudioAt, DocDrift, Evidence, Offering, Provider, RequestModel, UnknownInput

PROTOCOL = "websocket-speech"
# The rates the harness's own sessions ask where a socket lets one be asked (`other_rate`), the first listed that is
# not the format's own: those voice-agent clients ask most (16 kHz for speech recognition and agents, 24 kHz, the
# telephone's 8 kHz), then the other common ones.
ASKED_RATES = (16000, 24000, 8000, 22050, 44100, 48000)


@dataclass(frozen=True, slots=True)
class Send:
    """A client message: its template, its documented model, and how a server tells it apart (None: the
    client's first message, whatever it holds — an init that carries no type)."""

    name: str
    template: Mapping[str, Any]
    model: type[BaseModel]
    match: Match | None = None


class KeyIn(StrEnum):
    HEADER = "header"  # the provider's auth header on the upgrade (Authorization: Bearer ..., Basic ...)
    MESSAGE = "message"  # a field of the opening message (an `X-API-Key` field)


@dataclass(frozen=True, slots=True, kw_only=True)
class SocketAuth:
    """Where the key travels, and how a wrong one is refused: the upgrade answered 401 in the provider's HTTP
    error shape (`in_handshake`), or an error frame and the socket's error close."""

    where: KeyIn = KeyIn.HEADER
    field: str = ""  # KeyIn.MESSAGE: the opening's field that holds it
    in_handshake: bool = True
    # Upgrade query parameters that may carry the key instead of the header (`?api_key=`,
    # `?access_token=`); the headers of the provider's `Auth.others` are taken on the upgrade too.
    query: tuple[str, ...] = ()
    # KeyIn.HEADER: pointers into the opening message that may carry the key instead of the header (an
    # `/xi_api_key` in its first message); the header wins where one came, else the first of these the opening
    # holds, checked when it arrives (a wrong header is still refused at the upgrade where `in_handshake`). The client
    # sends the header.
    fields: tuple[str, ...] = ()
    # KeyIn.HEADER: the key may instead travel as the offered subprotocols [subprotocol, KEY], for clients that
    # cannot set headers (browsers: `Sec-WebSocket-Protocol: token, KEY`); the server accepts naming
    # `subprotocol`. "": the header only.
    subprotocol: str = ""


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What the client's upgrade request carries beyond the key: the host it goes to, the path template's values, the
    URL's query and headers, each value a template as the messages' are (`{model}`). The default: the provider's
    `api` host and nothing more, the messages carrying the settings."""

    host: str = "api"  # a name of the provider's `SpeechService.hosts`
    path_params: Mapping[str, str] = field(default_factory=dict)  # the path template's values (a
    # `/speak/{lang_code}`: "en"), templates as `query`'s
    query: Mapping[str, str] = field(default_factory=dict)  # the URL's query, templates as the messages' (`{model}`)
    # Upgrade headers beyond the key, templates as `query`'s (a `model: s1` header)
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def slots(self) -> set[str]:
        """The names of the slots the upgrade fills (`{"model_id": "{model}"}`: "model")."""
        values = (*self.path_params.values(), *self.query.values(), *self.headers.values())
        return {slot for value in values if (slot := _slot(value))}

    def filled(self, values: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """The path's values, the query and the headers of an upgrade that asks for `values`."""
        path, query, headers = (
            {name: str(fill(value, values)) for name, value in templates.items()}
            for templates in (self.path_params, self.query, self.headers)
        )
        return path, query, headers

    def given(
        self,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """The slots an upgrade's path, query and headers fill (`{"voice_id": "{voice}"}` and `?voice_id=ada` give
        voice = "ada"), of those given, the later winning; a slot the upgrade leaves out reads "" (the socket's
        documents require what they template)."""
        found: dict[str, str] = {}
        for templates, sent in ((self.path_params, path), (self.query, query), (self.headers, headers)):
            if sent is not None:
                found |= {slot: sent.get(name, "") for name, value in templates.items() if (slot := _slot(value))}
        return found


def _slot(template: str) -> str:
    """The slot a template that is exactly one names (`"{model}"`: "model"); "" for any other."""
    return template[1:-1] if template.startswith("{") and template.endswith("}") else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Start:
    """How a session starts, before the text: the client's opening message (settings, sometimes the key), what the
    server says first and how it answers the opening, and which of them the client waits for. The default: no
    opening, no greeting, nothing awaited — the text goes first (its messages carry the settings, or the URL does)."""

    opening: Send | None = None
    greeting: Answer | None = None  # the server speaks first, on accept (a connected_success)
    ready: Answer | None = None  # kind READY: answers the opening
    waits_for_ready: bool = False  # text waits for `ready` ("only after receiving this event can you send ...")
    waits_for_greeting: bool = False  # the opening (no opening: the text) waits for `greeting`
    # The documents say the opening must come first (a "must be the first message"): a message before it is refused.
    # False: where they are silent, a message before its stream's opening (a context used before an opening of its
    # own) is spoken with the upgrade's settings and recorded as a finding, never refused.
    opening_first: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Ending:
    """How the utterance and the session end beyond the socket's `end` and `final`: what else in a text message ends
    the text, whether each flush's speech is final too, what the client sends once the final marker came and what the
    server answers to it, and which side closes. The default: only `end` ends the text, `final` answers it alone,
    nothing follows it, and the server closes."""

    end_token: str = ""  # a token closing a text message that ends the text as `end` does, the text before it
    # spoken (a {"text": "Hello, World! <STOP>"}); "": only `end` ends it
    # What in a text message says more text follows (a `"continue": true`): a text message it does not match
    # ends the text as `end` does ("If not set, it assumes no more input is coming"). None: only `end` ends it.
    continues: Match | None = None
    final_per_flush: bool = False  # each flush's speech ends with `final` too, the socket going on (a `done`:
    # "If the client sends more text and triggers further synthesis, another done will follow")
    # The answer that follows each flush's speech, and the end's before `final`: this turn's audio is out, the socket
    # going on (an is_final_audio_for_turn: "Indicates that the final audio for a given turn has been sent"); to the
    # engines a Kind.FLUSHED. None: no such answer.
    turn_done: Answer | None = None
    after_final: Send | None = None  # what the client sends once the final marker came (a finish message)
    closed: Answer | None = None  # the server's answer to `after_final` (a contextClosed)
    server_closes: bool = True  # after the final marker (and `after_final`) the server closes, not the client


@dataclass(frozen=True, slots=True)
class Flushes:
    """A socket whose every flush is answered and whose text goes on after it (a Flush, answered by Flushed):
    the `end` message is a flush like any other, each answered in order by `final` (to the engines a Kind.FLUSHED:
    "this flush's speech is out", not "the utterance is over"), the session ended by `Ending.after_final`. Past `limit`
    flushes within `window_s` seconds a flush is answered by `warning` instead and not processed (0: no limit)."""

    limit: int = 0
    window_s: float = 0.0
    warning: Answer | None = None  # kind WARNING: the answer to a flush past the limit


@dataclass(frozen=True, slots=True)
class Clears:
    """What a `clear` does beyond dropping the unspoken text: its answer, once done (a Cleared), and whether
    the speech already asked for and not yet sent goes too, with its final markers ("will clear the internal
    text and audio buffer ... and will stop sending new audio chunks as soon as possible")."""

    answer: Answer | None = None  # kind CLEARED
    drops_speech: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversation:
    """A socket whose text is an item of a conversation and whose `end` asks for a response with a life of its own (a
    Realtime API's): the answer to each text message, naming its item, and what the server sends around each
    response's audio. Their templates' slots: `{item}` the text message's item as sent, its id the client's or one the
    server gives; `{previous}` the item before it (None: the first); `{response}` and `{output}` the response's id and
    its output item's, new for each response; `{metadata}` what the `end` message set at `metadata_at` (else None);
    `{transcript}` the words the response's transcript deltas said."""

    added: Answer | None = None  # the answer to each text message
    item_at: str = ""  # where the text message carries its item
    previous_at: str = ""  # where it names the item it goes after
    first: str = ""  # the word `previous_at` takes for the conversation's start
    metadata_at: str = ""  # where the `end` message sets the response's metadata
    opens: tuple[Answer, ...] = ()  # sent when a response begins, before its audio, in order
    closes: tuple[Answer, ...] = ()  # sent when its audio is out, in order, before `final`

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(a for a in (self.added, *self.opens, *self.closes) if a is not None)


@dataclass(frozen=True, slots=True)
class CloseError:
    """One error told by a close frame: its close code and the code its reason starts with ("1008 DATA-0000")."""

    code: int
    name: str


@dataclass(frozen=True, slots=True)
class CloseErrors:
    """Errors told by the close frame alone, no error message before it (`Failures.error` None: a "1008
    DATA-0000"): for each kind of fault, the close code and the reason's leading code; the reason goes on with the
    particulars."""

    wrong_frame: CloseError  # a frame of the other kind (a binary frame where JSON text is read)
    not_json: CloseError  # a text frame that is not a message of the socket's framing
    invalid: CloseError  # any other refusal: a message the socket does not have, one its model refuses, a setting
    idle: CloseError  # no client message within the idle timeout
    unknown_model: CloseError | None = None  # a model the socket does not serve (None: told as `invalid`)


@dataclass(frozen=True, slots=True)
class Failures:
    """How the socket tells an error: an error message (kind ERROR) or the close frame alone (`close_errors`), exactly
    one; the close that follows an error message, the close codes its documents give, and where any server message
    says whether it succeeded. The default: the standard close codes, a policy-violation close after an error message,
    no status in the other messages; `error` or `close_errors` is the socket's own (none fits most sockets)."""

    error: Answer | None = None  # kind ERROR; None: errors are told by the close frame alone (`close_errors`)
    close_errors: CloseErrors | None = None  # errors told by the close frame alone (with `error` None)
    error_close: int = 1008  # the close that follows an error frame
    close_codes: Mapping[int, str] = field(default_factory=lambda: dict(STANDARD_CLOSE_CODES))
    # Where any server message says whether it succeeded (a code at a pointer and the values meaning success: a
    # `base_resp`-style status): a message whose code is another is that error, audio beside it or not. None: only
    # `error` says so.
    errors: BodyErrors | None = None


@dataclass(frozen=True, slots=True)
class AudioAnswer:
    """How the audio comes back: binary frames, or a JSON message (kind AUDIO) carrying it at a pointer, and whether
    each chunk is a whole file of the format's container. The default: binary frames, one stream."""

    message: Answer | None = None  # kind AUDIO: the JSON message carrying audio at `at` (None: binary frames)
    at: AudioAt | None = None  # None: binary frames
    chunk_files: bool = False  # each audio chunk is a whole file of the format's container (a WAV header each)


@dataclass(frozen=True, slots=True)
class TranscriptDeltas:
    """The words the server says it speaks, sent beside the audio (a speech-to-speech model's transcript deltas):
    the message (kind TRANSCRIPT) and the pointer to its text. The engines read each as a `Kind.TRANSCRIPT` event; the
    sandbox sends the words of each audio piece before it."""

    answer: Answer
    at: str  # where the message holds its piece of the text ("/delta")


@dataclass(frozen=True, slots=True, kw_only=True)
class RetiredGrammar:
    """A grammar the provider switched off, kept with its date: what its server messages were called (`events`: the
    old name and the current one, at the messages' `at` pointer) and its renamed client fields (`fields`, for the
    record). The sandbox speaks it on the current URL under the `retired` stream drift (`POST /_sandbox/drift
    {"streams": {"<provider>": "retired"}}`), and takes the client's fields by their retired names under the
    `renamed_field` one (a current name is unknown to it: `renamed_in`): the drifts a contract suite must name."""

    name: str
    retired_on: str  # the date the provider turned it off
    evidence: str
    header: tuple[str, str] = ("", "")  # the upgrade header that asked for it, where one did
    events: tuple[tuple[str, str], ...] = ()  # (the old name, the current name) of server messages
    fields: tuple[tuple[str, str], ...] = ()  # (the old name, the current name) of client fields
    at: str = "/type"

    def renamed_in(self, message: Any) -> str:
        """The first client field of `message` the rename gave its current name ("session.output_modalities"), as
        the server on the other side of the rename does not know it; "" where it holds none."""
        for _, current in self.fields:
            parent, _, name = ("/" + current.replace(".", "/")).rpartition("/")
            held = read(message, parent) if parent else message
            if isinstance(held, Mapping) and name in held:
                return current
        return ""

    def spoken(self, message: dict[str, Any]) -> dict[str, Any]:
        """A current server message as the retired grammar named it."""
        old = {current: before for before, current in self.events}
        name = read(message, self.at)
        if not isinstance(name, str) or name not in old or self.at.count("/") != 1:
            return message
        return {**message, self.at[1:]: old[name]}


@dataclass(frozen=True, slots=True)
class UpgradeRefusals:
    """What the upgrade itself refuses beyond a wrong key, answered as HTTP in the provider's error shape (a
    400 with an error header, as a framework's client reads it; see the declarations that set it): the URL's
    settings (a model, voice, format or rate of the query or path the socket does not have), a spent wallet (402),
    the key's rate limit (429). Without it (or with a part off) these are refused once the socket is open."""

    settings: bool = True
    wallet: bool = True
    rate_limit: bool = True


@dataclass(frozen=True, slots=True)
class GenerationSchedule:
    """A generation starts as the buffer fills: when it holds the next of these lengths in characters (the last one
    repeating), its text is spoken without waiting for a flush or the end. The opening's list at `lengths_at`
    replaces the default (a generation_config.chunk_length_schedule: "The default value for
    chunk_length_schedule is: [120, 160, 250, 290]")."""

    lengths_at: str
    default: tuple[int, ...]

    def threshold(self, lengths: Sequence[float], generations: int) -> float:
        return lengths[min(generations, len(lengths) - 1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Contexts:
    """Several utterances on one socket, side by side: each a context the client names in every message (`at`) and
    the server names in every answer (`answer_at`); their audio interleaves on the socket, never mixed. Each context
    takes the text template's settings from its first message (generation requests each naming a
    context, or a multi-context socket)."""

    at: str  # where a client message names its context ("/context_id")
    answer_at: str  # where a server message names it ("/context_id")
    # A text message's flag that keeps the context open (a `continue` flag): a text message without it true is
    # the context's last, ending it as `end` does. "": only `end` ends a context.
    more: str = ""
    cancel: Send | None = None  # drops a context: what it still had to say is never sent (a cancel message)
    limit: int = 0  # the most contexts open at once on one socket (0: the documents give none)
    beyond: SpeechRefusal | None = None  # how a context past `limit` is refused (None: the provider's `invalid`)
    # Each context opens with the socket's opening (`Start.opening`), carrying that context's settings (an
    # initialiseContext), told apart by its `Match` wherever it comes, not once as the socket's first message;
    # `Ending.after_final` names no context and ends the socket (a close_socket). False: the opening, where there is
    # one, is the socket's alone.
    opens_each: bool = False


class BareTextFrame(RequestModel):
    """A bare-text socket's client frame, as `Framing.TEXT` reads it: `{"text": <the frame>}`."""

    text: str


@dataclass(frozen=True, slots=True)
class BareText:
    """A socket of bare frames, not messages: each client text frame is the text itself ("bare (non-serialized)
    text"), and a frame that is exactly one of the control words is that command — the end, a flush, a clear; each
    server frame is the audio's bytes; and no final message comes: the server ends the utterance by closing the
    socket (`close`) once it has sent the audio the end asked for ("for the server to close the connection after
    sending the generated audio").

    Declared, it makes the socket's `text`, `end`, `flush` and `clear` (bare-text frames read through
    `Framing.TEXT` as `{"text": <the frame>}`, each word told by its `Match` on "/text") and its framing; `final` and
    `Failures.error` stay None, a refusal being told by the close frame alone (`Failures.close_errors`). Every engine
    reads the ending from the grammar (`Grammar.ending_close`): the server's close with `close` after the end is the
    utterance's end."""

    end: str  # the control word that ends the text: the buffer spoken, then the close
    flush: str = ""  # the control word that speaks the buffer, the text going on ("": none)
    clear: str = ""  # the control word that drops the buffer unspoken ("": none)
    close: int = 1000  # the close code that ends the utterance

    def send(self, name: str, word: str = "") -> Send:
        """The bare-text frame `word` (the text itself where no word is given) as the family's client message."""
        at = BARE_TEXT_AT
        return Send(name, {at[1:]: word or "{text}"}, BareTextFrame, Match(at, word or None))


_UNSAID = Send("", {}, BareTextFrame)  # `Socket.text` left to a part that makes it (`BareText`)


@dataclass(frozen=True, slots=True, kw_only=True)
class Socket:
    """One documented WebSocket endpoint of a provider, every field quoting its documents (or its SDK)."""

    key: str
    path: str
    summary: str
    doc: str
    auth: SocketAuth
    upgrade: Upgrade = field(default_factory=Upgrade)  # the host, path values, query and headers of the upgrade
    start: Start = Start()  # the opening, the greeting, the answer to the opening and what the text waits for
    text: Send = _UNSAID  # required, unless `bare` makes it
    # What says the text is complete; the server then speaks the rest and sends `final`. None: the text message is
    # the whole utterance (one request per synthesis), so the text goes as one message, spoken at once.
    end: Send | None = None
    # Kind FINAL: the utterance is complete (it may carry the last audio at `AudioAnswer.at`). None only with `bare`:
    # the server's close ends the utterance.
    final: Answer | None = None
    # What else ends the text (an end token, a text message without its flag to go on), a final after every flush,
    # the closing message and its answer, and which side closes
    ending: Ending = Ending()
    # An error message or the close frame alone, the close after an error message, the close codes, a status in
    # every message
    failures: Failures = Failures()
    formats: tuple[Format, ...] = ()  # the first is the benchmark's (at least one)
    # The audio's binary frames, or its JSON message and pointer; whether each chunk is a whole file
    audio_answer: AudioAnswer = AudioAnswer()
    flush: Send | None = None  # speaks what the buffer holds without ending the text (a flush message)
    schedule: GenerationSchedule | None = None  # the buffer is spoken as it reaches each length (a chunk schedule)
    clear: Send | None = None  # drops the text the buffer holds, unspoken (an interruption: a `clear`,
    # an input_text_buffer.clear); speech already asked for is still sent
    clears: Clears | None = None  # what `clear` does beyond dropping the text: its answer, dropping speech too
    flushes: Flushes | None = None  # every flush answered and the text going on (Flush/Flushed)
    upgrade_refusals: UpgradeRefusals | None = None  # what the upgrade refuses as HTTP beyond a wrong key
    # A message the server takes and does nothing with, sent to keep an idle connection open (a ping: "to keep the
    # WebSocket connection alive"): accepted anywhere in the session, answered by nothing.
    keepalive: Send | None = None
    # Documented client messages the imitation takes and answers with nothing, anywhere in the session (a realtime
    # input: what a user says or types into a speech-to-speech session, which the sandbox does not hear).
    taken: tuple[Send, ...] = ()
    update: Send | None = None  # changes the settings mid-session: its slots are read as the opening's, a slot it
    # leaves out keeps its value (a tts_session.updated {"session": {"voice"}})
    others: tuple[Answer, ...] = ()
    speaks_each_text: bool = False  # each text message is spoken as it comes (else the buffer, at `end`)
    context_at: str = ""  # where server messages name their context
    # Where a client's text message may name its context though the declared templates do not, known from clients
    # (`source: client`, named in the socket's drift): the imitation then names that context at `context_at` in
    # every answer after it, as those clients read them ("": no such echo).
    context_echoed_from: str = ""
    suffix: str = "-ws"  # the offering of model M over this socket is M + suffix (when the socket names it M too);
    # "": the socket's offering is M itself, in place of M's HTTP offering (aura-* names over /v1/speak)
    # The socket's own names of the models it serves, by their HTTP names (qwen3-tts-flash as
    # qwen3-tts-flash-realtime on its socket); empty: every model, by its HTTP name.
    models: Mapping[str, str] = field(default_factory=dict)
    framing: Framing = Framing.JSON  # how every message travels: JSON text frames, or MessagePack binary frames
    prices: Mapping[str, Decimal] = field(default_factory=dict)  # USD per 1M characters by the socket's model name,
    # where the socket's model is priced apart from its HTTP twin (a realtime model)
    unknown_input: UnknownInput = UnknownInput.UNDOCUMENTED  # a message field the declaration does not list
    # A model name the socket does not serve: refused (an error frame), or spoken as its synthesis' default model
    # where the socket's documents say it falls back and the socket serves that model (the sandbox records a finding
    # naming the value; a server `like` this one that serves other models refuses it).
    unknown_model: UnknownModel = UnknownModel.REFUSED
    drift: tuple[DocDrift, ...] = ()
    # What a server message says was billed (a field of the final message, named by `event` where several carry it):
    # sent by the sandbox with the final marker, read by the benchmark (`harness.core.protocols.billing`).
    billing: tuple[BilledSignal, ...] = ()
    # What the socket's declaration rests on: the documents, or independent clients (`source: client`, each named with
    # its version) where no stored page documents the socket.
    evidence: Evidence = DOCUMENTS
    contexts: Contexts | None = None  # several utterances side by side on one socket
    marks: Marks | None = None  # when each word (or character) is spoken
    bare: BareText | None = None  # no messages: the text itself in, the audio's bytes out, the close as the end
    # The documented way to stop speech mid-utterance: which message, its acknowledgement, what the documents promise
    # of the speech already asked for (`Cancel`; the sandbox does what it says, `bench run --cancel-after` measures it)
    cancel: Cancel | None = None
    transcript: TranscriptDeltas | None = None  # the words the server says it speaks, beside the audio
    conversation: Conversation | None = None  # text as conversation items, each `end` a response with its own events
    # Models this socket alone serves (a speech-to-speech model, no HTTP endpoint of its own): offered over the socket
    # under their own names, their `synthesis` the provider's endpoint a headed answer is asked of. With them, the HTTP
    # models are served only where `models` names them.
    own_models: tuple[Model, ...] = ()
    retired: RetiredGrammar | None = None  # the grammar the provider switched off, dated (a beta's event names)

    def __post_init__(self) -> None:
        if self.bare is not None:
            bare = self.bare
            made: dict[str, Any] = {
                "framing": Framing.TEXT,
                "text": bare.send("text"),
                "end": bare.send("end", bare.end),
                "flush": bare.send("flush", bare.flush) if bare.flush else None,
                "clear": bare.send("clear", bare.clear) if bare.clear else None,
                "final": None,
            }
            unset: dict[str, Any] = {"framing": Framing.JSON, "text": _UNSAID}
            # Given apart, a message must be the part's own (a copy of the socket, `dataclasses.replace`, gives them).
            given = [name for name, value in made.items() if getattr(self, name) not in (unset.get(name), value)]
            given += ["failures.error"] if self.failures.error is not None else []
            if given:
                raise ValueError(
                    f"socket {self.key}: a bare-text socket's messages and framing are its `bare` part's, "
                    f"not declared apart ({', '.join(given)})"
                )
            for name, value in made.items():
                object.__setattr__(self, name, value)
        if self.text is _UNSAID:
            raise ValueError(f"socket {self.key}: its text message is required")
        if not self.formats:
            raise ValueError(f"socket {self.key}: at least one format is required")
        if (self.final is None) is (self.bare is None):
            raise ValueError(
                f"socket {self.key}: the utterance ends with a final message or, on a bare-text socket, "
                "with the server's close: exactly one"
            )
        if self.framing is Framing.TEXT and self.bare is None:
            raise ValueError(f"socket {self.key}: bare-text framing is declared by the `bare` part")
        if any(signal.header for signal in self.billing) or (self.billing and self.final is None):
            raise ValueError(
                f"socket {self.key}: a socket's billing signals are fields of its messages (no headers), "
                "sent with its final message"
            )
        if self.bare is not None and (
            self.audio_answer.message is not None
            or self.start.opening is not None
            or self.ending.after_final is not None
            or self.contexts is not None
        ):
            raise ValueError(
                f"socket {self.key}: a bare-text socket has no messages beyond its text and words: "
                "no opening, audio message, after_final or contexts"
            )
        # The key and the closing messages are put into text as a session leaves (`KEY_SLOT`, `Opening.closing`):
        # a MessagePack socket carries neither, so a declaration asking for it is refused here, not on the wire.
        if self.framing.binary and (self.auth.where is KeyIn.MESSAGE or self.ending.after_final is not None):
            raise ValueError(
                f"socket {self.key}: a MessagePack socket takes its key in the upgrade and has no after_final message"
            )
        if self.opens_each and (self.start.opening is None or self.start.opening.match is None):
            raise ValueError(
                f"socket {self.key}: where each context opens with the opening, the opening needs a "
                "match that tells it apart from the text"
            )
        if self.marks is not None and self.marks.asked_at_start and self.start.opening is None:
            raise ValueError(f"socket {self.key}: its marks are asked in the opening, and it has none")
        if self.cancel is not None and self.cancel_send is None:
            raise ValueError(
                f"socket {self.key}: its cancel names {self.cancel.message!r}, a message it does not have "
                "(clear, cancel or end)"
            )
        if self.ending.turn_done is not None and self.ending.turn_done.kind is not Kind.FLUSHED:
            raise ValueError(
                f"socket {self.key}: the answer ending each turn is a Kind.FLUSHED (this flush's speech is out)"
            )
        if (self.failures.error is None) is (self.failures.close_errors is None):
            raise ValueError(
                f"socket {self.key}: errors are told by an error message or by the close frame alone "
                "(error or close_errors): exactly one"
            )

    def format(self, name: str | None) -> Format:
        for fmt in self.formats:
            if fmt.name == (name or self.formats[0].name):
                return fmt
        raise KeyError(name)

    @property
    def answers(self) -> tuple[Answer, ...]:
        """Every server message, in the order a message is matched (errors and the final marker first)."""
        marks = None if self.marks is None else self.marks.answer
        warning = None if self.flushes is None else self.flushes.warning
        cleared = None if self.clears is None else self.clears.answer
        transcript = None if self.transcript is None else self.transcript.answer
        conversation = () if self.conversation is None else self.conversation.answers
        found = (
            self.failures.error,
            self.final,
            self.start.ready,
            self.start.greeting,
            self.ending.closed,
            marks,
            cleared,
            warning,
            self.ending.turn_done,
            transcript,
            *conversation,
            *self.others,
            self.audio_answer.message,
        )
        return tuple(a for a in found if a is not None)

    @property
    def sends(self) -> tuple[Send, ...]:
        """Every client message, in the order a message is matched: where each context opens with the opening, it is
        told apart before the text message its match would otherwise be read as."""
        cancel = None if self.contexts is None else self.contexts.cancel
        opening = self.start.opening
        found = (
            self.ending.after_final,
            cancel,
            self.keepalive,
            *self.taken,
            self.end,
            self.flush,
            self.clear,
            self.update,
            *((opening, self.text) if self.opens_each else (self.text, opening)),
        )
        return tuple(s for s in found if s is not None)

    @property
    def cancel_send(self) -> Send | None:
        """The client message that cancels (`Socket.cancel`): the clear, the context's cancel, or the end."""
        if self.cancel is None:
            return None
        found = {
            "clear": self.clear,
            "cancel": None if self.contexts is None else self.contexts.cancel,
            "end": self.end,
        }
        return found.get(self.cancel.message)

    @property
    def opens_each(self) -> bool:
        """Each context opens with the opening (`Contexts.opens_each`)."""
        return self.contexts is not None and self.contexts.opens_each

    @property
    def context_pointer(self) -> str:
        """Where a server message names its context ("" where none does)."""
        return self.contexts.answer_at if self.contexts is not None else self.context_at


def slots_of(template: Any, at: str = "") -> dict[str, str]:
    """Where each `{name}` placeholder sits in a template: name -> JSON pointer (strings that are exactly one)."""
    found: dict[str, str] = {}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        found[template[1:-1]] = at
    elif isinstance(template, Mapping):
        for key, value in template.items():
            found.update(slots_of(value, f"{at}/{str(key).replace('~', '~0').replace('/', '~1')}"))
    elif isinstance(template, list):
        for index, value in enumerate(template):
            found.update(slots_of(value, f"{at}/{index}"))
    return found


def read(message: Any, pointer: str | None) -> Any:
    if pointer is None:
        return None
    present, value = resolve(message, pointer)
    return value if present else None


class SocketDeclaration(ProtocolDeclaration):
    """What the realtime engines read of a family socket's provider (voices, models, formats, prices)."""

    protocol: Literal["websocket-speech"] = "websocket-speech"
    formats: tuple[str, ...] = Field(min_length=1)
    key_env: str = Field("", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")  # "": a server that takes no key


class SocketGrammar(Grammar):
    """Reads and speaks a declared `Socket`: the family's one grammar."""

    def __init__(
        self,
        socket: Socket,
        declaration: SocketDeclaration,
        speakers: Mapping[str, tuple[str, str]],
        statuses: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(declaration)
        self.socket = socket
        self.speakers = dict(speakers)  # offering name -> (model, voice)
        self.protocol = f"{declaration.name} WebSocket"
        self.binary_audio = socket.audio_answer.at is None
        self.close_codes = socket.failures.close_codes
        self.final_kind = Kind.FLUSHED if socket.flushes is not None else Kind.FINAL
        self.ending_close = None if socket.bare is None else socket.bare.close
        self.bare_text = socket.bare is not None
        # A socket that names a model and never a voice speaks each model in its own voice (aura-* names).
        said = {
            name for send in (socket.start.opening, socket.text) if send is not None for name in slots_of(send.template)
        } | socket.upgrade.slots
        self.voice_is_model = "model" in said and "voice" not in said
        self.preamble = 1 if socket.start.opening is not None else 0
        self.key_in_message = socket.auth.where is KeyIn.MESSAGE
        self.chunk_files = socket.audio_answer.chunk_files
        self.binary_messages = socket.framing.binary
        self.message_words = socket.framing.words + " message"
        audio_at = socket.audio_answer.at
        self.audio_pointers = () if audio_at is None else (audio_at.pointer,)
        # The provider's codes (its refusals, `with_sockets`), then what the socket's own error table adds.
        said_errors = socket.failures.errors
        self.error_statuses = {**(statuses or {}), **(said_errors.statuses if said_errors else {})}
        self.said_errors = said_errors
        self.contexts = socket.contexts is not None
        self.timing_marks = socket.marks is not None
        self.character_marks = socket.marks is not None and socket.marks.chars
        self.cancel = socket.cancel
        self.turn_ends = socket.ending.turn_done is not None
        # Where a client's request gives its id and where each answer carries it back (`{nonce}` in their templates)
        self.id_sent_at = tuple(
            dict.fromkeys(at for send in socket.sends if (at := slots_of(send.template).get("nonce")) is not None)
        )
        self.id_answered_at = tuple(
            (answer, at) for answer in socket.answers if (at := slots_of(answer.template).get("nonce")) is not None
        )
        self.echoes_ids = bool(self.id_sent_at and self.id_answered_at)

    def sent_ids(self, message: Any) -> tuple[Any, ...]:
        return tuple(found for at in self.id_sent_at if (found := read(message, at)) is not None)

    def answered_id(self, message: Any) -> tuple[bool, Any]:
        answer = self.answer(message)
        at = next((at for said, at in self.id_answered_at if said is answer), None)
        if at is None:
            return False, None
        present, value = resolve(message, at)
        return present, value

    def asks_rate(self) -> bool:
        """Whether a client names the sample rate apart from the format (a `{rate}` slot in the opening, the text or
        the upgrade)."""
        said = {
            name
            for send in (self.socket.start.opening, self.socket.text)
            if send is not None
            for name in slots_of(send.template)
        } | self.socket.upgrade.slots
        return "rate" in said

    def other_rate(self, audio_format: str | None = None) -> int | None:
        """A rate the socket lets a client ask other than its format's own (a `{rate}` slot, and the format lists
        others): the first of `ASKED_RATES` listed; None where none can be asked. The harness's own sessions ask it
        (`Utterance.rate`), so the rate heard is judged at a rate a client chose, never only at the one the imitation
        would send anyway."""
        if not self.asks_rate():
            return None
        fmt = self.socket.format(audio_format)
        return next((rate for rate in ASKED_RATES if rate != fmt.spec.sample_rate and rate in fmt.rates), None)

    def speaker_of(self, offering: str) -> tuple[str, str] | None:
        """An offering's model and voice; a socket's own model name (the frame checks name the model) finds its
        offering's too, so a model whose voices are its own is never spoken in another model's voice."""
        found = self.speakers.get(offering)
        return found or next((speaker for speaker in self.speakers.values() if speaker[0] == offering), None)

    def decode(self, frame: Frame) -> Any:
        return decode(frame.text, frame.data, self.socket.framing)

    def client_model(self, message: Any, position: int) -> type[BaseModel] | None:
        send = self.client_message(message, position)
        return None if send is None else send.model

    def client_message(self, message: Any, position: int) -> Send | None:
        if not isinstance(message, dict):
            return None
        opening = self.socket.start.opening
        if position == 0 and opening is not None and (opening.match is None or opening.match(message)):
            return opening
        return next((s for s in self.socket.sends if s.match is not None and s.match(message)), None)

    def server_model(self, message: Any) -> type[BaseModel] | None:
        answer = self.answer(message)
        return None if answer is None else answer.model

    def answer(self, message: Any) -> Answer | None:
        if not isinstance(message, dict):
            return None
        return next((a for a in self.socket.answers if a.match(message)), None)

    def events(self, frame: Frame, message: BaseModel | None) -> tuple[Event, ...]:
        at = (frame.index, frame.t_s)
        if frame.data is not None and self.binary_audio:
            return (Event(frame=at[0], t_s=at[1], kind=Kind.AUDIO, audio=frame.data),)
        raw = self.decode(frame)
        answer = self.answer(raw)
        if answer is None:
            return ()
        at_context = self.socket.context_pointer
        context = str(read(raw, at_context) or "") if at_context else ""
        if answer.kind is Kind.ERROR:
            return (
                Event(
                    frame=at[0],
                    t_s=at[1],
                    kind=Kind.ERROR,
                    context=context,
                    code=str(read(raw, answer.code_at) or ""),
                    message=str(read(raw, answer.message_at) or ""),
                ),
            )
        said_errors = self.socket.failures.errors
        said = None if said_errors is None else error_in(raw, said_errors)
        if said is not None:  # a message that says it failed is that error, whatever audio comes with it
            return (
                Event(frame=at[0], t_s=at[1], kind=Kind.ERROR, context=context, code=said.code, message=said.message),
            )
        marks, transcript = self.socket.marks, self.socket.transcript
        if marks is not None and marks.answer is not None and answer is marks.answer:
            return self._marks(frame, raw, context)
        if transcript is not None and answer is transcript.answer:
            said = read(raw, transcript.at)
            return (
                Event(
                    frame=at[0],
                    t_s=at[1],
                    kind=Kind.TRANSCRIPT,
                    context=context,
                    message=said if isinstance(said, str) else "",
                ),
            )
        where = self.socket.audio_answer.at
        if answer.kind in (Kind.AUDIO, Kind.FINAL) and where is not None and read(raw, where.pointer):
            # Audio text that is not in its encoding raises (AudioFieldError): `Grammar.read` refuses the frame.
            sound = audio_in(raw, where, self.socket.framing)
            audio: tuple[Event, ...] = (Event(frame=at[0], t_s=at[1], kind=Kind.AUDIO, context=context, audio=sound),)
            if marks is not None and marks.answer is None:  # the marks ride on the audio answer
                audio = (*audio, *self._marks(frame, raw, context))
            return (
                audio
                if answer.kind is Kind.AUDIO
                else (*audio, Event(frame=at[0], t_s=at[1], kind=self.final_kind, context=context))
            )
        return (
            Event(
                frame=at[0],
                t_s=at[1],
                kind=self.final_kind if answer.kind is Kind.FINAL else answer.kind,
                context=context,
            ),
        )

    def _marks(self, frame: Frame, raw: Any, context: str) -> tuple[Event, ...]:
        """The timing marks a message carries (none where it carries no list at the declared pointers)."""
        marks = self.socket.marks
        assert marks is not None
        spans = read_marks(raw, marks)
        if spans is None:
            return ()
        where = marks.text_at.rsplit("/", 1)[0]
        return (
            Event(
                frame=frame.index,
                t_s=frame.t_s,
                kind=Kind.MARKS,
                context=context,
                marks=spans,
                chunk_relative=marks.chunk_relative,
                pointer=where,
            ),
        )

    def audio_spec(self, session: Session) -> AudioSpec:
        sent = session.sent()
        first: Any = {}
        if sent:
            try:
                first = self.decode(sent[0])
            except ValueError:
                first = {}
        return self.spec_of(first, session.query)

    def spec_of(self, opening: Any, query: Mapping[str, str] | None = None) -> AudioSpec:
        """The audio an opening message (or the URL's `query`) asks for: its format and rate, else the defaults."""
        template = (self.socket.start.opening or self.socket.text).template  # no opening: each text message says it
        given = self.socket.upgrade.given(query=query or {}) | {
            name: read(opening, at) for name, at in slots_of(template).items()
        }
        try:
            fmt = self.socket.format(given.get("format"))
        except KeyError:
            fmt = self.socket.formats[0]
        rate = given.get("rate")
        return (
            replace(fmt.spec, sample_rate=int(rate))
            if isinstance(rate, int | str) and str(rate).isdigit()
            else fmt.spec
        )

    def opening(self, utterance: Utterance) -> Opening:
        socket, start, ending = self.socket, self.socket.start, self.socket.ending
        values = self._values(utterance)
        greeted = Kind.OPENED if start.waits_for_greeting and start.greeting is not None else None
        dump = partial(_dump, framing=socket.framing)
        messages = (
            []
            if start.opening is None
            else [Outgoing(self._opening_message(utterance, {**values, "seq": 0}), after=greeted)]
        )
        # Text waits for the answer to the opening where the socket says so; with no opening, for the greeting the
        # opening would have waited for (a session.created: "Wait for session created").
        after = (
            Kind.READY
            if start.waits_for_ready and start.ready is not None
            else (greeted if start.opening is None else None)
        )
        chunks = utterance.chunks if socket.end is not None else (utterance.text,)
        messages += [
            Outgoing(self._text(utterance, {**values, "text": chunk, "seq": len(messages) + index}), after=after)
            for index, chunk in enumerate(chunks)
        ]
        if socket.end is not None:
            messages.append(Outgoing(dump(socket.end.template, {**values, "seq": len(messages)}), after=after))
        closing = (
            ()
            if ending.after_final is None
            else (_dump(ending.after_final.template, {**values, "seq": len(messages)}),)
        )  # JSON: __post_init__
        path, query, headers = socket.upgrade.filled(values)
        return Opening(
            path_params=path,
            query=query,
            messages=tuple(messages),
            closing=closing,
            client_closes=not ending.server_closes,
            headers=headers,
        )

    def _values(self, utterance: Utterance) -> dict[str, Any]:
        """What an utterance fills the socket's templates with."""
        fmt = self.socket.format(utterance.audio_format)
        return {
            "voice": utterance.voice,
            "model": utterance.model,
            "format": fmt.name,
            "rate": utterance.rate or fmt.spec.sample_rate,
            "key": KEY_SLOT,
            "context": utterance.context,
            "nonce": utterance.request_id,
        }

    def cancelling(self, utterance: Utterance, opening: Opening, after_s: float) -> Opening | None:
        """`opening` with the socket's cancel sent `after_s` seconds after the first audio. Where the cancel is the end
        itself (a context's close), or the end makes the server close the socket once it has spoken (an `eos`), the
        end is sent as the socket's flush instead, so the speech is asked for and the socket is still listening when
        the cancel comes; with no flush, the opening is kept as it is."""
        socket, send = self.socket, self.socket.cancel_send
        if send is None:
            return None
        values = self._values(utterance)
        closes = (
            socket.ending.after_final is None
            and socket.ending.server_closes
            and socket.contexts is None
            and socket.flushes is None
        )
        messages = list(opening.messages)
        if socket.flush is not None and socket.end is not None and (send is socket.end or closes):
            flush = socket.flush
            messages = [
                replace(m, message=_dump(flush.template, {**values, "text": "", "seq": index}, framing=socket.framing))
                if _is(m, socket.end, socket.framing)
                else m
                for index, m in enumerate(messages)
            ]
        cancel = Outgoing(
            _dump(send.template, {**values, "seq": len(messages)}, framing=socket.framing),
            at_s=after_s,
            after=Kind.AUDIO,
        )
        return replace(opening, messages=(*messages, cancel), closing=())

    def _opening_message(self, utterance: Utterance, values: Mapping[str, Any]) -> Any:
        """The opening, asking for the socket's timing marks where the utterance wants them and its flag rides there
        (`Marks.asked_at_start`)."""
        assert self.socket.start.opening is not None
        return self._asking(utterance, fill(self.socket.start.opening.template, values), at_start=True)

    def _text(self, utterance: Utterance, values: Mapping[str, Any]) -> Any:
        """A text message, asking for the socket's timing marks where the utterance wants them and a flag asks."""
        return self._asking(utterance, fill(self.socket.text.template, values), at_start=False)

    def _asking(self, utterance: Utterance, message: Any, *, at_start: bool) -> Any:
        """`message` framed, with the marks' flag set where the utterance wants marks and this message carries it."""
        marks = self.socket.marks
        if (
            utterance.timestamps
            and marks is not None
            and marks.asked_by
            and marks.asked_at_start == at_start
            and isinstance(message, dict)
        ):
            marks.ask(message)
        return encode(message, self.socket.framing)

    def keepalive(self, utterance: Utterance) -> Outgoing | None:
        """The socket's keepalive message as the utterance's session sends it (None where the socket has none)."""
        keepalive = self.socket.keepalive
        if keepalive is None:
            return None
        values = {"voice": utterance.voice, "model": utterance.model, "context": utterance.context}
        return Outgoing(_dump(keepalive.template, values, framing=self.socket.framing))

    def complete(self, events: Sequence[Event], opening: Opening) -> bool:
        if self.socket.flushes is not None:
            asked = sum(1 for m in opening.messages if self.flushes_in((m.message,)))
            return sum(1 for e in events if e.kind is Kind.FLUSHED) >= asked
        if self.socket.contexts is None:
            return any(e.kind is Kind.FINAL for e in events)
        # Every context the client named has ended (or an error that names none ended them all).
        named = {str(read(_message(m, self.socket.framing), self.socket.contexts.at) or "") for m in opening.messages}
        ended = {e.context for e in events if e.kind in (Kind.FINAL, Kind.ERROR)}
        return named <= ended or any(e.kind is Kind.ERROR and not e.context for e in events)

    def flushes_in(self, messages: Sequence[Any]) -> int:
        """How many of the client's `messages` (as sent: text or bytes) are flushes a final answers: the end, the
        flush where the socket answers each."""
        answered = tuple(s for s in (self.socket.end, self.socket.flush) if s is not None and s.match is not None)
        found = 0
        for message in messages:
            try:
                raw = decode(
                    message if isinstance(message, str) else None,
                    message if isinstance(message, bytes) else None,
                    self.socket.framing,
                )
            except ValueError:
                continue
            found += isinstance(raw, dict) and any(s.match is not None and s.match(raw) for s in answered)
        return found


def _message(outgoing: Outgoing, framing: Framing) -> Any:
    """A client message as sent, read back (None where it is not one: the malformed check's)."""
    text, data = (outgoing.message, None) if isinstance(outgoing.message, str) else (None, outgoing.message)
    try:
        return decode(text, data, framing)
    except ValueError:
        return None


def _is(outgoing: Outgoing, send: Send, framing: Framing) -> bool:
    """Whether a client message as sent is `send` (told apart by its match)."""
    raw = _message(outgoing, framing)
    return isinstance(raw, dict) and send.match is not None and send.match(raw)


def _dump(template: Mapping[str, Any], values: Mapping[str, Any], framing: Framing = Framing.JSON) -> Any:
    """A client message filled from its template, framed as the socket frames it (text, or bytes)."""
    return encode(fill(template, values), framing)


def served(service: SpeechService, socket: Socket) -> list[tuple[Model, str]]:
    """The models a socket serves, each with the name the socket knows it by. A model offered under another name
    than it sends (the same model on a second HTTP endpoint) is served once, under its own."""

    def renamed(model: Model) -> bool:
        slot = service.synthesis(model.synthesis).slots.model
        return slot is not None and slot in model.sets

    every = not socket.models and not socket.own_models  # no names given: every HTTP model
    return [
        (m, socket.models.get(m.name, m.name))
        for m in service.models
        if (every or m.name in socket.models) and not renamed(m)
    ] + [(m, m.name) for m in socket.own_models]


def refusal_statuses(service: SpeechService) -> dict[str, int]:
    """The provider's own error codes and the HTTP status each means, from its documented refusals: the words its
    error frames speak in. A code the refusals give statuses of different classes (a 1000, "unknown error",
    for a 404 and a 500) says nothing of its class and is left out."""
    refusals = [
        value
        for item in fields(service.refusals)
        if isinstance(value := getattr(service.refusals, item.name), SpeechRefusal)
    ]
    found: dict[str, int] = {}
    ambiguous: set[str] = set()
    for refusal in refusals:
        known = found.setdefault(refusal.code, refusal.status)
        if type(error_for_status(known, "")) is not type(error_for_status(refusal.status, "")):
            ambiguous.add(refusal.code)
    return {code: status for code, status in found.items() if code not in ambiguous}


def offering_name(model: Model, wire: str, socket: Socket) -> str:
    return wire if wire != model.name else model.name + socket.suffix


def with_sockets(service: SpeechService, sockets: Sequence[Socket]) -> Provider:
    """The provider the `SpeechService` makes, with its documented sockets: a channel each, and an offering of
    every model over each (named model + suffix, or the socket's own name of it; spoken in the model's voice,
    priced as its HTTP request)."""
    provider = build_provider(service)
    channels: list[Channel] = []
    offerings: list[Offering] = []
    _check_socket_known_models(service, sockets)
    for socket in sockets:
        models = served(service, socket)
        if not models:  # every model it could speak is offered on another endpoint only (a file's `like` table)
            continue
        declaration = SocketDeclaration(
            name=service.name,
            base_url=service.hosts[socket.upgrade.host],
            key_env=service.key_env,
            models=tuple(wire for _, wire in models),
            voices=tuple(v.name for v in service.voices),
            formats=tuple(f.name for f in socket.formats),
            title=service.title,
            model_prices={
                wire: socket.prices.get(wire, m.usd_per_million_chars)
                for m, wire in models
                if wire in socket.prices or m.usd_per_million_chars is not None
            },
        )
        speakers = {offering_name(m, wire, socket): (wire, m.voice) for m, wire in models}
        grammar = SocketGrammar(socket, declaration, speakers, refusal_statuses(service))
        channels.append(
            Channel(
                key=socket.key,
                path=socket.path,
                summary=socket.summary,
                grammar=grammar,
                host=socket.upgrade.host,
                auth_query=socket.auth.query,
                doc=socket.doc,
                evidence=socket.evidence,
            )
        )
        offerings += [
            Offering(
                name=offering_name(m, wire, socket),
                endpoint=m.synthesis,
                build=partial(request_for, service, m),
                channel=socket.key,
                languages=m.languages,
                max_chars=m.max_chars,
                description=f"{wire} over the WebSocket {socket.path} (voice {m.voice})",
                # the HTTP twin's switch: a run varying it sends that request (with_normalisation)
                normalisation=model_normalisation(service, m),
                named_only=m.named_only,  # a socket's own model benchmarked only where a run names it
            )
            for m, wire in models
        ]
    taken = {o.name for o in offerings}  # a socket's offering named as an HTTP one replaces it (suffix "")
    kept = tuple(o for o in provider.offerings if o.name not in taken)
    docs = tuple(dict.fromkeys((*provider.docs, *(s.doc for s in sockets if s.doc))))
    drift = (*provider.doc_drift, *(d for s in sockets for d in s.drift))
    return replace(
        provider, channels=(*provider.channels, *channels), offerings=(*kept, *offerings), docs=docs, doc_drift=drift
    )


def _check_socket_known_models(service: SpeechService, sockets: Sequence[Socket]) -> None:
    """A known model taken on one socket only (`KnownModel.socket`) names a socket given, and is spoken like a model
    that socket serves under its own name: a declaration's typo stops at import, not at the first session."""
    names = {socket.key: {wire for _, wire in served(service, socket)} for socket in sockets}
    for known in service.known_models:
        if known.socket and known.like not in names.get(known.socket, ()):
            raise ValueError(
                f"{service.name}: known model {known.name} is spoken like {known.like!r}, which socket "
                f"{known.socket!r} does not serve"
            )


def socket_of(channel: Channel) -> Socket:
    """The declaration a family channel was built from."""
    grammar = channel.grammar
    if not isinstance(grammar, SocketGrammar):
        raise TypeError(f"{channel.key} is not a channel of the WebSocket speech family")
    return grammar.socket
