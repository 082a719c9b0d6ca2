from clusterwork.core.registry import ContributingApp, Link, Tab


class SurveysConfig(ContributingApp):
    name = "clusterwork.surveys"
    verbose_name = "Self-assessment"
    tabs = {
        "programme": [
            Tab(
                "Self-assessment",
                "programme_surveys",
                order=40,
                also_current=("questionnaire_detail", "round_detail"),
            )
        ],
        "cluster": [Tab("Self-assessment", "cluster_needs", order=40)],
    }
    links = {"account": [Link("My self-assessments", "my_questionnaires", order=20)]}
