"""`tts-harness score` and `tts-harness asr convert-ct2`: score stored audio offline.

`score RUN_ID` scores (or re-scores) every clip of a stored run and prints per-model error rates and the
transcript cache counts; `score --text "..." FILE` scores one file. `--asr-model` takes a model name
(`large-v3`, `distil-large-v3`, ...), a folder or a checkpoint; `--executor ray [--address ADDR]` sends
transcription to a Ray cluster (docs/scale.md). `asr fetch NAME` puts a model by name into the harness's
cache; `asr convert-ct2 SRC DST` turns a CTranslate2 Whisper model into an openai-whisper checkpoint.

Exit codes: 0 scored, 1 scoring failure (the clip or run could not be scored, the ASR model failed),
2 usage error (missing file, bad option). A run whose clips carry findings (flags) still exits 0; a run
where some clips could not be scored exits 0 when at least one clip was scored, and says how many failed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from harness.cli import usage
from harness.cli.report import DEFAULT_DB
from harness.core.errors import UsageError
from harness.core.names import not_known
from harness.scoring.asr.base import DEFAULT_MODEL, AsrBackendName

if TYPE_CHECKING:
    from harness.core.corpora import Corpus
    from harness.scoring.asr.base import DecodingSettings
    from harness.scoring.distributed import TranscriptionExecutor
    from harness.scoring.scorer import Scorer

asr_app = typer.Typer(
    help="ASR models: fetch one from the model hub (needs the network), convert one for openai-whisper.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
_out = Console(soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)


_usage = usage.refuse


def _failure(message: str) -> typer.Exit:
    return usage.fail("scoring failed", message, 1)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


# A SQLite file, as every command resolves a store (`_sqlite_store`).
_DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Run database (RUN_ID mode) [default: $TTS_HARNESS_DB, else reports/runs.db]"),
]


def score_command(
    target: Annotated[
        str, typer.Argument(help="RUN_ID of a stored run (latest: the newest), or the audio FILE with --text.")
    ],
    text: Annotated[str | None, typer.Option("--text", help="Reference text: score the single file TARGET.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language tag of the text (default en).")] = None,
    reference: Annotated[
        Path | None, typer.Option("--reference", help="Reference voice WAV: adds speaker similarity.")
    ] = None,
    asr: Annotated[AsrBackendName, typer.Option("--asr", help="ASR backend.")] = AsrBackendName.FASTER_WHISPER,
    model: Annotated[
        str,
        typer.Option(
            "--asr-model",
            "--model",
            help="tiny.en (shipped), a model name (large-v3, distil-large-v3, ...), a CTranslate2 folder, "
            "or an openai-whisper checkpoint.",
        ),
    ] = DEFAULT_MODEL,
    db: _DbOption = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="SQLite transcript cache (default: the run database).")
    ] = None,
    declared_type: Annotated[str | None, typer.Option("--declared-type", help="Declared media type.")] = None,
    declared_rate: Annotated[int | None, typer.Option("--declared-rate", help="Declared sample rate, Hz.")] = None,
    window: Annotated[
        float | None,
        typer.Option("--window", help="One fixed faster-whisper encoder window in s (default: adaptive, 10/20/30)."),
    ] = None,
    executor: Annotated[
        str, typer.Option("--executor", help="Where transcription runs: local (default) or ray.")
    ] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster address (default: a local Ray instance).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="CPUs of the local Ray instance (without --address).", min=1)
    ] = None,
    dnsmos: Annotated[bool, typer.Option("--dnsmos", help="Also estimate DNSMOS (about 1.5 s a clip).")] = False,
    similarity: Annotated[bool, typer.Option("--similarity/--no-similarity", help="Speaker similarity.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Score a stored run (RUN_ID) or one audio FILE (--text): transcript, WER/CER, similarity, conformance."""
    from harness.scoring.asr.base import DecodingSettings
    from harness.scoring.distributed import make_executor
    from harness.scoring.scoring_errors import ScoringError

    if text is None and (reference or declared_type or declared_rate):
        raise _usage("--reference, --declared-type and --declared-rate apply to a single FILE (give --text)")
    store = _sqlite_store(db) if text is None else DEFAULT_DB  # a FILE is scored without a store
    if text is None:  # `latest`: the newest run is found before any model loads
        target = _run_named(target, store)
    try:
        decoding = DecodingSettings() if window is None else DecodingSettings.fixed_window(window)
        runner = make_executor(executor, address, workers)
    except ValueError as error:
        raise _usage(str(error)) from None
    except ScoringError as error:
        raise _failure(str(error)) from None
    try:
        _score_with(
            runner,
            target,
            text=text,
            language=language,
            reference=reference,
            asr=asr,
            model=model,
            db=store,
            cache=cache,
            declared_type=declared_type,
            declared_rate=declared_rate,
            decoding=decoding,
            dnsmos=dnsmos,
            similarity=similarity,
            as_json=as_json,
        )
    finally:
        runner.close()


