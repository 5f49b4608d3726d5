"""The typed query API: the one pooling rule (units never mixed), the one scoring-setup rule, and the rules
of the per-model figures every face prints."""

from __future__ import annotations

import dataclasses

import pytest

from harness.checks.response_time import offering_figures
from harness.core.errors import UsageError
from harness.results.figures import model_figures, tally
from harness.results.pooling import ErrorCounts, ErrorUnit, error_rates, pooled_wer
from harness.results.reading import read_rows
from harness.results.row_errors import MixedUnitsError
from harness.results.rows import RunRows
from harness.results.run_records import ErrorEntry, RequestRow, StoredRun
from harness.results.scores import write_scores
from harness.results.setups import asr_setups, pick_setup
from harness.results.store import UNFINISHED_STATES, Store
from harness.results.tables import ScoreRow
from tests.helpers.mixed_run import ENGLISH_ONLY, MULTILINGUAL, make_mixed_run
from tests.helpers.request_rows import request_row


def _counts(unit: ErrorUnit, errors: int, length: int) -> ErrorCounts:
    return ErrorCounts(
        unit=unit, hits=length - errors, substitutions=errors, deletions=0, insertions=0, ref_length=length
    )


def test_pooling_refuses_to_mix_units_and_error_rates_keep_them_apart() -> None:
    words = [_counts(ErrorUnit.WORD, 1, 4), _counts(ErrorUnit.WORD, 0, 6)]
    chars = [_counts(ErrorUnit.CHAR, 3, 10)]
    with pytest.raises(MixedUnitsError, match="one unit"):
        pooled_wer([*words, *chars])
    rates = error_rates([*words, None, *chars, _counts(ErrorUnit.CHAR, 0, 0)])
    assert rates.wer is not None and rates.cer is not None
    assert (rates.wer.unit, rates.wer.pooled, rates.wer.per_utterance_mean) == (ErrorUnit.WORD, 0.1, 0.125)
    assert (rates.cer.unit, rates.cer.pooled, rates.cer.clips) == (ErrorUnit.CHAR, 0.3, 1)  # the empty clip is skipped
    assert (rates.wer.name, rates.cer.name) == ("WER", "CER")
    assert rates.of(ErrorUnit.CHAR) == (rates.cer, tuple(chars))
    assert error_rates([]).wer is None and error_rates(words).cer is None


def test_counts_of_a_row() -> None:
    row = request_row(unit="char", hits=7, substitutions=2, deletions=1, insertions=1, ref_length=10)
    assert ErrorCounts.of(row) == ErrorCounts(
        unit=ErrorUnit.CHAR, hits=7, substitutions=2, deletions=1, insertions=1, ref_length=10
    )
    assert ErrorCounts.of(row).errors == 4  # type: ignore[union-attr]
    assert ErrorCounts.of(request_row()) is None  # never scored


@pytest.fixture
def mixed(store_target: str) -> str:
    make_mixed_run(store_target)
    return store_target


def _rescore(db: str, model: str, clips: int, scored_at: str) -> None:
    """A later pass (scored after the first) with another model over the first `clips` clips of the first."""
    store = Store(db)
    rows = [
        dict(r) for r in store.query("SELECT * FROM scores WHERE setup_asr_model = ? ORDER BY clip_id", (ENGLISH_ONLY,))
    ][:clips]
    write_scores(
        store.conn,
        [dataclasses.replace(ScoreRow(**r), asr_model=model, setup_asr_model=model, scored_at=scored_at) for r in rows],
    )
    store.close()


def test_a_pass_keeps_its_zh_clips_read_by_another_model(mixed: str) -> None:
    store = Store(mixed)
    (setup,) = asr_setups(store.conn, "mixed")
    assert (setup.asr_model, setup.clips) == (ENGLISH_ONLY, 24)  # 12 read by tiny.en, 12 by its multilingual twin
    models = {r.asr_model for r in read_rows(store.conn, "mixed").requests}
    assert models == {ENGLISH_ONLY, MULTILINGUAL}
    store.close()


