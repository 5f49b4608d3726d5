"""The CREATE statements of every table of `runs.db`, as version 1 of each (plus tables added since:
`IF NOT EXISTS` gives an old database them too). Columns added later come by `harness.results.migrations`,
for old and new databases alike; `harness.results.schema` documents every column.
"""

# The benchmark runner's tables, and the clips it hands the scorer.
RUN_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    target TEXT NOT NULL,
    target_url TEXT,
    sandbox_profile TEXT,
    sandbox_seed INTEGER,
    corpora_json TEXT NOT NULL,
    config_json TEXT NOT NULL,
    providers_json TEXT NOT NULL,
    models_json TEXT NOT NULL,
    repeats INTEGER NOT NULL,
    concurrency INTEGER NOT NULL,
    polling TEXT NOT NULL,
    budget_usd REAL,
    planned_jobs INTEGER NOT NULL,
    planned_cost_usd REAL,
    planned_unpriced INTEGER NOT NULL DEFAULT 0,
    machine_json TEXT NOT NULL,
    resumes INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS jobs (
    job_key TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    seq INTEGER NOT NULL,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    provider_model_id TEXT,
    params_json TEXT NOT NULL,
    params_sha256 TEXT NOT NULL,
    corpus TEXT NOT NULL,
    corpus_version TEXT NOT NULL,
    item_id TEXT NOT NULL,
    language TEXT,
    text TEXT NOT NULL,
    chars INTEGER NOT NULL,
    repeat INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'planned',
    attempts INTEGER NOT NULL DEFAULT 0,
    provider_job_id TEXT,
    status_url TEXT,
    delivery TEXT,
    final_status TEXT,
    outcome TEXT,
    error_class TEXT,
    error_message TEXT,
    started_at TEXT,
    finished_at TEXT,
    start_offset_ms REAL,
    resumed INTEGER NOT NULL DEFAULT 0,
    http_version TEXT,
    connection_reused INTEGER,
    connect_ms REAL,
    polls INTEGER NOT NULL DEFAULT 0,
    poll_errors INTEGER NOT NULL DEFAULT 0,
    submit_ms REAL,
    queue_ms REAL,
    processing_ms REAL,
    e2e_client_ms REAL,
    e2e_ms REAL,
    e2e_bracket_ms REAL,
    e2e_source TEXT,
    e2e_server_ms REAL,
    server_queue_ms REAL,
    server_processing_ms REAL,
    download_ms REAL,
    ttfa_ms REAL,
    total_ms REAL,
    server_created_at TEXT,
    server_started_at TEXT,
    server_completed_at TEXT,
    audio_path TEXT,
    audio_sha256 TEXT,
    audio_bytes INTEGER,
    declared_media_type TEXT,
    sniffed_media_type TEXT,
    cost_usd REAL
);
CREATE INDEX IF NOT EXISTS jobs_run ON jobs(run_id, seq);

CREATE TABLE IF NOT EXISTS marks (
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    item_id TEXT NOT NULL,
    name TEXT NOT NULL,
    t_ms REAL NOT NULL,
    wall_at TEXT NOT NULL,
    PRIMARY KEY (job_key, name)
);

CREATE TABLE IF NOT EXISTS polls (
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    item_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    planned_delay_ms REAL,
    reason TEXT NOT NULL,
    sent_ms REAL NOT NULL,
    received_ms REAL,
    http_status INTEGER,
    provider_status TEXT,
    error_class TEXT,
    connection_reused INTEGER,
    PRIMARY KEY (job_key, seq)
);

CREATE TABLE IF NOT EXISTS chunks (
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    item_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    earliest_ms REAL NOT NULL,
    latest_ms REAL NOT NULL,
    bytes INTEGER NOT NULL,
    audio_ms REAL,
    onset_ms REAL,
    PRIMARY KEY (job_key, seq)
);

CREATE TABLE IF NOT EXISTS costs (
    cost_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    params_sha256 TEXT NOT NULL,
    corpus TEXT NOT NULL,
    item_id TEXT NOT NULL,
    amount REAL,
    unit TEXT NOT NULL,
    usd REAL,
    charged INTEGER NOT NULL,
    basis TEXT NOT NULL,
    worst_case_usd REAL,
    recorded_at TEXT NOT NULL,
    UNIQUE (job_key, attempt)
);
CREATE INDEX IF NOT EXISTS costs_run ON costs(run_id);

