"""What each TTS.ai model and voice sounds like in the sandbox, and the catalogue /v1/models/ and
/v1/voices/ answer from (their bodies are drawn in `responses.catalog`).

The sandbox has two engines (Piper `joe`, natural; espeak-ng, robotic), so every emulated model is a
`Rendition` of one of them, chosen so that models differ measurably (speaking rate, pitch, sample rate,
engine) and keep their price-tier order of quality:

    model       tier      engine   length  pitch  rate    streams  clones
    piper       free      Piper    1.00     0.0   22050
    vits        free      Piper    1.12    -1.0   22050
    melotts     free      espeak   1.00     -     44100   yes
    kokoro      standard  Piper    0.95    +0.5   24000   yes
    cosyvoice2  standard  Piper    1.05    +1.0   24000            yes
    tortoise    premium   Piper    1.20    -0.5   24000
    chatterbox  premium   Piper    0.90    +1.5   24000   yes      yes

A voice adds its own pitch offset (female voices higher, male lower) to its model's; melotts voices
and the non-English piper voices are espeak-ng voices of their language instead. `speed` divides the
length scale. Voice ids follow each engine's real naming (kokoro `af_bella`, piper
`en_US-lessac-medium`, tortoise `angie`); the document names only `af_bella`, the rest are inferred.
The six classic OpenAI voice names (alloy, echo, ...) are accepted on every route as kokoro voices,
and `tts-1`/`tts-1-hd` as kokoro/chatterbox, for the "OpenAI-compatible" migration the document
promises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from harness.providers.ttsai.pricing import KOKORO_LANGUAGES, MODEL_TIERS
from harness.sandbox.emulation import Reject, Timing
from harness.speech import Engine, Rendition

# espeak-ng clamps speeds beyond 80-450 words/min; these lengths keep it inside that range.
ESPEAK_LENGTH_RANGE = (0.45, 1.9)
PIPER_LENGTH_RANGE = (0.4, 2.0)  # harness.speech's own bounds


@dataclass(frozen=True, slots=True, kw_only=True)
class EmulatedModel:
    """One TTS model: how it sounds, how long it takes, what the catalogue says of it."""

    id: str
    name: str
    rendition: Rendition
    timing: Timing
    languages: tuple[str, ...] = ("en",)
    supports_cloning: bool = False
    supports_streaming: bool = False


_FREE = Timing(0.5, 1.0, 0.005)
_STANDARD = Timing(1.0, 1.5, 0.01)
_PREMIUM = Timing(2.0, 4.0, 0.03)
_EN = ("en",)

MODELS: Mapping[str, EmulatedModel] = {
    m.id: m
    for m in (
        EmulatedModel(
            id="piper",
            name="Piper",
            rendition=Rendition(Engine.PIPER, 1.0, 22050),
            timing=_FREE,
            languages=("en", "es", "de", "fr"),
        ),
        EmulatedModel(
            id="vits", name="VITS", rendition=Rendition(Engine.PIPER, 1.12, 22050, pitch_shift=-1.0), timing=_FREE
        ),
        EmulatedModel(
            id="melotts",
            name="MeloTTS",
            rendition=Rendition(Engine.ESPEAK, 1.0, 44100),
            timing=_FREE,
            languages=("en", "es", "fr"),
            supports_streaming=True,
        ),
        EmulatedModel(
            id="kokoro",
            name="Kokoro",
            rendition=Rendition(Engine.PIPER, 0.95, 24000, pitch_shift=0.5),
            timing=_STANDARD,
            languages=KOKORO_LANGUAGES,
            supports_streaming=True,
        ),
        EmulatedModel(
            id="cosyvoice2",
            name="CosyVoice 2",
            rendition=Rendition(Engine.PIPER, 1.05, 24000, pitch_shift=1.0),
            timing=_STANDARD,
            languages=("en", "zh", "ja", "ko"),
            supports_cloning=True,
        ),
        EmulatedModel(
            id="tortoise",
            name="Tortoise",
            rendition=Rendition(Engine.PIPER, 1.2, 24000, pitch_shift=-0.5),
            timing=_PREMIUM,
        ),
        EmulatedModel(
            id="chatterbox",
            name="Chatterbox",
            rendition=Rendition(Engine.PIPER, 0.9, 24000, pitch_shift=1.5),
            timing=_PREMIUM,
            languages=_EN,
            supports_cloning=True,
            supports_streaming=True,
        ),
    )
}
assert set(MODELS) == set(MODEL_TIERS), "every priced model needs a sound, and only those"

# Cloning and conversion models that are not TTS models of their own: the voice they start from
# before a reference replaces it (see harness.sandbox.voices).
CLONE_BASES: Mapping[str, Rendition] = {
    "chatterbox": MODELS["chatterbox"].rendition,
    "cosyvoice2": MODELS["cosyvoice2"].rendition,
    "gpt-sovits": Rendition(Engine.PIPER, 1.0, 24000, pitch_shift=-1.0),
    "openvoice": Rendition(Engine.PIPER, 0.98, 24000, pitch_shift=0.5),
    "knn-vc": Rendition(Engine.PIPER, 1.02, 24000, pitch_shift=-0.5),
}
CLONE_TIMING = Timing(2.0, 5.0, 0.04)
BATCH_TIMING = Timing(1.0, 2.0, 0.01)
BATCH_SAMPLE_RATE = 24000  # one file of several models needs one rate


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogVoice:
    id: str
    name: str
    model: str
    language: str
    gender: str  # male | female | neutral
    pitch: float = 0.0  # semitones added to the model's pitch (Piper voices)
    espeak: str = ""  # an espeak-ng voice replaces the model's engine (other languages, melotts)


def _v(model: str, rows: tuple[tuple[Any, ...], ...]) -> list[CatalogVoice]:
    """A model's voices from rows of (id, name, language, gender[, pitch[, espeak]])."""
    return [
        CatalogVoice(
            id=row[0],
            name=row[1],
            model=model,
            language=row[2],
            gender=row[3],
            **dict(zip(("pitch", "espeak"), row[4:], strict=False)),
        )
        for row in rows
    ]


