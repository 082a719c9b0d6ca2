"""One way to build a filtered list (after NetBox's ``ObjectListView``), and a detail page.

``ScopedListView`` runs the steps every list shares: bind the filter form (a filter the user
may not use, such as a cluster they cannot see, is dropped and the rest apply), ask the
selector for the rows the user may see, sort by a column the list allows, and then either
page the rows (the whole page, or only its ``results`` fragment for htmx) or, with
``?export=csv`` or ``?export=xlsx``, export every row of the same selection.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.views import View

from clusterwork.core import exports, registry
from clusterwork.core.htmx import render_page


class ScopedListView(View):
    http_method_names = ["get"]

    template_name: str = ""
    title = ""  # the page's heading (core/list.html)
    partial = "results"
    filter_form_class = None
    # Filters other apps add to this list's form (core.registry.add_filter_field).
    registry_name: str | None = None
    paginate_by = 50
    # ?sort=<key> or ?sort=-<key>; each key names the order_by fields it stands for.
    sortable: dict[str, tuple[str, ...]] = {}
    default_sort = ""
    # Columns of the CSV/XLSX export, as in core.exports; none → the list has no export.
    export_columns: tuple = ()
    export_filename = "export"

    def get_filter_form_kwargs(self) -> dict:
        return {}

    def get_queryset(self, filters: dict):
        """The rows the user may see, filtered: call the app's selector here."""
        raise NotImplementedError

    def get_context_data(self, **context) -> dict:
        return context

    def get_export_rows(self, queryset):
        return queryset.iterator(chunk_size=2000)

    def get(self, request, *args, **kwargs):
        form = None
        filters: dict = {}
        if self.filter_form_class is not None:
            form = self.filter_form_class(request.GET or None, **self.get_filter_form_kwargs())
            if self.registry_name:
                for name, extra in registry.filter_fields_for(self.registry_name, request):
                    form.fields[name] = extra
            form.is_valid()
            filters = getattr(form, "cleaned_data", {})
        queryset = self.get_queryset(filters)
        sort = self.sort_key()
        if sort:
            descending = sort.startswith("-")
            fields = self.sortable[sort.lstrip("-")]
            queryset = queryset.order_by(*(f"-{f}" if descending else f for f in fields))
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in exports.FORMATS or not self.export_columns:
                raise Http404("This list does not export in that format.")
            return exports.export_response(
                fmt, self.get_export_rows(queryset), self.export_columns, self.export_filename
            )
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        context = self.get_context_data(
            title=self.title,
            form=form,
            page_obj=page,
            sort=sort,
            exports=exports.FORMATS if self.export_columns else (),
        )
        return render_page(request, self.template_name, context, partial=self.partial)

    def sort_key(self) -> str:
        asked = self.request.GET.get("sort", "")
        return asked if asked.lstrip("-") in self.sortable else self.default_sort


class ObjectDetailView(View):
    """A page about one object: reached through its access helper, so 404 for anyone who may
    not see it. The template gets it under its model's name (``cluster``); ``page_context``
    adds what else the page shows."""

    http_method_names = ["get"]
    access = None
    pk_kwarg = "pk"
    template_name = ""
    partial: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        value = cls.__dict__.get("access")
        if callable(value) and not isinstance(value, staticmethod):
            cls.access = staticmethod(value)

    def get_object(self):
        return self.access(self.request.user, self.kwargs[self.pk_kwarg])

    def page_context(self) -> dict:
        """What the page shows of the object."""
        return {}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        name = getattr(getattr(self.object, "_meta", None), "model_name", "object")
        context = {"object": self.object, name: self.object, **self.page_context()}
        return render_page(request, self.template_name, context, partial=self.partial)
