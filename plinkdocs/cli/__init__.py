"""Layer 6, the command line: argument parsing (`main`) and the glue of each command (`commands`)."""

from plinkdocs.cli.main import FAIL_ON, exit_status, main

__all__ = ["FAIL_ON", "exit_status", "main"]
