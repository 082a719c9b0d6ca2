"""Who records changes in circumstances and staff changes: those who run the cluster."""

import rules

from clusterwork.people.rules import asks

rules.add_perm("circumstances.record_change", asks("can_change_cluster"))
rules.add_perm("circumstances.record_staff_change", asks("can_change_cluster"))
