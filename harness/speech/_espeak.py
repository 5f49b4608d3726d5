"""The espeak-ng backend: a second, deliberately robotic engine, and the sandbox's voice for every language but English.

It lets the sandbox offer a "worse model" whose lower intelligibility and different timbre the scoring side must
detect, and speak the ~100 languages espeak-ng has (Piper's voice speaks English only). The engine is espeak-ng's
own shared library and data, shipped by the `espeakng-loader` package (pip, ~20 MB; espeak-ng is GPL-3.0-or-later,
loaded at run time from that package, never vendored here), called through ctypes: no system program is needed.

Deterministic on purpose. The library keeps state from one synthesis to the next in function-level statics (the
pitch flutter's phase, the automatic gain, the echo buffer: wavegen.c) and seeds its noise from the clock, so the
same text rendered twice by one loaded library gives different samples. Each render therefore loads the library
afresh, seeds its noise generator with a constant, speaks, and unloads it again: the same (text, voice, speed) gives
the same samples in any process, in any order (measured ~20 ms a sentence with the load, docs/measurements.md). The
library is not thread-safe: one lock serialises every use of it in the process.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ._errors import EngineUnavailableError, SynthesisError

#: The pip package that ships espeak-ng's library and data.
ESPEAK_PACKAGE = "espeakng-loader"
#: espeak-ng's default speed; length_scale 1.0 maps to it.
DEFAULT_WPM = 175
#: espeak-ng silently clamps speeds outside this range, which would break the duration contract.
WPM_RANGE = (80, 450)
#: The noise generator's seed before each render (espeak_ng_SetRandSeed): constant, so renders repeat exactly.
NOISE_SEED = 1

# speak_lib.h's constants, as the library's ABI fixes them.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # without it a failed initialisation calls exit() on the whole process
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE = 1  # espeak_PARAMETER espeakRATE
_EE_OK = 0
_EE_NOT_FOUND = 2

#: int callback(short *wav, int numsamples, espeak_EVENT *events): 0 to go on.
_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

log = logging.getLogger("harness.speech")
_lock = threading.Lock()  # the library's global state: one user at a time, across every backend of the process
_shared_warned = False


class _Voice(ctypes.Structure):
    """speak_lib.h's espeak_VOICE, as espeak_ListVoices returns it."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


def espeak_paths() -> tuple[str, str]:
    """The library's and the data folder's paths, from `espeakng-loader`, or a classified error naming the package."""
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineUnavailableError("espeak", f"pip install {ESPEAK_PACKAGE} ({exc})") from exc
    library, data = str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path())
    if not os.path.isfile(library) or not os.path.isdir(data):
        raise EngineUnavailableError(
            "espeak",
            f"{ESPEAK_PACKAGE} has no library at {library} or no data at {data}; "
            f"pip install --force-reinstall {ESPEAK_PACKAGE}",
        )
    return library, data


def _open(library: str, data: str) -> tuple[Any, int]:
    """The library, freshly loaded and initialised for synchronous output into a callback, and its sample rate."""
    try:
        lib = ctypes.CDLL(library)
    except OSError as exc:
        raise EngineUnavailableError("espeak", f"{library} does not load here ({exc})") from exc
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), _INITIALIZE_DONT_EXIT)
    if rate <= 0:
        _close(lib, library)
        raise EngineUnavailableError("espeak", f"espeak-ng could not initialise with the data at {data}")
    return lib, int(rate)


def _close(lib: Any, library: str) -> None:
    """Terminate and unload the library, so the next render starts from its pristine state."""
    import _ctypes

    global _shared_warned
    lib.espeak_Terminate()
    _ctypes.dlclose(lib._handle)
    try:  # still mapped: another part of the process holds it (a phonemiser); its state then carries over
        held = ctypes.CDLL(library, mode=os.RTLD_NOLOAD)
    except OSError:
        return
    _ctypes.dlclose(held._handle)
    if not _shared_warned:
        _shared_warned = True
        log.warning(
            "espeak-ng's library is also loaded by another part of this process; its renders may differ "
            "slightly from one call to the next"
        )


