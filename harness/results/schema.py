"""Every table of `runs.db` (`reports/runs.db` by default), documented column by column, and its creation.

The runner writes its tables through `harness.results.store`, the scorer writes `scores` and
`score_cache` through `harness.results.scores` and `harness.results.score_cache`, and every reader (the
terminal summary, the report, `export`, `compare`) reads through `harness.results.reading`; each table is
declared once, as a record (`harness.results.tables`), and its DDL (`harness.results.ddl`) and the columns each
version added (`harness.results.migrations`) come from there. A row is committed before the
job's next request goes out (`submitting` before the submit, `submitted` with the provider's job id
before any waiting), so a run killed with SIGKILL resumes from the database without sending a job twice
or paying twice.

Conventions for every table
- Times on the client are REAL milliseconds from a monotonic clock (`time.perf_counter`), relative to
  the job's own start (`jobs.started_at`, the instant before its first request is built); `*_at`
  columns are wall-clock ISO 8601 UTC with milliseconds (`2026-11-22T08:15:00.123Z`).
- Server timestamps are stored as the provider sent them (`server_*_at`) and as derived REAL ms.
- Evidence and figures: marks, polls, chunks and the server's stamps are what a run observed; every latency
  figure of `jobs` (`*_ms` with its `*_lo_ms`/`*_hi_ms` interval, `e2e_source`, `stamp_convention`) is derived
  from them by `harness.measurement` after the run, and `tts-harness recompute RUN --check` re-derives them.
- Money: `usd` REAL dollars; `amount` REAL in the price's own `unit` (`USD` or `characters`).
- Context columns carried by rows that stand alone (jobs, costs, errors, drift): `harness_version`
  (`harness._version.__version__`), `git_revision` (`git rev-parse HEAD`, or "unknown"), `provider`,
  `model` (the offering name), `params_json`/`params_sha256` (the request as sent), `corpus`, `item_id`.
  High-volume measurement rows (marks, polls) carry `run_id, job_key, provider, model, item_id`; join
  `jobs` on `job_key` for the rest.

Tables

meta(key, value)
    `schema_version` (SCHEMA_VERSION: the latest of harness.results.migrations).

runs — one per `bench run`
    run_id             "20261122T081500Z-3f2a1c": UTC start time plus random suffix.
    created_at, updated_at, finished_at   wall clock; finished_at NULL while running or after a crash.
    status             running | finished | stopped_budget | interrupted (Ctrl-C) | failed (harness error).
    harness_version, git_revision
    target             sandbox | live | url.
    target_url         base URL for target=url; the sandbox's base URL (informational) for sandbox.
    sandbox_profile, sandbox_seed   the sandbox's chaos profile and RNG seed (NULL unless target=sandbox).
    corpora_json       {"en_read": "1", ...}: every corpus used and its version.
    config_json        the resolved configuration (CLI > config file > defaults), secrets never included.
    providers_json, models_json   JSON arrays: the selection as given (empty array = all).
    repeats
    concurrency        the cap on one provider's jobs in flight (a load sweep's top level).
    global_concurrency the cap across providers (schema 5; NULL: none, each provider has its own).
    load_levels_json   a load sweep's levels, "[1, 4, 16]" (schema 5; NULL: one level); see load_levels.
    polling            adaptive | fixed:<seconds> | webhook.
    budget_usd         NULL when no budget was set.
    planned_jobs       jobs in the plan.
    planned_cost_usd   sum of the plan's prices in USD (priced jobs only; estimated units at their estimate).
    plans_json         {"provider": "plan"}: the price-sheet plans chosen with --plan (NULL: every default).
    planned_unpriced   jobs whose price is unknown in USD (no documented price or no USD rate).
    machine_json       {"platform", "python", "cpu_count", "hostname_hash"}.
    resumes            how many times `--resume` picked this run up.
    client_saturated   (schema 10) the share of the run's watched time the client was saturated
                       (harness.core.client_health: its rule is in client_health_json); NULL: not watched.
    client_lag_p50_ms, client_lag_p95_ms   (schema 10) the runner's event-loop lag over every 50 ms tick.
    client_health_json (schema 10) {"window_s", "rule", "lag_p50_ms", "lag_p95_ms", "windows": [...]}: the
                       client's health second by second (its loops' lateness, the embedded sandbox's render
                       waits, the CPU); client_saturated and the jobs' figures are derived from it. A resumed
                       run's sessions follow each other in it.

jobs — one per planned job (provider × model × corpus item × repeat), inserted when the run is planned
    job_key            24 hex chars: sha256 of (run_id, provider, model, corpus, item_id, repeat[, level]);
                       stable across resumes, the idempotency key.
    run_id, seq        seq: position in the plan (items interleaved across models: same texts, same time).
    harness_version, git_revision, provider, model
    endpoint           the endpoint key that serves the model ("xtts-v2.generate").
    provider_model_id  the provider's own model id when documented ("xtts-v2-api").
    params_json        the request payload as sent (uploads as {"filename", "sha256", "bytes"}).
    params_sha256      sha256 of params_json.
    corpus, corpus_version, item_id, language, text, chars (len(text)), repeat (0-based)
    state              planned → submitting → submitted → done | failed | unfetched; or skipped (never
                       sent). unfetched: accepted (and charged) but its status or audio could not be had
                       by the job's deadline; `--resume` polls it again (provider_job_id, status_url) and
                       fetches it.
                       `submitting` is committed before the submit goes out; a job found in it on resume
                       was in flight at the crash (see costs.basis = in-flight-at-crash).
    attempts           submit requests that reached the wire (retries after 429 included).
    provider_job_id    the job id from the submit answer; status_url: the polling URL when given.
    delivery           poll | webhook | sync (audio in the answer) | stream (SSE).
    final_status       the provider's terminal state ("COMPLETED", "ERROR"), or the HTTP status for sync
                       endpoints.
    outcome            ok | error | skipped | unfetched (error_class NULL: nothing has failed for good).
    error_class        NULL when ok; else an ErrorClass value: auth, balance, rate_limit, validation,
                       server, transport, protocol, timeout, contract, budget.
    error_message      redacted, first 500 chars.
    started_at, finished_at   wall clock.
    start_offset_ms    monotonic ms from the run's (process's) start to the job's start.
    load_level         the sweep level (per-provider cap) the job ran at (schema 5; NULL: not a sweep).
    in_flight_at_submit   its provider's jobs in flight when it started, itself included (schema 5).
    resumed            1 when the job was picked up after a crash by --resume: its client latencies span
                       the crash and must be excluded from latency statistics.
    http_version       "HTTP/1.1", "HTTP/2" of the submit answer.
    connection_reused  1 when the submit went over a kept-alive connection; 0 when one was opened.
    connect_ms         connection set-up (TCP + TLS) paid by the submit; excluded from every latency.
    polls              status requests sent; poll_errors: those that failed (retried).
    Derived latencies, ms. Each estimated figure <f> comes with the interval [<f>_lo_ms, <f>_hi_ms] that
    holds the truth (schema 4; see docs/latency.md) and <f>_ms inside it; NULL when nothing bounds it.
    submit_ms          response_headers − request_sent of the submit (set-up excluded; observed).
    queue_ms           created → leaving the queue: after the last poll that saw the job queued was sent,
                       before the first that saw it further on was answered, narrowed by a started stamp;
                       queue_lo_ms, queue_hi_ms its interval.
    processing_ms      leaving the queue → completion; processing_lo_ms, processing_hi_ms.
    e2e_client_ms      terminal seen − request_sent: what a polling client experiences (quantised by
                       the polling schedule).
    e2e_ms             the runner's estimate of request_sent → completion: the middle of the window in
                       which the job must have finished, narrowed by every view it has: the polls (after
                       the last poll that saw it pending, before the one that saw it done), a webhook's
                       arrival, and the server timestamps (completed − created placed by the submit
                       exchange, completed placed by the learned clock offset), each widened by what the
                       run has learned the stamps are worth. For sync/stream deliveries it equals
                       e2e_client_ms.
    e2e_lo_ms, e2e_hi_ms   the window itself (schema 2): the true latency lies inside it; e2e_ms is its
                       middle, or for a webhook the callback's arrival (e2e_hi_ms).
    e2e_bracket_ms     width of that window (e2e_hi_ms − e2e_lo_ms).
    e2e_source         which views made the window: poll-bracket | webhook, each optionally
                       "+server-span", "+server-clock"; direct (sync/stream answers).
    e2e_server_ms      completed − created as the server's clock runs: both stamps placed with the learned
                       zone and widened by their resolution and convention, narrowed by our own view;
                       e2e_server_lo_ms, e2e_server_hi_ms. NULL when the stamps contradict the polls.
    server_queue_ms, server_processing_ms   no longer written (schema 1 point estimates; queue_ms and
                       processing_ms use a started stamp when the provider gives one).
    stamp_convention   truncate | round: how the provider's coarse stamps print an instant, once the run
                       has learned it (or it was declared); NULL while every interval covers both.
    provider_request_id   what the provider's logs and invoices know the request by: the job id, or a
                       sync/stream answer's x-request-id header.
    download_ms        media_last_byte − media_request_sent.
    ttfa_ms            streaming: first decodable audio − the first text token sent (HTTP/SSE: the
                       request's send; a realtime socket: its first text message), not the first buffer;
                       observed when the read (or recv) that completed it returned: ttfa_hi_ms; ttfa_lo_ms
                       is the read before (a socket: when the client began waiting with nothing queued).
    text_rate          realtime sockets (schema 6): tokens a second the text was fed at; NULL: all at once.
    last_audio_ms      streaming (schema 6): the first token → the last audio chunk; last_audio_lo_ms,
                       last_audio_hi_ms.
    gap_p50_ms, gap_p95_ms   streaming (schema 6): median and p95 wait between consecutive audio chunks
                       (jitter); gap_p50_lo_ms, gap_p50_hi_ms, gap_p95_lo_ms, gap_p95_hi_ms from the least
                       and the most each wait could have been.
    perceived_ttfa_ms  streaming (schema 2): ttfa_ms plus the leading silence inside the stream (to the
                       sample, harness.core.onset), when a listener first hears speech;
                       perceived_ttfa_lo_ms, perceived_ttfa_hi_ms.
    max_chunk_gap_ms   streaming: longest wait between two audio chunks.
    real_time_factor   streaming: the first token → the answer's end / seconds of audio (< 1: faster than
                       real time); real_time_factor_lo, real_time_factor_hi (schema 6).
    underruns, underrun_ms   streaming: times (and total ms) a listener playing from the first chunk
                       would run out of audio (harness.core.playback); underruns_lo, underruns_hi (schema
                       6): the counts under the earliest and the observed arrivals.
    audio_ms           streaming: seconds of audio received, in ms.
    total_ms           job start → finished (everything, connection set-up included).
    clock_origin_s     (schema 7) the job's start on the run's clock, as epoch seconds at full precision: a
                       mark or poll at t_ms happened at clock_origin_s + t_ms / 1000, so jobs of a run can
                       be placed against each other and the server's stamps (NULL before schema 7: started_at).
    start_observable   (schema 7) 1 when the provider shows a state between queued and finished (polls can
                       see the job leave its queue: queue_ms and processing_ms are derived), 0 otherwise.
    declared_convention   (schema 7) truncate | round, when the provider's documents say how its stamps
                       print an instant; NULL: the run learns it.
    server_created_at, server_started_at, server_completed_at   as sent by the provider.
    audio_path         content-addressed file `audio/<sha256[:2]>/<sha256>.<ext>`, relative to the folder of
                       the database (absolute if elsewhere); NULL if none.
    audio_sha256, audio_bytes, declared_media_type (from the status body or Content-Type),
    sniffed_media_type (from the bytes).
    cost_usd           sum of this job's costs rows in USD (NULL when any row is unpriced).
    cost_source        billed | planned | mixed | none: whether cost_usd is what the answers said they billed.
    client_saturated   (schema 10) the share of the job's time the client was saturated (runs.client_health_json);
                       at runs.client_health_json's rule's job_share or more, its latency is not the provider's
                       and a failure is not the provider's to answer for. NULL: not watched.
    client_lag_ms      (schema 10) the longest lateness of the client's event loops in the seconds the job ran.
    seam_findings      (schema 13) a streamed answer's seam findings (clicks, gaps, headers inside the stream, the
                       first sample's jump: harness.core.seams), derived from its kept audio and chunks
                       after the run; NULL: not a stream, its audio not kept, or not judged (older rows).
    seams_json         (schema 13) {"audio_s": the seconds of audio judged, "findings": [{"kind", "at_s", "detail"}]}.
    heard_rate         (schema 13) the rate the answer's samples are at where it is not the declared one
                       (harness.core.heard_rate); NULL: it is, or not judged. heard_rate_how: how that was told.
    timing_marks       (schema 14) evidence: the provider's word or character times as the runner read them, in
                       seconds from the utterance's start ({"chars", "advertised", "duration_s", "marks": [[text,
                       start_s, end_s, part]], "problems": [one line each]}); NULL: the answer carries none declared.
    heard_words        (schema 14) evidence: where the aligner (harness.scoring.word_alignment) heard each sent word
                       ({"model", "words": [[word, start_s or null]]}); NULL: not aligned.
    marks_p50_ms, marks_p95_ms   (schema 14) onset error of the marks against the aligner's, median and p95
                       (harness.measurement.marks); NULL: no word paired (never 0).
    marks_coverage     (schema 14) words marked / words sent. marks_findings: how many invariants the marks break
                       (harness.core.timing_marks); marks_json: {"errors_ms", "findings": [{"kind", "line"}],
                       "worst": [[word, mark_s, heard_s, error_ms]]}.
    cancel_after_ms    (schema 15) a socket job cancelled mid-utterance (`bench run --cancel-after`): the cancel's
                       moment, ms after the first audio; NULL: not cancelled (every cancel_* column NULL then).
    cancel_to_silence_ms  (schema 15) from the cancel to the last audio frame of its utterance (0: none came after
                       it); cancel_after_ack_frames, cancel_after_ack_s: the audio frames, and their seconds, after the
                       provider's acknowledgement (none declared: after the cancel); cancel_verdict: kept | violation
                       | finding | unmeasured, cancel_detail its words (harness.core.protocols.cancel).
    markup_honoured    (schema 16) a markup item's clip (docs/markup.md): 1 when every pause asked is heard within
                       tolerance and no tag is spoken, else 0; NULL: not a markup item, or not judged.
    markup_json        (schema 16) {"pauses": [[asked_ms, heard_ms, at_s, honoured]], "tags_spoken": [...],
                       "findings": ["break 140 ms of 500 asked at 0.87 s", "tag spoken: break"]}.
    asked_media_type   (schema 17) the headerless samples the request asked for, with their rate
                       ("audio/pcm;rate=24000"): a stream of them holds no container header, so each one its chunks
                       carry is a seam finding (docs/seams.md); NULL: a container, or not said.
    said_transcript    (schema 18) the words a speech-to-speech socket said it spoke (its transcript events joined),
                       held against what the recogniser hears in its audio (docs/checks.md, "Transcript heard");
                       NULL: no transcript sent.

load_levels — what each provider really had in flight, per level of a run (one level unless a sweep)
    run_id, level, provider   level: the per-provider cap asked for at this level (`--concurrency`).
    cap, global_cap    the caps in force (global_cap NULL: none).
    max_in_flight      the most of the provider's jobs in flight at once.
    mean_in_flight     time-weighted mean over the time at least one was in flight.
    gate_waits         times a request waited for a closed gate (Retry-After, an exhausted rate window).
    started_at, finished_at   wall clock of the level.

marks — raw timing marks, one row per (job, mark)
    run_id, job_key, provider, model, item_id
    name               request_sent, response_headers, accepted, first_processing, last_pending,
                       terminal, webhook_received, media_request_sent, media_first_byte,
                       media_last_byte, first_audio, finished (the runner was done with the job).
    t_ms               monotonic ms since the job's start; wall_at: wall clock.

polls — every status request, in order
    run_id, job_key, provider, model, item_id, seq (0-based)
    planned_delay_ms   the delay the scheduler chose before this poll.
    reason             explore | queued | approach | mass | tail (the adaptive schedule, harness.runner.deliver.polling)
                       | fixed | backoff | webhook-fallback | resume | refresh-media | clock (a held
                       submit's job polled at once for its created_at: harness.runner.deliver.polling.ClockProbe).
    sent_ms, received_ms   monotonic ms since the job's start (received NULL on transport failure).
    http_status, provider_status (the state the body reported), error_class (NULL when fine).
    connection_reused  1/0.
    seen               (schema 7) what the answer said of the job: queued | running | finished (NULL: no
                       readable answer).
    created_at, started_at, completed_at   (schema 7) the server's stamps in this answer, as written.

chunks — every chunk of streamed audio, in order (schema 7): the evidence of the stream figures
    run_id, job_key, provider, model, item_id, seq (0-based)
    earliest_ms, latest_ms   the chunk reached us after earliest_ms and by latest_ms (ms since the job's
                       start, on its clock: the read or wait before it, and the read that completed it).
    bytes              its size as it arrived.
    audio_ms           seconds of audio it decoded to on its own, in ms (NULL: it did not decode alone).
    onset_ms           where speech begins inside it (harness.core.onset), in ms; NULL: no speech begins in it.
    header             (schema 13) the container header or tag its bytes hold and where ("wav@0":
                       harness.core.audio.headers_inside); NULL: none. A header after the stream's start is a seam
                       finding.

costs — one row per submit attempt that could be charged, and one per job that never reached the wire;
        failed jobs keep their row, so sums are exact totals, not lower bounds
    cost_id, run_id, job_key, attempt (1-based; 0 for jobs never sent; −n: the marks' request of its own
                       that attempt n sent, where the declared marks come in place of audio:
                       harness.runner.deliver.marks_request; the harness's own request, summed apart by the
                       readers and in no price figure: harness.results.cost_figures)
    harness_version, git_revision, provider, model, params_sha256, corpus, item_id
    amount, unit       the documented price of the request in its own unit (0 when not charged; NULL
                       when the provider documents no price).
    usd                amount in USD (NULL when unpriced or no USD rate is known).
    charged            1 when the provider charges this attempt per its documents.
    basis              documented-price | uncharged-state:<STATE> | rejected:<http status> |
                       not-sent:<reason> | in-flight-at-crash | no-documented-price | marks-request |
                       marks-request:<error class> | marks-request-rejected:<http status>.
    worst_case_usd     what the budget reserved for it before sending (estimated units at their upper bound).
    planned_usd        the plan's price in USD (counted units exact, estimated ones at their estimate).
    price_how          the rates times the quantities, and which are estimates (harness.core.prices.charge).
    price_plan, price_source, price_read, price_stale
                       the price sheet's plan, where the price was read, when, and whether that was longer
                       ago than the run's --price-max-age.
    price_weak         (schema 9) why the price's source may not be the provider's: a reseller's page, a third
                       party's page, an undated copy of the provider's page, an example's figure, no source or
                       read date (harness.core.prices.weakness); NULL: the provider's own dated page, or yours.
    price_audio_json   (schema 9) the plan's parts metered by the audio (seconds, minutes, audio tokens), each at
                       its USD rate with what the plan charged for it (harness.core.prices.AudioPart): where the
                       answer billed nothing, a reader re-prices them on the audio the job returned.
    billed_units_json  what the provider's answer said it billed ({"characters": 42}), NULL when it said nothing.
    billed_usd         those units at the same rates.
    cost_source        billed | planned | none: what `usd` is (the billed cost where the answer gave one).
    recorded_at

errors — every classified failure, fatal or retried
    error_id, run_id, job_key, attempt, harness_version, git_revision, provider, model, corpus, item_id
    phase              plan | submit | poll | webhook | download | stream | validate.
    error_class        as jobs.error_class.
    http_status, fatal (1 when it ended the job), message (redacted), detail_json (violations as
    [{"pointer", "expected", "got", "rule"}] for contract errors), t_ms, recorded_at.

drift — documentation drift seen in answers (unknown fields, alternate forms); never a failure
    drift_id, run_id, job_key, harness_version, git_revision, provider, model, corpus, item_id,
    endpoint, phase, pointer, note, kind, recorded_at.
    kind               among others: billing-gap (the answer billed beyond the plan's counting rule: a provider
                       billing more for the same text), billing-signal (a declared billing signal that is not a
                       number, negative or missing: the job keeps its planned cost; harness.runner.deliver.billing).

catalogues — each provider's listing answers (voices, models) as the run found them (harness.runner.deliver.catalogue)
    run_id, provider, endpoint (its key), harness_version, fetched_at, status (the HTTP status; NULL when no
    answer came), body_json (the answer, keys redacted; NULL when not JSON), error (why there is no answer).
    Diffed run to run by `tts-harness history` (a voice added, a model removed, a field newly shown).

leases — one writer per run (harness.runner.record.lease; its SQL in harness.results.leases)
    run_id, holder (a random token of the writing process), pid, host, acquired_at, heartbeat_at (unix
    seconds, renewed while the run goes on; a lease whose heartbeat is older than its time-to-live is stale
    and may be taken over).

clips — one per job that produced audio; the scorer's input (`harness.results.clips.ClipRow`)
    clip_id (= job_key), run_id, provider, model, corpus, item_id, language, text,
    alternatives_json (accepted alternative readings of the text), reference_audio_path (the cloning
    reference, when used), audio_path, audio_sha256, declared_media_type, declared_sample_rate.

scores — one per clip × scoring setup (`harness.results.scores.ScoreRow`); re-scoring replaces the row
    clip_id, run_id
    asr_backend, asr_model   the backend and model that transcribed this clip (model by name and content id,
                       "tiny.en#3f2a1c4d"); for a language the asked-for model lacks, its multilingual
                       counterpart.
    setup_asr_model    (schema 3) the ASR model the scoring pass was asked for: the clips of one pass share
                       it, whatever model read each language. A run's scoring setup is (asr_backend,
                       setup_asr_model, normalizer_version); `harness.results.setups` picks one per run.
    normalizer_version, normalizer_name   the text normalization (`harness.scoring.normalize`).
    asr_settings       the decoding settings' key; harness_version: of the scorer.
    audio_sha256       of the bytes scored (differs from clips.audio_sha256 only for a failed row).
    language, unit     `word`, or `char` for zh/ja: the unit every count of the row is in.
    transcript, normalized_reference, normalized_transcript, reference_candidate (which accepted reading
    matched best, 0 = the text as written)
    wer                word error rate (NULL for char-unit clips); cer: character error rate.
    hits, substitutions, deletions, insertions, ref_length (reference tokens in `unit`), ref_words,
    hyp_length         the alignment's counts: pooled rates are sums of these (`harness.results.pooling`).
    flags_json, findings_json   transcript and audio findings (hallucination, truncation, silence, ...).
    similarity, similarity_model   speaker similarity to the cloning reference, and the encoder's id.
    media_type, sample_rate, channels, duration_s, speech_s, expected_speech_s, leading_silence_s,
    trailing_silence_s, clipping_ratio, loudness_lufs   audio conformance.
    dnsmos_overall, dnsmos_signal, dnsmos_background, dnsmos_p808, dnsmos_model   DNSMOS quality.
    cache_hit          1 when the transcript came from score_cache; asr_seconds: transcription time.
    error              why the clip could not be scored (one line), NULL when it was.
    scored_at          wall clock.
    heard_language, heard_probability   the language check (schema 11): the language the multilingual ASR heard
                       in a non-English clip ("es") and its probability; NULL for English clips and older rows. A
                       clip heard as another language with p >= 0.5 carries the `wrong_language` finding
                       (`harness.scoring.language_check`).

span_scores — one per hard-text clip × ASR model (`harness.results.hard_text.SpanScoreRow`); re-judging replaces it
    clip_id, run_id, provider, model   the clip (`clips`) and who spoke it.
    item_id            the hard-text item it reads (its control carries the item's id too).
    category           the item's category (money, year, ...).
    control            1 for the item's control (the span already in words), 0 as written.
    verdict            pass | fail | other | unsure: which of the accepted readings and known misreadings the clip
                       is likeliest under (forced choice, docs/hard-text.md), or another reading than any.
    heard              the reading chosen; transcript: the whole free spoken-form transcript.
    error              the misreading's error type on a fail; reason: why a judgement is unsure.
    asr_model          the ASR model that heard it, by content id (tiny.en#1a2b3c...); scored_at: wall clock.
    method             forced-choice | transcript (NULL: a row judged before forced choice, from the transcript).
    margin             nats: the best accepted reading's log-likelihood minus the best misreading's.
    free_margin        nats: the free transcript's reading over the best listed one (NULL: it is a listed one).
    thresholds         the margins the verdict was held to (pass>=…;fail>=…;other>…).
    free_heard         the span as the free transcript reads it; second_opinion: that reading's own verdict
                       (pass | fail:<error> | unsure); disagree: 1 where both decided, differently.

score_cache — expensive model outputs keyed by what determines them (`harness.results.score_cache`)
    kind               transcript | similarity | dnsmos.
    audio_sha256, backend, model, settings   what the value depends on.
    normalizer_version the normalization it was scored under (empty for values that ignore text).
    value_json         the value; created_at: wall clock.
"""

