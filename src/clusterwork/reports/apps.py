from clusterwork.core.registry import ContributingApp, Link, Section, Tab

D = "clusterwork.reports.dashboards."

# Levels above a cluster share their sections; other apps add theirs (money, packages,
# governance …) to the same page keys with orders between or after these (10, 20, …).
_ABOVE = [
    Section("reports/sections/headline.html", D + "headline", order=10),
    Section("reports/sections/trends.html", D + "trends", order=20),
    Section("reports/sections/cohorts.html", D + "cohorts", order=30),
    Section("reports/sections/cluster_table.html", D + "cluster_table", order=40),
    Section("reports/sections/cluster_map.html", D + "cluster_map", order=60),
    Section("reports/sections/measure_table.html", D + "measure_table", order=80),
]


class ReportsConfig(ContributingApp):
    name = "clusterwork.reports"
    verbose_name = "Impact: dashboards, reports and digests"
    tabs = {
        "cluster": [Tab("Impact", "reports:cluster_dashboard", order=90)],
        "programme": [Tab("Impact", "reports:programme_dashboard", order=90)],
    }
    links = {
        "main": [Link("Impact", "reports:index", order=60)],
        "account": [Link("Weekly digest", "reports:digest_settings", order=60)],
    }
    sections = {
        "impact_trust": _ABOVE,
        "impact_programme": _ABOVE,
        "impact_cohort": _ABOVE,
        "impact_cluster": [
            Section("reports/sections/c_headline.html", D + "cluster_headline", order=10),
            Section("reports/sections/trends.html", D + "cluster_trends", order=20),
            Section("reports/sections/c_members.html", D + "cluster_members", order=30),
            Section("reports/sections/c_goals.html", D + "cluster_goals", order=40),
            Section("reports/sections/c_needs.html", D + "cluster_needs", order=50),
            Section("reports/sections/c_stage.html", D + "cluster_stage", order=55),
            Section("reports/sections/c_changes.html", D + "cluster_changes", order=60),
            Section("reports/sections/s_map.html", D + "cluster_members_map", order=70),
            Section("reports/sections/measures.html", D + "cluster_measures", order=80),
        ],
        "impact_school": [
            Section("reports/sections/s_facts.html", D + "school_facts", order=10),
            Section("reports/sections/s_engagement.html", D + "school_engagement", order=20),
            Section("reports/sections/s_activity.html", D + "school_activity", order=40),
            Section("reports/sections/measures.html", D + "school_measures", order=80),
        ],
    }

    def ready(self):
        super().ready()
        from . import digest, measures, rules, summaries  # noqa: F401

        measures.register()
        digest.register()
        digest.register_personal_data()