def _score_with(
    runner: TranscriptionExecutor,
    target: str,
    *,
    text: str | None,
    language: str | None,
    reference: Path | None,
    asr: AsrBackendName,
    model: str,
    db: Path,
    cache: Path | None,
    declared_type: str | None,
    declared_rate: int | None,
    decoding: DecodingSettings,
    dnsmos: bool,
    similarity: bool,
    as_json: bool,
) -> None:
    from harness.scoring.scorer import Scorer
    from harness.scoring.scoring_errors import ScoringError, ScoringInputError

    try:
        scorer = Scorer(
            backend=asr,
            model=model,
            default_language=language or "en",
            similarity=None if similarity else False,
            dnsmos=dnsmos,
            cache=cache,
            decoding=decoding,
            executor=runner,
        )
    except (ScoringInputError, ValueError) as error:
        raise _usage(str(error)) from None
    except ScoringError as error:
        raise _failure(str(error)) from None
    try:
        if text is None:
            _score_run(target, db, scorer, as_json)
        else:
            _score_file(
                Path(target),
                text=text,
                language=language,
                reference=reference,
                declared_type=declared_type,
                declared_rate=declared_rate,
                scorer=scorer,
                as_json=as_json,
            )
    except ScoringError as error:
        raise _failure(str(error)) from None


def _score_file(
    path: Path,
    *,
    text: str,
    language: str | None,
    reference: Path | None,
    declared_type: str | None,
    declared_rate: int | None,
    scorer: Scorer,
    as_json: bool,
) -> None:
    from harness.scoring.results import ClipInput

    if not path.is_file():
        raise _usage(f"audio file {path} does not exist")
    if reference is not None and not reference.is_file():
        raise _usage(f"reference voice {reference} does not exist")
    if not text.strip():
        raise _usage("--text is empty")
    score = scorer.score(
        ClipInput(
            text=text,
            path=path,
            language=language,
            reference_voice=reference,
            declared_media_type=declared_type,
            declared_sample_rate=declared_rate,
            clip_id=path.name,
        )
    )
    if as_json:
        typer.echo(json.dumps(score.to_json(), indent=2, ensure_ascii=False))
    elif score.error is not None and score.transcript is None and score.similarity is None:
        raise _failure(score.error)  # nothing was measured: the one line, not a table of dashes
    else:
        _out.print(f"[bold]transcript[/bold]  {score.transcript if score.transcript is not None else '-'}")
        _out.print(f"reference   {score.normalized_reference or '-'}")
        _out.print(f"heard       {score.normalized_transcript or '-'}")
        _out.print(
            f"WER {_percent(score.wer)}  CER {_percent(score.cer)}  "
            f"(S {score.substitutions} D {score.deletions} I {score.insertions} of {score.ref_length} {score.unit}s)"
        )
        _out.print(f"similarity  {'-' if score.similarity is None else f'{score.similarity:.3f}'}")
        if score.conformance is not None:
            c = score.conformance
            loudness = "-" if c.loudness_lufs is None else f"{c.loudness_lufs:.1f} LUFS"
            _out.print(
                f"audio       {c.media_type} {c.sample_rate} Hz {c.channels} ch, {c.duration_s:.2f} s "
                f"(speech {c.speech_s:.2f} s), {loudness}, clipping {c.clipping_ratio:.3%}"
            )
        for finding in score.findings:
            _out.print(f"[yellow]{finding.flag.value}[/yellow]: {finding.detail}")
        versions = score.versions
        _out.print(
            f"[dim]{versions.asr_backend} {versions.asr_model}, {versions.normalizer_name} "
            f"{versions.normalizer_version}, harness {versions.harness_version}[/dim]"
        )
    if score.error is not None:
        raise _failure(score.error)