def test_the_setup_with_most_clips_wins_then_the_latest(mixed: str) -> None:
    _rescore(mixed, "base.en#99", 6, "2999-01-01T00:00:00.000+00:00")
    store = Store(mixed)
    setups = asr_setups(store.conn, "mixed")
    assert [(s.asr_model, s.clips) for s in setups] == [(ENGLISH_ONLY, 24), ("base.en#99", 6)]
    assert pick_setup(store.conn, "mixed") == setups[0]
    assert pick_setup(store.conn, "mixed", "faster-whisper/base.en#99") == setups[1]
    picked = read_rows(store.conn, "mixed", "base.en#99")
    assert sum(int(r.scored or 0) for r in picked.requests) == 6 and picked.run.asr_model == "base.en#99"
    with pytest.raises(UsageError, match=r"has no scores from ASR model 'large'; it has: faster-whisper/tiny\.en"):
        pick_setup(store.conn, "mixed", "large")
    store.close()
    _rescore(mixed, "small.en#77", 24, "2999-02-01T00:00:00.000+00:00")  # as many clips as the first: newer wins
    store = Store(mixed)
    assert [s.asr_model for s in asr_setups(store.conn, "mixed")][:2] == ["small.en#77", ENGLISH_ONLY]
    store.close()


def _row(**values: object) -> RequestRow:
    return request_row(
        **{
            "scored": 0,
            "flags": "[]",
            "chars": 10,
            "cost_usd": 0.01,
            "cost_unit": "USD",
            "cost_amount": 0.01,
            "state": None,
            **values,
        }
    )


def _error(**values: object) -> ErrorEntry:
    return ErrorEntry(**{"run_id": "r", "provider": "p", "model": "m", "message": "", "recorded_at": "", **values})


def test_latency_cost_and_counts_follow_one_rule_each() -> None:
    requests = (
        _row(job_key="a", outcome="ok", state="done", e2e_ms=100.0, e2e_bracket_ms=10.0, delivery="poll", polls=2),
        _row(job_key="b", outcome="ok", state="done", e2e_ms=200.0, e2e_bracket_ms=30.0, delivery="webhook", polls=0),
        _row(job_key="c", outcome="ok", state="done", e2e_ms=400.0, delivery="sync"),
        _row(job_key="d", outcome="ok", state="done", e2e_ms=9000.0, resumed=1, delivery="poll", polls=4),
        _row(job_key="e", outcome="error", state="failed", error_class="server", delivery="poll", polls=6),
        _row(job_key="f", outcome="skipped", state="skipped", error_class="budget", cost_usd=0.0),
        _row(job_key="g", state="submitted", cost_usd=None),  # an interrupted run: neither sent nor skipped
    )
    errors = (
        _error(job_key="a", error_class="transport", phase="download", fatal=0),
        _error(job_key="e", error_class="server", phase="poll", fatal=1),
    )
    rows = RunRows(run=StoredRun(run_id="r"), requests=requests, errors=errors)
    (figures,) = model_figures(rows)
    # Latency over ok jobs not resumed (the resumed one's clock spans the crash), type-7 quantiles: the figures of
    # the check that declares them (harness.results pools them no more), every face's one computation of them.
    (timed,) = offering_figures(rows.requests)
    latency = timed.values["latency_ms"]
    assert (latency["p50"][0], latency["p95"][0], latency["mean"][0]) == (200.0, 380.0, 700.0 / 3)
    assert latency["p50"][3] == 3 and timed.values["latency_width_ms"] == 20.0
    assert (figures.jobs, figures.sent, figures.ok, figures.failed, figures.skipped) == (7, 5, 4, 1, 1)
    assert figures.polls_per_job == (2 + 0 + 4 + 6) / 4  # sent jobs that polled, webhook fallbacks included
    assert figures.cost.total_usd == pytest.approx(0.05) and figures.cost.per_request_usd == pytest.approx(0.01)
    assert figures.errors == {"server": 1}
    counts = tally(rows)
    assert counts.outcomes == {"ok": 4, "server": 1, "budget": 1, "submitted": 1}
    assert "submitted" in UNFINISHED_STATES
    assert (counts.events, counts.downloads_retried, counts.results_lost) == ({"transport": 1, "server": 1}, 1, 0)


def test_the_total_is_unknown_when_a_sent_job_has_no_usd_price_and_the_rates_are_the_priced_jobs() -> None:
    requests = (
        _row(job_key="a", outcome="ok", cost_usd=None, cost_unit="characters", cost_amount=1200.0),
        _row(job_key="b", outcome="ok", cost_usd=0.02, cost_unit="characters", cost_amount=800.0),
    )
    (figures,) = model_figures(RunRows(run=StoredRun(run_id="r"), requests=requests))
    # a partial sum would understate the total; a rate over the priced job (its 10 characters) does not
    assert (figures.cost.total_usd, figures.cost.unpriced) == (None, 1)
    assert figures.cost.per_1k_chars_usd == pytest.approx(2.0)
    assert figures.cost.amounts == {"characters": 2000.0}  # summed in their own unit instead
