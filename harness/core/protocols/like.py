"""`like = "<built-in name>"`: a providers-file table that starts from a built-in provider of a wire family and says
what differs — another server of the same API (a gateway speaking the `openai` built-in's API is
`like = "openai"`, a self-hosted server of the `elevenlabs` built-in's `like = "elevenlabs"`). `derive` dispatches on
the built-in's family: a `SpeechService` (the HTTP and WebSocket speech families) here, a `JobsService` (the
asynchronous jobs family) in `like_jobs`, which takes the keys a queued-job API has (see there).

    [providers.mygateway]
    like = "groq"                        # an installed provider declared in a family (its SpeechService + sockets)
    base_url = "https://tts.example/v1"  # every host of the built-in (its HTTP endpoints and sockets) reaches here
    hosts = { ws = "https://..." }       # optional: one host of the built-in set apart (by the built-in's host
                                         #   name; a socket on it is reached at the URL's ws(s) twin)
    key_env = "MYGATEWAY_KEY"            # the file's own secret (declared.py's rules), or auth = "none"
    auth = "bearer"                      # optional: key (as the built-in sends it; the default) | bearer | none
    models = ["my-tts", { name = "my-tts-live", stream = true }]   # each a copy of the built-in's model of that
                                         #   name, else of its first model, renamed
    voices = ["ada", "ben"]              # the server's voices (a built-in voice of that name keeps its facts)
    formats = ["wav", "mp3"]             # narrows the built-in's formats to these (its own names)
    sample_rate = 22050                  # the rate it answers in (its headerless pcm's, and its files'; pcm among
                                         #   its formats)
    price_per_million_chars = 3          # USD; model_prices = { my-tts = 2 } for a model's own (a jobs-family
                                         #   built-in prices a job whole: price_per_request, its model_prices too)
    max_input_chars = 8000               # the server's text limit
    stream = true                        # every model's default: an answer of events (SSE, NDJSON), timed
    title = "..."
    deviations = { speed = "ignores speed" }   # checks the server is known to fail, each with why (xfail)

What is not named is the built-in's: its paths, request and answer models, error shape, refusals, sockets. Prices: a
table with another `base_url` is another server, so its price is the file's (none when the file names none); a
table that keeps the built-in's servers (no `base_url`, no `hosts`) keeps the built-in's prices too. What every
family shares has one owner: the table and where its hosts go and how its key travels (`like_declaration`), the
title and the deviations (`derive`, here).

A built-in host's URL may carry a path (`https://api.example.com/v1`); `base_url` replaces the whole URL of
each host, so a multi-host built-in (an HTTP host and a socket host apart) is served from one origin, each
endpoint at its own path, unless `hosts` sets a host apart. A socket's URL is its host's WebSocket twin (ws, wss).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from harness.core.errors import UsageError
from harness.core.protocols import like_jobs
from harness.core.protocols.http_speech import (
    Format,
    Model,
    SpeechService,
    Synthesis,
    Voice,
    build_provider,
    put,
    read,
)
from harness.core.protocols.jobs import JobsService
from harness.core.protocols.like_declaration import DeclaredModel, LikeDeclaration
from harness.core.protocols.websocket_speech import Socket, SocketGrammar, with_sockets
from harness.core.spec import EventStreamBody, NdjsonBody, Provider

PCM_CODECS = ("pcm_s16le",)


def derive(declaration: LikeDeclaration, builtin: Provider, where: str) -> Provider:
    """The provider `declaration` describes: `builtin`'s family declaration with the table's overrides. `where` is
    the table's place (`tts-harness.toml: providers.mybox`), which every problem names with its key."""
    family = builtin.family
    title = declaration.title or f"{declaration.name} (like {builtin.name}, declared in {where.split(':')[0]})"
    if isinstance(family, JobsService):
        provider = like_jobs.derive(declaration, family, title, where)
    elif isinstance(family, SpeechService):
        provider = _speech(declaration, builtin, family, title, where)
    elif family is None:
        raise UsageError(
            f"{where}.like: {builtin.name} is not declared in a wire family (it has code of its own), "
            "so a providers file cannot start from it"
        )
    else:  # a family this module has no path for: say which, not that there is none
        raise UsageError(
            f"{where}.like: {builtin.name} is declared in a family `like` cannot start from "
            f"({type(family).__name__}; it starts from the HTTP speech, WebSocket speech and jobs "
            "families)"
        )
    deviations = {check: f"{why} ({where}.deviations)" for check, why in declaration.deviations.items()}
    return replace(provider, known_deviations={**provider.known_deviations, **deviations})


