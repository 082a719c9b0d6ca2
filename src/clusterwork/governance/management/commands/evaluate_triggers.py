"""``clusterwork evaluate-triggers``: run every trust's intervention triggers now (the
nightly task does the same)."""

from django.core.management.base import BaseCommand

from clusterwork.governance.intervention import evaluate


class Command(BaseCommand):
    help = "Evaluate the trusts' intervention triggers and open cases where they fire."

    def handle(self, *args, **options):
        opened = evaluate()
        self.stdout.write(f"{len(opened)} intervention case(s) opened.")
        for case in opened:
            self.stdout.write(f"  {case.title}: {case.reason}")
