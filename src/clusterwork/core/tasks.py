"""Background tasks: Django 6's ``django.tasks``, or its backport on Django 5.2."""

try:  # Django >= 6.0
    from django.tasks import default_task_backend, task  # noqa: F401

    IMMEDIATE_BACKEND = "django.tasks.backends.immediate.ImmediateBackend"
except ImportError:  # pragma: no cover - Django 5.2 on Python 3.11
    from django_tasks import default_task_backend, task  # noqa: F401

    IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
