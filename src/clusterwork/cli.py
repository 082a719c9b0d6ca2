"""The ``clusterwork`` console script: Django's manage.py with the product's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterwork.settings")
    from django.core.management import execute_from_command_line

    # Commands read better hyphenated (`clusterwork import-gias`); Django names them with "_".
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
