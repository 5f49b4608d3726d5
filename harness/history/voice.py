"""The same voice over time: each model's output compared with its own earlier output of the same request.

Two clips are "the same request" when a model was sent the same corpus item with the same parameters
(`item_id` and `params_sha256`: the same text, voice and settings). A model's first stored clip of each
request is its reference; every later clip of that request is compared with it by

* **duration ratio** — the clip's duration over the reference's (a new model or voice speaks at another
  pace), from the stored rows (`duration_s` of the score, else the stream's `audio_ms`);
* **self-similarity** — the cosine of the two clips' speaker embeddings (`harness.scoring`'s encoder),
  where both audio files can be found beside the store (a merged store from other machines may have none).

Each run's point is the median over its clips, so a silent model swap is a step in both series, found
like any other change (`harness.history.changes`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from harness.history.values import Point, Scale, Series
from harness.results import RequestRow, RunRows, StoreTarget, audio_seconds


def _audio_file(row: RequestRow, store: StoreTarget) -> Path | None:
    if not row.audio_path:
        return None
    candidate = Path(str(row.audio_path))
    bases = [Path.cwd()] + ([store.parent, store.parent.parent] if isinstance(store, Path) else [])
    options = [candidate] if candidate.is_absolute() else [base / candidate for base in bases]
    return next((p for p in options if p.is_file()), None)


class _Embeddings:
    """Speaker embeddings of stored clips, by audio hash (one encoder, loaded on first use)."""

    def __init__(self) -> None:
        self._encoder: Any = None
        self._memo: dict[str, Any] = {}

    def of(self, row: RequestRow, store: StoreTarget) -> Any:
        key = str(row.audio_sha256 or row.job_key)
        if key not in self._memo:
            self._memo[key] = self._embed(row, store)
        return self._memo[key]

    def _embed(self, row: RequestRow, store: StoreTarget) -> Any:
        path = _audio_file(row, store)
        if path is None:
            return None
        from harness.scoring import decode_audio
        from harness.scoring.similarity import SAMPLE_RATE, SpeakerEncoder, similarity_available

        if self._encoder is None:
            if not similarity_available():
                return None
            self._encoder = SpeakerEncoder()
        from harness.speech import AudioCodecError

        rate = row.sample_rate  # the scorer's reading of it: headerless PCM (a raw pcm answer) needs its rate
        try:
            audio = decode_audio(
                path.read_bytes(), _text(row.declared_media_type), int(rate) if rate is not None else None
            )
        except AudioCodecError:
            return None  # a clip that cannot be read is not compared (its own report flags it)
        return self._encoder.embed(audio.mono_at(SAMPLE_RATE))


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def _ok(rows: Iterable[RequestRow]) -> list[RequestRow]:
    return [r for r in rows if r.outcome == "ok" and r.item_id is not None]


def voice_series(runs: Sequence[RunRows], store: StoreTarget) -> list[Series]:
    """Per provider × model: the duration ratio and self-similarity to its first output, run by run."""
    from harness.scoring.similarity import cosine

    references: dict[tuple[str, str, str, str], RequestRow] = {}
    ratios: dict[tuple[str, str], list[Point]] = {}
    similar: dict[tuple[str, str], list[Point]] = {}
    embeddings = _Embeddings()
    for rows in runs:
        created = str(rows.run.created_at)
        per_model: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
        for row in _ok(rows.requests):
            model = (row.provider, row.model)
            request = (*model, row.item_id, row.params_sha256)
            reference = references.setdefault(request, row)
            if reference is row:
                continue  # the model's first output of this request: what later ones are compared with
            durations, similarities = per_model.setdefault(model, ([], []))
            now, then = audio_seconds(row), audio_seconds(reference)
            if now is not None and then:
                durations.append(now / then)
            mine, theirs = embeddings.of(row, store), embeddings.of(reference, store)
            if mine is not None and theirs is not None:
                similarities.append(cosine(mine, theirs))
        for model, (ratio_list, similarity_list) in per_model.items():
            if ratio_list:
                ratios.setdefault(model, []).append(
                    Point(
                        run_id=rows.run_id,
                        created_at=created,
                        value=statistics.median(ratio_list),
                        sample_size=len(ratio_list),
                    )
                )
            if similarity_list:
                similar.setdefault(model, []).append(
                    Point(
                        run_id=rows.run_id,
                        created_at=created,
                        value=statistics.median(similarity_list),
                        sample_size=len(similarity_list),
                    )
                )
    series = [
        Series(
            provider=p,
            model=m,
            key="duration_ratio",
            label="Duration / first output",
            unit="ratio",
            scale=Scale.LOG,
            points=tuple(points),
        )
        for (p, m), points in sorted(ratios.items())
    ]
    series += [
        Series(
            provider=p,
            model=m,
            key="self_similarity",
            label="Similarity to first output",
            unit="score",
            scale=Scale.LINEAR,
            points=tuple(points),
        )
        for (p, m), points in sorted(similar.items())
    ]
    return series
