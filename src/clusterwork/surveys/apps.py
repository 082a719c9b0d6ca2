from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class SurveysConfig(ContributingApp):
    name = "clusterwork.surveys"
    personal_data = [
        linked_rows(
            app="surveys",
            label="Self-assessment rounds sent and responses",
            models=("surveys.Questionnaire", "surveys.Round", "surveys.Response"),
        )
    ]
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
    sections = {
        "home": [
            Section(
                "surveys/_home_to_return.html",
                "clusterwork.surveys.selectors.home_to_return",
                order=20,
            )
        ]
    }
