"""A list request, parsed and validated once into a frozen specification.

The spec is what a list *is* (which shops, which filters, which tab, sort and page), whoever asks for
it: the Manage Orders page, an export, a bulk action. It holds the filter parameters as given, never
ids, so an export or a saved view stored as a spec means the same orders when it is run again."""

from dataclasses import dataclass
from datetime import datetime

from django.http import QueryDict

from . import limits

# Parameters of a list URL that are not filters
CONTROLS = frozenset({"page", "page_size", "sort"})
# Form plumbing that may ride along with a list's query string
PLUMBING = frozenset({"csrfmiddlewaretoken", "query", "format", "layout", "shops", "all_matching", "order"})
DEFAULTS = {"tab": "all", "date_field": "created"}


def filter_params(query: QueryDict) -> dict[str, list[str]]:
    """The filters that are set in a query string (lists, as a QueryDict holds them), defaults left out."""
    return {
        key: [value for value in query.getlist(key) if value != ""]
        for key in sorted(query)
        if key not in CONTROLS | PLUMBING
        and any(value != "" for value in query.getlist(key))
        and query.getlist(key) != [DEFAULTS.get(key)]
    }


@dataclass(frozen=True)
class ListSpec:
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # the filters set, sorted by name, defaults left out
    sort: str = "-created"
    number: int = 1
    size: int = limits.PAGE_SIZES[0]
    shop_ids: tuple[int, ...] = ()  # every shop whose orders the user may list with the permission asked
    pii_shop_ids: tuple[int, ...] = ()  # the shops where the user may search by buyer data
    now: datetime | None = None  # the moment date presets resolve against

    @classmethod
    def of(cls, query: QueryDict, **fields) -> "ListSpec":
        params = filter_params(query)
        return cls(filters=tuple((key, tuple(values)) for key, values in params.items()), **fields)

    @property
    def tab(self) -> str:
        return dict(self.filters).get("tab", (DEFAULTS["tab"],))[0]

    def data(self, **overrides) -> QueryDict:
        """The filters as the filterset reads them, with the defaults filled in."""
        data = QueryDict(mutable=True)
        for key, values in self.filters:
            data.setlist(key, list(values))
        for key, value in {**DEFAULTS, **overrides}.items():
            if key in overrides or not data.get(key):
                data[key] = value
        return data

    def query_string(self) -> str:
        """The list's URL query: only the parameters that are set."""
        data = QueryDict(mutable=True)
        for key, values in self.filters:
            data.setlist(key, list(values))
        if self.sort != "-created":
            data["sort"] = self.sort
        if self.size != limits.PAGE_SIZES[0]:
            data["page_size"] = str(self.size)
        return data.urlencode()
