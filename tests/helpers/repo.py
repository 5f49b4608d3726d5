"""Where the repository's own data lives, for tests that read it (never anything outside the repository)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "fixtures"
VOICES = FIXTURES / "voices"