def _speech(
    declaration: LikeDeclaration, builtin: Provider, service: SpeechService, title: str, where: str
) -> Provider:
    """A built-in of the HTTP (and WebSocket) speech family with the table's overrides."""
    if declaration.price_per_request is not None:
        raise UsageError(
            f"{where}.price_per_request: {service.name} prices the characters it speaks: give price_per_million_chars"
        )
    sockets: list[Socket] = []
    for channel in builtin.channels:
        if not isinstance(channel.grammar, SocketGrammar):
            raise UsageError(
                f"{where}.like: {builtin.name}'s socket {channel.key} is not declared in the WebSocket "
                "speech family, so a providers file cannot start from it"
            )
        sockets.append(channel.grammar.socket)
    hosts = declaration.placed(service.name, service.hosts, where)
    elsewhere = hosts != dict(service.hosts)
    models = _models(declaration, service, elsewhere, where)
    voices = _voices(declaration, service, models)
    models = tuple(_voiced(model, voices) for model in models)
    declaration = _rates_in_names(declaration, service, sockets, where)
    _check_formats(declaration, service, sockets, where)
    narrowed: dict[type[BaseModel], type[BaseModel]] = {}  # one narrowed model per request model: the answer
    # forms of one path share theirs (answer_forms.check_forms)
    # A synthesis the built-in's models speak through and none of this server's does is not this server's (an
    # SSE form where every declared model answers plain audio); one the built-in offers no model of is kept, and so is
    # one only a named-only model of the built-in goes to (a route with timing marks: every server of it has it).
    served = {model.synthesis for model in models}
    offered = {model.synthesis for model in service.models if not model.named_only}
    syntheses = tuple(
        _examples(_synthesis(declaration, s, voices, where, narrowed), models)
        for s in service.syntheses
        if s.endpoint.key in served or s.endpoint.key not in offered
    )
    keyless = declaration.auth == "none"
    if keyless:
        syntheses = tuple(replace(s, endpoint=replace(s.endpoint, auth_required=False)) for s in syntheses)
    derived = replace(
        service,
        name=declaration.name,
        title=title,
        hosts=hosts,
        auth=declaration.sends_key(service.auth),
        key_env=declaration.key_env,
        docs=(*service.docs, where),
        syntheses=syntheses,
        models=models,
        voices=voices,
        file_protocols=(),
        # the built-in's published prices stay where its servers and models do; a table elsewhere, or naming
        # prices of its own, is priced by the table alone
        prices_from=""
        if elsewhere or declaration.price_per_million_chars is not None or declaration.model_prices
        else (service.prices_from if service.prices_from is not None else service.name),
        listings=tuple(
            replace(listing, endpoint=replace(listing.endpoint, auth_required=False)) for listing in service.listings
        )
        if keyless
        else service.listings,
        token=None if keyless else service.token,
        known_models=(),
    )
    # The built-in's known model names stay where a model they are spoken like does (a server of the same models).
    sent = derived.sent_models()
    derived = replace(
        derived,
        known_models=tuple(known for known in service.known_models if known.like in sent and known.name not in sent),
    )
    kept = tuple(filter(None, (_socket(declaration, socket, service, models, elsewhere, where) for socket in sockets)))
    return with_sockets(derived, kept) if kept else build_provider(derived)


