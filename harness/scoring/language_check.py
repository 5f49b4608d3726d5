"""The language check: a clip asked for one language that the ASR hears as another is a finding.

Voices that fall back to English (or to their own default language) when asked for another are a failure the
field's multilingual benchmarks look for beside WER. On every non-English clip the multilingual model that reads it
also names the language it hears (Whisper's own language identification on the clip's encoding: the most likely
language token and its probability, `AsrBackend.transcribe_heard`); the transcription itself is always made in the
language asked for, never the one heard.

The rule, owned here and read by every face: a clip is in the wrong language when the language heard differs from
the one asked for with a probability of at least ``WRONG_LANGUAGE_PROBABILITY`` (0.5): the model is more sure of the
other language than of all the rest together. A heard language below it is shown, never flagged: an unsure model
(a robotic voice, a language it barely knows) is not a finding. ``benchmarks/perf/language_selftest.py`` measures the
rule per language on renders of each corpus by the sandbox's voice of the language and by its English voice
(the fallback); docs/languages.md gives the figures.
"""

from __future__ import annotations

from harness.core.flags import Finding, Flag

WRONG_LANGUAGE_PROBABILITY = 0.5
# Whisper's names for languages a corpus may tag otherwise (Norwegian Bokmål is Whisper's "no").
_SAME = {"nb": "no"}


def checks_language(language: str) -> bool:
    """Whether a clip of ``language`` is checked: every language but English, which the default model reads alone."""
    return language != "en"


def same_language(asked: str, heard: str) -> bool:
    return _SAME.get(asked, asked) == _SAME.get(heard, heard)


def wrong_language(asked: str, heard: str | None, probability: float | None) -> bool:
    """The rule: heard differs from asked, with at least ``WRONG_LANGUAGE_PROBABILITY``."""
    return (
        heard is not None
        and probability is not None
        and not same_language(asked, heard)
        and probability >= WRONG_LANGUAGE_PROBABILITY
    )


def language_finding(asked: str, heard: str | None, probability: float | None) -> Finding | None:
    """The finding a clip's heard language raises, or None."""
    if not wrong_language(asked, heard, probability):
        return None
    return Finding(
        Flag.WRONG_LANGUAGE,
        f"asked for {asked}, the ASR heard {heard} (p={probability:.2f}, flagged at p >= {WRONG_LANGUAGE_PROBABILITY})",
    )