CREATE TABLE IF NOT EXISTS errors (
    error_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    job_key TEXT,
    attempt INTEGER,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    corpus TEXT,
    item_id TEXT,
    phase TEXT NOT NULL,
    error_class TEXT NOT NULL,
    http_status INTEGER,
    fatal INTEGER NOT NULL,
    message TEXT NOT NULL,
    detail_json TEXT,
    t_ms REAL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_run ON errors(run_id);

CREATE TABLE IF NOT EXISTS drift (
    drift_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    job_key TEXT,
    harness_version TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    corpus TEXT,
    item_id TEXT,
    endpoint TEXT NOT NULL,
    phase TEXT NOT NULL,
    pointer TEXT NOT NULL,
    note TEXT NOT NULL,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drift_run ON drift(run_id);

CREATE TABLE IF NOT EXISTS catalogues (
    run_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    harness_version TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER,
    body_json TEXT,
    error TEXT,
    PRIMARY KEY (run_id, provider, endpoint)
);

CREATE TABLE IF NOT EXISTS clips (
    clip_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    corpus TEXT,
    item_id TEXT,
    language TEXT,
    text TEXT NOT NULL,
    alternatives_json TEXT,
    reference_audio_path TEXT,
    audio_path TEXT NOT NULL,
    audio_sha256 TEXT NOT NULL,
    declared_media_type TEXT,
    declared_sample_rate INTEGER
);
CREATE INDEX IF NOT EXISTS clips_run ON clips(run_id);

CREATE TABLE IF NOT EXISTS load_levels (
    run_id TEXT NOT NULL,
    level INTEGER NOT NULL,
    provider TEXT NOT NULL,
    cap INTEGER NOT NULL,
    global_cap INTEGER,
    max_in_flight INTEGER NOT NULL,
    mean_in_flight REAL,
    gate_waits INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    PRIMARY KEY (run_id, level, provider)
);

CREATE TABLE IF NOT EXISTS leases (
    run_id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at REAL NOT NULL
);
"""

# The scorer's tables (`score_cache` may also live in a cache file of its own: `Scorer(cache=path)`).
SCORES_DDL = """
CREATE TABLE IF NOT EXISTS scores (
    clip_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    asr_backend TEXT NOT NULL,
    asr_model TEXT NOT NULL,
    normalizer_version TEXT NOT NULL,
    normalizer_name TEXT NOT NULL,
    asr_settings TEXT NOT NULL,
    harness_version TEXT NOT NULL,
    audio_sha256 TEXT,
    language TEXT NOT NULL,
    unit TEXT NOT NULL,
    transcript TEXT,
    normalized_reference TEXT,
    normalized_transcript TEXT,
    reference_candidate INTEGER,
    wer REAL,
    cer REAL,
    hits INTEGER NOT NULL,
    substitutions INTEGER NOT NULL,
    deletions INTEGER NOT NULL,
    insertions INTEGER NOT NULL,
    ref_length INTEGER NOT NULL,
    ref_words INTEGER NOT NULL,
    hyp_length INTEGER NOT NULL,
    flags_json TEXT NOT NULL,
    findings_json TEXT NOT NULL,
    similarity REAL,
    similarity_model TEXT,
    media_type TEXT,
    sample_rate INTEGER,
    channels INTEGER,
    duration_s REAL,
    speech_s REAL,
    expected_speech_s REAL,
    leading_silence_s REAL,
    trailing_silence_s REAL,
    clipping_ratio REAL,
    loudness_lufs REAL,
    dnsmos_overall REAL,
    dnsmos_signal REAL,
    dnsmos_background REAL,
    dnsmos_p808 REAL,
    dnsmos_model TEXT,
    cache_hit INTEGER NOT NULL,
    asr_seconds REAL,
    error TEXT,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (clip_id, asr_backend, asr_model, normalizer_version)
)
"""
SCORES_INDEX_DDL = "CREATE INDEX IF NOT EXISTS scores_run ON scores (run_id)"
# The hard-text span scorer's judgements (harness.results.hard_text): one per clip and ASR model.
SPAN_SCORES_DDL = """
CREATE TABLE IF NOT EXISTS span_scores (
    clip_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    item_id TEXT NOT NULL,
    category TEXT NOT NULL,
    control INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    heard TEXT NOT NULL,
    error TEXT,
    reason TEXT,
    transcript TEXT NOT NULL,
    asr_model TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (clip_id, asr_model)
)
"""
SPAN_SCORES_INDEX_DDL = "CREATE INDEX IF NOT EXISTS span_scores_run ON span_scores (run_id)"
SCORE_CACHE_DDL = """
CREATE TABLE IF NOT EXISTS score_cache (
    kind TEXT NOT NULL,
    audio_sha256 TEXT NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    settings TEXT NOT NULL,
    normalizer_version TEXT NOT NULL,
    value_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, audio_sha256, backend, model, settings, normalizer_version)
)
"""
