"""Every way Cartesia's documents say a key may travel, against the session's sandbox: each form with a good key
speaks, each with a bad key is the documented 401 error object, over HTTP (`/tts/bytes`) and on the
`/tts/websocket` handshake. The forms and their quotes are the declaration's (`harness.providers.cartesia`: the
service's `auth`, the socket's `SocketAuth.query`): the bearer header, `X-API-Key` (spelled as the pages spell it),
and on the socket `?api_key=` and `?access_token=`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

import httpx
import numpy as np
import pytest

from harness.core.protocols.realtime_grammar import Direction, Kind, Session, Utterance
from harness.core.protocols.realtime_session import reader, run_session
from harness.providers.cartesia.declaration import BYTES as BYTES_ENDPOINT
from harness.providers.cartesia.declaration import VERSION_HEADER
from harness.providers.cartesia.sockets import VERSION, WEBSOCKET
from harness.sandbox import Sandbox
from harness.speech import decode, decode_raw
from tests.helpers.realtime import CARTESIA_MODEL, CARTESIA_VOICE
from tests.helpers.sandbox_http import assert_valid, provider, send

BAD_KEY = "not-a-cartesia-key"
BYTES = BYTES_ENDPOINT.key
VERSION_HEADERS = {VERSION_HEADER: VERSION}
TEXT = "Every documented key form speaks."


def _header_forms(key: str) -> dict[str, dict[str, str]]:
    """The HTTP forms: the bearer header, and X-API-Key as the 2024 conventions ("X-API-Key") and the
    client-applications page ("X-Api-Key") spell it (header names are case-insensitive, that page says)."""
    return {
        "bearer": {"Authorization": f"Bearer {key}"},
        "X-API-Key": {"X-API-Key": key},
        "X-Api-Key": {"X-Api-Key": key},
    }


HEADER_FORMS = tuple(_header_forms(""))


def _speech_seconds(samples: np.ndarray, rate: int) -> float:
    """Seconds above a whisper: speech, not silence or noise of the right length."""
    return float(np.sum(np.abs(samples) > 0.02)) / rate


def _bytes_request(sandbox: Sandbox, client: httpx.Client, headers: Mapping[str, str]) -> httpx.Response:
    example = provider("cartesia").endpoint(BYTES).example
    assert example is not None
    return send(
        sandbox, client, "cartesia", BYTES, {**example, "transcript": TEXT}, headers={**VERSION_HEADERS, **headers}
    )


def test_the_declaration_documents_both_headers_and_sends_the_bearer_form() -> None:
    auth = provider("cartesia").auth
    assert [(form.header, form.scheme) for form in auth.forms] == [("Authorization", "Bearer"), ("X-API-Key", "")]
    assert auth.describe() == "Authorization: Bearer KEY or X-API-Key: KEY"
    assert provider("cartesia").channel(WEBSOCKET.key).auth_query == ("api_key", "access_token")


@pytest.mark.parametrize("form", HEADER_FORMS)
def test_a_good_key_in_each_header_form_gets_audio(sandbox: Sandbox, client: httpx.Client, form: str) -> None:
    response = _bytes_request(sandbox, client, _header_forms(sandbox.default_key("cartesia"))[form])
    assert response.status_code == 200, response.text
    assert_valid("cartesia", BYTES, response)
    clip = decode(response.content)
    assert _speech_seconds(clip.samples, clip.sample_rate) > 0.3


@pytest.mark.parametrize("form", HEADER_FORMS)
def test_a_bad_key_in_each_header_form_is_the_documented_401(sandbox: Sandbox, client: httpx.Client, form: str) -> None:
    response = _bytes_request(sandbox, client, _header_forms(BAD_KEY)[form])
    assert response.status_code == 401
    assert_valid("cartesia", BYTES, response)  # the API Errors page's error object
    body = response.json()
    assert (body["error_code"], body["message"]) == ("invalid_api_key", "Invalid API key.")
    assert BAD_KEY not in response.text


# --- the WebSocket handshake ------------------------------------------------------------------------


def _socket_forms(key: str) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """(headers, query) per documented socket form: the SDK's bearer header, the client-applications page's
    X-Api-Key header, the 2024 conventions' ?api_key= and the current conventions' ?access_token=."""
    return {
        "bearer": ({"Authorization": f"Bearer {key}"}, {}),
        "X-Api-Key": ({"X-Api-Key": key}, {}),
        "api_key": ({}, {"api_key": key}),
        "access_token": ({}, {"access_token": key}),
    }


SOCKET_FORMS = tuple(_socket_forms(""))


def _speak(sandbox: Sandbox, headers: Mapping[str, str], query: Mapping[str, str]) -> Session:
    """One context said on `/tts/websocket` as the grammar's client says it, the key where `headers`/`query` put it."""
    channel = provider("cartesia").channel(WEBSOCKET.key)
    opening = channel.grammar.opening(
        Utterance(
            chunks=(TEXT,), voice=CARTESIA_VOICE, model=CARTESIA_MODEL, audio_format="pcm_s16le", timestamps=False
        )
    )
    url = channel.url(sandbox.base_url("cartesia", channel.host), {}, {**opening.query, **query})
    complete = reader(channel.grammar, lambda events: channel.grammar.complete(events, opening))
    return asyncio.run(run_session(url, headers, opening.messages, complete=complete, idle_timeout_s=30))


@pytest.mark.parametrize("form", SOCKET_FORMS)
def test_a_good_key_in_each_socket_form_gets_audio(sandbox: Sandbox, form: str) -> None:
    session = _speak(sandbox, *_socket_forms(sandbox.default_key("cartesia"))[form])
    grammar = provider("cartesia").channel(WEBSOCKET.key).grammar
    events = [e for f in session.frames if f.direction is Direction.RECV for e in grammar.read(f).events]
    audio = b"".join(e.audio for e in events if e.kind is Kind.AUDIO and e.audio)
    assert session.handshake_status is None and events[-1].kind is Kind.FINAL
    assert _speech_seconds(decode_raw(audio, "pcm_s16le"), 24000) > 0.3


@pytest.mark.parametrize("form", SOCKET_FORMS)
def test_a_bad_key_in_each_socket_form_is_refused_at_the_handshake(sandbox: Sandbox, form: str) -> None:
    session = _speak(sandbox, *_socket_forms(BAD_KEY)[form])
    assert session.handshake_status == 401 and session.frames == []
    body = json.loads(session.handshake_body)
    assert (body["error_code"], body["message"]) == ("invalid_api_key", "Invalid API key.")
    assert BAD_KEY not in session.handshake_body