def _sqlite_store(given: Path | None) -> Path:
    """The store `score` reads: `--db`, else `TTS_HARNESS_DB`, else the default, as every command resolves it
    (`resolve_store`); a SQLite file, since scoring writes its rows beside the clips' audio."""
    from harness.results import resolve_store  # on use: not loaded with the CLI

    store = resolve_store(given, DEFAULT_DB)
    if not isinstance(store, Path):
        raise _usage("score reads and writes a SQLite store beside the clips' audio: give --db FILE")
    return store


def _run_named(given: str, db: Path) -> str:
    """The run id `given` names: for `latest`, the newest run in the store at `db`. Any other run id is read as
    given: a scoring database may hold clips alone, without the runs they came from."""
    from harness.results import LATEST, open_read_only, run_called  # on use: not loaded with the CLI

    if given != LATEST:
        return given
    if not db.is_file():
        raise _usage(f"run database {db} does not exist (set --db)")
    try:
        conn = open_read_only(db)
        try:
            return run_called(conn, LATEST)
        finally:
            conn.close()
    except UsageError as error:
        raise _usage(str(error)) from None


def _score_run(run_id: str, db: Path, scorer: Scorer, as_json: bool) -> None:
    from harness.scoring.run import score_run

    if not db.is_file():
        raise _usage(f"run database {db} does not exist (set --db)")
    summary = score_run(db, run_id, scorer)
    if as_json:
        typer.echo(json.dumps(asdict(summary), indent=2, default=str))
    else:
        table = Table(title=f"run {run_id}: {summary.asr_backend} {summary.asr_model}")
        for column in ("provider", "model", "clips", "failed", "pooled", "mean", "S/D/I", "similarity", "flags"):
            table.add_column(column)
        for system in summary.systems:
            rate = system.rate
            unit = "CER" if rate is not None and rate.unit == "char" else "WER"
            cells = (  # one system's row, in the columns' order
                system.provider,
                system.model,
                str(system.clips),
                str(system.failed),
                f"{unit} {_percent(rate.pooled)}" if rate else "-",
                _percent(rate.per_utterance_mean) if rate else "-",
                f"{rate.substitutions}/{rate.deletions}/{rate.insertions}" if rate else "-",
                "-" if system.mean_similarity is None else f"{system.mean_similarity:.3f}",
                ", ".join(f"{flag} {count}" for flag, count in system.flag_counts.items()) or "-",
            )
            table.add_row(*cells)
        _out.print(table)
        _out.print(
            f"{summary.scored} scored, {summary.failed} failed; transcript cache: "
            f"{summary.cache_hits} hits, {summary.cache_misses} misses; normalizer {summary.normalizer_version}; "
            f"executor {summary.executor}"
        )
        for reason, count in summary.errors:
            _err.print(f"[yellow]{count} clip(s) not scored:[/yellow] {reason}")
    corpora = _judge_hard_text(run_id, db, as_json, scorer)
    if corpora:
        _judge_markup(run_id, db, as_json, corpora, scorer)
    if summary.scored == 0:
        raise _failure(f"none of the {summary.clips} clips of run {run_id} could be scored")