from __future__ import annotations

from harness.results.database import Connection, StoreTarget, Transaction, connect, dialect_of, has_table
from harness.results.ddl import create_score_cache_statement, create_statements
from harness.results.dialect import Existing, ddl, insert_sql
from harness.results.migrations import LATEST, migrate
from harness.results.table_spec import FIRST_VERSION
from harness.results.tables import TABLES

SCHEMA_VERSION = LATEST
TABLE_NAMES = tuple(table.name for table in TABLES)


def create_schema(conn: Connection) -> None:
    """Every table, then every migration, in one transaction (two processes opening one new database, the
    runner and its scorer, must not both add a column). IF NOT EXISTS throughout: idempotent.

    A new database (no `meta` table yet) is made at the latest version at once: made at the first and migrated, it
    asked each table's columns once per migration and altered its tables column by column, and SQLite reads its
    whole schema again after every ALTER (about 30 CPU-seconds over the test suite's stores, py-spy)."""
    dialect = dialect_of(conn)
    with Transaction(conn):
        version = int(LATEST) if not has_table(conn, "meta") else FIRST_VERSION
        for statement in create_statements(version):
            conn.execute(ddl(dialect, statement))
        conn.execute(insert_sql(dialect, "meta", ("key", "value"), Existing.KEEP), ("schema_version", str(version)))
        migrate(conn)


def create_score_cache(conn: Connection) -> None:
    """Only the cache table: for a cache file of its own, which holds no run."""
    conn.execute(ddl(dialect_of(conn), create_score_cache_statement()))


def connect_writer(path: StoreTarget) -> Connection:
    """A writer's connection to a store with every table in place (created, or an old database migrated)."""
    conn = connect(path)
    create_schema(conn)
    return conn
