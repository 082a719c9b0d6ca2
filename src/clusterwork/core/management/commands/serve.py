"""``clusterwork serve``: the production web server (gunicorn) with the product's settings."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve Clusterwork with gunicorn. The app keeps no state in its processes, so run as many "
        "of these behind a load balancer as you need, all on one PostgreSQL (and Redis)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "0.0.0.0:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, bind, workers, timeout, **options):
        argv = [
            "gunicorn",
            "clusterwork.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"gunicorn on {bind} with {workers} workers")
        sys.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(gunicorn, argv)
