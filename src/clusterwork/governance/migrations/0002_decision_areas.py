"""The decision areas of a typical academy trust's scheme of delegation (issue 12)."""

from django.db import migrations

AREAS = [
    ("vision", "Vision, ethos and strategy"),
    ("governance-structure", "Governance structure and the scheme of delegation"),
    ("appoint-members", "Appointing board and LGB members and chairs"),
    ("clerk", "Appointing the clerk"),
    ("budget-approval", "Budget approval"),
    ("budget-monitoring", "Budget monitoring and virement"),
    ("spending", "Spending and claims above thresholds"),
    ("contracts", "Contracts and shared services above thresholds"),
    ("head-appointment", "Headteacher appointment"),
    ("lead-head", "Lead headteacher appointment"),
    ("pay", "Pay policy and appraisal"),
    ("staffing", "Staffing structure and deployment"),
    ("curriculum", "Curriculum policies"),
    ("behaviour", "Behaviour and exclusions"),
    ("safeguarding", "Safeguarding"),
    ("improvement-plan", "School improvement plan"),
    ("admissions", "Admissions"),
    ("risk-estates", "Risk register and estates"),
    ("complaints", "Complaints"),
    ("intervention", "Intervention and support"),
]


def add_areas(apps, schema_editor):
    DecisionArea = apps.get_model("governance", "DecisionArea")
    for order, (key, name) in enumerate(AREAS, start=1):
        DecisionArea.objects.get_or_create(key=key, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