def _events(synthesis: Synthesis) -> bool:
    """Whether a synthesis answers a stream of events (SSE, NDJSON): what a declared `stream = true` asks for."""
    success = synthesis.endpoint.response_for(synthesis.endpoint.success_status)
    return success is not None and any(isinstance(body, EventStreamBody | NdjsonBody) for body in success.bodies)


def _models(declaration: LikeDeclaration, service: SpeechService, elsewhere: bool, where: str) -> tuple[Model, ...]:
    by_name = {model.name: model for model in service.models}
    entries = declaration.models or tuple(DeclaredModel(name=m.name) for m in service.models)
    unknown = sorted(set(declaration.model_prices) - {entry.name for entry in entries})
    if unknown:
        raise UsageError(f"{where}.model_prices: {', '.join(unknown)} is not among the models")
    prices_given = declaration.price_per_million_chars is not None or bool(declaration.model_prices)
    models = []
    for index, entry in enumerate(entries):
        base = by_name.get(entry.name, service.models[0])
        synthesis = service.synthesis(base.synthesis)
        sets = dict(base.sets)
        if entry.name != base.name and synthesis.slots.model is not None:
            sets.pop(synthesis.slots.model, None)  # a copy sends its own name
        model = replace(base, name=entry.name, sets=sets)
        stream = entry.stream if entry.stream is not None else declaration.stream
        if stream is not None:
            model = replace(
                model, synthesis=_synthesis_for(service, synthesis, stream, f"{where}.models.{index}"), streams=stream
            )
        if prices_given or elsewhere:
            price = declaration.model_prices.get(entry.name, declaration.price_per_million_chars)
            model = replace(
                model,
                usd_per_million_chars=price,
                price_note=f"{price} USD per 1M characters ({where})" if price is not None else "",
            )
        if declaration.max_input_chars is not None:
            model = replace(model, max_chars=declaration.max_input_chars)
        if entry.name != base.name:
            model = replace(model, description=f"{entry.name}, like {service.name}'s {base.name} ({where})")
        models.append(model)
    return tuple(models)


def _synthesis_for(service: SpeechService, synthesis: Synthesis, stream: bool, where: str) -> str:
    """The synthesis a model streaming (or not) is served by: its own where it answers that way, else the one on
    the same path that does, else any that does."""
    if _events(synthesis) == stream:
        return synthesis.endpoint.key
    fitting = [s for s in service.syntheses if _events(s) == stream]
    if not fitting:
        words = "answers no stream of events" if stream else "answers only streams of events"
        raise UsageError(f"{where}.stream: {service.name} {words}")
    same_path = [s for s in fitting if s.endpoint.path == synthesis.endpoint.path]
    return (same_path or fitting)[0].endpoint.key


def _voices(declaration: LikeDeclaration, service: SpeechService, models: tuple[Model, ...]) -> tuple[Voice, ...]:
    if declaration.voices is None:
        return service.voices
    by_name = {voice.name: voice for voice in service.voices}
    language = service.voices[0].language if service.voices else "en-US"
    names = {model.name for model in models}
    voices = []
    for name in declaration.voices:
        known = by_name.get(name)
        if known is None:
            voices.append(Voice(name, language))
            continue
        speaks = tuple(model for model in known.models if model in names)
        voices.append(replace(known, models=speaks))
    return tuple(voices)


def _voiced(model: Model, voices: tuple[Voice, ...]) -> Model:
    """The model spoken in its own voice where the server has it, else in the first voice that speaks it."""

    def speaks(voice: Voice) -> bool:
        return not voice.models or model.name in voice.models

    if any(voice.name == model.voice and speaks(voice) for voice in voices):
        return model
    own = [voice.name for voice in voices if model.name in voice.models]  # a voice of this model's own first
    return replace(model, voice=(own or [voice.name for voice in voices if speaks(voice)] or [voices[0].name])[0])


