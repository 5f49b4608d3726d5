"""Settings: CLI over TOML file over pyproject over defaults, each option in its section; bad values fail
with a clear message that names the option as the user wrote it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from harness.core.errors import UsageError
from harness.runner.plan.config import (
    OPTIONS,
    BenchConfig,
    CostSettings,
    OutputSettings,
    PollingMode,
    PollingSettings,
    RunSettings,
    SandboxSettings,
    ScoringSettings,
    TargetKind,
    TargetSettings,
    WorkloadSettings,
    load_config,
)


def test_cli_wins_over_file_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tts-harness.bench]\nrepeats = 3\nconcurrency = 5\nseed = 9\n")
    (tmp_path / "tts-harness.toml").write_text('[bench]\nrepeats = 2\nproviders = ["pixazo"]\n')
    config = load_config([WorkloadSettings.given(repeats=4), RunSettings.given(concurrency=None)], cwd=tmp_path)
    assert (config.workload.repeats, config.run.concurrency, config.sandbox.seed, config.workload.providers) == (
        4,
        5,
        9,
        ("pixazo",),
    )


def test_explicit_config_file_and_prices(tmp_path: Path) -> None:
    path = tmp_path / "bench.toml"
    path.write_text('polling = "fixed"\npoll_interval = 5.0\n[prices]\n"pixazo/vibevoice" = 0.02\n')
    config = load_config((), path, cwd=tmp_path)
    assert config.polling.mode is PollingMode.FIXED and config.polling.label == "fixed:5"
    assert config.cost.prices == {"pixazo/vibevoice": 0.02}


def test_a_section_table_and_an_option_beside_it(tmp_path: Path) -> None:
    """`[bench.cost]` is the cost section whole; a flag still wins over it, option by option."""
    (tmp_path / "tts-harness.toml").write_text(
        '[bench.cost]\nbudget = 2.5\nyes = true\n[bench.sandbox]\nprofile = "fast"\n'
    )
    config = load_config([CostSettings.given(budget=1)], cwd=tmp_path)
    assert (config.cost.budget, config.cost.live_without_budget) == (Decimal(1), True)
    assert config.sandbox.profile == "fast"


def test_unknown_keys_and_bad_values_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "tts-harness.toml").write_text("[bench]\nrepeets = 2\n")
    with pytest.raises(UsageError, match="repeets"):
        load_config((), cwd=tmp_path)
    with pytest.raises(UsageError, match="repeats"):
        load_config([WorkloadSettings.given(repeats=0)], cwd=tmp_path / "none")
    (tmp_path / "tts-harness.toml").write_text("[bench.cost]\nbudgett = 2\n")
    with pytest.raises(UsageError, match="budgett: Extra inputs"):
        load_config((), cwd=tmp_path)


def test_a_bad_flag_names_the_option_not_its_section() -> None:
    with pytest.raises(UsageError, match=r"^invalid bench settings: sandbox_profile: Input should be 'fast'"):
        SandboxSettings.given(profile="weird")
    with pytest.raises(UsageError, match=r"poll_interval: Input should be greater than 0"):
        PollingSettings.given(interval=0)


@pytest.mark.parametrize(
    ("target", "kind"),
    [("sandbox", TargetKind.SANDBOX), ("live", TargetKind.LIVE), ("http://127.0.0.1:8000", TargetKind.URL)],
)
def test_targets(target: str, kind: TargetKind) -> None:
    settings = BenchConfig(target=target).target  # type: ignore[call-arg]
    assert settings.kind is kind
    assert settings.url == (target if kind is TargetKind.URL else None)


def test_a_bad_target_names_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="sandbox, live or an http"):
        TargetSettings.given(name="staging")


def test_a_target_is_kept_normalised_and_a_bad_one_never_repeats_credentials() -> None:
    assert TargetSettings.given(name="HTTP://Box.LAN:8000/v1/").name == "http://box.lan:8000/v1"
    used = TargetSettings.given(name="http://u:hunter2@Box.LAN/v1/")
    assert used.name == "http://u:hunter2@box.lan/v1" and used.url == "http://box.lan/v1"  # sent, not printed
    with pytest.raises(UsageError, match="is not a valid URL") as refused:
        TargetSettings.given(name="http://u:hunter2@[::1:9")
    assert "hunter2" not in str(refused.value)


def test_comma_lists_split() -> None:
    assert BenchConfig(providers="pixazo, pixelapi", corpus=["en_read:2,en_numbers"]).workload.corpus == (  # type: ignore[call-arg]
        "en_read:2",
        "en_numbers",
    )


def test_an_address_needs_the_ray_executor() -> None:
    with pytest.raises(UsageError, match="--address names a Ray cluster"):
        load_config([ScoringSettings.given(address="ray://head:10001")], cwd=Path("/nonexistent"))
    config = load_config([ScoringSettings.given(executor="ray", address="ray://head:10001")], cwd=Path("/nonexistent"))
    assert config.scoring.after_run and not config.scoring.during_run


def test_stored_settings_are_every_option_by_name_and_read_back() -> None:
    """`runs.config_json` keeps the flat option names runs have always stored, so old runs still resume."""
    config = BenchConfig(
        models=("xtts-v2",),
        budget=1.5,
        polling="fixed",
        sandbox_profile="fast",  # type: ignore[call-arg]
        out=Path("elsewhere"),
        yes=True,
    )
    stored = config.public()
    assert set(stored) == set(OPTIONS)
    assert (stored["budget"], stored["polling"], stored["sandbox_profile"], stored["yes"]) == (
        1.5,
        "fixed",
        "fast",
        True,
    )
    assert BenchConfig.model_validate(stored) == config
    older = {k: v for k, v in stored.items() if k not in ("executor", "address", "dnsmos")}  # stored before them
    assert BenchConfig.model_validate(older).scoring.executor == "local"
    assert BenchConfig.model_validate(older).scoring.dnsmos  # a run stored before the switch computed DNSMOS


def test_dnsmos_is_on_unless_a_run_turns_it_off(tmp_path: Path) -> None:
    assert BenchConfig().scoring.dnsmos
    assert not load_config([ScoringSettings.given(dnsmos=False)], cwd=Path("/nonexistent")).scoring.dnsmos
    (tmp_path / "tts-harness.toml").write_text("[bench.scoring]\ndnsmos = false\n")
    assert not load_config([], cwd=tmp_path).scoring.dnsmos


def test_updated_replaces_options_and_validates_again(tmp_path: Path) -> None:
    config = BenchConfig(models=("xtts-v2",), budget=2)  # type: ignore[call-arg]
    moved = config.updated(resume="run-1", out=tmp_path)
    assert moved.output == OutputSettings(out=tmp_path, resume="run-1")
    assert (moved.workload, moved.cost) == (config.workload, config.cost)
    with pytest.raises(ValueError, match="repeats"):
        config.updated(repeats=0)


def test_concurrency_is_per_provider_and_a_list_is_a_load_sweep() -> None:
    config = load_config([RunSettings.given(concurrency="16, 1,4")], cwd=Path("/nonexistent"))
    assert (config.run.levels, config.run.sweep, config.run.concurrency, config.run.global_concurrency) == (
        (1, 4, 16),
        (1, 4, 16),
        16,
        None,
    )
    assert BenchConfig(concurrency=5).run.sweep == ()  # type: ignore[call-arg]
    capped = BenchConfig(concurrency=(4, 16), global_concurrency=6)  # type: ignore[call-arg]
    assert (capped.run.wave(4), capped.run.wave(16)) == (4, 6)
    with pytest.raises(UsageError, match="comma list of levels"):
        RunSettings.given(concurrency="1,four")
    with pytest.raises(UsageError, match="between 1 and 1024"):
        RunSettings.given(concurrency="0,4")


def test_a_stored_provider_concurrency_keeps_its_meaning() -> None:
    """Runs stored before issue 22 capped the run with `concurrency` and each provider with
    `provider_concurrency`: resumed, the smaller is the per-provider cap and the run's cap stays global."""
    old = BenchConfig.model_validate({"concurrency": 20, "provider_concurrency": 8})
    assert (old.run.concurrency, old.run.global_concurrency) == (8, 20)
    narrow = BenchConfig.model_validate({"concurrency": 2, "provider_concurrency": 8})
    assert (narrow.run.concurrency, narrow.run.global_concurrency) == (2, None)
    assert "provider_concurrency" not in narrow.public()
