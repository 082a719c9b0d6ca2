"""Board pages: the governance home, a board with its seats and forms, a meeting with
attendance, declarations, motions and votes, and its minutes (HTML and PDF)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.core import documents
from clusterwork.core.views import ObjectDetailView, ScopedListView, ServiceFormView, by_action
from clusterwork.people.models import Person

from . import forms, quorum, selectors, services
from .access import access_board, access_decision, access_meeting
from .models import Board, BoardMeeting, Decision, Motion


class Home(ScopedListView):
    template_name = "governance/home.html"
    partial = None
    export_filename = "boards"
    export_columns = (
        ("Board", "name"),
        ("Kind", "get_kind_display"),
        ("Quorum rule", "get_quorum_rule_display"),
    )

    def get_queryset(self, filters):
        return selectors.board_list(self.request.user)

    def get_context_data(self, **context):
        user = self.request.user
        return {
            **super().get_context_data(**context),
            "trusts": selectors.trusts_for(user),
            "cases": selectors.cases_visible_to(user).exclude(status="closed")[:20],
            "moves": selectors.moves_visible_to(user).filter(status="proposed")[:20],
        }


def _seat_people(board: Board, day):
    ids = quorum.seated_people(quorum.board_seats(board, day))
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def _board_people(board: Board):
    """People who may be appointed: those of the cluster or the trust's clusters."""
    from clusterwork.clusters.selectors import cluster_people

    if board.cluster_id is not None:
        return cluster_people(board.cluster)
    programmes = board.trust.programmes.all()
    people = Person.objects.none()
    for programme in programmes:
        people = people | cluster_people(programme=programme)
    roles = Person.objects.filter(roles__trust=board.trust)
    return (people | roles).distinct().order_by("full_name")


# ----- boards ---------------------------------------------------------------------------------


