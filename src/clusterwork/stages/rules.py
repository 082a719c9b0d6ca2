"""Who may set up a programme's stages, tick checklists, move clusters on and decide
applications."""

import rules

from clusterwork.people.scopes import scope_for


@rules.predicate
def changes_programme(user, programme):
    return programme is not None and scope_for(user).can_change_programme(programme)


@rules.predicate
def can_decide_application(user, application):
    return application is not None and scope_for(user).can_change_programme(application.programme)


@rules.predicate
def can_tick_checklist(user, cluster):
    # The coordinator keeps the cluster's checklist; the programme decides the stage.
    return cluster is not None and scope_for(user).can_change_cluster(cluster)


@rules.predicate
def can_advance_stage(user, cluster):
    return cluster is not None and scope_for(user).can_change_programme(cluster.programme)


rules.add_perm("stages.manage_stages", changes_programme)
rules.add_perm("stages.add_application", changes_programme)
rules.add_perm("stages.decide_application", can_decide_application)
rules.add_perm("stages.tick_checklist", can_tick_checklist)
rules.add_perm("stages.advance_stage", can_advance_stage)