def _rates_in_names(
    declaration: LikeDeclaration, service: SpeechService, sockets: list[Socket], where: str
) -> LikeDeclaration:
    """A format named with its rate (`linear16_16000`: the built-in's `linear16` at 16 kHz, as the protocol tables of
    earlier providers files wrote a built-in's encodings) is that format at that `sample_rate`, where the built-in has
    no format of the whole name. One rate for the server: two different rates are one line."""
    every = {fmt.name for s in service.syntheses for fmt in s.formats}
    every |= {fmt.name for s in sockets for fmt in s.formats}
    names, rates = [], set()
    for name in declaration.formats or ():
        base, _, rate = name.rpartition("_")
        if name not in every and base in every and rate.isdigit():
            names.append(base)
            rates.add(int(rate))
        else:
            names.append(name)
    if not rates:
        return declaration
    if len(rates | ({declaration.sample_rate} if declaration.sample_rate else set())) > 1:
        raise UsageError(f"{where}.formats: a server speaks at one rate; the names give {sorted(rates)}")
    return declaration.model_copy(update={"formats": tuple(dict.fromkeys(names)), "sample_rate": rates.pop()})


def _check_formats(declaration: LikeDeclaration, service: SpeechService, sockets: list[Socket], where: str) -> None:
    every = [fmt for s in service.syntheses for fmt in s.formats] + [fmt for s in sockets for fmt in s.formats]
    names = dict.fromkeys(fmt.name for fmt in every)
    unknown = [(index, name) for index, name in enumerate(declaration.formats or ()) if name not in names]
    if unknown:
        index, name = unknown[0]
        raise UsageError(
            f"{where}.formats.{index}: {name} is not a format of {service.name} (its formats: {', '.join(names)})"
        )
    chosen = [fmt for fmt in every if declaration.formats is None or fmt.name in declaration.formats]
    if declaration.sample_rate is not None and not any(_pcm(fmt) for fmt in chosen):
        raise UsageError(f"{where}.sample_rate: the rate of pcm answers, and pcm is not among the formats")


def _pcm(fmt: Format) -> bool:
    return fmt.spec.codec in PCM_CODECS and fmt.spec.container == "raw"


def _narrow(formats: tuple[Format, ...], declaration: LikeDeclaration) -> tuple[Format, ...]:
    """The formats the table names (in its order), each at its `sample_rate`. An endpoint or socket that has
    none of the named formats keeps its own (the names are each endpoint's and socket's: a socket may say pcm
    where its HTTP endpoint says audio/pcm)."""
    if declaration.formats is not None:
        by_name = {fmt.name: fmt for fmt in formats}
        formats = tuple(by_name[name] for name in declaration.formats if name in by_name) or formats
    if declaration.sample_rate is not None:  # the server speaks at one rate: its pcm's, and its files'
        # A format whose rate the request chooses (a rate slot: a field of an `output_format` object, a query's
        # `sample_rate`) is asked at that one rate; a format of one rate keeps its slot empty (`in_format`).
        formats = tuple(
            replace(
                fmt,
                spec=replace(fmt.spec, sample_rate=declaration.sample_rate),
                rates=(declaration.sample_rate,) if fmt.rates else (),
            )
            for fmt in formats
        )
    return formats


