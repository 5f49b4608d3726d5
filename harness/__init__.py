"""tts-harness."""
