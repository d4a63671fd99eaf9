"""The fast JSON paths write exactly what the straightforward dict + ``json.dumps`` wrote."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any

import orjson
import pytest

from tests.helpers.emuapi import START, Api
from zoomtui.emulator import Dataset, columns, fastpages, hostile_text, names, render
from zoomtui.emulator import dataset as dataset_module
from zoomtui.emulator.columns import mix
from zoomtui.emulator.handler import encode
from zoomtui.emulator.render import iso

AWKWARD = ["O'Brien", 'say "hi"', "back\\slash", "😀 emoji", "李静", "tab\there", "nl\n",
           "\x01\x7f", "\u2028", "/slash/", ""]  # fmt: skip


def old_encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("text", AWKWARD)
def test_encode_writes_the_same_bytes_as_json_dumps(text: str) -> None:
    body = {"name": text, "n": 2**59 + 1, "f": [1.5, None, True], "nested": {text: [text]}}
    assert encode(body) == old_encode(body)


def test_encode_falls_back_for_what_orjson_refuses() -> None:
    body: dict[Any, Any] = {"big": 2**70, 3: "int key"}
    assert encode(body) == old_encode(body)


def test_encode_splices_fragments() -> None:
    body = {"a": 1, "rows": orjson.Fragment(b'[{"x":"\\u00e9"}]')}
    assert json.loads(encode(body)) == {"a": 1, "rows": [{"x": "é"}]}


def test_iso_matches_strftime() -> None:
    epochs = [0, 59, 60, 3599, 86_399, 86_400, 951_782_400, 1_780_000_000, 4_102_444_799]
    epochs += [mix(3, i) % 4_102_444_800 for i in range(20_000)]
    for epoch in epochs:
        assert iso(epoch) == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def pairs(text: str | bytes) -> Any:
    """Parsed JSON with every object as its list of (key, value): order counts too."""
    return json.loads(text, object_pairs_hook=list)


def same_json(fragment: orjson.Fragment, old: list[dict[str, Any]]) -> None:
    """The fast text parses to the old dicts, key order included, and is byte-identical."""
    fast = orjson.dumps({"x": fragment})
    assert pairs(fast) == pairs(old_encode({"x": old}))
    assert fast == old_encode({"x": old})


@pytest.fixture
def awkward(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """The session account with quotes, backslashes, emoji and control characters
    in names, e-mail addresses, departments, time zones and client names."""

    def spoil(pool: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            (entry[0] + AWKWARD[i % len(AWKWARD)], entry[1] + AWKWARD[i % 4], *entry[2:])
            for i, entry in enumerate(pool)
        )

    monkeypatch.setattr(columns, "FIRST_NAMES", spoil(columns.FIRST_NAMES))
    monkeypatch.setattr(columns, "LAST_NAMES", spoil(columns.LAST_NAMES))
    clients = spoil(names.CLIENTS)
    clients = tuple((a, b + AWKWARD[i], c + AWKWARD[-i]) for i, (a, b, c) in enumerate(clients))
    for module in (dataset_module, fastpages, render):
        monkeypatch.setattr(module, "CLIENTS", clients, raising=False)
    for pool in ("DEPARTMENTS", "TIMEZONES"):
        spoilt = tuple(v + AWKWARD[i % len(AWKWARD)] if v else v
                       for i, v in enumerate(getattr(names, pool)))  # fmt: skip
        for module in (fastpages, render, dataset_module):
            monkeypatch.setattr(module, pool, spoilt, raising=False)
    accounts = tuple(
        replace(a, domain=f'{a.domain}"\\{i}😀') for i, a in enumerate(dataset.accounts)
    )
    ds = dataset
    return Dataset(seed=ds.seed, now=ds.now, accounts=accounts, cols=ds.cols, events=ds.events,
                   hosts=ds.hosts, next_serial=ds.next_serial)  # fmt: skip


def test_activity_logs_match_event_json(dataset: Dataset) -> None:
    keys = list(dataset.events)
    same_json(fastpages.activity_logs(dataset, keys), [dataset.event_json(k) for k in keys])


def test_activity_logs_match_event_json_after_advance(dataset: Dataset) -> None:
    later = dataset.advance(9)
    keys = list(later.events)
    same_json(fastpages.activity_logs(later, keys), [later.event_json(k) for k in keys])


def test_activity_logs_match_event_json_with_awkward_strings(awkward: Dataset) -> None:
    keys = list(awkward.events)
    assert '"' in awkward.event_json(keys[0])["email"]
    same_json(fastpages.activity_logs(awkward, keys), [awkward.event_json(k) for k in keys])


def walk(api: Api, path: str, items: str, **params: Any) -> list[dict[str, Any]]:
    """Every page of a listing, 300 at a time; their items in order."""
    found, token = [], ""
    while True:
        body = api.get(path, page_size=300, next_page_token=token, **params).json()
        assert body["page_size"] == 300
        found += body[items]
        token = body["next_page_token"]
        if not token:
            return found


def test_report_pages_serve_the_ground_truth(api: Api, dataset: Dataset) -> None:
    start, end = START.date() - timedelta(days=30), START.date()
    for account in dataset.accounts:
        path = f"/accounts/{account.id}/report/activities"
        logs = walk(api, path, "activity_logs", **{"from": str(start), "to": str(end)})
        assert logs == dataset.sign_in_events(start, end, account.id)


def test_user_pages_serve_the_ground_truth(api: Api, dataset: Dataset) -> None:
    for account in dataset.accounts:
        for status in ("active", "inactive", "pending"):
            users = walk(api, f"/accounts/{account.id}/users", "users", status=status)
            assert users == dataset.users_of(account.id, status, api.now[0])


def every_row(ds: Dataset) -> list[int]:
    """Every user, in listing order per account and status."""
    return [r for a in range(len(ds.accounts)) for s in range(3) for r in ds.rows(a, s)]


@pytest.mark.parametrize("days", [0, 9])
def test_user_list_matches_user_list_json(dataset: Dataset, days: int) -> None:
    ds = dataset.advance(days) if days else dataset
    rows, asked = every_row(ds), ds.now_epoch + 4321
    old = [render.user_list_json(ds, r, asked) for r in rows]
    assert {"pending", "active", "inactive"} == {u["status"] for u in old}
    assert any("license_info_list" in u for u in old) and any("dept" not in u for u in old)
    same_json(fastpages.user_list(ds, rows, asked), old)


def test_user_list_matches_user_list_json_with_awkward_strings(awkward: Dataset) -> None:
    rows = every_row(awkward)
    old = [render.user_list_json(awkward, r, awkward.now_epoch) for r in rows]
    assert any('"' in u["display_name"] and "\\" in u["email"] for u in old)
    same_json(fastpages.user_list(awkward, rows, awkward.now_epoch), old)


@pytest.fixture(scope="module")
def hostile_ds() -> Dataset:
    """A small account whose every third user carries escape sequences and markup."""
    return Dataset.generate(users=400, seed=11, start=START, hostile=True)


@pytest.mark.parametrize("days", [0, 9])
def test_user_list_matches_user_list_json_with_hostile_users(
    hostile_ds: Dataset, days: int
) -> None:
    ds = hostile_ds.advance(days) if days else hostile_ds
    rows = every_row(ds)
    old = [render.user_list_json(ds, r, ds.now_epoch) for r in rows]
    for text in hostile_text.PAYLOADS:  # every payload reaches every field
        for field in ("first_name", "last_name", "display_name", "email", "dept"):
            assert any(text in str(u.get(field)) for u in old), (text, field)
    same_json(fastpages.user_list(ds, rows, ds.now_epoch), old)


def test_activity_logs_match_event_json_with_hostile_users(hostile_ds: Dataset) -> None:
    keys = list(hostile_ds.events)
    events = [hostile_ds.event_json(k) for k in keys]
    assert any("\x1b" in e["email"] for e in events)
    same_json(fastpages.activity_logs(hostile_ds, keys), events)


def test_hostile_users_are_found_by_their_address(hostile_ds: Dataset) -> None:
    acct = hostile_ds.account_index(hostile_ds.main.id)
    assert acct is not None
    user = next(u for u in hostile_ds.users_of(hostile_ds.main.id) if "\x1b" in u["email"])
    assert hostile_ds.settings_of(hostile_ds.main.id, user["email"].upper())
    assert hostile_ds.settings_of(hostile_ds.main.id, user["id"])


def test_a_plain_dataset_has_no_hostile_text(dataset: Dataset) -> None:
    users = dataset.users_of(dataset.main.id)
    assert not any(p in str(u) for u in users for p in hostile_text.PAYLOADS)
