"""Settings: CLI over TOML file over pyproject over defaults; bad values fail with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.bench.config import BenchConfig, PollingMode, TargetKind, load_config
from harness.core.errors import UsageError


def test_cli_wins_over_file_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tts-harness.bench]\nrepeats = 3\nconcurrency = 5\nseed = 9\n')
    (tmp_path / "tts-harness.toml").write_text('[bench]\nrepeats = 2\nproviders = ["pixazo"]\n')
    config = load_config({"repeats": 4, "concurrency": None}, cwd=tmp_path)
    assert (config.repeats, config.concurrency, config.seed, config.providers) == (4, 5, 9, ("pixazo",))


def test_explicit_config_file_and_prices(tmp_path: Path) -> None:
    path = tmp_path / "bench.toml"
    path.write_text('polling = "fixed"\npoll_interval = 5.0\n[prices]\n"pixazo/vibevoice" = 0.02\n')
    config = load_config({}, path, cwd=tmp_path)
    assert config.polling is PollingMode.FIXED and config.polling_label == "fixed:5"
    assert config.prices == {"pixazo/vibevoice": 0.02}


def test_unknown_keys_and_bad_values_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "tts-harness.toml").write_text("[bench]\nrepeets = 2\n")
    with pytest.raises(UsageError, match="repeets"):
        load_config({}, cwd=tmp_path)
    with pytest.raises(UsageError, match="repeats"):
        load_config({"repeats": 0}, cwd=tmp_path / "none")


@pytest.mark.parametrize(("target", "kind"), [("sandbox", TargetKind.SANDBOX), ("live", TargetKind.LIVE),
                                              ("http://127.0.0.1:8000", TargetKind.URL)])
def test_targets(target: str, kind: TargetKind) -> None:
    assert BenchConfig(target=target).target_kind is kind


def test_a_bad_target_names_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="sandbox, live or an http"):
        load_config({"target": "staging"}, cwd=Path("/nonexistent"))


def test_a_target_is_kept_normalised_and_a_bad_one_never_repeats_credentials() -> None:
    assert BenchConfig(target="HTTP://Box.LAN:8000/v1/").target == "http://box.lan:8000/v1"
    assert BenchConfig(target="http://u:hunter2@Box.LAN/v1/").target == "http://u:hunter2@box.lan/v1"  # used
    with pytest.raises(UsageError, match="is not a valid URL") as refused:
        load_config({"target": "http://u:hunter2@[::1:9"}, cwd=Path("/nonexistent"))
    assert "hunter2" not in str(refused.value)


def test_comma_lists_split() -> None:
    assert BenchConfig(providers="pixazo, pixelapi", corpus=["en_read:2,en_numbers"]).corpus == (
        "en_read:2", "en_numbers")
