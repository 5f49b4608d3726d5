"""The harness's own offline voice: what the sandbox speaks with, and where reference clips come from.

Engines stand in for a provider's models: Piper (a natural CC0 neural voice shipped in a pip package),
the same voice deliberately degraded (hurried, telephone band, hiss), and espeak-ng (robotic, ~100 languages:
its library and data from the `espeakng-loader` package; `unavailable_reason` says what is missing;
`espeak_voice` names its voice for a language tag). A `Rendition` says how one emulated model sounds;
`SpeechEngine.render` turns text into a deterministic `Clip`; `encode`/`decode` move clips to and from the
file formats providers return; `decode_audio` is the harness's one decoder (samples of any channel count,
with what the headers say). A `Clip` carries `WordTime`s: where each written word is said, from the voice's
phoneme durations (Piper; Kokoro where its export gives them).

    from harness.speech import AudioFormat, Engine, Rendition, default_engine, encode
    clip = default_engine().render("Hello there.", Rendition(Engine.PIPER, length_scale=1.1))
    body = encode(clip, AudioFormat.MP3)
"""

from ._alignment import ONSET_LIMIT_MS, PlacedWord, ReferenceAligner
from ._codec import MEDIA_TYPES, MP3_SAMPLE_RATES, AudioFormat, decode, encode, sniff
from ._decode import DecodedAudio, FloatArray, decode_audio
from ._engine import (
    DEFAULT_CACHE_SIZE,
    OPTIONAL_ENGINES,
    PEAK_LEVEL,
    CacheInfo,
    SpeechEngine,
    default_engine,
    unavailable_reason,
)
from ._errors import AudioCodecError, EmptyTextError, EngineUnavailableError, SpeechError, SynthesisError
from ._espeak import ESPEAK_PACKAGE, espeak_languages, espeak_pace, espeak_voice
from ._pcm import RAW_CODECS, decode_as, decode_raw, encode_as, encode_raw, sample_width
from ._quiet import quiet_decoder
from ._types import DEFAULT_VOICES, Clip, Engine, Rendition
from ._words import WordTime

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_VOICES",
    "ESPEAK_PACKAGE",
    "MEDIA_TYPES",
    "MP3_SAMPLE_RATES",
    "ONSET_LIMIT_MS",
    "OPTIONAL_ENGINES",
    "PEAK_LEVEL",
    "RAW_CODECS",
    "AudioCodecError",
    "AudioFormat",
    "CacheInfo",
    "Clip",
    "DecodedAudio",
    "EmptyTextError",
    "Engine",
    "EngineUnavailableError",
    "FloatArray",
    "PlacedWord",
    "ReferenceAligner",
    "Rendition",
    "SpeechEngine",
    "SpeechError",
    "SynthesisError",
    "WordTime",
    "decode",
    "decode_as",
    "decode_audio",
    "decode_raw",
    "default_engine",
    "encode",
    "encode_as",
    "encode_raw",
    "espeak_languages",
    "espeak_pace",
    "espeak_voice",
    "quiet_decoder",
    "sample_width",
    "sniff",
    "unavailable_reason",
]