def _judge_hard_text(run_id: str, db: Path, as_json: bool, scorer: Scorer) -> list[Corpus]:
    """The run's hard-text spans judged again, as the run judged them (`harness.benchmark.judge_hard_text`), with the
    ASR model and executor this command was given; the run's corpora, read once (none where one is gone)."""
    from harness.benchmark import judge_hard_text, judged_line
    from harness.core.corpora import load_corpus
    from harness.results import stored_corpora

    try:
        corpora = [load_corpus(selector) for selector in stored_corpora(db, run_id)]
        judged = judge_hard_text(db, run_id, corpora, asr_model=scorer.asr.spec, executor=scorer.executor)
    except UsageError as error:  # a corpus file the run read is gone: the WER scores stand
        _err.print(f"[yellow]hard text and markup not judged:[/yellow] {error}")
        return []
    if judged is not None and not as_json:
        _out.print(judged_line(judged))
    return corpora


def _judge_markup(run_id: str, db: Path, as_json: bool, corpora: list[Corpus], scorer: Scorer) -> None:
    """The run's markup clips judged again with the transcripts just scored and this command's ASR model
    (`harness.benchmark.judge_markup`)."""
    from harness.benchmark import judge_markup, markup_line

    verdicts = judge_markup(db, run_id, corpora, asr_model=scorer.asr.spec, executor=scorer.executor)
    if verdicts is not None and not as_json:
        _out.print(markup_line(verdicts))


@asr_app.command("fetch")
def fetch_command(
    name: Annotated[str, typer.Argument(help="faster-whisper model name (large-v3, distil-large-v3, small, ...).")],
) -> None:
    """Put a model by name into the harness's cache (needs the Hugging Face hub once; then works offline)."""
    from harness.scoring.asr.models import asr_cache_dir, hub_model, known_model_names, shipped_folders
    from harness.scoring.scoring_errors import ScoringError

    if name not in known_model_names() and name.count("/") != 1:
        said = not_known("model name", [name], known_model_names())
        raise _usage(f"{said}; known names: {', '.join(known_model_names())} (or org/repo)")
    folders = shipped_folders(name)
    if folders is not None:  # a package of the index carries it: there is nothing to fetch, and no hub to ask
        _out.print(f"{name} is installed (in {', '.join(map(str, folders))}): nothing to fetch; scoring reads it there")
        return
    try:
        model = hub_model(name)
    except ScoringError as error:
        raise _failure(str(error)) from None
    _out.print(f"{model.model_id} in {model.path} (cache {asr_cache_dir()})")


@asr_app.command("convert-ct2")
def convert_ct2_command(
    source: Annotated[Path, typer.Argument(help="CTranslate2 Whisper model folder (model.bin, config.json).")],
    destination: Annotated[Path, typer.Argument(help="openai-whisper checkpoint file to write (.pt).")],
) -> None:
    """Convert a CTranslate2 Whisper model into an openai-whisper checkpoint (works offline)."""
    from harness.scoring.asr.ct2_convert import convert_ct2_to_whisper
    from harness.scoring.scoring_errors import ScoringError

    if not (source / "model.bin").is_file():
        raise _usage(f"expected a CTranslate2 model folder with model.bin, got {source}")
    if destination.is_dir():
        raise _usage(f"destination {destination} is a folder; give a file name such as tiny.en.pt")
    try:
        checkpoint = convert_ct2_to_whisper(source, destination)
    except ScoringError as error:
        raise _failure(str(error)) from None
    dims = checkpoint.dims
    _out.print(
        f"wrote {destination}: {len(checkpoint.state)} tensors, {dims['n_audio_layer']}+{dims['n_text_layer']} "
        f"layers, width {dims['n_audio_state']}, vocabulary {dims['n_vocab']}"
    )
