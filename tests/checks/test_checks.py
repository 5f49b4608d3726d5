"""The checks declared once (issue 79): every declaration complete, the faces listing every registered check without
naming one, each new check's name in its own module only, and the two checks' values on known audio in every
format of the summary."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from harness.checks import (
    ClipCheck,
    DeclaredCheck,
    changes_between,
    every_field,
    offering_checks,
    registered,
)
from harness.core.checks import Better, ChangeRule, CheckDeclaration, CheckField, FindingKind, Pooling
from harness.results import RequestRow
from harness.results.tables import TABLE_BY_NAME
from harness.runner.summary.format import SummaryFormat, render
from harness.scoring.audio import decode_audio
from harness.scoring.conformance import DeclaredFormat, check_conformance
from tests.helpers.request_rows import request_row
from tests.helpers.speech import render as speech
from tests.helpers.speech import wav_bytes

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "harness"
NEW_CHECKS = (
    "speaking_pace",
    "leading_silence",
    "transcript_heard",
    "seams",
    "rate_heard",
    "cancel",
    "markup",
    "timing_marks",
    "dnsmos",
    "similarity",
    "language_heard",
    "read_right",
    "word_error",
    "response_time",
    "client_health",
)
# The faces: what shows, pools or judges a check. None may name one.
FACES = (
    "harness/runner/summary",
    "harness/report",
    "harness/history",
    "harness/cli",
    "harness/benchmark.py",
    "harness/library.py",
    "harness/pytest_plugin.py",
    "harness/checks/pooled.py",
    "harness/checks/change.py",
    "harness/checks/registry.py",
    "harness/checks/__init__.py",
    "harness/checks/views.py",
    "harness/core/checks.py",
)
# Faces that use a check's name in another sense: the runner's option that makes a run cancel (`bench run
# --cancel-after`: what the cancel check reads is measured because of it) and asyncio's cancelling of a run's jobs on
# an interrupt.
# DNSMOS and speaker similarity are measured, not shown, by the options that turn them on or off (`bench run --dnsmos`
# and `--score`, `baseline --dnsmos`, `score`'s, which scores one file or a run again), the scorer's setting the
# benchmark passes on and the library's scoring of one file.
FACES_NAMING_BEFORE = {
    "harness/cli/interrupts.py": {"cancel"},
    "harness/cli/baseline.py": {"dnsmos"},
    "harness/benchmark.py": {"dnsmos"},
    "harness/library.py": {"dnsmos", "similarity", "speaker similarity"},
    "harness/cli/bench.py": {"cancel", "dnsmos", "similarity"},
    "harness/cli/score.py": {"dnsmos", "similarity", "speaker similarity"},
    # a voice's drift: its output's similarity to the offering's own first one, another measure of the same encoder
    "harness/history/voice.py": {"similarity"},
}
# Files that used a check's name as a word before the check existed: the scorer's conformance flag of too long a
# leading silence (its finding kind, in core/flags.py), which the leading-silence check reads the measure of and does
# not re-declare.
# Seams are measured, not declared, outside their check: the rule and its measuring (core/seams.py,
# measurement/), shared with the contract suite's rule `seams` (contracts/); the runner keeping the chunks they are
# found between (runner/deliver/); the stored columns and their migration (results/); the sandbox's imitation of a
# stream broken at its seams (sandbox/); a conformance clause naming its judge (core/protocols/conformance.py). The
# rate heard's check joins the seams' section of the summary (its `shown_with`), so names it.
# Markup is judged, not declared, outside its check: the judge and its rules (measurement/markup.py, the pause rule
# core/pauses_heard.py and the silence it reads, core/silence.py), run after the run by benchmark.py and again by
# `score` (cli/score.py); the contract suite's `markup` check, which shares the rule (contracts/); the corpora's and the
# declarations' vocabulary — a markup item, a synthesis' `markup` slot, SSML written or priced (core/, runner/plan/,
# providers/); the sandbox honouring or breaking it (sandbox/); the stored verdict columns and their migration
# (results/); the seams' ratio declared beside its report column (checks/seams.py); and rich's own word for its console
# markup (`markup=False`, `rich.markup`: the CLI and the gate's terminal).
NAMED_BEFORE = {
    # DNSMOS is estimated, not declared, outside its check: the scorer and its model (scoring/), the stored columns and
    # the score cache's kind (results/), the run's setting and its options (runner/plan/config.py, cli/, benchmark.py).
    # Speaker similarity is measured, not declared, outside its check: the speaker encoder and the scorer (scoring/),
    # the stored column and the score cache's kind (results/), the reference voice a cloning job uploads and the
    # sandbox's and the references' voices it is compared with (runner/, sandbox/voices.py, speech/), the `score`
    # command and its option (cli/), the report's statistics of a bounded score (measurement/, report/stats.py), a
    # voice's drift in `history` (history/voice.py).
    "similarity": {
        "harness/scoring/",
        "harness/results/",
        "harness/runner/plan/jobs.py",
        "harness/runner/run.py",
        "harness/sandbox/voices.py",
        "harness/speech/make_references.py",
        "harness/cli/bench.py",
        "harness/cli/score.py",
        "harness/library.py",
        "harness/measurement/sample_intervals.py",
        "harness/history/voice.py",
    },
    "dnsmos": {
        "harness/scoring/",
        "harness/results/schema.py",
        "harness/results/score_cache.py",
        "harness/runner/plan/config.py",
        "harness/benchmark.py",
        "harness/cli/baseline.py",
        "harness/cli/bench.py",
        "harness/cli/score.py",
    },
    "leading_silence": {"harness/core/flags.py"},
    "seams": {
        "harness/checks/rate_heard.py",
        "harness/contracts/realtime_checks.py",
        "harness/contracts/seam_checks.py",
        "harness/contracts/socket_rate.py",
        "harness/contracts/speech_checks.py",
        "harness/core/protocols/conformance.py",
        "harness/core/seams.py",
        "harness/measurement/__init__.py",
        "harness/measurement/audio_findings.py",
        "harness/measurement/derivation.py",
        "harness/measurement/evidence.py",
        "harness/providers/openai/declaration.py",  # a quirk of its stream, quoted from its documents
        "harness/results/evidence_rows.py",
        "harness/results/migrations.py",
        "harness/results/schema.py",
        "harness/runner/deliver/audio_answer.py",
        "harness/runner/deliver/media.py",
        "harness/sandbox/__init__.py",
        "harness/sandbox/control_bodies.py",
        "harness/sandbox/state.py",
        "harness/sandbox/stream_faults.py",
        "harness/sandbox/emulations/http_speech/responses/emulation.py",
        "harness/sandbox/emulations/http_speech/responses/grpc_stream.py",
    },
    # A cancel is measured, not declared, outside its check (an entry ending in "/": every module under it). The rule
    # that judges a cancelled session, the socket grammar declaring each socket's documented `Cancel` and the
    # sessions and protocols that send it (core/protocols/); each provider's socket declaring its documented cancel,
    # quoted (providers/); the runner sending the cancel and measuring what follows (runner/deliver/), its option
    # (runner/plan/config.py, cli/bench.py), the record and store of its columns (runner/record/records.py,
    # results/job_outcome.py, results/tables.py, results/schema.py, results/migrations.py); the contract suite's
    # `cancel` check calling the same rule (contracts/); the sandbox's imitation of each documented promise and its
    # `after_cancel` drift (sandbox/); timing marks judged up to a cancel (measurement/marks.py). Asyncio's cancelling
    # of tasks, another sense of the word: cli/interrupts.py, core/health_probes.py, runner/session.py.
    "cancel": {
        "harness/core/protocols/",
        "harness/providers/",
        "harness/runner/deliver/",
        "harness/contracts/",
        "harness/sandbox/",
        "harness/runner/plan/config.py",
        "harness/cli/bench.py",
        "harness/runner/record/records.py",
        "harness/results/job_outcome.py",
        "harness/results/tables.py",
        "harness/results/schema.py",
        "harness/results/migrations.py",
        "harness/measurement/marks.py",
        "harness/cli/interrupts.py",
        "harness/core/health_probes.py",
        "harness/runner/session.py",
        "harness/checks/markup.py",  # its report column placed beside cancel's, as it was before both were declared
    },
    "markup": {
        "harness/benchmark.py",
        "harness/cli/score.py",
        "harness/measurement/__init__.py",
        "harness/measurement/markup.py",
        "harness/core/pauses_heard.py",
        "harness/core/silence.py",
        "harness/contracts/speech_checks.py",
        "harness/core/corpora.py",
        "harness/core/protocols/markup.py",
        "harness/core/protocols/http_speech.py",
        "harness/core/spec.py",
        "harness/core/ssml.py",
        "harness/core/ssml_document.py",
        "harness/core/prices/units.py",
        "harness/runner/plan/jobs.py",
        "harness/providers/azure/declaration.py",
        "harness/providers/azure/models.py",
        "harness/providers/cartesia/declaration.py",
        "harness/providers/elevenlabs/declaration.py",
        "harness/providers/google/declaration.py",
        "harness/providers/google/models.py",
        "harness/providers/google/streaming.py",
        "harness/providers/polly/declaration.py",
        "harness/providers/rime/declaration.py",
        "harness/sandbox/__init__.py",
        "harness/sandbox/control.py",
        "harness/sandbox/control_bodies.py",
        "harness/sandbox/emulation.py",
        "harness/sandbox/emulations/http_speech/responses/emulation.py",
        "harness/sandbox/markup.py",
        "harness/sandbox/services.py",
        "harness/sandbox/state.py",
        "harness/sandbox/utterances.py",
        "harness/results/migrations.py",
        "harness/results/schema.py",
        "harness/checks/seams.py",
        "harness/cli/bench.py",
        "harness/cli/conform.py",
        "harness/cli/providers.py",
        "harness/cli/report.py",
        "harness/cli/usage.py",
        "harness/history/gate.py",
        "harness/runner/summary/format.py",
    },
    # Timing marks are measured, not declared, outside their check (the check is named by its rule's module,
    # core/timing_marks.py; "marks" alone is the wire's word in every protocol). The rule and its vocabulary
    # (core/timing_marks.py, imported by the protocols reading marks off the wire and judging them up to a cancel:
    # core/protocols/); the contract suite's marks checks calling the same rule (contracts/); the runner reading and
    # keeping a job's marks evidence (runner/deliver/, runner/record/); the stored evidence column `jobs.timing_marks`
    # and its migration (results/job_outcome.py, results/schema.py, results/tables.py); the measuring of a clip's
    # figures and an offering's (measurement/marks.py); the aligner hearing the words of every answer that carried
    # marks (scoring/word_alignment.py).
    # The ASR's own language detection names the language it heard `language_heard` (a local variable of the
    # backends that hear it, scoring/asr/): what the scorer stores and the check reads, not the check.
    "language_heard": {
        "harness/scoring/asr/faster.py",
        "harness/scoring/asr/openai_whisper.py",
    },
    # Client health is measured, not declared, outside its check (which judges the run's own measuring, not an
    # answer): the saturation rule, its windows and its words (core/client_health.py) and the probes it reads
    # (core/health_probes.py); the runner watching the client during a run and storing what it saw
    # (runner/deliver/client_health.py, runner/deliver/__init__.py, runner/run.py) and the embedded sandbox's render
    # queue it watches (sandbox/job_audio.py); the stored columns and reading them back by the rule stored with the
    # run (results/).
    "client_health": {
        "harness/core/client_health.py",
        "harness/core/health_probes.py",
        "harness/runner/deliver/client_health.py",
        "harness/runner/deliver/__init__.py",
        "harness/runner/run.py",
        "harness/sandbox/job_audio.py",
        "harness/results/",
    },
    "timing_marks": {
        "harness/core/timing_marks.py",
        "harness/core/protocols/",
        "harness/contracts/",
        "harness/runner/deliver/",
        "harness/runner/record/",
        "harness/results/job_outcome.py",
        "harness/results/schema.py",
        "harness/results/tables.py",
        "harness/measurement/marks.py",
        "harness/scoring/word_alignment.py",
    },
}
# A library's own word that spells a check's name, taken out before a face is searched: rich's console markup
# (`markup=False`, `rich.markup`, `rich_markup_mode`) and markupsafe's `Markup` (the report's escaped HTML).
LIBRARY_WORDS = re.compile(r"\bmarkup=|rich\.markup|rich_markup_mode|markupsafe|\bMarkup\b|rich markup")
# Faces that say a check's name as another word, each with why: not one shows, pools or judges the check's figures.
FACES_SAYING = {
    "markup": {
        "harness/benchmark.py": "`bench run` runs the judge on a markup corpus' clips and prints their verdicts",
        "harness/cli/score.py": "`score` runs the judge again with the transcripts it just scored",
        "harness/cli/usage.py": "why a value is printed as text, never as rich's console markup",
    },
    # a language's pooled rate (the language metric's, `harness.measurement.languages`) and the scorer's figures of one
    # file, said in words the user reads, none showing, pooling or judging the WER/CER check's figures
    "wer/cer": {
        "harness/report/compare.py": "compare's METHODS: the language metric is tested on each language's pooled rate",
        "harness/cli/score.py": "`score`'s help: what scoring a run or one file computes",
        "harness/library.py": "the library's scoring of one file, which returns the scorer's figures",
    },
    "timing marks": {
        "harness/benchmark.py": "`bench run` has the aligner hear the words of each answer that carried timing marks, "
        "and warns where it could not",
    },
}


def _files_naming(name: str) -> set[str]:
    pattern = re.compile(rf"\b{name}\b")
    return {str(path.relative_to(ROOT)) for path in HARNESS.rglob("*.py") if pattern.search(path.read_text())}


def test_every_registered_check_is_declared_completely() -> None:
    checks = registered()
    assert {check.name for check in checks} >= set(NEW_CHECKS)
    docs = (ROOT / "docs" / "checks.md").read_text()
    for check in checks:
        declared = check.declaration
        assert (HARNESS / "checks" / f"{declared.name}.py").exists()
        assert declared.title and declared.version and declared.fields
        assert f"## {declared.title}" in docs and declared.doc.startswith("docs/checks.md#")
        for item in declared.fields:
            assert item.label and item.unit and item.meaning and item.pooling in Pooling
        for read in declared.reads:  # a per-clip value is a function of stored columns: it recomputes from the store
            table, column = read.split(".")
            assert column in {c.name for c in TABLE_BY_NAME[table].columns}, read
        if declared.change is not None:
            assert declared.field_named(declared.change.field)
        assert len({declared.key(item) for item in declared.fields}) == len(declared.fields)


@pytest.mark.parametrize("name", NEW_CHECKS)
def test_a_new_check_is_named_in_its_own_module_only(name: str) -> None:
    before = NAMED_BEFORE.get(name, set())
    named = {
        path
        for path in _files_naming(name)
        if not any(path == one or (one.endswith("/") and path.startswith(one)) for one in before)
    }
    assert named == {f"harness/checks/{name}.py"}


def test_no_face_names_a_check() -> None:
    words = {*NEW_CHECKS, *(check.declaration.title.lower() for check in registered())}
    for face in FACES:
        paths = [ROOT / face] if face.endswith(".py") else sorted((ROOT / face).rglob("*.py"))
        for path in paths:
            text = LIBRARY_WORDS.sub("", path.read_text()).lower()
            allowed = FACES_NAMING_BEFORE.get(str(path.relative_to(ROOT)), set())
            judged = {word for word, files in FACES_SAYING.items() if str(path.relative_to(ROOT)) in files}
            assert not [word for word in words - allowed - judged if word in text], path


def test_the_summary_holds_no_field_named_for_a_check() -> None:
    """The summary's figures of a check are the check's views (its sections and columns), computed by the check:
    none is a field of the summary named for one (hard text's per-category figures were, before its check gave them)."""
    from dataclasses import fields

    from harness.runner.summary.figures import ModelLine, Summary

    named = {*NEW_CHECKS, *(check.key(item) for check, item in every_field())}
    assert not named & {one.name for kind in (Summary, ModelLine) for one in fields(kind)}


def test_the_report_lists_every_registered_field_and_first_speech_beside_ttfa() -> None:
    from harness.report.columns import COLUMNS

    keys = [column.key for column in COLUMNS]
    for check, item in every_field():
        assert check.key(item) in keys
        if item.beside:
            assert keys.index(check.key(item)) == keys.index(item.beside) + 1


def _clip(lead_s: float, length_scale: float = 1.0) -> tuple[float, float, float]:
    """(leading silence s, speech s, words) of Piper saying a sentence after `lead_s` of digital silence."""
    text = "The old man walked slowly along the quiet road."
    samples = np.concatenate(
        [np.zeros(round(lead_s * 16000), dtype=np.float32), speech(text, length_scale=length_scale, sample_rate=16000)]
    )
    heard = check_conformance(decode_audio(wav_bytes(samples, 16000)), DeclaredFormat(), text, "en")
    return heard.leading_silence_s, heard.speech_s, float(len(text.split()))


def _request(lead_s: float, length_scale: float, ttfa_ms: float | None, item: str) -> object:
    silence, speech_s, words = _clip(lead_s, length_scale)
    return request_row(
        provider="acme",
        model="one",
        item_id=item,
        outcome="ok",
        scored=1,
        unit="word",
        wer=0.0,
        ref_words=int(words),
        speech_s=speech_s,
        leading_silence_s=silence,
        ttfa_ms=ttfa_ms,
        transcript="the words heard",
        said_transcript="The words heard.",
        dnsmos_overall=3.1,  # the scorer's estimates, as stored (their checks read them: test_scored_checks_history.py)
        similarity=0.93,
    )  # as a realtime model's


def test_leading_silence_and_first_speech_on_known_pauses() -> None:
    """Synthesised pauses of 0.3 s and 0.8 s before the same speech: the check hears 0.5 s more, and first speech
    is TTFA plus it."""
    short, long = _request(0.3, 1.0, 200.0, "a"), _request(0.8, 1.0, 200.0, "b")
    (check,) = [c for c in registered() if c.name == "leading_silence"]
    first, second = check.measure(short), check.measure(long)  # type: ignore[arg-type]
    assert first.values["silence_ms"] is not None and second.values["silence_ms"] is not None
    assert second.values["silence_ms"] - first.values["silence_ms"] == pytest.approx(500.0, abs=15.0)
    assert 300.0 <= first.values["silence_ms"] < 400.0  # the pause, and Piper's own onset
    assert first.values["first_speech_ms"] == pytest.approx(200.0 + first.values["silence_ms"])


def test_pace_of_speech_at_two_known_rates() -> None:
    """Piper at length scale 1.0 and 1.3 (measured 15% slower on this sentence set): the slower clip's pace is lower
    by about as much, and both are a human reading pace."""
    (check,) = [c for c in registered() if c.name == "speaking_pace"]
    fast = check.measure(_request(0.0, 1.0, None, "a")).values["wpm"]  # type: ignore[arg-type]
    slow = check.measure(_request(0.0, 1.3, None, "a")).values["wpm"]  # type: ignore[arg-type]
    assert fast is not None and slow is not None
    assert 120.0 < slow < fast < 320.0
    assert 0.75 < slow / fast < 0.92


def _summary_sections() -> list:
    """Every section of the summary of a run of three streamed clips (0.1, 0.2 and 0.3 s of leading silence)."""
    from harness.results import RunRows, StoredRun
    from harness.runner.summary.figures import summary_of
    from harness.runner.summary.view import sections

    rows = [_request(lead, 1.0, 150.0, item) for lead, item in ((0.1, "a"), (0.2, "b"), (0.3, "c"))]
    run = RunRows(run=StoredRun(run_id="r", status="finished", asr_model="tiny.en"), requests=tuple(rows))  # type: ignore[arg-type]
    return sections(summary_of(run, 0.0), "runs.db")


@pytest.mark.parametrize("form", [SummaryFormat.JSON, SummaryFormat.MARKDOWN, SummaryFormat.TEXT])
def test_every_format_of_the_summary_shows_every_registered_check(form: SummaryFormat) -> None:
    """Each registered field is a column of the models table (first speech right after TTFA), with every figure and
    its interval in the JSON."""
    buffer = io.StringIO()
    render(_summary_sections(), form, Console(file=buffer, width=400, color_system=None))
    out = buffer.getvalue()
    if form is SummaryFormat.JSON:
        found = json.loads(out)
        (models,) = [s for s in found["sections"] if s["key"] == "models"]
        columns = list(models["rows"][0])
        for check, item in every_field():
            assert check.key(item) in columns
            if item.beside:  # right after the figure it stands beside, by that figure's key in the summary
                beside = {"ttfa": "ttfa_p50_ms"}.get(item.beside, item.beside)
                assert columns.index(check.key(item)) == columns.index(beside) + 1
        (figures,) = [s for s in found["sections"] if s["key"] == "checks"]
        keys = {key for offering in figures["offerings"] for key in offering}
        assert {check.key(item) for check, item in every_field()} <= keys
        return
    for _, item in every_field():
        assert item.label.removesuffix(f" {item.unit}") in out


def _long_clip_check(better: Better) -> DeclaredCheck:
    """A check written in the test, as a user's would be: a clip's duration as its figure, a finding past 3 s."""
    declaration = CheckDeclaration(
        name="long_clip",
        title="Long clip",
        version="1",
        doc="docs/checks.md",
        fields=(
            CheckField(
                name="seconds",
                label="clip s",
                unit="s",
                meaning="The clip's duration.",
                better=better,
                pooling=Pooling.MEAN,
                decimals=2,
            ),
        ),
        reads=("scores.duration_s",),
        findings=(FindingKind("over_3_s", "a clip under 3 s"),),
        thresholds={"max_s": 3.0},
        change=ChangeRule(field="seconds", relative=0.10),
    )

    def measure(request: RequestRow) -> ClipCheck:
        seconds = request.duration_s
        over = (("over_3_s", f"{seconds:.1f} s"),) if seconds is not None and seconds > 3.0 else ()
        return ClipCheck({"seconds": seconds}, over)

    return DeclaredCheck(declaration, measure)


def _clips(scale: float) -> list[RequestRow]:
    return [
        request_row(provider="acme", model="one", item_id=str(index), outcome="ok", duration_s=seconds * scale)
        for index, seconds in enumerate((1.0, 2.0, 2.5, 3.5, 4.0))
    ]


def test_findings_are_counted_and_a_change_is_judged_the_worse_way_only() -> None:
    higher = _long_clip_check(Better.HIGHER)
    (found,) = offering_checks(_clips(1.0), [higher])
    assert found.findings == {"over_3_s": 2} and found.examples["over_3_s"] == "3: 3.5 s"
    assert found.figures["seconds"].value == pytest.approx(2.6) and found.figures["seconds"].low is not None
    (fell,) = changes_between(_clips(1.0), _clips(0.8), [higher])
    (rose,) = changes_between(_clips(1.0), _clips(1.2), [higher])
    assert fell.beyond and fell.ratio == pytest.approx(0.8) and not rose.beyond  # higher is better: only a fall
    (either,) = changes_between(_clips(1.0), _clips(1.2), [_long_clip_check(Better.NEITHER)])
    (small,) = changes_between(_clips(1.0), _clips(1.05), [_long_clip_check(Better.NEITHER)])
    assert either.beyond and not small.beyond  # 5% is within the declared 10%
    (few,) = changes_between(_clips(1.0)[:4], _clips(0.5)[:4], [higher])
    assert not few.judged and not few.beyond  # four clips both spoke: fewer than the rule's five


def test_a_bounded_figures_interval_stays_within_what_it_can_be() -> None:
    """Two cloned clips at 0.90 and 0.954: Student's t of two values reaches past a cosine's 1; the similarity check
    declares its bounds, so its interval stops at 1 while its mean is the clips' own."""
    (check,) = [c for c in registered() if c.name == "similarity"]
    rows = [
        request_row(provider="acme", model="clone", item_id=str(index), outcome="ok", scored=1, similarity=value)
        for index, value in enumerate((0.90, 0.954))
    ]
    ((one,),) = [offering_checks(rows, [check])]
    pooled = one.figures["cosine"]
    assert pooled.value == pytest.approx(0.927) and pooled.clips == 2
    assert pooled.low is not None and pooled.high == 1.0 and 0.0 <= pooled.low < 0.927
    t = 12.706  # Student's t at 97.5%, one degree of freedom: the unclipped interval's half-width is t * sd / sqrt(2)
    assert 0.927 + t * float(np.std([0.90, 0.954], ddof=1)) / np.sqrt(2) > 1.0
