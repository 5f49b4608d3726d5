"""Synthetic runs written into a real results database (`harness.results`: the runner's and the scorer's tables).

Latencies, transcripts and costs are drawn from a seeded generator, so two runs made with the same
settings and seed are "two runs of the same configuration", and a run with ``latency_factor=1.3`` or
``wer_extra=...`` is a planted regression.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from harness.results.store import Store
from tests.helpers.store_rows import SCORE_SETUP, insert_rows, write_rows

WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "a",
    "lazy",
    "dog",
    "near",
    "quiet",
    "river",
    "bank",
    "at",
    "dawn",
    "while",
    "birds",
    "sing",
    "softly",
]


@dataclass(frozen=True, slots=True)
class Model:
    provider: str
    model: str
    median_ms: float
    usd: float | None
    failure_rate: float = 0.0
    delivery: str = "poll"
    billed: float | None = None  # the answer billed this many times the planned characters (None: said nothing)
    stale: bool = False  # the price was read longer ago than the run's --price-max-age
    weak: str | None = None  # why the price's source is weak (a reseller's page, ...), as the cost row keeps it


DEFAULT_MODELS = (
    Model("pixazo", "xtts-v2", 4000.0, 0.015),
    Model("pixelapi", "voice-design", 2500.0, 0.05, failure_rate=0.1),
    Model("ttsai", "kokoro", 1200.0, 0.002, delivery="stream"),
)


def _sentence(rng: np.random.Generator, length: int) -> list[str]:
    return [WORDS[int(i)] for i in rng.integers(0, len(WORDS), size=length)]


def _write_wav(folder: Path, seed: int, seconds: float) -> tuple[str, str, int]:
    rate = 16000
    t = np.arange(int(rate * seconds)) / rate
    tone = 0.2 * np.sin(2 * np.pi * (180 + seed % 200) * t)
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f"tmp-{seed}.wav"
    soundfile.write(temp, tone.astype(np.float32), rate, subtype="PCM_16")
    data = temp.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    target = folder / sha[:2] / f"{sha}.wav"
    target.parent.mkdir(parents=True, exist_ok=True)
    temp.replace(target)
    return str(target), sha, len(data)


def make_run(
    db: Path,
    run_id: str,
    *,
    seed: int = 7,
    items: int = 24,
    models: tuple[Model, ...] = DEFAULT_MODELS,
    latency_factor: float = 1.0,
    wer_extra: float = 0.0,
    cost_factor: float = 1.0,
    contract_violation: bool = False,
    audio_dir: Path | None = None,
    audio: bool = True,
    levels: tuple[int, ...] = (),
    knee: int = 4,
    slow_level: int | None = None,
) -> str:
    """Write one synthetic run into ``db``; returns its run id. ``seed`` fixes every random draw.

    ``levels`` makes it a load sweep: every item at each level, latency growing in proportion to the level
    past ``knee`` (a provider with that many workers), and × 1.3 at ``slow_level`` (a planted regression of
    one point of the curve)."""
    rng = np.random.default_rng(seed)
    store = Store(db)
    audio_root = audio_dir or db.parent / "audio"
    now = "2026-11-22T08:15:00.000Z"
    insert_rows(
        store,
        "runs",
        [
            {
                "run_id": run_id,
                "created_at": now,
                "updated_at": now,
                "finished_at": now,
                "status": "finished",
                "harness_version": "0.1.0",
                "git_revision": "abc123def456",
                "target": "sandbox",
                "target_url": None,
                "sandbox_profile": "default",
                "sandbox_seed": seed,
                "corpora_json": json.dumps({"en_read": "1"}),
                "config_json": "{}",
                "providers_json": "[]",
                "models_json": "[]",
                "repeats": 1,
                "concurrency": 4,
                "polling": "adaptive",
                "budget_usd": None,
                "planned_jobs": items * len(models),
                "planned_cost_usd": None,
                "planned_unpriced": 0,
                "machine_json": json.dumps({"python": "3.11", "cpu_count": 2}),
                "resumes": 0,
                "load_levels_json": json.dumps(list(levels)) if levels else None,
            }
        ],
    )
    texts = [_sentence(rng, int(rng.integers(6, 14))) for _ in range(items)]
    seq = 0
    for level in levels or (None,):
        factor = latency_factor
        if level is not None:
            factor *= max(1.0, level / knee) * (1.3 if level == slow_level else 1.0)
        for item, words in enumerate(texts):
            for spec in models:
                seq += 1
                _write_job(
                    store,
                    rng,
                    run_id,
                    seq,
                    item,
                    words,
                    spec,
                    factor,
                    wer_extra,
                    cost_factor,
                    contract_violation,
                    audio_root if audio else None,
                    level,
                )
    store.close()
    return run_id


def _write_job(
    store: Store,
    rng: np.random.Generator,
    run_id: str,
    seq: int,
    item: int,
    words: list[str],
    spec: Model,
    latency_factor: float,
    wer_extra: float,
    cost_factor: float,
    contract_violation: bool,
    audio_root: Path | None,
    level: int | None = None,
) -> None:
    text = " ".join(words).capitalize() + "."
    swept = "" if level is None else f"/{level}"
    job_key = hashlib.sha256(f"{run_id}/{spec.provider}/{spec.model}/{item}{swept}".encode()).hexdigest()[:24]
    failed = rng.random() < spec.failure_rate
    e2e = float(spec.median_ms * latency_factor * rng.lognormal(0.0, 0.25))
    usd = None if spec.usd is None else (0.0 if failed else spec.usd * cost_factor)
    planned = usd
    bills = spec.billed is not None and usd is not None and not failed
    billed_usd = usd * spec.billed if bills and usd is not None and spec.billed is not None else None
    usd = billed_usd if billed_usd is not None else usd
    polls = int(rng.integers(2, 6)) if spec.delivery == "poll" else 0
    base = {
        "run_id": run_id,
        "job_key": job_key,
        "provider": spec.provider,
        "model": spec.model,
        "harness_version": "0.1.0",
        "git_revision": "abc123def456",
        "corpus": "en_read",
        "item_id": f"en-{item:03d}",
    }
    path = sha = size = None
    duration = len(words) * 0.32
    if not failed and audio_root is not None:
        path, sha, size = _write_wav(audio_root, seq, min(duration, 0.6))
    job: dict[str, Any] = {
        **base,
        "seq": seq,
        "endpoint": f"{spec.model}.generate",
        "provider_model_id": None,
        "params_json": json.dumps({"text": text}),
        "params_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "corpus_version": "1",
        "language": "en",
        "text": text,
        "chars": len(text),
        "repeat": 0,
        "state": "failed" if failed else "done",
        "attempts": 1,
        "delivery": spec.delivery,
        "final_status": "ERROR" if failed else "COMPLETED",
        "outcome": "error" if failed else "ok",
        "error_class": "server" if failed else None,
        "error_message": "job ended in ERROR" if failed else None,
        "resumed": 0,
        "polls": polls,
        "poll_errors": 0,
        "submit_ms": float(rng.uniform(40, 90)),
        "e2e_ms": e2e,
        "e2e_client_ms": e2e + 200.0,
        "e2e_lo_ms": e2e - 120.0,
        "e2e_hi_ms": e2e + 120.0,
        "e2e_bracket_ms": 240.0,
        "provider_job_id": f"req-{job_key[:12]}",
        "provider_request_id": f"req-{job_key[:12]}",
        "ttfa_ms": float(e2e * rng.uniform(0.2, 0.4)) if spec.delivery == "stream" else None,
        "download_ms": float(rng.uniform(5, 20)),
        "total_ms": e2e + 250.0,
        "audio_path": path,
        "audio_sha256": sha,
        "audio_bytes": size,
        "declared_media_type": "audio/wav",
        "cost_usd": usd,
        "cost_source": "none" if usd is None or failed else "billed" if bills else "planned",
        "load_level": level,
        "in_flight_at_submit": level,
    }
    if spec.delivery == "stream":  # what a listener met (schema 6); drawn from nothing, so the rng is not moved
        job |= {
            "underruns": seq % 3,
            "underrun_ms": 40.0 * (seq % 3),
            "gap_p50_ms": 20.0 + seq % 5,
            "gap_p95_ms": 60.0 + 7 * (seq % 4),
            "last_audio_ms": e2e - 50.0,
            "real_time_factor": 0.4 + seq % 3 / 10,
        }
    cost = {
        k: base[k]
        for k in ("run_id", "job_key", "harness_version", "git_revision", "provider", "model", "corpus", "item_id")
    }
    cost.update(
        attempt=1,
        params_sha256=job["params_sha256"],
        amount=usd,
        unit="USD",
        usd=usd,
        charged=0 if failed else 1,
        basis="uncharged-state:ERROR"
        if failed
        else "documented-price"
        if spec.usd is not None
        else "no-documented-price",
        worst_case_usd=spec.usd,
        recorded_at="2026-11-22T08:15:01.000Z",
        planned_usd=planned,
        cost_source="none" if usd is None else "billed" if bills else "planned",
    )
    if spec.usd is not None:  # where the price was read (a model with no public price has none)
        cost.update(
            price_plan="pay-as-you-go",
            price_source=f"https://{spec.provider}.example/pricing",
            price_read="2026-01-05" if spec.stale else "2026-11-01",
            price_stale=int(spec.stale),
            price_weak=spec.weak,
            price_how=f"${spec.usd} × 1 request (counted)",
        )
    if bills and spec.billed is not None:
        cost.update(billed_units_json=json.dumps({"characters": round(len(text) * spec.billed)}), billed_usd=billed_usd)
    writes: list[tuple[str, list[dict[str, Any]]]] = [("costs", [cost])]
    if failed:
        writes.append(
            (
                "errors",
                [
                    {
                        **base,
                        "attempt": 1,
                        "phase": "poll",
                        "error_class": "server",
                        "http_status": 200,
                        "fatal": 1,
                        "message": "job ended in ERROR",
                        "detail_json": None,
                        "t_ms": e2e,
                        "recorded_at": "2026-11-22T08:15:02.000Z",
                    }
                ],
            )
        )
    if contract_violation and not failed and seq % 5 == 0:
        detail = json.dumps([{"pointer": "/output/duration", "expected": "number", "got": "'3.2'", "rule": "type"}])
        writes.append(
            (
                "errors",
                [
                    {
                        **base,
                        "attempt": 1,
                        "phase": "validate",
                        "error_class": "contract",
                        "http_status": 200,
                        "fatal": 0,
                        "message": "status body violates the contract",
                        "detail_json": detail,
                        "t_ms": e2e,
                        "recorded_at": "2026-11-22T08:15:02.000Z",
                    }
                ],
            )
        )
    if seq % 7 == 0:
        writes.append(
            (
                "drift",
                [
                    {
                        **base,
                        "endpoint": job["endpoint"],
                        "phase": "poll",
                        "pointer": "/created_at",
                        "note": "timestamp uses the alternate form",
                        "kind": "timestamp",
                        "recorded_at": "2026-11-22T08:15:02.000Z",
                    }
                ],
            )
        )
    insert_rows(store, "jobs", [job])
    write_rows(store, writes)
    if not failed:
        insert_rows(
            store,
            "clips",
            [
                {
                    "clip_id": job_key,
                    "run_id": run_id,
                    "provider": spec.provider,
                    "model": spec.model,
                    "corpus": "en_read",
                    "item_id": base["item_id"],
                    "language": "en",
                    "text": text,
                    "alternatives_json": None,
                    "reference_audio_path": None,
                    "audio_path": path or "",
                    "audio_sha256": sha or "",
                    "declared_media_type": "audio/wav",
                    "declared_sample_rate": 16000,
                }
            ],
        )
        _write_score(store, rng, run_id, job_key, words, wer_extra, duration)


def _write_score(
    store: Store,
    rng: np.random.Generator,
    run_id: str,
    clip_id: str,
    words: list[str],
    wer_extra: float,
    duration: float,
) -> None:
    hyp = list(words)
    substitutions = 0
    for index in range(len(hyp)):
        if rng.random() < 0.04 + wer_extra:
            hyp[index] = "uh"
            substitutions += 1 if words[index] != "uh" else 0
    reference, transcript = " ".join(words), " ".join(hyp)
    cer_errors = sum(len(w) for w, h in zip(words, hyp, strict=True) if w != h)
    flags = ["too_short"] if rng.random() < 0.05 else []
    row = {
        "clip_id": clip_id,
        "run_id": run_id,
        **SCORE_SETUP,
        "audio_sha256": None,
        "language": "en",
        "unit": "word",
        "transcript": transcript.capitalize() + ".",
        "normalized_reference": reference,
        "normalized_transcript": transcript,
        "reference_candidate": 0,
        "wer": substitutions / len(words),
        "cer": cer_errors / len(reference),
        "hits": len(words) - substitutions,
        "substitutions": substitutions,
        "deletions": 0,
        "insertions": 0,
        "ref_length": len(words),
        "ref_words": len(words),
        "hyp_length": len(hyp),
        "flags_json": json.dumps(flags),
        "findings_json": json.dumps([{"flag": f, "detail": "speech 0.4 s, expected 2.0 s"} for f in flags]),
        "similarity": float(rng.uniform(0.7, 0.9)),
        "similarity_model": "resemblyzer",
        "media_type": "audio/wav",
        "sample_rate": 16000,
        "channels": 1,
        "duration_s": duration,
        "speech_s": duration * 0.9,
        "expected_speech_s": duration,
        "leading_silence_s": 0.05,
        "trailing_silence_s": 0.05,
        "clipping_ratio": 0.0,
        "loudness_lufs": -20.0,
        "dnsmos_overall": float(rng.uniform(2.8, 3.3)),
        "dnsmos_signal": 3.3,
        "dnsmos_background": 3.9,
        "dnsmos_p808": 3.5,
        "dnsmos_model": "dnsmos",
        "cache_hit": 0,
        "asr_seconds": 0.5,
        "error": None,
        "scored_at": "2026-11-22T08:16:00.000Z",
        "setup_asr_model": "tiny.en",
    }
    insert_rows(store, "scores", [row])