def _synthesis(
    declaration: LikeDeclaration,
    synthesis: Synthesis,
    voices: tuple[Voice, ...],
    where: str,
    narrowed: dict[type[BaseModel], type[BaseModel]],
) -> Synthesis:
    """The synthesis narrowed to the table's formats, its request model to the table's voices, formats and text
    limit where those are top-level fields (`narrowed`: the models made so far, each made once)."""
    formats = _narrow(synthesis.formats, declaration)
    names = {fmt.name for fmt in formats}
    default = synthesis.default_format if synthesis.default_format in names else formats[0].name
    endpoint = synthesis.endpoint
    request = endpoint.request
    if request is not None and request in narrowed:
        request = narrowed[request]
    elif request is not None:
        original = request
        fields: dict[str, Any] = {}
        top = request.model_fields
        text = _field(synthesis.slots.text)
        if declaration.max_input_chars is not None and text in top:
            words = f"The text to speak: at most {declaration.max_input_chars} characters ({where}.max_input_chars)."
            fields[text] = (str, Field(min_length=1, max_length=declaration.max_input_chars, description=words))
        voice = _field(synthesis.slots.voice)
        if declaration.voices is not None and voice in top:
            # narrowed to the server's voices, as required as the built-in's field: a voice the path carries
            # (`/v1/text-to-speech/{voice_id}`) is optional in the body, and a route no model of the table goes to
            # is still asked with the path's voice alone
            given = top[voice]
            served = Literal[tuple(v.name for v in voices)]  # type: ignore[valid-type]
            fields[voice] = (served, ...) if given.is_required() else (served | None, None)
        fmt = _field(synthesis.slots.format)
        if declaration.formats is not None and fmt in top:
            given = top[fmt]
            keep = ... if given.is_required() else (given.default if given.default in names else None)
            fields[fmt] = (Literal[tuple(names)] | None, keep)
        if fields:
            request = create_model(
                f"{request.__name__}_{declaration.name.replace('-', '_')}", __base__=request, **fields
            )
        narrowed[original] = request
    return replace(synthesis, formats=formats, default_format=default, endpoint=replace(endpoint, request=request))


def _examples(synthesis: Synthesis, models: tuple[Model, ...]) -> Synthesis:
    """The endpoint's example requests (the documents', the SDK's variants) speaking this server's model, voice
    and format: the contract plans start from them."""
    model = next((m for m in models if m.synthesis == synthesis.endpoint.key), models[0])
    slots = synthesis.slots
    names = {fmt.name for fmt in synthesis.formats}

    def mended(example: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        if example is None:
            return None
        body = copy.deepcopy(dict(example))
        named = model.sets.get(slots.model or "", model.name)
        for pointer, value in ((slots.voice, model.voice), (slots.model, named)):
            if pointer is not None and read(body, pointer) is not None:
                put(body, pointer, value)
        if slots.format is not None and read(body, slots.format) is not None and read(body, slots.format) not in names:
            put(body, slots.format, synthesis.default_format)
        return body

    endpoint = synthesis.endpoint
    variants = tuple(replace(variant, example=mended(variant.example)) for variant in endpoint.request_variants)
    return replace(synthesis, endpoint=replace(endpoint, example=mended(endpoint.example), request_variants=variants))


def _field(pointer: str | None) -> str:
    """The top-level field a pointer names ("" for a nested one or none)."""
    if not pointer or pointer.count("/") != 1:
        return ""
    return pointer[1:]


def _socket(
    declaration: LikeDeclaration,
    socket: Socket,
    service: SpeechService,
    models: tuple[Model, ...],
    elsewhere: bool,
    where: str,
) -> Socket | None:
    """The socket narrowed to the table's formats and models (None: it serves none of the models; a socket of models of
    its own, a speech-to-speech model's, serves none of the table's)."""
    if socket.own_models:
        return None
    formats = _narrow(socket.formats, declaration)
    wire_names = dict(socket.models)
    if socket.models:
        by_name = {model.name: model for model in service.models}
        bases = {entry.name: by_name.get(entry.name, service.models[0]).name for entry in declaration.models or ()}
        wire_names = {
            model.name: (
                socket.models[bases.get(model.name, model.name)]
                if model.name == bases.get(model.name, model.name)
                else model.name
            )
            for model in models
            if bases.get(model.name, model.name) in socket.models
        }
        if not wire_names:
            return None
    prices = socket.prices
    if elsewhere or declaration.price_per_million_chars is not None or declaration.model_prices:
        prices = {}
    return replace(socket, formats=formats, models=wire_names, prices=prices)
