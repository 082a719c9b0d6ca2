"""Demo steps: each app says how it fills the demo, without knowing the loader.

Put a ``demo.py`` module in the app (the demo app discovers it) and decorate a function that
takes the loader's context::

    from clusterwork.core.demo import demo_step

    @demo_step(order=50)
    def meetings(ctx):
        science = ctx.objects["science.programme"]
        ...
        return "Meetings: 12 meetings across the science clusters"

The loader (``clusterwork.demo``) runs every step in order inside one transaction. Orders
used by the demo's organisations: 10 Bourne, 20 board trust, 30 science, 40 sport, 45 demo
logins. Use 50 and above for an app's own step; it can rely on every organisation existing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    func: Callable


_STEPS: dict[str, DemoStep] = {}


def demo_step(order: int, name: str | None = None):
    """Register ``func(ctx)`` to run at ``order``; it returns one progress line (or None)."""

    def decorator(func):
        key = name or f"{func.__module__}.{func.__qualname__}"
        _STEPS[key] = DemoStep(order=order, name=key, func=func)
        return func

    return decorator


def steps() -> list[DemoStep]:
    """The registered steps, in the order they run."""
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))
