#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import importlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The settings first: a setting missing or wrong (DJANGO_SECRET_KEY with debug off) is then
    # the error shown. Django would otherwise go on without them, and which of its checks fails
    # first, with another error, depends on the order of a set.
    if not any(argument.startswith("--settings") for argument in sys.argv):
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