class ClusterBoard(ServiceFormView):
    """The Board tab of a cluster: its board, or (for those who run the cluster) a form to
    set one up."""

    access = access_cluster
    open_to_viewers = True
    permission = "governance.set_up_board"
    form_class = forms.BoardCreateForm
    service = services.board_create
    template_name = "governance/cluster_board.html"
    success_message = "Board set up."

    def get(self, request, *args, **kwargs):
        cluster = access_cluster(request.user, kwargs["pk"])
        board = Board.objects.filter(cluster=cluster).first()
        if board is not None:
            return redirect(board.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def page_context(self, **bound):
        return {"can_create": self.request.user.has_perm(self.permission, self.object)}


class _BoardForm(ServiceFormView):
    access = access_board
    permission = "governance.run_board"
    service_argument = "board"

    def page_context(self, **bound):
        return {
            "breadcrumbs": [(str(self.object), self.object.get_absolute_url())],
            "cancel_url": self.object.get_absolute_url(),
        }


class BoardDetail(_BoardForm):
    open_to_viewers = True
    permission = "governance.run_board"
    form_class = forms.RegisterForm
    form_name = "register_form"
    service = services.register_confirm
    template_name = "governance/board_detail.html"
    success_message = "Register of interests confirmed."

    def get_form_kwargs(self):
        return {"people": _seat_people(self.object, timezone.localdate())}

    def page_context(self, **bound):
        board, user = self.object, self.request.user
        day = timezone.localdate()
        try:
            from datetime import date

            day = date.fromisoformat(self.request.GET.get("on", "")) or day
        except ValueError:
            pass
        context = selectors.board_page(board, day)
        if board.cluster_id is not None:
            context["moves"] = selectors.cluster_moves(user, board.cluster)
        context.update(
            board=board,
            cluster=board.cluster,
            can_run=user.has_perm("governance.run_board", board),
            can_configure=user.has_perm("governance.configure_board", board),
            can_appoint_lead=board.cluster_id is not None
            and user.has_perm("governance.appoint_lead_head", board.cluster),
        )
        return context


class MemberCreate(_BoardForm):
    form_class = forms.MemberForm
    service = services.member_appoint
    title = "Appoint to {object}"
    submit_label = "Appoint"
    success_message = "{result.person} appointed."

    def get_form_kwargs(self):
        return {"people": _board_people(self.object)}

    def get_initial(self):
        return {"start": timezone.localdate()}

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class BoardConfigure(_BoardForm):
    permission = "governance.configure_board"
    form_class = forms.BoardConfigureForm
    service = services.board_configure
    title = "Quorum and places of {object}"
    success_message = "Board updated."

    def get_initial(self):
        b = self.object
        return {
            "quorum_rule": b.quorum_rule,
            "quorum_fixed": b.quorum_fixed,
            "trust_director_places": b.trust_director_places,
            "trust_staff_places": b.trust_staff_places,
            "associate_places": b.associate_places,
            "eligible_outcomes": b.eligible_outcomes,
        }

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class MeetingCreate(_BoardForm):
    form_class = forms.MeetingForm
    service = services.meeting_create
    title = "Schedule a meeting of {object}"
    submit_label = "Schedule"
    success_message = "Meeting scheduled."


class DecisionCreate(_BoardForm):
    form_class = forms.DecisionForm
    service = services.decision_record
    title = "Record a decision of {object}"
    lede = "For a decision taken outside a recorded meeting (a written resolution), or one a "
    lede += "committee or LGB of the board reports."
    submit_label = "Record decision"
    success_message = "Decision recorded."

    def get_initial(self):
        return {"decided_on": timezone.localdate()}


class DecisionDetail(ObjectDetailView):
    access = access_decision
    template_name = "governance/decision_detail.html"


# ----- the cluster's lead head and LGB -------------------------------------------------------


class _OnCluster(ServiceFormView):
    access = access_cluster
    service_argument = "cluster"

    def get_success_url(self, result):
        return reverse("governance:cluster_board", args=[self.object.pk])


class LeadHeadAppoint(_OnCluster):
    permission = "governance.appoint_lead_head"
    form_class = forms.LeadHeadForm
    service = services.lead_head_appoint
    title = "Appoint the lead headteacher of {object}"
    lede = "By a recorded decision of the trust board, from a school whose latest inspection "
    lede += "outcome the trust board's rule allows."
    submit_label = "Appoint"
    success_message = "{result.person} appointed lead headteacher."

    def get_form_kwargs(self):
        from clusterwork.people.models import Role, RoleAssignment

        heads = (
            RoleAssignment.objects.current()
            .filter(
                role=Role.HEADTEACHER,
                school__in=quorum.cluster_schools_on(self.object, timezone.localdate()),
            )
            .values("person_id")
        )
        board = services.trust_board_of(self.object)
        decisions = Decision.objects.filter(board=board) if board else Decision.objects.none()
        return {"people": Person.objects.filter(pk__in=heads), "decisions": decisions}

    def get_initial(self):
        return {"start": timezone.localdate()}


class LgbAgreementCreate(_OnCluster):
    permission = "governance.set_up_board"
    form_class = forms.LgbAgreementForm
    service = services.lgb_agreement_record
    title = "Record an academy's agreement to one LGB for {object}"
    success_message = "Agreement recorded."

    def get_form_kwargs(self):
        return {"schools": quorum.cluster_schools_on(self.object, timezone.localdate())}


class LgbSet(_OnCluster):
    permission = "governance.set_up_board"
    form_class = forms.LgbModeForm
    service = services.lgb_set
    title = "Local governing bodies of {object}"
    success_message = "LGB arrangement recorded."


# ----- meetings -------------------------------------------------------------------------------


class _MeetingForm(ServiceFormView):
    access = access_meeting
    permission = "governance.run_board"
    template_name = "governance/meeting_detail.html"
    open_to_viewers = True
    service_argument = "meeting"

    def seat_people(self):
        return _seat_people(self.object.board, self.object.day)

    def items(self):
        return self.object.items.all()

    def open_motions(self):
        return Motion.objects.filter(item__meeting=self.object, outcome=Motion.Outcome.OPEN)

    def all_forms(self):
        people, items = self.seat_people(), self.items()
        motions = self.open_motions()
        # Several forms share field names (item, person): a prefix each keeps ids unique.
        return {
            "attendance_form": forms.AttendanceForm(people=people),
            "item_form": forms.ItemForm(prefix="item"),
            "declaration_form": forms.DeclarationForm(people=people, items=items, prefix="declare"),
            "motion_form": forms.MotionForm(items=items, prefix="motion"),
            "vote_form": forms.VoteForm(people=people, motions=motions, prefix="vote"),
            "close_form": forms.CloseForm(motions=motions, prefix="close"),
            "action_form": forms.ActionForm(people=people, items=items, prefix="action"),
        }

    def page_context(self, **bound):
        meeting, user = self.object, self.request.user
        context = selectors.meeting_page(meeting)
        forms_ = {k: v for k, v in self.all_forms().items() if k not in bound}
        return {
            **context,
            **forms_,
            "meeting": meeting,
            "board": meeting.board,
            "cluster": meeting.board.cluster,
            "can_run": user.has_perm(self.permission, meeting.board)
            and meeting.status != BoardMeeting.Status.CANCELLED,
            "breadcrumbs": [(str(meeting.board), meeting.board.get_absolute_url())],
            "attendance_choices": forms.Attendance.Status.choices,
        }

    def get_success_url(self, result):
        return reverse("governance:meeting_detail", args=[self.object.pk])


class MeetingAttendance(_MeetingForm):
    form_class = forms.AttendanceForm
    form_name = "attendance_form"
    service = services.attendance_record
    success_message = "Attendance recorded."

    def get_form_kwargs(self):
        return {"people": self.seat_people()}


class MeetingItem(_MeetingForm):
    form_class = forms.ItemForm
    form_name = "item_form"
    service = services.item_add
    success_message = "Agenda item added."

    def get_form_kwargs(self):
        return {"prefix": "item"}


class MeetingDeclaration(_MeetingForm):
    form_class = forms.DeclarationForm
    form_name = "declaration_form"
    service = services.interest_declare
    success_message = "Interest declared: that member is out of the item's vote and quorum."

    def get_form_kwargs(self):
        return {"prefix": "declare", "people": self.seat_people(), "items": self.items()}

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)


