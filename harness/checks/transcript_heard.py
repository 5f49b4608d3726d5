"""Transcript heard: whether the transcript a speech-to-speech socket sends beside its audio is what its audio says
(issue 80: users of the realtime speech-to-speech APIs report the audio and the transcript disagreeing).

A clip's disagreement is the word distance between the transcript the model sent (`jobs.said_transcript`: its
transcript events joined) and what the recogniser hears in the audio (`scores.transcript`), over the words heard —
a word error rate with the ear as the reference, both sides read by `harness.core.transcript_agreement`'s words
(lower case, punctuation dropped). The recogniser errs too, so a clip is a finding only where the disagreement passes
the recogniser's own error on clean speech (`max_disagreement`, below). Against the *asked* text the socket's
transcript is judged as it arrives (`harness.core.transcript_agreement`, a drift note of the run): that says the
model said something else; this says its transcript is not what it said. An answer with no transcript, or not
scored, or heard as nothing, has no figure. docs/checks.md#transcript-heard.
"""

from __future__ import annotations

from harness.checks.registry import ClipCheck, DeclaredCheck
from harness.core.checks import Better, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.core.transcript_agreement import transcript_words, word_edits
from harness.results import RequestRow

# The recogniser's error a faithful transcript may still show against it: tiny.en's per-clip WER on the sandbox's
# clean Piper voice reading en_read's 60 clips (benchmarks/perf/sandbox_voice_wer.py, 2026-11-27: pooled 3.4%,
# p95 16.7%, one clip at 50% — "trimmed the hedges" heard "trim the edges"): a quarter of the words, half again the
# p95, lets a faithful transcript of clear speech pass on 59 of those 60 clips.
MAX_DISAGREEMENT = 0.25

DECLARATION = CheckDeclaration(
    name="transcript_heard",
    title="Transcript heard",
    version="1",
    doc="docs/checks.md#transcript-heard",
    fields=(
        CheckField(
            name="disagreement_pct",
            label="transcript vs ear %",
            unit="%",
            better=Better.LOWER,
            pooling=Pooling.MEDIAN,
            decimals=1,
            meaning="Words the model's own transcript gets wrong against what the recogniser hears in its "
            "audio, per 100 words heard (speech-to-speech sockets), the median over clips with its "
            "interval between order statistics (none under six clips).",
        ),
    ),
    reads=("jobs.said_transcript", "scores.transcript", "scores.error"),
    findings=(
        FindingKind(
            "transcript-disagrees",
            "the transcript a realtime model sends is the text of the audio it "
            "sends beside it (its socket's `Kind.TRANSCRIPT` events, as the "
            "declaration names them)",
        ),
    ),
    thresholds={"max_disagreement": MAX_DISAGREEMENT},
)


def measure(request: RequestRow) -> ClipCheck:
    """The clip's disagreement (%), and a finding past `MAX_DISAGREEMENT`; None without a transcript or a hearing."""
    said = transcript_words(request.said_transcript or "")
    heard = transcript_words(request.transcript or "")
    if not said or not request.scored or request.score_error or not heard:
        return ClipCheck({"disagreement_pct": None})
    share = word_edits(said, heard) / len(heard)
    if share <= MAX_DISAGREEMENT:
        return ClipCheck({"disagreement_pct": 100.0 * share})
    line = (
        f"{share:.0%} of the words heard differ from the model's transcript (over {MAX_DISAGREEMENT:.0%}): "
        f"said {' '.join(said)[:60]!r}, heard {' '.join(heard)[:60]!r}"
    )
    return ClipCheck({"disagreement_pct": 100.0 * share}, (("transcript-disagrees", line),))


CHECK = DeclaredCheck(DECLARATION, measure)
