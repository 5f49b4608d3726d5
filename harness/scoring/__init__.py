"""Scoring: is the audio right? Whisper WER/CER, speaker similarity and audio conformance per clip.

Runs offline on a CPU: faster-whisper with the tiny.en model a package ships (openai-whisper as the
reference backend), whisper-normalizer text normalization stamped with its version on every row, jiwer
error counts pooled *and* averaged per utterance, speaker similarity for cloning (resemblyzer's encoder
on numpy), soundfile and pyloudnorm for conformance, DNSMOS quality on onnxruntime. Transcripts are
cached by what determines them, so a stored run can be re-scored without another ASR pass.

    from harness.scoring import ClipInput, Scorer
    score = Scorer().score(ClipInput(text="Hello there.", path=Path("clip.wav")))

`word_alignment` places each word of a known text in a clip (forced alignment with the shipped Whisper): the
yardstick a provider's timing marks are measured against; where it cannot place a word it says why.

Heavy libraries (faster_whisper, torch, whisper, resemblyzer, speechmos) are imported on first use only.
"""

# The stored rows' types and the pooling rule belong to the results store, the hard-text verdict and the flags a
# score carries to the core (the checks read the same flags); scoring's users meet them here too.
from harness.core.flags import Finding, Flag
from harness.core.hard_text import HardTextVerdict
from harness.results import CacheKey, CacheKind, ClipRow, ErrorUnit, PooledErrorRate, ScoreCache, pooled_wer
from harness.scoring.asr import AsrBackend, AsrBackendName, DecodingSettings, make_backend
from harness.scoring.asr.base import DEFAULT_MODEL
from harness.scoring.audio import DecodedAudio, decode_audio
from harness.scoring.background import BackgroundScorer, BackgroundStats
from harness.scoring.blas import passive_openmp as _passive_openmp
from harness.scoring.conformance import Conformance, DeclaredFormat, check_conformance
from harness.scoring.dnsmos import Dnsmos
from harness.scoring.hard_text import (
    HardTextClip,
    HardTextJudge,
    HardTextRunItem,
    HardTextRunSummary,
    HardTextScore,
    SpanJudgement,
    Thresholds,
    judge_hard_text_run,
    judge_span,
)
from harness.scoring.intelligibility import TextScore, score_transcript
from harness.scoring.normalize import NORMALIZER_VERSION, TextNormalizer, normalizer_for
from harness.scoring.references import Alternatives, candidate_references
from harness.scoring.results import ClipInput, ClipScore, ScoreVersions
from harness.scoring.run import RunScoreSummary, SystemSummary, score_run
from harness.scoring.scorer import Scorer, ScorerStats
from harness.scoring.scoring_errors import (
    AsrBackendError,
    AudioDecodeError,
    ConversionError,
    MissingDependencyError,
    ModelNotFoundError,
    ScoringError,
    ScoringInputError,
)
from harness.scoring.word_alignment import WHISPER_ONSET_LIMIT_MS, PlacedWord, WordAligner
from harness.speech import ONSET_LIMIT_MS, ReferenceAligner

# Every module here imports faster_whisper on first use only, so this comes before any of them does.
_passive_openmp()

__all__ = [
    "DEFAULT_MODEL",
    "NORMALIZER_VERSION",
    "ONSET_LIMIT_MS",
    "WHISPER_ONSET_LIMIT_MS",
    "Alternatives",
    "AsrBackend",
    "AsrBackendError",
    "AsrBackendName",
    "AudioDecodeError",
    "BackgroundScorer",
    "BackgroundStats",
    "CacheKey",
    "CacheKind",
    "ClipInput",
    "ClipRow",
    "ClipScore",
    "Conformance",
    "ConversionError",
    "DeclaredFormat",
    "DecodedAudio",
    "DecodingSettings",
    "Dnsmos",
    "ErrorUnit",
    "Finding",
    "Flag",
    "HardTextClip",
    "HardTextJudge",
    "HardTextRunItem",
    "HardTextRunSummary",
    "HardTextScore",
    "HardTextVerdict",
    "MissingDependencyError",
    "ModelNotFoundError",
    "PlacedWord",
    "PooledErrorRate",
    "ReferenceAligner",
    "RunScoreSummary",
    "ScoreCache",
    "ScoreVersions",
    "Scorer",
    "ScorerStats",
    "ScoringError",
    "ScoringInputError",
    "SpanJudgement",
    "SystemSummary",
    "TextNormalizer",
    "TextScore",
    "Thresholds",
    "WordAligner",
    "candidate_references",
    "check_conformance",
    "decode_audio",
    "judge_hard_text_run",
    "judge_span",
    "make_backend",
    "normalizer_for",
    "pooled_wer",
    "score_run",
    "score_transcript",
]