class MeetingMotion(_MeetingForm):
    form_class = forms.MotionForm
    form_name = "motion_form"
    service = services.motion_propose
    success_message = "Motion proposed."

    def get_form_kwargs(self):
        return {"prefix": "motion", "items": self.items()}

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)


class MeetingVote(_MeetingForm):
    form_class = forms.VoteForm
    form_name = "vote_form"
    service = services.vote_cast
    success_message = "Vote recorded."

    def get_form_kwargs(self):
        return {"prefix": "vote", "people": self.seat_people(), "motions": self.open_motions()}

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)


class MeetingClose(_MeetingForm):
    form_class = forms.CloseForm
    form_name = "close_form"
    service = services.motion_close
    success_message = "Vote closed."

    def get_form_kwargs(self):
        return {"prefix": "close", "motions": self.open_motions()}

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)


class MeetingAction(_MeetingForm):
    form_class = forms.ActionForm
    form_name = "action_form"
    service = services.item_action_add
    success_message = "Action added."

    def get_form_kwargs(self):
        return {"prefix": "action", "people": self.seat_people(), "items": self.items()}

    def perform(self, form):
        return self.service(actor=self.request.user, **form.cleaned_data)


class MeetingDetail(_MeetingForm):
    """GET shows the meeting; POSTs are told apart by their button's action."""

    form_class = forms.AttendanceForm
    form_name = "attendance_form"
    service = services.attendance_record

    def get_form_kwargs(self):
        return {"people": self.seat_people()}


meeting_detail = by_action(
    {
        None: MeetingDetail.as_view(),
        "attendance": MeetingAttendance.as_view(),
        "item": MeetingItem.as_view(),
        "declare": MeetingDeclaration.as_view(),
        "motion": MeetingMotion.as_view(),
        "vote": MeetingVote.as_view(),
        "close": MeetingClose.as_view(),
        "action": MeetingAction.as_view(),
    }
)


def minutes(request, pk, fmt):
    """Minutes assembled from the record: attendance, quorum, declarations, votes, decisions
    and actions."""
    meeting = access_meeting(request.user, pk)
    context = {
        **selectors.meeting_page(meeting),
        "meeting": meeting,
        "board": meeting.board,
        "today": timezone.localdate(),
    }
    return documents.document_response(
        request,
        "governance/minutes.html",
        context,
        filename=f"{meeting.board.name}-{meeting.day.isoformat()}-minutes",
        fmt=fmt,
    )
