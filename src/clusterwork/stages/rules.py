"""Who may set up a programme's stages, tick checklists, move clusters on and decide
applications: the programme decides stages and applications; the coordinator keeps the
cluster's checklist."""

import rules

from clusterwork.people.rules import asks


def programme(obj):
    return obj.programme


rules.add_perm("stages.manage_stages", asks("can_change_programme"))
rules.add_perm("stages.add_application", asks("can_change_programme"))
rules.add_perm("stages.decide_application", asks("can_change_programme", of=programme))
rules.add_perm("stages.tick_checklist", asks("can_change_cluster"))
rules.add_perm("stages.advance_stage", asks("can_change_programme", of=programme))
