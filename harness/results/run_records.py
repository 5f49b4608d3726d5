"""The records a run's readers hand out (`harness.results.reading`, an export read back by `harness.report.export`):
one frozen, keyword-only record per row of `RunRows`, whose fields are the readers' columns (`harness.results.rows`:
`REQUEST_COLUMNS`, `RUN_COLUMNS`, `ERROR_COLUMNS`, `DRIFT_COLUMNS`), so every reader reads `request.ttfa_ms` and the
type checker knows its type. A column the store may hold NULL in (a nullable column, one a later schema version
added, one of a joined table) admits None; `tests/results/test_run_records.py` holds each record to its column list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestRow:
    """One job of a run as the readers see it: its `jobs` row, its `costs` rows summed, its clip's reference voice and
    its `scores` row for the run's scoring setup (`harness.results.reading`); one row of an export's `requests`."""

    run_id: str
    job_key: str
    seq: int
    provider: str
    model: str
    endpoint: str
    provider_model_id: str | None = None
    corpus: str
    corpus_version: str
    item_id: str
    language: str | None = None
    text: str
    chars: int
    repeat: int
    state: str
    outcome: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    final_status: str | None = None
    delivery: str | None = None
    attempts: int
    resumed: int
    polls: int
    poll_errors: int
    http_version: str | None = None
    connection_reused: int | None = None
    connect_ms: float | None = None
    submit_ms: float | None = None
    queue_ms: float | None = None
    processing_ms: float | None = None
    e2e_client_ms: float | None = None
    e2e_ms: float | None = None
    e2e_bracket_ms: float | None = None
    e2e_server_ms: float | None = None
    download_ms: float | None = None
    ttfa_ms: float | None = None
    total_ms: float | None = None
    e2e_lo_ms: float | None = None
    e2e_hi_ms: float | None = None
    perceived_ttfa_ms: float | None = None
    max_chunk_gap_ms: float | None = None
    real_time_factor: float | None = None
    underruns: int | None = None
    underrun_ms: float | None = None
    audio_ms: float | None = None
    queue_lo_ms: float | None = None
    queue_hi_ms: float | None = None
    processing_lo_ms: float | None = None
    processing_hi_ms: float | None = None
    e2e_server_lo_ms: float | None = None
    e2e_server_hi_ms: float | None = None
    ttfa_lo_ms: float | None = None
    ttfa_hi_ms: float | None = None
    perceived_ttfa_lo_ms: float | None = None
    perceived_ttfa_hi_ms: float | None = None
    stamp_convention: str | None = None
    provider_job_id: str | None = None
    provider_request_id: str | None = None
    load_level: int | None = None
    in_flight_at_submit: int | None = None
    text_rate: float | None = None
    last_audio_ms: float | None = None
    last_audio_lo_ms: float | None = None
    last_audio_hi_ms: float | None = None
    gap_p50_ms: float | None = None
    gap_p50_lo_ms: float | None = None
    gap_p50_hi_ms: float | None = None
    gap_p95_ms: float | None = None
    gap_p95_lo_ms: float | None = None
    gap_p95_hi_ms: float | None = None
    real_time_factor_lo: float | None = None
    real_time_factor_hi: float | None = None
    underruns_lo: int | None = None
    underruns_hi: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    harness_version: str
    git_revision: str
    params_sha256: str
    cost_usd: float | None = None
    seam_findings: int | None = None
    seams_json: str | None = None
    heard_rate_how: str | None = None
    heard_rate: float | None = None
    timing_marks: str | None = None
    heard_words: str | None = None
    marks_json: str | None = None
    marks_p50_ms: float | None = None
    marks_p95_ms: float | None = None
    marks_coverage: float | None = None
    marks_findings: int | None = None
    cancel_after_ms: float | None = None
    cancel_to_silence_ms: float | None = None
    cancel_after_ack_s: float | None = None
    cancel_after_ack_frames: int | None = None
    cancel_verdict: str | None = None
    cancel_detail: str | None = None
    markup_honoured: int | None = None
    markup_json: str | None = None
    cost_amount: float | None = None
    cost_unit: str | None = None
    charged_attempts: int | None = None
    cost_source: str | None = None
    planned_usd: float | None = None
    billed_usd: float | None = None
    billed_units: str | None = None
    no_public_price: int | None = None
    price_plan: str | None = None
    price_source: str | None = None
    price_read: str | None = None
    price_stale: int | None = None
    price_weak: str | None = None
    price_audio: str | None = None
    own_usd: float | None = None  # the harness's own requests (the marks asked apart): in cost_usd, in no price
    own_planned_usd: float | None = None
    own_billed_usd: float | None = None
    own_requests: int | None = None
    client_saturated: float | None = None
    client_lag_ms: float | None = None
    audio_path: str | None = None
    audio_sha256: str | None = None
    audio_bytes: int | None = None
    declared_media_type: str | None = None
    sniffed_media_type: str | None = None
    reference_audio_path: str | None = None
    scored: int | None = None
    asr_backend: str | None = None
    asr_model: str | None = None
    normalizer_name: str | None = None
    normalizer_version: str | None = None
    unit: str | None = None
    transcript: str | None = None
    normalized_reference: str | None = None
    normalized_transcript: str | None = None
    wer: float | None = None
    cer: float | None = None
    hits: int | None = None
    substitutions: int | None = None
    deletions: int | None = None
    insertions: int | None = None
    ref_length: int | None = None
    ref_words: int | None = None
    hyp_length: int | None = None
    flags: str | None = None
    findings: str | None = None
    similarity: float | None = None
    similarity_model: str | None = None
    media_type: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    duration_s: float | None = None
    speech_s: float | None = None
    leading_silence_s: float | None = None
    trailing_silence_s: float | None = None
    clipping_ratio: float | None = None
    loudness_lufs: float | None = None
    dnsmos_overall: float | None = None
    dnsmos_signal: float | None = None
    dnsmos_background: float | None = None
    dnsmos_p808: float | None = None
    score_error: str | None = None
    heard_language: str | None = None
    heard_probability: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRun:
    """A run's `runs` row as the readers see it, with the scoring setup its requests' scores come from (None when
    nothing was scored); a value the store holds that its column cannot is read as unknown (None)."""

    run_id: str
    created_at: str | None = None
    finished_at: str | None = None
    status: str | None = None
    harness_version: str | None = None
    git_revision: str | None = None
    target: str | None = None
    target_url: str | None = None
    sandbox_profile: str | None = None
    sandbox_seed: int | None = None
    corpora_json: str | None = None
    config_json: str | None = None
    polling: str | None = None
    repeats: int | None = None
    concurrency: int | None = None
    planned_jobs: int | None = None
    global_concurrency: int | None = None
    load_levels_json: str | None = None
    budget_usd: float | None = None
    planned_cost_usd: float | None = None
    machine_json: str | None = None
    client_saturated: float | None = None
    client_lag_p50_ms: float | None = None
    client_lag_p95_ms: float | None = None
    client_health_json: str | None = None
    asr_backend: str | None = None
    asr_model: str | None = None
    normalizer_name: str | None = None
    normalizer_version: str | None = None
    asr_settings: str | None = None
    scoring_harness_version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorEntry:
    """An `errors` row as the readers see it (one row of an export's `errors`)."""

    run_id: str
    job_key: str | None = None
    attempt: int | None = None
    provider: str
    model: str
    corpus: str | None = None
    item_id: str | None = None
    phase: str
    error_class: str
    http_status: int | None = None
    fatal: int
    message: str
    detail_json: str | None = None
    t_ms: float | None = None
    recorded_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DriftEntry:
    """A `drift` row as the readers see it (one row of an export's `drift`)."""

    run_id: str
    job_key: str | None = None
    provider: str
    model: str
    corpus: str | None = None
    item_id: str | None = None
    endpoint: str
    phase: str
    pointer: str
    note: str
    kind: str
    recorded_at: str