VOICES: tuple[CatalogVoice, ...] = (
    *_v(
        "kokoro",
        (
            ("af_bella", "Bella", "en", "female", 4.0),
            ("af_sarah", "Sarah", "en", "female", 3.0),
            ("af_nicole", "Nicole", "en", "female", 5.0),
            ("af_alloy", "Alloy", "en", "female", 2.5),
            ("af_nova", "Nova", "en", "female", 4.5),
            ("af_sky", "Sky", "en", "female", 6.0),
            ("am_adam", "Adam", "en", "male", -2.0),
            ("am_michael", "Michael", "en", "male", -1.0),
            ("am_echo", "Echo", "en", "male", -1.5),
            ("am_onyx", "Onyx", "en", "male", -4.0),
            ("bf_emma", "Emma", "en", "female", 3.5),
            ("bm_george", "George", "en", "male", -3.0),
            ("bm_fable", "Fable", "en", "male", -0.5),
        ),
    ),
    *_v(
        "piper",
        (
            ("en_US-lessac-medium", "Lessac", "en", "female", 3.0),
            ("en_US-joe-medium", "Joe", "en", "male", 0.0),
            ("en_US-ryan-high", "Ryan", "en", "male", -1.5),
            ("en_GB-alan-medium", "Alan", "en", "male", -2.5),
            ("es_ES-davefx-medium", "Davefx", "es", "male", 0.0, "es"),
            ("de_DE-thorsten-medium", "Thorsten", "de", "male", 0.0, "de"),
            ("fr_FR-siwis-medium", "Siwis", "fr", "female", 0.0, "fr+f2"),
        ),
    ),
    *_v(
        "vits",
        (
            ("vits_p225", "VCTK p225", "en", "female", 3.5),
            ("vits_p226", "VCTK p226", "en", "male", -2.0),
            ("vits_p229", "VCTK p229", "en", "female", 4.5),
        ),
    ),
    *_v(
        "melotts",
        (
            ("EN-US", "American English", "en", "neutral", 0.0, "en-us"),
            ("EN-BR", "British English", "en", "neutral", 0.0, "en-gb"),
            ("EN-AU", "Australian English", "en", "female", 0.0, "en-us+f3"),
            ("ES", "Spanish", "es", "neutral", 0.0, "es"),
            ("FR", "French", "fr", "neutral", 0.0, "fr"),
        ),
    ),
    *_v(
        "cosyvoice2",
        (
            ("cosy_en_female", "English Female", "en", "female", 3.0),
            ("cosy_en_male", "English Male", "en", "male", -2.0),
        ),
    ),
    *_v(
        "tortoise",
        (
            ("angie", "Angie", "en", "female", 3.0),
            ("emma", "Emma", "en", "female", 4.0),
            ("daniel", "Daniel", "en", "male", -2.0),
            ("tom", "Tom", "en", "male", -3.0),
        ),
    ),
    *_v("chatterbox", (("default", "Default", "en", "neutral", 0.0),)),
)
VOICE_INDEX: Mapping[str, CatalogVoice] = {v.id: v for v in VOICES}

