"""The sandbox speaks the language a request asks for (espeak-ng's voice of it; English stays Piper's), and the drift
control (`POST /_sandbox/drift {"language_fallback": {"google": "en"}}`) makes one provider answer in English whatever
language is asked: what a voice falling back to English sounds like, for the language check and `history` to catch."""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest

from harness.core.protocols.http_speech import put
from harness.core.spec import SynthesisInput
from harness.sandbox import Sandbox
from harness.sandbox.emulations.http_speech.models import pitch_of
from harness.sandbox.languages import in_language, request_language, spoken_language, text_language
from harness.speech import Engine, Rendition, decode, default_engine
from tests.helpers import sandbox_http as sh

SPANISH = "El perro marrón corre por el parque con los niños de la escuela."
VOICE = "en-US-Neural2-F"  # the model's voice; a request's languageCode says which language it speaks


def _google(sandbox: Sandbox, client: httpx.Client, language: str, text: str = SPANISH) -> httpx.Response:
    offering = sh.provider("google").offering("neural2")
    payload: dict[str, Any] = copy.deepcopy(offering.build(SynthesisInput(text)))
    put(payload, "/voice/languageCode", language)
    answer = sh.send(sandbox, client, "google", offering.endpoint, payload, key=sandbox.default_key("google"))
    assert answer.status_code == 200, answer.text
    return answer


def _samples(answer: httpx.Response) -> np.ndarray:
    return np.asarray(decode(base64.b64decode(answer.json()["audioContent"])).samples)


