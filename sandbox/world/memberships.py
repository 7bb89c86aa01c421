"""Contact-group membership: contact-group-member-search lists one row per contact and group (columns as the
Zookal tap-brightpearl reads them), and contact-group-search's numberOfMembers counts them.

Membership is a pure function of the seed and the contact id, so it needs no storage and scales with the contacts:
about a third of the contacts belong to one group, and one in eight of those to a second one too. Rows are derived
from the current contact-search rows, so a renamed, created or deleted contact shows up at once.
"""

from __future__ import annotations

from collections import Counter

from .interface import SearchTable, columns
from .rand import mix, tag

TAG_MEMBERSHIP = tag("contact-group-membership")

MEMBER_SEARCH_COLUMNS = columns(
    ("contactId", "IDSET"),
    ("firstName", "SEARCH_STRING"),
    ("lastName", "SEARCH_STRING"),
    ("contactGroupId", "IDSET"),
    ("contactGroupName", "STRING"),
    ("contactGroupDescription", "STRING"),
)


def groups_of(seed: int, contact_id: int, group_count: int) -> tuple[int, ...]:
    """The contact-group ids (1-based, ascending) a contact belongs to."""
    if group_count < 1:
        return ()
    h = mix(seed, TAG_MEMBERSHIP, contact_id)
    slot = h % (3 * group_count)
    if slot >= group_count:
        return ()
    first = slot + 1
    if group_count > 1 and (h >> 20) % 8 == 0:
        return tuple(sorted((first, first % group_count + 1)))
    return (first,)


class MemberTable(SearchTable):
    """contact-group-member-search: rows follow contact-search (names, existence) and contact-group-search (names)."""

    columns = MEMBER_SEARCH_COLUMNS

    def __init__(self, seed: int, contact_search: SearchTable, groups: SearchTable):
        self._seed = seed
        self._contacts = contact_search
        self._groups = groups
        names = [c.name for c in contact_search.columns]
        self._first, self._last = names.index("firstName"), names.index("lastName")
        self._cached: tuple[list, list, list[list]] | None = None

    def rows(self) -> list[list]:
        contact_rows, group_rows = self._contacts.rows(), self._groups.rows()
        cached = self._cached
        if cached is not None and cached[0] is contact_rows and cached[1] is group_rows:
            return cached[2]
        groups = {row[0]: row for row in group_rows}
        rows = []
        for contact in contact_rows:
            for group_id in groups_of(self._seed, contact[0], len(groups)):
                group = groups.get(group_id)
                if group is not None:
                    rows.append([contact[0], contact[self._first], contact[self._last], group_id, group[1], group[2]])
        self._cached = (contact_rows, group_rows, rows)
        return rows


class GroupTable(SearchTable):
    """contact-group-search over the stored group rows, with numberOfMembers counted from the member rows."""

    def __init__(self, groups: SearchTable, members: MemberTable):
        self.columns = groups.columns
        self._groups = groups
        self._members = members
        self._count = [c.name for c in groups.columns].index("numberOfMembers")
        self._cached: tuple[list, list, list[list]] | None = None

    def rows(self) -> list[list]:
        group_rows, member_rows = self._groups.rows(), self._members.rows()
        cached = self._cached
        if cached is not None and cached[0] is group_rows and cached[1] is member_rows:
            return cached[2]
        counts = Counter(row[3] for row in member_rows)
        rows = [[*row[: self._count], counts.get(row[0], 0), *row[self._count + 1 :]] for row in group_rows]
        self._cached = (group_rows, member_rows, rows)
        return rows
