"""Warehouse zones, channel brands and contact-group members: consistent with the resources that point at them."""

from __future__ import annotations

from collections import Counter

from sandbox.world import World
from sandbox.world.memberships import groups_of


def test_every_zone_a_location_names_exists_in_its_warehouse(small_world: World):
    zones = {row["id"]: row for row in small_world.truth("zone")}
    assert zones and all(row["name"] for row in zones.values())
    for location in small_world.truth("location"):
        if location["zoneId"] is not None:
            assert zones[location["zoneId"]]["warehouseId"] == location["warehouseId"]


def test_channel_brands_cover_the_channels(small_world: World):
    brands = {record["channelBrandId"]: record for record in small_world.truth("channel-brand")}
    assert {channel["channelBrandId"] for channel in small_world.truth("channel")} <= set(brands)
    for record in brands.values():
        assert isinstance(record["name"], str) and isinstance(record["addressBookId"], int)
        assert all(isinstance(record[key], dict) for key in ("templates", "shippingTemplates", "financialDetails", "logo"))


def test_members_are_existing_contacts_and_groups_count_them(small_world: World):
    contacts = {c["contactId"]: c for c in small_world.truth("contact")}
    groups = {g["contactGroupId"]: g for g in small_world.truth("contact-group")}
    members = list(small_world.truth("contact-group-member"))
    assert members
    keys = [(m["contactGroupId"], m["contactId"]) for m in members]
    assert len(keys) == len(set(keys)), "one row per contact and group"
    assert [m["contactId"] for m in members] == sorted(m["contactId"] for m in members)
    for member in members:
        contact = contacts[member["contactId"]]
        assert (member["firstName"], member["lastName"]) == (contact["firstName"], contact["lastName"])
        group = groups[member["contactGroupId"]]
        assert (member["contactGroupName"], member["contactGroupDescription"]) == (group["name"], group["description"])
    counts = Counter(m["contactGroupId"] for m in members)
    assert {gid: g["numberOfMembers"] for gid, g in groups.items()} == {gid: counts.get(gid, 0) for gid in groups}


def test_members_follow_contact_changes(fresh_world: World):
    world = fresh_world
    groups = len(list(world.truth("contact-group")))
    member = next(iter(world.truth("contact-group-member")))
    world.update("contact", member["contactId"], firstName="Renamed")
    assert {m["firstName"] for m in world.truth("contact-group-member") if m["contactId"] == member["contactId"]} == {"Renamed"}
    before = {g["contactGroupId"]: g["numberOfMembers"] for g in world.truth("contact-group")}
    world.delete("contact", member["contactId"])
    assert member["contactId"] not in {m["contactId"] for m in world.truth("contact-group-member")}
    after = {g["contactGroupId"]: g["numberOfMembers"] for g in world.truth("contact-group")}
    for group_id in groups_of(world.seed, member["contactId"], groups):
        assert after[group_id] == before[group_id] - 1
