"""Permission-matrix rows for every sharing page (run by tests/web). ``setup`` builds the
sharing world once, outside the personas' savepoints; the persona content test then checks
each page shows nothing outside a persona's scope (an item another cluster shared with the
programme must not name that cluster, its school or its author)."""

from tests.web.matrix import (
    ALPHA_READ,
    ALPHA_WRITE,
    ANY_USER,
    BETA_READ,
    SCIENCE_READ,
    SCIENCE_WRITE,
    Route,
    profile,
    today,
)

from .data import build

# Adding to alpha's library, starting threads, replying: anyone with a role (not a viewer)
# reaching alpha; the head's school is a member.
ALPHA_CONTRIBUTE = profile(viewer=403, outsider=404)
# "Used in my school": only someone who works at (or holds a role for) a school.
HAS_A_SCHOOL = profile(programme_admin=403, coordinator=403, viewer=403, outsider=404)
# The coordinators' threads of the science programme: not a school's staff, not a viewer of
# one cluster.
PROGRAMME_THREADS = profile(head=404, viewer=404, outsider=404)
# Coaching: the coach (the head), the coordinator and the programme; not the cluster's viewer.
COACHING_SEEN = profile(viewer=404, outsider=404)
# Logging a session: only its coach and coachees (the head is the coach). The superuser holds
# every permission, but the service still refuses anyone outside the coaching (200 + error).
COACHING_LOG = profile(
    programme_admin=403, coordinator=403, viewer=404, outsider=404, superuser=200
)


def _pk(name):
    return lambda w: {"pk": getattr(build(w), name).pk}


def _alpha(w):
    return {"pk": w.alpha.pk}


def _science(w):
    return {"pk": w.science.pk}


