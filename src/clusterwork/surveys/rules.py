"""Who may build questionnaires and send and run rounds of them: the programme builds them
and sends them to any of its clusters; a coordinator sends and runs rounds for their own."""

import rules

from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for


def programme(questionnaire):
    return questionnaire.programme


@rules.predicate
def manages_round(user, round_):
    if round_ is None:
        return False
    scope = scope_for(user)
    if scope.can_change_programme(round_.questionnaire.programme):
        return True
    return round_.cluster is not None and scope.can_change_cluster(round_.cluster)


rules.add_perm("surveys.add_questionnaire", asks("can_change_programme"))
rules.add_perm("surveys.manage_questionnaire", asks("can_change_programme", of=programme))
rules.add_perm("surveys.send_round", asks("can_change_cluster"))
rules.add_perm("surveys.manage_round", manages_round)
