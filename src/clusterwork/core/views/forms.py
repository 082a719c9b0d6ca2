"""One way to build a page whose form calls a service (after NetBox's ``ObjectEditView``, but
the write is a service call, never ``form.save()``).

Every form page does the same steps, so they are written once here:

1. reach the object the form acts on through its access helper (404 if the user may not
   see it, 403 if they lack the permission to submit);
2. bind the form;
3. call the service inside one transaction, so the access helper's row lock is real and a
   refused change leaves nothing half written;
4. map a ``ServiceError`` (or a model's ``ValidationError``) onto the form's fields;
5. on success, add a message and redirect (or, for htmx, answer the page's fragment);
6. a refused form answers **200** with its errors shown, never 400 — the same for the whole
   page and for an htmx fragment (htmx does not swap 4xx answers in).

A subclass declares what differs::

    class GoalCreate(ServiceFormView):
        access = access_cluster              # access(user, pk, perm=…, lock=…) → the object
        permission = "goals.plan_cluster"    # needed to submit (and here, to open the page)
        form_class = GoalForm
        service = services.goal_create       # called as service(actor=…, cluster=…, **data)
        title = "New goal for {object}"
        success_message = "Goal “{result}” added."

The service gets the object under its model's name (``cluster=``; ``service_argument``
names it otherwise), and the page's template gets it under that name too. Success goes to
the page of what the service returned (its ``get_absolute_url``), else back to the page the
form is on when that page shows more than the form (``open_to_viewers``), else to the
object's (the page's template gets ``can_submit``, whether the user may submit its form);
``success_url`` (a URL name, reversed with the
object's pk) or ``get_success_url`` say otherwise. ``page_context(**bound)`` adds what the
page shows besides the form. Several forms posted to one URL are told apart with ``by_action``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from clusterwork.core.htmx import add_service_error, is_htmx, render_page

# Callables declared as class attributes are functions of their own, not methods.
_CALLABLE_ATTRIBUTES = ("access", "service")


class EmptyForm(forms.Form):
    """For an action that takes no input (restore, accept, discard)."""


class ServiceFormView(View):
    http_method_names = ["get", "post"]

    access = None
    pk_kwarg = "pk"
    permission: str | None = None
    # A page that shows the object to whoever may see it, with a form for those who may act.
    open_to_viewers = False

    form_class: type[forms.Form] = EmptyForm
    form_name = "form"
    service = None
    service_argument = ""  # default: the object's model name

    template_name = "core/form.html"
    partial: str | None = None
    success_url: str | None = None
    # The page the form belongs to (a URL name, reversed with the object's pk), for its
    # breadcrumb and cancel link; default: the object's own page.
    back_url: str | None = None
    success_message = ""
    title = ""
    lede = ""
    submit_label = "Save"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _CALLABLE_ATTRIBUTES:
            value = cls.__dict__.get(name)
            if callable(value) and not isinstance(value, staticmethod):
                setattr(cls, name, staticmethod(value))

    # ----- what subclasses change --------------------------------------------------------

    def get_object(self, *, perm: str | None, lock: bool):
        """The object the form acts on (the parent when it adds something)."""
        return self.access(self.request.user, self.kwargs[self.pk_kwarg], perm=perm, lock=lock)

    def get_form_kwargs(self) -> dict:
        """Extra arguments for the form, e.g. querysets taken from the object."""
        return {}

    def get_initial(self) -> dict:
        return {}

    def perform(self, form):
        """Call the service; the returned result names the success message and URL."""
        argument = self.service_argument or self.object._meta.model_name
        return self.service(actor=self.request.user, **{argument: self.object}, **form.cleaned_data)

    def page_context(self, **bound) -> dict:
        """What the page shows besides its form; ``bound`` are the forms being rendered (a
        refused one as it was submitted), which the page's own defaults must not replace."""
        return {}

    def get_success_url(self, result) -> str:
        if self.success_url:
            return reverse(self.success_url, args=[self.object.pk])
        if hasattr(result, "get_absolute_url"):
            return result.get_absolute_url()
        if self.open_to_viewers:
            return self.request.path
        return self.object.get_absolute_url()

    def get_success_message(self, result) -> str:
        return self.success_message.format(result=result, object=self.object)

    def get_back_url(self) -> str:
        """The page the form belongs to: its breadcrumb and cancel link."""
        if self.back_url:
            return reverse(self.back_url, args=[self.object.pk])
        page = getattr(self.object, "get_absolute_url", None)
        return page() if page else ""

    def get_context_data(self, **context) -> dict:
        back = self.get_back_url()
        base = {
            "object": self.object,
            self.object._meta.model_name: self.object,
            "title": self.title.format(object=self.object),
            "lede": self.lede.format(object=self.object),
            "submit_label": self.submit_label,
            "breadcrumbs": [(str(self.object), back)] if back else [],
            "cancel_url": back,
            # On a page open to viewers: whether this user may submit its form.
            "can_submit": self.open_to_viewers
            and self.request.user.has_perm(self.permission, self.object),
        }
        return {**base, **self.page_context(**context), **context}

    # ----- the steps, written once -------------------------------------------------------

    def get_form(self, data=None, files=None) -> forms.Form:
        return self.form_class(data, files, initial=self.get_initial(), **self.get_form_kwargs())

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(
            perm=None if self.open_to_viewers else self.permission, lock=False
        )
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            self.object = self.get_object(perm=self.permission, lock=True)
            form = self.get_form(request.POST, request.FILES)
            if form.is_valid():
                try:
                    # A savepoint: what a refused service wrote is undone, the page still renders.
                    with transaction.atomic():
                        result = self.perform(form)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    return self.succeeded(result)
        return self.render(form)

    def succeeded(self, result):
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        if self.partial and is_htmx(self.request):
            # htmx swaps the page's fragment in place: render it again with a fresh form.
            return self.render(self.get_form())
        return redirect(self.get_success_url(result))

    def render(self, form, **extra):
        context = self.get_context_data(**{self.form_name: form}, **extra)
        return render_page(self.request, self.template_name, context, partial=self.partial)


def by_action(views: dict, *, field: str = "action"):
    """One URL, several forms: POSTs go to the view named by the submit button's ``action``
    (the ``None`` entry takes any other value, and every GET)."""
    default = views[None]

    def view(request, *args, **kwargs):
        posted = request.POST.get(field) if request.method == "POST" else None
        return views.get(posted, default)(request, *args, **kwargs)

    view.__doc__ = default.__doc__
    return view
