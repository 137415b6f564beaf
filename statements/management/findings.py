"""The options of the commands that report broken rules: how many of each kind to show, and a
file to write every one of them to."""

import argparse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.core.management.base import CommandError

from statements.checks import SHOWN, Findings


def shown_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count (0 or more)")
    return count


def add_findings_arguments(parser) -> None:
    parser.add_argument(
        "--examples",
        type=shown_count,
        default=SHOWN,
        help=f"How many broken rules of each kind to show (default {SHOWN}); the rest are counted.",
    )
    parser.add_argument(
        "--errors-file",
        type=Path,
        help="Write every broken rule to this file, one a line, as it is found.",
    )


@contextmanager
def open_findings(options: dict) -> Iterator[Findings]:
    """The Findings the options ask for, their file open while they are used."""
    path = options["errors_file"]
    with ExitStack() as stack:
        out = None
        if path is not None:
            try:
                out = stack.enter_context(open(path, "w", encoding="utf-8"))
            except OSError as error:
                raise CommandError(f"--errors-file {path}: {error.strerror}") from error
        yield Findings(shown=options["examples"], out=out)
