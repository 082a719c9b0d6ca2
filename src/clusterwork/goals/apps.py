from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "clusterwork.goals"
    label = "goals"
    verbose_name = "Vision, goals, projects and achievements"

    def ready(self):
        from clusterwork.core import registry

        registry.add_tab(
            "cluster",
            registry.Tab(
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
        )
        registry.add_tab("cluster", registry.Tab("Successes", "cluster_successes", order=35))