ROUTES = [
    # the library
    Route("sharing:item_list", setup=build, expect=ANY_USER),
    Route(
        "sharing:item_list",
        setup=build,
        expect=ANY_USER,
        data=lambda w: {"q": "magnet", "subject": "science"},
        label="sharing:item_list-search",
    ),
    Route(
        "sharing:item_list",
        setup=build,
        expect=ANY_USER,
        data=lambda w: {"tag": "Light"},
        label="sharing:item_list-tag",
    ),
    Route("sharing:cluster_library", kwargs=_alpha, setup=build, expect=ALPHA_READ),
    Route(
        "sharing:cluster_library",
        kwargs=lambda w: {"pk": w.beta.pk},
        setup=build,
        expect=BETA_READ,
        label="sharing:cluster_library-beta",
    ),
    Route("sharing:item_new", kwargs=_alpha, expect=ALPHA_CONTRIBUTE),
    Route(
        "sharing:item_new",
        kwargs=_alpha,
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_CONTRIBUTE,
        data=lambda w: {
            "title": "Seed dispersal idea",
            "kind": "writeup",
            "body": "Sycamore helicopters from paper.",
            "subject": "science",
            "key_stage": "ks2",
            "audience": "cluster",
            "tags": "Plants",
        },
    ),
    Route("sharing:item_detail", kwargs=_pk("writeup"), setup=build, expect=ALPHA_READ),
    Route(
        "sharing:item_detail",
        kwargs=_pk("beta_shared"),
        setup=build,
        expect=SCIENCE_READ,
        label="sharing:item_detail-shared-with-programme",
    ),
    Route(
        "sharing:item_detail",
        kwargs=_pk("beta_private"),
        setup=build,
        expect=BETA_READ,
        label="sharing:item_detail-beta-cluster-only",
    ),
    Route(
        "sharing:item_detail",
        kwargs=_pk("public"),
        setup=build,
        expect=ANY_USER,
        label="sharing:item_detail-shared-with-everyone",
    ),
    Route(
        "sharing:item_detail",
        kwargs=_pk("writeup"),
        setup=build,
        method="post",
        ok=302,
        expect=HAS_A_SCHOOL,
        data=lambda w: {"school": w.schools[0].pk, "note": "Worked well"},
    ),
    Route("sharing:item_edit", kwargs=_pk("writeup"), setup=build, expect=ALPHA_WRITE),
    Route(
        "sharing:item_edit",
        kwargs=_pk("writeup"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {
            "title": "Floating and sinking",
            "subject": "science",
            "key_stage": "ks1",
            "audience": "programme",
            "tags": "Fair testing",
        },
    ),
    Route("sharing:version_new", kwargs=_pk("writeup"), setup=build, expect=ALPHA_WRITE),
    Route(
        "sharing:version_new",
        kwargs=_pk("writeup"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {"body": "Now with oranges, peeled and not.", "note": "Added oranges"},
    ),
    # A file is a download, not a page (the content test reads pages): signed-out visitors
    # are sent to sign in, as on every page.
    Route(
        "sharing:version_download",
        kwargs=lambda w: {"pk": build(w).file_item.pk, "version_pk": build(w).file_version.pk},
        setup=build,
        expect={**ALPHA_READ, "anonymous": 302},
    ),
    Route("sharing:item_archive", kwargs=_pk("writeup"), setup=build, expect=ALPHA_WRITE),
    Route(
        "sharing:item_archive",
        kwargs=_pk("writeup"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
    ),
    # discussion
    Route("sharing:cluster_threads", kwargs=_alpha, setup=build, expect=ALPHA_READ),
    Route(
        "sharing:cluster_threads",
        kwargs=_alpha,
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_CONTRIBUTE,
        data=lambda w: {"title": "Pond dipping nets", "body": "Can we share nets?"},
    ),
    Route("sharing:programme_threads", kwargs=_science, setup=build, expect=PROGRAMME_THREADS),
    Route(
        "sharing:programme_threads",
        kwargs=_science,
        setup=build,
        method="post",
        ok=302,
        expect=PROGRAMME_THREADS,
        data=lambda w: {"title": "Sharing kit", "body": "Which clusters lend kit?"},
    ),
    Route("sharing:thread_detail", kwargs=_pk("thread"), setup=build, expect=ALPHA_READ),
    Route(
        "sharing:thread_detail",
        kwargs=_pk("programme_thread"),
        setup=build,
        expect=PROGRAMME_THREADS,
        label="sharing:thread_detail-programme",
    ),
    Route(
        "sharing:thread_detail",
        kwargs=_pk("beta_thread"),
        setup=build,
        expect=BETA_READ,
        label="sharing:thread_detail-beta",
    ),
    Route(
        "sharing:thread_detail",
        kwargs=_pk("thread"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_CONTRIBUTE,
        data=lambda w: {"body": "Thanks, borrowing them Monday."},
    ),
    Route("sharing:thread_pin", kwargs=_pk("thread"), setup=build, expect=ALPHA_WRITE),
    Route(
        "sharing:thread_pin",
        kwargs=_pk("thread"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {"pinned": "on"},
    ),
    Route("sharing:thread_archive", kwargs=_pk("thread"), setup=build, expect=ALPHA_WRITE),
    Route(
        "sharing:thread_archive",
        kwargs=_pk("thread"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {"reason": "Answered"},
    ),
    Route("sharing:thread_mute", kwargs=_pk("thread"), setup=build, expect=ALPHA_READ),
    Route(
        "sharing:thread_mute",
        kwargs=_pk("thread"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_READ,
        data=lambda w: {"muted": "on"},
    ),
    # The head wrote the reply: the head may withdraw it, and the coordinator (moderator).
    Route(
        "sharing:post_withdraw",
        kwargs=_pk("reply"),
        setup=build,
        expect=profile(viewer=403, outsider=404),
    ),
    Route(
        "sharing:post_withdraw",
        kwargs=_pk("reply"),
        setup=build,
        method="post",
        ok=302,
        expect=profile(viewer=403, outsider=404),
        data=lambda w: {"reason": "Posted in the wrong thread"},
    ),
    Route("sharing:notification_list", setup=build, expect=ANY_USER),
    Route(
        "sharing:notification_list",
        setup=build,
        method="post",
        ok=302,
        expect=ANY_USER,
        data=lambda w: {"email_replies": "on"},
    ),
    # peer coaching
    Route("sharing:cluster_coaching", kwargs=_alpha, setup=build, expect=ALPHA_READ),
    Route("sharing:coaching_new", kwargs=_alpha, expect=ALPHA_WRITE),
    Route(
        "sharing:coaching_new",
        kwargs=_alpha,
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {
            "focus": "Working scientifically",
            "coach": build(w).coachee.pk,
            "coachee": w.users.head.person.pk,
            "start": today(),
        },
    ),
    Route("sharing:coaching_detail", kwargs=_pk("coaching"), setup=build, expect=COACHING_SEEN),
    Route(
        "sharing:coaching_detail",
        kwargs=_pk("coaching"),
        setup=build,
        method="post",
        ok=302,
        expect=COACHING_LOG,
        data=lambda w: {"on": today(), "note": "Tried wait time", "follow_up": "Share video"},
    ),
    Route(
        "sharing:coaching_end",
        kwargs=_pk("coaching"),
        setup=build,
        expect=profile(head=403, viewer=404, outsider=404),
    ),
    Route(
        "sharing:coaching_end",
        kwargs=_pk("coaching"),
        setup=build,
        method="post",
        ok=302,
        expect=profile(head=403, viewer=404, outsider=404),
        data=lambda w: {"end": today()},
    ),
    # partners
    Route("sharing:cluster_partners", kwargs=_alpha, setup=build, expect=ALPHA_READ),
    Route(
        "sharing:cluster_partners",
        kwargs=_alpha,
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {"name": "Natural History Museum", "kind": "museum"},
    ),
    Route("sharing:programme_partners", kwargs=_science, setup=build, expect=SCIENCE_READ),
    Route(
        "sharing:programme_partners",
        kwargs=_science,
        setup=build,
        method="post",
        ok=302,
        expect=SCIENCE_WRITE,
        data=lambda w: {"name": "Royal Society", "kind": "society"},
    ),
    Route("sharing:partner_detail", kwargs=_pk("partner"), setup=build, expect=ALPHA_READ),
    Route(
        "sharing:partner_detail",
        kwargs=_pk("programme_partner"),
        setup=build,
        expect=SCIENCE_READ,
        label="sharing:partner_detail-programme",
    ),
    Route(
        "sharing:partner_detail",
        kwargs=_pk("partner"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
        data=lambda w: {"on": today(), "title": "Lab visit"},
    ),
    Route("sharing:partner_archive", kwargs=_pk("partner"), setup=build, expect=ALPHA_WRITE),
    Route(
        "sharing:partner_archive",
        kwargs=_pk("partner"),
        setup=build,
        method="post",
        ok=302,
        expect=ALPHA_WRITE,
    ),
    # what was shared, counted
    Route("sharing:cluster_shared", kwargs=_alpha, setup=build, expect=ALPHA_READ),
]
