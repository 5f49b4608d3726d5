"""What a `ClipScore` becomes in the results store: its `scores` row (the table is `harness.results`')."""

from __future__ import annotations

import json

from harness.results import ScoreRow, now_iso
from harness.scoring.results import ClipScore


def score_row(run_id: str, clip_id: str, score: ClipScore) -> ScoreRow:
    """The ``scores`` row of one clip score."""
    conformance = score.conformance
    dnsmos = score.dnsmos
    versions = score.versions
    return ScoreRow(
        clip_id=clip_id,
        run_id=run_id,
        asr_backend=versions.asr_backend,
        asr_model=versions.asr_model,
        setup_asr_model=versions.setup_asr_model or versions.asr_model,
        normalizer_version=versions.normalizer_version,
        normalizer_name=versions.normalizer_name,
        asr_settings=versions.asr_settings,
        harness_version=versions.harness_version,
        audio_sha256=score.audio_sha256,
        language=score.language,
        unit=score.unit.value,
        transcript=score.transcript,
        normalized_reference=score.normalized_reference,
        normalized_transcript=score.normalized_transcript,
        reference_candidate=score.reference_candidate,
        wer=score.wer,
        cer=score.cer,
        hits=score.hits,
        substitutions=score.substitutions,
        deletions=score.deletions,
        insertions=score.insertions,
        ref_length=score.ref_length,
        ref_words=score.ref_words,
        hyp_length=score.hyp_length,
        flags_json=json.dumps([flag.value for flag in score.flags]),
        findings_json=json.dumps([finding.to_json() for finding in score.findings]),
        similarity=score.similarity,
        similarity_model=versions.similarity_model if score.similarity is not None else None,
        media_type=conformance.media_type if conformance else None,
        sample_rate=conformance.sample_rate if conformance else None,
        channels=conformance.channels if conformance else None,
        duration_s=conformance.duration_s if conformance else None,
        speech_s=conformance.speech_s if conformance else None,
        expected_speech_s=conformance.expected_speech_s if conformance else None,
        leading_silence_s=conformance.leading_silence_s if conformance else None,
        trailing_silence_s=conformance.trailing_silence_s if conformance else None,
        clipping_ratio=conformance.clipping_ratio if conformance else None,
        loudness_lufs=conformance.loudness_lufs if conformance else None,
        dnsmos_overall=dnsmos.overall if dnsmos else None,
        dnsmos_signal=dnsmos.signal if dnsmos else None,
        dnsmos_background=dnsmos.background if dnsmos else None,
        dnsmos_p808=dnsmos.p808 if dnsmos else None,
        dnsmos_model=versions.dnsmos_model if dnsmos else None,
        cache_hit=int(score.cache_hit),
        asr_seconds=score.asr_seconds,
        error=score.error,
        scored_at=now_iso(),
        heard_language=score.heard_language,
        heard_probability=score.heard_probability,
    )