# The OpenAI names, for the compatible route (and accepted anywhere a voice or model is named).
OPENAI_VOICES: Mapping[str, str] = {
    "alloy": "af_alloy",
    "echo": "am_echo",
    "fable": "bm_fable",
    "onyx": "am_onyx",
    "nova": "af_nova",
    "shimmer": "af_sky",
}
OPENAI_MODELS: Mapping[str, str] = {"tts-1": "kokoro", "tts-1-hd": "chatterbox", "gpt-4o-mini-tts": "kokoro"}


def model_not_found(model: str) -> Reject:
    return Reject(404, f"Model '{model}' not found. Use /v1/models/ to list available models.")


def voice_not_found(voice: str, model: str | None = None) -> Reject:
    where = f" for model '{model}'" if model else ""
    return Reject(404, f"Voice '{voice}' not found{where}. Use /v1/voices/ to list available voices.")


def find_model(name: str) -> EmulatedModel:
    model = MODELS.get(OPENAI_MODELS.get(name, name).lower())
    if model is None:
        raise model_not_found(name)
    return model


def auto_model(language: str | None) -> str:
    """The document's auto-pick: kokoro for its languages (and when none is given), piper otherwise."""
    if language is None or language.split("-")[0].lower() in KOKORO_LANGUAGES:
        return "kokoro"
    return "piper"


def find_voice(voice: str, model: str | None) -> CatalogVoice:
    """The catalogue voice `voice`, which must belong to `model` when one is named."""
    found = VOICE_INDEX.get(OPENAI_VOICES.get(voice, voice))
    if found is None or (model is not None and found.model != model):
        raise voice_not_found(voice, model)
    return found


def default_voice(model: str) -> CatalogVoice:
    return next(v for v in VOICES if v.model == model)


def clamp(value: float, bounds: tuple[float, float]) -> float:
    low, high = bounds
    return round(max(low, min(high, value)), 3)


def voice_rendition(voice: CatalogVoice, speed: float = 1.0, *, pitch: float = 0.0) -> Rendition:
    """How `voice` sounds at `speed` (0.5-2.0), with `pitch` semitones more (emotion, batch)."""
    base = MODELS[voice.model].rendition
    if voice.espeak or base.engine is Engine.ESPEAK:
        length = clamp(base.length_scale / speed, ESPEAK_LENGTH_RANGE)
        return Rendition(Engine.ESPEAK, length, base.sample_rate, voice=voice.espeak or base.voice)
    return replace(
        base,
        length_scale=clamp(base.length_scale / speed, PIPER_LENGTH_RANGE),
        pitch_shift=clamp(base.pitch_shift + voice.pitch + pitch, (-12.0, 12.0)),
    )


def resolve(model: str | None, voice: str, language: str | None, speed: float = 1.0) -> tuple[str, Rendition]:
    """(model id, rendition) of a TTS request; 404 `not_found` for an unknown model or voice.

    Without a model, a known voice chooses its own model (the auto-pick must support the voice);
    an unknown voice is looked up under the language's auto-pick, so its 404 names that model.
    """
    if model is not None:
        chosen = find_model(model).id
        return chosen, voice_rendition(find_voice(voice, chosen), speed)
    known = VOICE_INDEX.get(OPENAI_VOICES.get(voice, voice))
    if known is None:
        raise voice_not_found(voice, auto_model(language))
    return known.model, voice_rendition(known, speed)
