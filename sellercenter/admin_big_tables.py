"""Django admin changelists for tables of millions of rows: every query a page runs is served by an index.

Django admin's defaults read a big table whole: the paginator COUNTs every matching row, a date
hierarchy asks MIN/MAX and DISTINCT years, a list filter on a field without choices lists its DISTINCT
values, `icontains` searches cannot use a B-tree index, and sorting by any column sorts the table.
`BigTableAdmin` replaces each:

- the page count is bounded: at most `count_cap` rows are counted ("10,000+ orders"), so the first
  pages cost the same at any size; narrow with filters or a search to reach older rows;
- no date hierarchy (use a `DateFieldListFilter`, whose choices are fixed);
- no facet counts (they COUNT every choice over the table);
- searches declared per field as `exact` or `prefix` (case-sensitive, as stored): each an equality or
  a range an index answers; a term a field cannot hold (text for a numeric id) skips that field;
- only the columns in `sortable_by` sort (those with an index), none by default.

Filters must have fixed choices or choices read from a small table (a foreign key to shops). The
changelist's default ordering must be served by an index (the primary key when nothing else is).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

HIGHEST = "\U0010ffff"  # sorts after every character: `prefix <= value < prefix + HIGHEST`


class BoundedCountPaginator(Paginator):
    """A paginator that counts at most `cap` rows: COUNT over `LIMIT cap + 1`, ordering left out."""

    cap = 10_000

    @cached_property
    def count(self):
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False


class BigTableAdmin(admin.ModelAdmin):
    """A ModelAdmin whose changelist reads only what an index serves (see the module docstring).

    `indexed_search`: (field, "exact" | "prefix") pairs; the search box matches any of them."""

    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    sortable_by = ()
    indexed_search: tuple[tuple[str, str], ...] = ()

    def get_search_fields(self, request):
        return [name for name, _ in self.indexed_search]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or not self.indexed_search:
            return queryset, False
        condition = Q()
        for name, kind in self.indexed_search:
            value = self._as_field_value(name, term)
            if value is None:
                continue
            if kind == "exact":
                condition |= Q(**{name: value})
            elif kind == "prefix":
                condition |= Q(**{f"{name}__gte": value, f"{name}__lt": value + HIGHEST})
            else:
                raise ValueError(f"{type(self).__name__}.indexed_search: {kind!r} is neither exact nor prefix")
        return (queryset.filter(condition) if condition else queryset.none()), False

    def _as_field_value(self, name, term):
        """`term` as the value the field holds, or None when it cannot hold it (letters for an id, a number
        past the column's range, text longer than it)."""
        field = self.model._meta.get_field(name.split("__")[0])
        if field.is_relation and "__" not in name:
            field = field.target_field
        elif field.is_relation:
            field = field.related_model._meta.get_field(name.split("__", 1)[1])
        try:
            value = field.to_python(term)
            field.run_validators(value)
        except ValidationError:
            return None
        return value

    def get_search_help_text(self):
        parts = [
            f"{name.replace('__', ' ')} ({'starts with' if kind == 'prefix' else 'exactly'})"
            for name, kind in self.indexed_search
        ]
        return "Matches " + ", ".join(parts) + "; case as stored." if parts else None

    @property
    def search_help_text(self):
        return self.get_search_help_text()
