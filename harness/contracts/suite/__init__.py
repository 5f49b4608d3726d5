"""The contract suite, shipped in the package: pytest modules that check every provider the registry knows
(built in, or declared in the user's providers file) against replay, the sandbox, a URL or the live hosts.

Run it in any repository with `tts-harness contracts run` or `pytest --tts-contracts` (the pytest plugin,
`harness.pytest_plugin`, collects this folder and supplies the fixtures the modules use); this repository's
`contracts/` runs it through one-line modules. The built-in providers' fixtures are package data
(`harness/data/fixtures`); a declared provider's live in the user's repository (`tts-harness-fixtures/`
beside the providers file, or `--tts-fixtures-dir`).
"""

from pathlib import Path

SUITE_DIR = Path(__file__).resolve().parent
