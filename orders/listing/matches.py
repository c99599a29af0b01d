"""What a search found out before the list reads any order, carried beside its condition.

A search (order ids, SKU, tracking number, buyer name) looks its matches up first. What it learnt
then (at most so many match, at least so many match, where their keys can be read) decides the plan.
It travels in a Match, not on attributes of the Q object, which any &, |, ~ or copy() would drop."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Match:
    condition: Q
    bound: int | None = None  # at most this many orders match (the search read them, or counted them)
    floor: int = 0  # at least this many orders of the searched shops match (0: unknown)
    read_keys: Callable | None = None  # (shop_ids, limit, using=) -> [(shop, status, created, id)] from its own table
    shops: frozenset | None = None  # exactly the searched shops that hold a match (None: not known)

    @classmethod
    def ids(cls, ids) -> "Match":
        """The orders with these ids: read first, so their number bounds the matches."""
        ids = list(ids)
        return cls(Q(pk__in=ids), bound=len(ids))

    @classmethod
    def any_of(cls, parts: list["Match"]) -> "Match":
        """Orders matching any part: bounded by the sum of the parts' bounds when every part has one,
        else at least as many as the part with the most."""
        condition = Q()
        for part in parts:
            condition |= part.condition
        bounds = [part.bound for part in parts]
        if None not in bounds:
            return cls(condition, bound=sum(bounds))
        shops = [part.shops for part in parts]
        return cls(
            condition,
            floor=max(part.floor for part in parts),
            shops=None if None in shops else frozenset().union(*shops),
        )


@dataclass(frozen=True)
class SearchFacts:
    """What the filterset's searches together say of the matches, for the plan."""

    bound: int | None = None  # the tightest bound of all searches
    floor: int = 0  # a lone search's floor, when no other filter narrows it
    read_keys: Callable | None = None  # a lone search's own reader of its matches' keys
    shops: frozenset | None = None  # a lone search's shops with matches: exactly those, none asked
    within: frozenset | None = None  # no shop outside these can match (every search with known shops)

    @classmethod
    def of(cls, matches: list[Match], narrowing: int) -> "SearchFacts":
        bounds = [m.bound for m in matches if m.bound is not None]
        alone = narrowing == 1 and len(matches) == 1
        known = [m.shops for m in matches if m.shops is not None]
        return cls(
            bound=min(bounds) if bounds else None,
            floor=matches[0].floor if alone else 0,
            read_keys=matches[0].read_keys if alone else None,
            shops=matches[0].shops if alone else None,
            within=frozenset.intersection(*known) if known else None,
        )
