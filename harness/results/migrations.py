"""Schema changes of `runs.db`, applied in order when a writer opens it, so a database written by an older
harness stays readable: columns are only ever added (NULL in old rows, or filled by the migration's
backfill), never renamed or dropped. The scorer's tables migrate here too.

A reader that opens a database read-only (the report) never migrates it: it reads a column a migration
would add as NULL (`harness.results.reading`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from harness.results.database import Connection, columns_of, dialect_of
from harness.results.dialect import Existing, ddl, insert_sql


@dataclass(frozen=True, slots=True)
class Migration:
    """The columns one schema version added, and the statements that fill them in rows already there."""

    columns: Sequence[tuple[str, str, str]]  # (table, column, type)
    backfill: Sequence[str] = ()


MIGRATIONS: Mapping[str, Migration] = {
    "2": Migration((
        ("jobs", "e2e_lo_ms", "REAL"),  # the interval that must hold the true latency
        ("jobs", "e2e_hi_ms", "REAL"),
        ("jobs", "perceived_ttfa_ms", "REAL"),  # streams (see harness.bench.streaming)
        ("jobs", "max_chunk_gap_ms", "REAL"),
        ("jobs", "real_time_factor", "REAL"),
        ("jobs", "underruns", "INTEGER"),
        ("jobs", "underrun_ms", "REAL"),
        ("jobs", "audio_ms", "REAL"),
    )),
    # The ASR model a scoring pass was asked for: a pass stamps a zh clip with the multilingual model that
    # read it, and only this column says the clip belongs to the same pass as its English neighbours.
    # Rows scored before it existed were grouped by the model that read them: the backfill keeps that.
    "3": Migration(
        (("scores", "setup_asr_model", "TEXT"),),
        ("UPDATE scores SET setup_asr_model = asr_model WHERE setup_asr_model IS NULL",),
    ),
    "4": Migration((  # every latency figure an interval that holds the truth (issue 22)
        *((("jobs", f"{figure}_{end}_ms", "REAL") for figure in (
            "queue", "processing", "e2e_server", "ttfa", "perceived_ttfa") for end in ("lo", "hi"))),
        ("jobs", "stamp_convention", "TEXT"),  # truncate | round, once the run knows; NULL: both covered
        ("jobs", "provider_request_id", "TEXT"),  # the job id, or a sync answer's request-id header
    )),
    # Load (issue 22): the sweep level a job ran at and what was really in flight; the run's global cap.
    # Older rows ran at `runs.concurrency` and recorded no in-flight count: NULL says so.
    "5": Migration((
        ("jobs", "load_level", "INTEGER"),
        ("jobs", "in_flight_at_submit", "INTEGER"),
        ("runs", "global_concurrency", "INTEGER"),
        ("runs", "load_levels_json", "TEXT"),
    )),
    # Realtime (issue 24): how the text was fed, and the stream figures a voice agent chooses on, each with
    # the interval the client's clock allows (harness.bench.streaming). Older rows: NULL (not measured).
    "6": Migration((
        ("jobs", "text_rate", "REAL"),
        *(("jobs", f"{figure}{end}_ms", "REAL") for figure in ("last_audio", "gap_p50", "gap_p95")
           for end in ("", "_lo", "_hi")),
        ("jobs", "real_time_factor_lo", "REAL"),
        ("jobs", "real_time_factor_hi", "REAL"),
        ("jobs", "underruns_lo", "INTEGER"),
        ("jobs", "underruns_hi", "INTEGER"),
    )),
    # Latency from the evidence (issue 38): what a figure is derived from, kept beside what was derived, so
    # `tts-harness recompute` re-derives every figure from the rows alone. Older rows: NULL (the derivation
    # falls back to `started_at` and the provider's lifecycle, and keeps what it cannot re-derive).
    "7": Migration((
        ("jobs", "clock_origin_s", "REAL"),
        ("jobs", "start_observable", "INTEGER"),
        ("jobs", "declared_convention", "TEXT"),
        ("polls", "seen", "TEXT"),
        ("polls", "created_at", "TEXT"),
        ("polls", "started_at", "TEXT"),
        ("polls", "completed_at", "TEXT"),
    )),
    # Cost as billed (issue 51): where the planned price was read, what the answer said it billed, and which of the
    # two a figure uses. Older rows: NULL (planned only, provenance unknown).
    "8": Migration((
        ("costs", "planned_usd", "REAL"),  # the plan's estimate (counted units exact, estimated ones at their estimate)
        ("costs", "price_how", "TEXT"),  # the rates times the quantities, and which are estimates
        ("costs", "price_plan", "TEXT"),  # the price sheet's plan (pay-as-you-go, a named plan, "your price")
        ("costs", "price_source", "TEXT"),  # where the price was read (a URL, a stored document, --price)
        ("costs", "price_read", "TEXT"),  # YYYY-MM-DD
        ("costs", "price_stale", "INTEGER"),  # 1: read longer ago than the run's --price-max-age
        ("costs", "billed_units_json", "TEXT"),  # {"characters": 42, "audio_tokens": 310}: what the answer said
        ("costs", "billed_usd", "REAL"),  # those units at the same rates (NULL: the answer said nothing)
        ("costs", "cost_source", "TEXT"),  # billed | planned | none: what `usd` is
        ("jobs", "cost_source", "TEXT"),  # billed | planned | mixed | none: what jobs.cost_usd sums
        ("runs", "plans_json", "TEXT"),  # {"provider": "plan"} chosen with --plan
    )),
    # Cost faces right (issue 61): why a price's source is weak, and the plan's audio-metered parts, so a cost is
    # re-priced on the audio the answer returned where it billed nothing. Older rows: NULL (not known; not re-priced).
    "9": Migration((
        ("costs", "price_weak", "TEXT"),  # a reseller's page | a third party's page | ... (harness.core.prices)
        ("costs", "price_audio_json", "TEXT"),  # [{"unit": "audio_minutes", "usd_per_unit": "0.03", ...}]
    )),
    # The client's own health (issue 61): whether the runner and the sandbox it embeds kept up, per run and per
    # job (harness.core.client_health). Older rows: NULL (not watched).
    "10": Migration((
        ("runs", "client_saturated", "REAL"),  # share of the run's time saturated
        ("runs", "client_lag_p50_ms", "REAL"),  # the runner's event-loop lag over the run
        ("runs", "client_lag_p95_ms", "REAL"),
        ("runs", "client_health_json", "TEXT"),  # the windows and the rule they were judged by
        ("jobs", "client_saturated", "REAL"),  # share of the job's time saturated
        ("jobs", "client_lag_ms", "REAL"),  # the longest lateness of the client's loops while it ran
    )),
    # The language check (issue 60): the language the multilingual ASR heard in a non-English clip, and how sure it
    # was (harness.scoring.language_check). Older rows and English clips: NULL (not checked).
    "11": Migration((
        ("scores", "heard_language", "TEXT"),
        ("scores", "heard_probability", "REAL"),
    )),
    # Hard text judged by forced choice (issue 58): how the verdict was reached, its margins and the thresholds they
    # were held to, the free transcript's reading and the free-transcription verdict as a second opinion. Older
    # rows: NULL (judged from the free transcript alone: `method` reads as "transcript").
    "12": Migration((
        ("span_scores", "method", "TEXT"),  # forced-choice | transcript
        ("span_scores", "margin", "REAL"),  # nats: best accepted reading minus best misreading
        ("span_scores", "free_margin", "REAL"),  # nats: the free transcript's reading minus the best listed one
        ("span_scores", "thresholds", "TEXT"),  # the margins held to (harness.scoring.hard_text.Thresholds.key)
        ("span_scores", "free_heard", "TEXT"),  # the free transcript's reading of the span
        ("span_scores", "second_opinion", "TEXT"),  # the free-transcription verdict: pass | fail:<error> | unsure
        ("span_scores", "disagree", "INTEGER"),  # 1: both decided, differently
    )),
    # Seams and the rate heard (issue 66): the container header a stream's chunk held, and what the kept audio of
    # each stream says of its seams and of each headerless answer's rate (harness.measurement.audio_findings).
    # Older rows: NULL (not judged; `recompute` judges a run whose audio is kept).
    "13": Migration((
        ("chunks", "header", "TEXT"),  # "wav@0": a container header or tag in the chunk's bytes, and where
        ("jobs", "seam_findings", "INTEGER"),  # seam findings of a streamed answer
        ("jobs", "seams_json", "TEXT"),  # [{"kind", "at_s", "detail"}]
        ("jobs", "heard_rate", "REAL"),  # the rate the samples are at, where not the declared one
        ("jobs", "heard_rate_how", "TEXT"),  # how that was told
    )),
    # Timing marks true to the audio (issue 65): the provider's word or character times as the runner read them, the
    # aligner's word times in the same audio, and the figures and invariants' findings derived from both
    # (harness.measurement.marks). Older rows and answers without marks: NULL (no figure, never 0).
    "14": Migration((
        ("jobs", "timing_marks", "TEXT"),  # evidence: {"chars", "marks": [[text, start_s, end_s, part]], ...}
        ("jobs", "heard_words", "TEXT"),  # evidence: {"model", "words": [[word, start_s or null]]}
        ("jobs", "marks_p50_ms", "REAL"),  # onset error of the marks against the aligner's, median
        ("jobs", "marks_p95_ms", "REAL"),
        ("jobs", "marks_coverage", "REAL"),  # words marked / words sent
        ("jobs", "marks_findings", "INTEGER"),  # the invariants' findings (harness.core.timing_marks)
        ("jobs", "marks_json", "TEXT"),  # {"errors_ms": [...], "findings": [{"kind", "line"}], "worst": [...]}
    )),
    # Cancel (issue 66): a socket job cancelled mid-utterance (`bench run --cancel-after MS`), judged by the one rule
    # (harness.core.protocols.cancel). Older rows and jobs not cancelled: NULL (not measured).
    "15": Migration((
        ("jobs", "cancel_after_ms", "REAL"),  # the cancel's moment asked: ms after the first audio
        ("jobs", "cancel_to_silence_ms", "REAL"),  # from the cancel to the last audio of its utterance
        ("jobs", "cancel_after_ack_frames", "INTEGER"),  # audio frames after the acknowledgement (none: the cancel)
        ("jobs", "cancel_after_ack_s", "REAL"),  # their seconds of audio
        ("jobs", "cancel_verdict", "TEXT"),  # kept | violation | finding | unmeasured
        ("jobs", "cancel_detail", "TEXT"),  # the verdict in words
    )),
    # Markup honoured (issue 66): a markup item's clip judged on its audio (harness.measurement.markup): each pause's
    # silence against the asked, and the tag words its transcript holds. Older rows and other items: NULL.
    "16": Migration((
        ("jobs", "markup_honoured", "INTEGER"),  # 1: every pause within tolerance and no tag spoken
        ("jobs", "markup_json", "TEXT"),  # {"pauses": [[asked_ms, heard_ms, at_s, honoured]], "findings": [...]}
    )),
}
LATEST = max(MIGRATIONS, key=int)


def migrate(conn: Connection) -> None:
    """Bring an existing database to the latest version (idempotent; a fresh one is already there)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    current = int(row[0]) if row else 1
    for version in sorted(MIGRATIONS, key=int):
        if int(version) <= current:
            continue
        migration = MIGRATIONS[version]
        for table, column, kind in migration.columns:
            if column not in columns_of(conn, table):
                conn.execute(ddl(dialect_of(conn), f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))
        for statement in migration.backfill:
            conn.execute(statement)
        conn.execute(insert_sql(dialect_of(conn), "meta", ("key", "value"), Existing.REPLACE),
                     ("schema_version", version))
