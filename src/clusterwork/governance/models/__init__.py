"""Devolved cluster governance (seed 004): boards and their members, meetings with quorum,
declarations and votes, recorded decisions, the lead headteacher, LGB arrangements, the
scheme of delegation, inspection outcomes, intervention triggers and cases, partners, and
moving academies between clusters.

Heads' and chairs' seats are not stored: they follow the roles recorded for the cluster's
academies (``people.RoleAssignment``), so a staff change moves the seat with nobody editing
the board. Other seats (trust director, trust staff, associates, cluster leads, the clerk)
are dated ``BoardMember`` rows.
"""

from .boards import (  # noqa: F401
    AgendaItem,
    Attendance,
    Board,
    BoardMeeting,
    BoardMember,
    Decision,
    InspectionOutcome,
    InterestRegister,
    ItemDeclaration,
    LeadHeadAppointment,
    LgbAgreement,
    LgbArrangement,
    Motion,
    Vote,
)
from .choices import (  # noqa: F401
    BOARD_LEVELS,
    DEFAULT_ELIGIBLE,
    RATING_SCORES,
    VOTING_BY_DEFAULT,
    Capacity,
    Code,
    Level,
    Rating,
)
from .intervention import (  # noqa: F401
    CaseNote,
    InterventionCase,
    Mou,
    Partner,
    SchoolCategory,
    TriggerRule,
)
from .moves import MoveProposal  # noqa: F401
from .scheme import DecisionArea, SchemeCell, SchemeThreshold, SchemeVersion  # noqa: F401
