"""Emails for self-assessment rounds, sent in the background."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from clusterwork.core.tasks import task


@task()
def send_round_emails(round_id: int, kind: str) -> int:
    """``kind`` is "invitation" (everyone) or "reminder" (those who have not returned)."""
    from .models import Response, Round

    round_ = Round.objects.select_related("questionnaire").get(pk=round_id)
    responses = Response.objects.filter(round=round_).select_related("person", "school")
    if kind == "reminder":
        responses = responses.filter(submitted_at__isnull=True)
    sent = 0
    for response in responses:
        if not response.person.email:
            continue
        link = reverse("survey_response", args=[response.pk])
        verb = "Reminder: please complete" if kind == "reminder" else "Please complete"
        send_mail(
            subject=f"{verb} “{round_.title}” by {round_.deadline:%-d %B %Y}",
            message=(
                f"Dear {response.person.full_name},\n\n"
                f"{verb} the self-assessment “{round_.questionnaire.title}” for "
                f"{response.school.name} by {round_.deadline:%-d %B %Y}.\n"
                f"It takes about ten minutes: {getattr(settings, 'SITE_URL', '')}{link}\n\n"
                "Your answers help the cluster find the areas where schools want support; "
                "results are only ever shown for three or more schools together.\n"
            ),
            from_email=None,
            recipient_list=[response.person.email],
        )
        if kind == "reminder":
            response.reminders_sent += 1
            response.save(update_fields=["reminders_sent", "updated_at"])
        sent += 1
    if kind == "reminder":
        Round.objects.filter(pk=round_id).update(last_reminder_at=timezone.now())
    return sent
