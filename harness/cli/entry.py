"""The `tts-harness` script (and `python -m harness.cli`): Ctrl-C and bad input end in one line.

Its first act sets the Ctrl-C handler, before typer, rich and the commands load: this module and
`interrupts` import nothing the interpreter has not loaded already, so from the harness's first line on a
Ctrl-C — in the middle of an import included — ends the process with one line and exit code 130
(`interrupts` says how, per phase).
"""

from __future__ import annotations

from harness.cli import interrupts


def main() -> None:
    interrupts.loading()
    try:
        import sys

        from harness.cli.commands import command_for, run

        command = command_for(sys.argv[1:])  # the heavy imports: typer, rich, the named command's modules
        interrupts.arm()
        run(command)
    except KeyboardInterrupt:  # raised by the running command's handler and not caught by it
        interrupts.leave("interrupted")
    except SystemExit:
        if interrupts.interrupted():  # a command (or typer) turned the KeyboardInterrupt into an exit code
            interrupts.leave("interrupted")
        interrupts.ending()
        raise
    interrupts.ending()
