from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Tab


class GoalsConfig(ContributingApp):
    name = "clusterwork.goals"
    personal_data = [
        linked_rows(
            app="goals",
            label="Goals owned, progress written, projects led, achievements",
            models=("goals.Goal", "goals.GoalUpdate", "goals.Project", "goals.Achievement"),
        )
    ]
    verbose_name = "Vision, goals, projects and achievements"
    tabs = {
        "cluster": [
            Tab(
                "Vision, goals and projects",
                "cluster_plan",
                order=30,
                also_current=(
                    "goal_new",
                    "goal_detail",
                    "project_new",
                    "project_detail",
                    "achievement_new",
                ),
            ),
            Tab("Successes", "cluster_successes", order=35),
        ]
    }
