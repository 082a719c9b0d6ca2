from clusterwork.core.registry import ContributingApp, Link


class DashboardConfig(ContributingApp):
    name = "clusterwork.dashboard"
    verbose_name = "Home page"
    links = {"main": [Link("Home", "home", order=0)]}