def _drift(sandbox: Sandbox, client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post(sandbox.url + "/_sandbox/drift", json=body)


@pytest.fixture
def google_falls_back(sandbox: Sandbox, client: httpx.Client) -> Iterator[None]:
    assert _drift(sandbox, client, {"language_fallback": {"google": "en"}}).status_code == 200
    try:
        yield
    finally:
        assert _drift(sandbox, client, {"language_fallback": {}}).status_code == 200


def _expected(language: str, rate: int) -> np.ndarray:
    """What the sandbox's voice of `language` says: the Google voice's rendition, in that language."""
    names = tuple(v.name for v in sh.provider("google").family.voices)
    rendition = Rendition(sample_rate=rate, pitch_shift=pitch_of(names, VOICE))
    return np.asarray(default_engine().render(SPANISH, in_language(rendition, language)).samples)


def test_a_spanish_request_is_spoken_by_espeak_ngs_spanish_voice_and_english_by_piper(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    spanish, english = _samples(_google(sandbox, client, "es-ES")), _samples(_google(sandbox, client, "en-US"))
    rate = 24000
    assert in_language(Rendition(sample_rate=rate), "es-ES").engine is Engine.ESPEAK
    assert np.allclose(spanish, _expected("es-ES", rate), atol=2 / 32768)
    assert np.allclose(english, _expected("en-US", rate), atol=2 / 32768)
    assert len(spanish) != len(english)


@pytest.mark.usefixtures("google_falls_back")
def test_a_provider_drifted_to_english_answers_spanish_in_english_and_the_others_do_not(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    assert client.get(sandbox.url + "/_sandbox/drift").json()["language_fallback"] == {"google": "en"}
    drifted = _samples(_google(sandbox, client, "es-ES"))
    assert np.array_equal(drifted, _samples(_google(sandbox, client, "en-US")))  # the Piper English render
    assert np.allclose(drifted, _expected("en-US", 24000), atol=2 / 32768)
    # Another provider asked for Spanish still speaks Spanish: Cartesia's `language`.
    offering = sh.provider("cartesia").offering("sonic-3")
    payload: dict[str, Any] = copy.deepcopy(offering.build(SynthesisInput(SPANISH)))
    put(payload, "/language", "es")
    key = sandbox.default_key("cartesia")
    asked_spanish = sh.send(sandbox, client, "cartesia", offering.endpoint, payload, key=key)
    put(payload, "/language", "en")
    asked_english = sh.send(sandbox, client, "cartesia", offering.endpoint, payload, key=key)
    assert asked_spanish.status_code == asked_english.status_code == 200, asked_spanish.text
    assert asked_spanish.content != asked_english.content


@pytest.mark.parametrize("fallback", [{"nobody": "en"}, {"google": "xx-nowhere"}, {"google": 1}, ["en"]])
def test_a_language_fallback_the_sandbox_cannot_keep_is_one_line(
    sandbox: Sandbox, client: httpx.Client, fallback: Any
) -> None:
    answer = _drift(sandbox, client, {"language_fallback": fallback})
    assert answer.status_code == 400 and "language_fallback" in answer.json()["error"]
    assert "\n" not in answer.json()["error"]
    assert "language_fallback" not in client.get(sandbox.url + "/_sandbox/drift").json()


def test_a_language_the_sandbox_cannot_speak_is_spoken_in_english_and_said_once(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    unspoken = _samples(_google(sandbox, client, "xx-NOWHERE"))
    assert np.array_equal(unspoken, _samples(_google(sandbox, client, "en-US")))
    findings = client.get(sandbox.url + "/_sandbox/findings").json()
    said = [f for f in findings if f["provider"] == "google" and "'xx-NOWHERE'" in f["finding"]]
    assert len(said) == 1 and said[0]["requests"] >= 1 and said[0]["field"] == "language"


def test_the_language_is_the_fields_then_the_voices_then_the_models_then_the_texts() -> None:
    assert request_language("es-MX", "de-DE", ("fr", "it")) == "es-MX"
    assert request_language(None, "de-DE", ("fr", "it")) == "de-DE"
    assert request_language("", "en-US", ("ja",)) == "ja"
    assert request_language(None, "en-US", ("en", "es")) is None  # a multilingual model: the text decides
    assert request_language("auto", None, ()) is None
    assert request_language(None, None, ()) == "en"
    assert spoken_language(None, "en-US", ("en", "es", "de"), SPANISH) == "es"
    assert spoken_language(None, "en-US", ("en", "es", "de"), "The dog runs in the park with the children.") == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("El tiempo es muy bueno hoy y vamos a ir al parque con los niños.", "es"),
        ("Das Wetter ist heute sehr schön und wir gehen mit den Kindern in den Park.", "de"),
        ("Le temps est très beau aujourd'hui et nous allons au parc avec les enfants.", "fr"),
        ("Il tempo è molto bello oggi e andiamo al parco con i bambini.", "it"),
        ("O tempo está muito bom hoje e vamos ao parque com as crianças.", "pt"),
        ("Het weer is vandaag erg mooi en we gaan met de kinderen naar het park.", "nl"),
        ("Pogoda jest dziś bardzo ładna i idziemy z dziećmi do parku.", "pl"),
        ("Bugün hava çok güzel ve çocuklarla parka gidiyoruz.", "tr"),
        ("今日はとても良い天気ですね。", "ja"),
        ("今天天气很好。", "zh"),
        ("오늘 날씨가 좋아요.", "ko"),
        ("आज मौसम बहुत अच्छा है।", "hi"),
        ("الطقس جميل جدا اليوم", "ar"),
        ("Сегодня очень хорошая погода.", "ru"),
        ("The weather is lovely today and we are going to the park.", "en"),
    ],
)
def test_a_multilingual_models_text_tells_its_language(text: str, language: str) -> None:
    among = ["en", "es", "de", "fr", "it", "pt", "nl", "pl", "tr", "ja", "zh", "ko", "hi", "ar", "ru"]
    assert text_language(text, among) == language
    assert text_language("今天天气很好。", ["en", "es"]) is None


def _xtts(sandbox: Sandbox, client: httpx.Client, language: str) -> bytes:
    """A job of the jobs family: XTTS v2 cloning the Piper reference, asked to speak `language` (its `language`)."""
    headers = {"Ocp-Apim-Subscription-Key": sandbox.default_key("pixazo")}
    body = {"speaker": sandbox.voice_url("joe_reference.wav"), "text": SPANISH, "language": language}
    submitted = client.post(
        sandbox.base_url("pixazo", "gateway") + "/voice-clone/v1/xtts-v2/generate", json=body, headers=headers
    )
    assert submitted.status_code == 202, submitted.text
    sh.settle(sandbox, submitted.json()["request_id"])
    status = client.get(submitted.json()["polling_url"], headers=headers).json()
    assert status["status"] == "COMPLETED", status
    return client.get(status["output"]["media_url"][0]).content


def test_a_job_speaks_its_language_and_a_drifted_provider_answers_it_in_english(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    spanish, english = _xtts(sandbox, client, "es"), _xtts(sandbox, client, "en")
    assert spanish != english
    assert _drift(sandbox, client, {"language_fallback": {"pixazo": "en"}}).status_code == 200
    try:
        assert _xtts(sandbox, client, "es") == english
    finally:
        assert _drift(sandbox, client, {"language_fallback": {}}).status_code == 200
    assert _xtts(sandbox, client, "es") == spanish
