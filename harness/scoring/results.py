"""The scorer's input and output value types: one clip to score, and everything measured about it."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.core.flags import Finding, Flag
from harness.results import ErrorUnit
from harness.scoring.conformance import Conformance
from harness.scoring.dnsmos import Dnsmos
from harness.scoring.references import Alternatives
from harness.scoring.scoring_errors import ScoringInputError


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipInput:
    """One clip to score: its audio (bytes or a file), the text it should say, and what was declared.

    ``reference_voice`` is the voice a cloning job was asked to imitate; with it the score carries a
    speaker similarity. ``alternatives`` are accepted readings (see ``harness.scoring.references``).
    """

    text: str
    audio: bytes | None = None
    path: Path | None = None
    language: str | None = None
    alternatives: Alternatives | None = None
    reference_voice: Path | None = None
    declared_media_type: str | None = None
    declared_sample_rate: int | None = None
    declared_channels: int | None = None
    clip_id: str | None = None

    def __post_init__(self) -> None:
        if (self.audio is None) == (self.path is None):
            raise ScoringInputError("expected exactly one of audio bytes or an audio path for a clip")
        if self.path is not None:
            object.__setattr__(self, "path", Path(self.path))
        if self.reference_voice is not None:
            object.__setattr__(self, "reference_voice", Path(self.reference_voice))

    def read_audio(self) -> bytes:
        if self.audio is not None:
            return self.audio
        assert self.path is not None
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise ScoringInputError(f"cannot read the clip's audio file {self.path}: {exc.strerror}") from exc


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreVersions:
    """Everything that produced a score, so figures from different setups are never mixed unknowingly."""

    asr_backend: str
    asr_model: str  # the model that transcribed the clip
    asr_settings: str
    normalizer_name: str
    normalizer_version: str
    harness_version: str
    similarity_model: str | None = None
    dnsmos_model: str | None = None
    # The model the scorer was asked for: `asr_model` unless the clip's language sent it to the multilingual
    # counterpart. Clips scored together share it, so their figures are read together (harness.results.setups).
    setup_asr_model: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipScore:
    """Everything measured about one clip. ``error`` is set when the clip could not be scored.

    Counts (hits, substitutions, deletions, insertions, ref_length) are in ``unit``: words, or characters
    for zh/ja. ``wer`` is ``None`` for character languages; ``cer`` is always computed when a transcript
    exists.
    """

    clip_id: str | None
    audio_sha256: str | None
    language: str
    unit: ErrorUnit
    versions: ScoreVersions
    transcript: str | None = None
    normalized_reference: str | None = None
    normalized_transcript: str | None = None
    reference_candidate: int | None = None
    wer: float | None = None
    cer: float | None = None
    hits: int = 0
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    ref_length: int = 0
    ref_words: int = 0
    hyp_length: int = 0
    findings: tuple[Finding, ...] = ()
    # The language the ASR heard (non-English clips read by a multilingual model; harness.scoring.language_check).
    heard_language: str | None = None
    heard_probability: float | None = None
    similarity: float | None = None
    conformance: Conformance | None = None
    dnsmos: Dnsmos | None = None
    cache_hit: bool = False
    asr_seconds: float | None = None
    error: str | None = field(default=None)

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(dict.fromkeys(finding.flag for finding in self.findings))

    @property
    def loudness_lufs(self) -> float | None:
        return self.conformance.loudness_lufs if self.conformance else None

    @property
    def error_rate(self) -> float | None:
        """WER for word languages, CER for zh/ja; ``None`` when the clip was not scored."""
        return self.wer if self.unit is ErrorUnit.WORD else self.cer

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (flags and findings as strings)."""
        data = asdict(self)
        data["unit"] = self.unit.value
        data["flags"] = [flag.value for flag in self.flags]
        data["findings"] = [finding.to_json() for finding in self.findings]
        data["loudness_lufs"] = self.loudness_lufs
        if self.conformance is not None:
            data["conformance"].pop("findings")
        return data
