"""Who may build questionnaires and send and run rounds of them."""

import rules

from clusterwork.people.scopes import scope_for


@rules.predicate
def changes_programme(user, programme):
    return programme is not None and scope_for(user).can_change_programme(programme)


@rules.predicate
def manages_questionnaire(user, questionnaire):
    return questionnaire is not None and scope_for(user).can_change_programme(
        questionnaire.programme
    )


@rules.predicate
def sends_to_cluster(user, cluster):
    # A coordinator sends a round to their own cluster; the programme to any of its clusters.
    return cluster is not None and scope_for(user).can_change_cluster(cluster)


@rules.predicate
def manages_round(user, round_):
    if round_ is None:
        return False
    scope = scope_for(user)
    if scope.can_change_programme(round_.questionnaire.programme):
        return True
    # A coordinator runs rounds sent to their own cluster.
    return round_.cluster is not None and scope.can_change_cluster(round_.cluster)


rules.add_perm("surveys.add_questionnaire", changes_programme)
rules.add_perm("surveys.manage_questionnaire", manages_questionnaire)
rules.add_perm("surveys.send_round", sends_to_cluster)
rules.add_perm("surveys.manage_round", manages_round)
