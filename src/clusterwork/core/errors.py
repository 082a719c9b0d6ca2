"""Errors raised by services; every adapter (page, API, command) maps them the same way."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A business rule refused the change. The message is written for the end user.

    It subclasses ValidationError so that forms show it next to the right field
    (``field`` names it) and the API answers 400 with the same text.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        self.field = field
        if field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)

    @property
    def text(self) -> str:
        return "; ".join(self.messages)


def error_text(error: ValidationError) -> str:
    """One line for a message banner or a command's output, whatever raised it: a service's
    refusal, a model's ``full_clean`` or a form's validation."""
    if isinstance(error, ServiceError):
        return error.text
    return "; ".join(error.messages)
