"""Object permissions for the school directory (django-rules).

The directory itself is public GIAS data, so any signed-in user may read it; changing a
school's record is left to the GIAS import (and staff), a trust's record to its admins.
"""

import rules

from clusterwork.people.rules import asks

rules.add_perm("schools.view_school", rules.is_authenticated)
rules.add_perm("schools.change_school", rules.is_superuser)
rules.add_perm("schools.view_trust", rules.is_authenticated)
rules.add_perm("schools.change_trust", asks("can_change_trust"))
rules.add_perm("schools.view_localauthority", rules.is_authenticated)
