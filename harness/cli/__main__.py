"""`python -m harness.cli …`: the same CLI as the `tts-harness` script."""

from harness.cli.entry import main

main()