@cache
def _private_copy(library: str) -> str:
    """The library copied once per process to a path of its own. Another part of the process may load the
    package's library too (kokoro-onnx's phonemiser, for the Kokoro voice): a library still mapped there is not
    unloaded between renders, its state carries over, and the same text came out 7 samples longer after the Kokoro
    voice had spoken (1,318 samples shorter, another sentence). A copy nothing else loads starts pristine at every
    render."""
    folder = tempfile.mkdtemp(prefix="tts-harness-espeak-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    copy = os.path.join(folder, os.path.basename(library))
    shutil.copyfile(library, copy)
    return copy


def _with_library(use: Callable[[Any, int], Any]) -> Any:
    library, data = espeak_paths()
    with _lock:
        library = _private_copy(library)
        lib, rate = _open(library, data)
        try:
            return use(lib, rate)
        finally:
            _close(lib, library)


def _languages_of(voice: _Voice) -> list[tuple[int, str]]:
    """An espeak_VOICE's languages: (priority byte, NUL-terminated name) pairs, ended by a zero priority byte; a
    lower priority is a better match (roa/fr says `fr 5`, roa/fr-BE `fr 8`)."""
    found: list[tuple[int, str]] = []
    at = voice.languages
    while at and (priority := ctypes.c_ubyte.from_address(at).value):
        name = ctypes.string_at(at + 1)
        found.append((priority, name.decode("ascii", "replace")))
        at += 1 + len(name) + 1
    return found


@cache
def espeak_languages() -> dict[str, str]:
    """Every language espeak-ng's data speaks: its code as the voices list it (lower case: "es", "es-mx", "pt-br",
    "zh", "cmn") -> the voice that speaks it best, by the name `espeak_SetVoiceByName` takes ("es", "es-419", "pt-br",
    "cmn", "cmn"): the voice file's name, the voice of the lowest priority for that code."""

    def listed(lib: Any, _rate: int) -> dict[str, str]:
        best: dict[str, tuple[int, str]] = {}
        table = lib.espeak_ListVoices(None)
        index = 0
        while table[index]:
            voice = table[index].contents
            file_name = (voice.identifier or b"").decode("utf-8", "replace").rsplit("/", 1)[-1].lower()
            for priority, language in _languages_of(voice):
                code = language.lower()
                if file_name and (code not in best or priority < best[code][0]):
                    best[code] = (priority, file_name)
            index += 1
        return {code: file_name for code, (_, file_name) in sorted(best.items())}

    result: dict[str, str] = _with_library(listed)
    return result


#: Tags providers write for a language whose espeak-ng code is another (Hong Kong's Chinese is Cantonese).
_TAG_ALIASES = {"zh-hk": "yue", "zh-mo": "yue", "iw": "he", "in": "id", "fil": "tl", "arb": "ar", "od": "or"}


def espeak_voice(language: str) -> str | None:
    """The espeak-ng voice that speaks `language`, a tag as providers write it ("es", "es-MX", "pt_BR", "zh-CN",
    "cmn-Hans-CN", "en-US"), or None where espeak-ng has none: the tag itself, then without its script subtag, then
    shorter and shorter ("es-MX" -> es-419, "zh-CN" -> cmn, "de-DE" -> de)."""
    parts = [part for part in language.strip().replace("_", "-").lower().split("-") if part]
    if not parts:
        return None
    languages = espeak_languages()
    without_script = [parts[0], *(part for part in parts[1:] if len(part) != 4)]
    for subtags in (parts, without_script):
        for length in range(len(subtags), 0, -1):
            tag = "-".join(subtags[:length])
            tag = _TAG_ALIASES.get(tag, tag)
            if tag in languages:
                return languages[tag]
    return None


def espeak_pace(length_scale: float, pitch_shift: float = 0.0) -> float:
    """The length scale nearest `length_scale` that espeak-ng renders at `pitch_shift` semitones (the engine slows a
    shifted voice by 2**(semitones/12), and espeak-ng speaks only WPM_RANGE words a minute): for callers that choose
    an espeak-ng voice for a rendition made for Piper, whose range is wider."""
    ratio = 2.0 ** (pitch_shift / 12.0)
    low, high = WPM_RANGE
    fastest, slowest = DEFAULT_WPM / (high - 1) / ratio, DEFAULT_WPM / (low + 1) / ratio
    return min(max(length_scale, fastest, 0.4), slowest, 2.0)


class EspeakBackend:
    """Renders text with espeak-ng's library; any thread may call it (renders are serialised by one lock)."""

    def synthesize(self, text: str, voice: str, length_scale: float) -> tuple[npt.NDArray[np.float32], int]:
        wpm = round(DEFAULT_WPM / length_scale)
        low, high = WPM_RANGE
        if not low <= wpm <= high:
            raise ValueError(
                f"espeak-ng speed {wpm} words/min (length_scale {length_scale:.3f}, including any pitch "
                f"shift compensation) is outside [{low}, {high}]"
            )
        pieces: list[npt.NDArray[np.int16]] = []

        def collect(wav: Any, count: int, _events: Any) -> int:
            if wav and count > 0:
                pieces.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
            return 0

        callback = _SynthCallback(collect)  # referenced until the render returns: the library calls it

        def speak(lib: Any, rate: int) -> int:
            lib.espeak_SetSynthCallback(callback)
            status = lib.espeak_SetVoiceByName(voice.encode("utf-8"))
            if status != _EE_OK:
                why = "no such voice" if status == _EE_NOT_FOUND else f"error {status}"
                raise SynthesisError(f"espeak-ng cannot speak with voice {voice!r} ({why})")
            lib.espeak_ng_SetRandSeed(NOISE_SEED)
            lib.espeak_SetParameter(_RATE, wpm, 0)
            encoded = text.encode("utf-8") + b"\0"
            status = lib.espeak_Synth(encoded, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            if status == _EE_OK:
                status = lib.espeak_Synchronize()
            if status != _EE_OK:
                raise SynthesisError(f"espeak-ng failed (error {status}, voice {voice!r}) for {len(text)} chars")
            return rate

        rate: int = _with_library(speak)
        if not pieces:
            raise SynthesisError(f"espeak-ng produced no audio for {text!r}")
        samples = np.concatenate(pieces).astype(np.float32) / 32768.0
        if not np.any(samples):
            raise SynthesisError(f"espeak-ng produced only silence for {text!r}")
        return samples, rate
