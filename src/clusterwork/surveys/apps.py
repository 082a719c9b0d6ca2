from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "clusterwork.surveys"
    label = "surveys"
    verbose_name = "Self-assessment"

    def ready(self):
        from clusterwork.core import registry

        registry.add_tab(
            "programme",
            registry.Tab(
                "Self-assessment",
                "programme_surveys",
                order=40,
                also_current=("questionnaire_detail", "round_detail"),
            ),
        )
        registry.add_tab("cluster", registry.Tab("Self-assessment", "cluster_needs", order=40))
        registry.add_link(
            "account", registry.Link("My self-assessments", "my_questionnaires", order=20)
        )
