"""``clusterwork export-openapi [--check]``: write (or verify) the committed API schema."""

import difflib
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from ninja.responses import NinjaJSONEncoder

DEFAULT_PATH = "docs/openapi.json"


def render_schema() -> str:
    """The schema as committed: sorted keys and a fixed indent, so diffs are reviewable."""
    from clusterwork.api.main import api

    schema = api.get_openapi_schema()
    return (
        json.dumps(schema, cls=NinjaJSONEncoder, indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def _operations(text: str) -> set[str]:
    try:
        paths = json.loads(text).get("paths", {})
    except ValueError:
        return set()
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item}


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1/ to docs/openapi.json; --check only compares."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help=f"Where the schema lives (default: {DEFAULT_PATH} in the project checkout).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 with a summary if the file differs from the code.",
        )

    def handle(self, *args, output=None, check=False, **options):
        path = Path(output) if output else Path(settings.BASE_DIR) / DEFAULT_PATH
        current = render_schema()
        if check:
            committed = path.read_text(encoding="utf-8") if path.exists() else ""
            if committed == current:
                self.stdout.write(f"{path} is up to date.")
                return
            raise CommandError(self._drift_summary(path, committed, current), returncode=1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(current, encoding="utf-8")
        self.stdout.write(f"Wrote {path} ({len(_operations(current))} operations).")

    def _drift_summary(self, path: Path, committed: str, current: str) -> str:
        if not committed:
            return f"{path} is missing. Run `clusterwork export-openapi` and commit it."
        lines = [f"{path} differs from the API in the code."]
        added = sorted(_operations(current) - _operations(committed))
        removed = sorted(_operations(committed) - _operations(current))
        lines += [f"  new operation: {op}" for op in added]
        lines += [f"  removed operation: {op}" for op in removed]
        diff = list(
            difflib.unified_diff(
                committed.splitlines(), current.splitlines(), "committed", "code", lineterm="", n=1
            )
        )
        changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
        lines.append(f"  {changed} changed lines; first of them:")
        lines += [f"    {line}" for line in diff[:40]]
        lines.append("Run `clusterwork export-openapi` and commit docs/openapi.json.")
        return "\n".join(lines)
