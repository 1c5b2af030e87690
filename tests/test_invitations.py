"""Migration 2: invitation links, roles and the place a manager answers for."""

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from storage import (
    NotFound,
    add_manager,
    add_place,
    get_person,
    interview_step,
    is_update_processed,
    open_db,
    places_of_manager,
    remove_place,
    upsert_person,
)
from storage.db import immediate_transaction
from storage.invitations import (
    ExpiredInvitation,
    InvitationError,
    RevokedInvitation,
    UnknownInvitation,
    UsedInvitation,
    create_invitation,
    find_invitation,
    list_invitations,
    redeem_invitation,
    revoke_invitation,
    token_prefix,
)
from storage.roles import (
    COORDINATEUR,
    DESTINATAIRE,
    GESTIONNAIRE,
    current_place,
    grant_role,
    has_role,
    people_with_role,
    revoke_role,
    roles_of,
    set_current_place,
)
from storage.updates import claim_update


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "fichebot.db")
    yield database
    database.close()


@pytest.fixture
def place(db):
    return add_place(db, "La Tréso")


@pytest.fixture
def alice(db):
    return upsert_person(db, 1001, "Alice")


def test_schema(db):
    assert {"invitations", "roles"} <= set(db.table_names())
    assert "current_place_id" in db["people"].columns_dict
    assert db["roles"].pks == ["person_id", "role"]


def test_token_is_url_safe_and_only_its_hash_is_stored(db, place):
    token = create_invitation(db, GESTIONNAIRE, place.id, created_by=42)
    assert 20 <= len(token) <= 64
    assert all(c.isalnum() or c in "-_" for c in token)
    dump = "\n".join(db.conn.iterdump())
    assert token not in dump
    assert hashlib.sha256(token.encode()).hexdigest() in dump
    assert token_prefix(token) == token[:4] + "…"
    invitation = find_invitation(db, token)
    assert invitation.role == GESTIONNAIRE and invitation.place_id == place.id
    assert invitation.created_by == 42 and invitation.uses == 0 and not invitation.reusable
    created = datetime.fromisoformat(invitation.created_at)
    assert datetime.fromisoformat(invitation.expires_at) - created == timedelta(days=14)


def test_two_invitations_have_different_tokens(db, place):
    assert create_invitation(db, GESTIONNAIRE, place.id, 1) != create_invitation(
        db, GESTIONNAIRE, place.id, 1)


def test_bad_arguments(db, place):
    with pytest.raises(ValueError):
        create_invitation(db, "chef", place.id, 1)
    with pytest.raises(ValueError):
        create_invitation(db, GESTIONNAIRE, None, 1)
    with pytest.raises(ValueError):
        create_invitation(db, GESTIONNAIRE, place.id, 1, ttl_days=0)
    with pytest.raises(NotFound):
        create_invitation(db, GESTIONNAIRE, 999, 1)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO invitations (token_hash, role, created_at, expires_at)"
            " VALUES ('x', 'gestionnaire', 'now', 'later')"
        )


def test_redeeming_a_manager_link_makes_a_manager_of_the_current_place(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, created_by=42)
    assert current_place(db, alice.telegram_id) is None
    invitation = redeem_invitation(db, token, alice.telegram_id)
    assert invitation.uses == 1
    assert [p.id for p in places_of_manager(db, alice.telegram_id)] == [place.id]
    assert current_place(db, alice.telegram_id) == place
    assert roles_of(db, alice.telegram_id) == {GESTIONNAIRE}


def test_single_use_link_cannot_be_redeemed_twice(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42)
    redeem_invitation(db, token, alice.telegram_id)
    bob = upsert_person(db, 1002, "Bob")
    with pytest.raises(UsedInvitation):
        redeem_invitation(db, token, bob.telegram_id)
    assert places_of_manager(db, bob.telegram_id) == []
    assert find_invitation(db, token).uses == 1


def test_reusable_link(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42, reusable=True)
    redeem_invitation(db, token, alice.telegram_id)
    bob = upsert_person(db, 1002, "Bob")
    assert redeem_invitation(db, token, bob.telegram_id).uses == 2
    assert current_place(db, bob.telegram_id) == place


@pytest.mark.parametrize("token", ["", "nope", "a" * 65, "with space", "é" * 10])
def test_unknown_tokens(db, alice, token):
    with pytest.raises(UnknownInvitation):
        redeem_invitation(db, token, alice.telegram_id)


def test_expired_link_changes_nothing(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42, ttl_days=1)
    later = datetime.now(UTC) + timedelta(days=2)
    with pytest.raises(ExpiredInvitation):
        redeem_invitation(db, token, alice.telegram_id, now=later)
    assert places_of_manager(db, alice.telegram_id) == []
    assert find_invitation(db, token).uses == 0


def test_revoked_link(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42)
    invitation = revoke_invitation(db, find_invitation(db, token).id)
    assert invitation.revoked
    assert revoke_invitation(db, invitation.id).revoked_at == invitation.revoked_at
    with pytest.raises(RevokedInvitation):
        redeem_invitation(db, token, alice.telegram_id)
    assert places_of_manager(db, alice.telegram_id) == []
    with pytest.raises(NotFound):
        revoke_invitation(db, 999)


def test_errors_share_a_base_class():
    for cls in (UnknownInvitation, ExpiredInvitation, UsedInvitation, RevokedInvitation):
        assert issubclass(cls, InvitationError)


def test_link_of_a_removed_place_is_unknown(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42)
    remove_place(db, place.id)
    with pytest.raises(UnknownInvitation):
        redeem_invitation(db, token, alice.telegram_id)


def test_person_must_exist(db, place):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42)
    with pytest.raises(NotFound):
        redeem_invitation(db, token, 5555)
    assert find_invitation(db, token).uses == 0


def test_manager_of_two_places_switches_by_opening_a_link_again(db, place, alice):
    ruche = add_place(db, "La Ruche Paris")
    treso_token = create_invitation(db, GESTIONNAIRE, place.id, 42)
    ruche_token = create_invitation(db, GESTIONNAIRE, ruche.id, 42)
    redeem_invitation(db, treso_token, alice.telegram_id)
    redeem_invitation(db, ruche_token, alice.telegram_id)
    assert current_place(db, alice.telegram_id) == ruche
    # The used-up link of La Tréso still switches back, without counting a use.
    invitation = redeem_invitation(db, treso_token, alice.telegram_id,
                                   now=datetime.now(UTC) + timedelta(days=30))
    assert invitation.uses == 1
    assert current_place(db, alice.telegram_id) == place


def test_current_place_falls_back_to_a_managed_place(db, place, alice):
    ruche = add_place(db, "La Ruche Paris")
    add_manager(db, place.id, alice.telegram_id)
    add_manager(db, ruche.id, alice.telegram_id)
    assert current_place(db, alice.telegram_id) == ruche  # sorted by name: "La Ruche" first
    set_current_place(db, alice.telegram_id, place.id)
    assert current_place(db, alice.telegram_id) == place
    remove_place(db, place.id)
    assert current_place(db, alice.telegram_id) == ruche
    with pytest.raises(NotFound):
        set_current_place(db, alice.telegram_id, add_place(db, "Utopic").id)


def test_current_place_comes_with_its_response_of_the_year(db, place, alice):
    from storage import get_or_create_response
    from storage.roles import current_place_and_response

    assert current_place_and_response(db, alice.telegram_id, 2026) is None
    ruche = add_place(db, "La Ruche Paris")
    add_manager(db, place.id, alice.telegram_id)
    add_manager(db, ruche.id, alice.telegram_id)
    assert current_place_and_response(db, alice.telegram_id, 2026) == (ruche, None)
    response = get_or_create_response(db, ruche.id, 2026, "2025.1")
    get_or_create_response(db, place.id, 2026, "2025.1")
    assert current_place_and_response(db, alice.telegram_id, 2026) == (ruche, response)
    assert current_place_and_response(db, alice.telegram_id, 2025) == (ruche, None)
    set_current_place(db, alice.telegram_id, place.id)
    found_place, found = current_place_and_response(db, alice.telegram_id, 2026)
    assert found_place == place and found.place_id == place.id and found.year == 2026


def test_coordinator_and_recipient_links(db, alice):
    token = create_invitation(db, COORDINATEUR, None, 42)
    redeem_invitation(db, token, alice.telegram_id)
    assert has_role(db, alice.telegram_id, COORDINATEUR)
    assert current_place(db, alice.telegram_id) is None
    token = create_invitation(db, DESTINATAIRE, None, 42)
    redeem_invitation(db, token, alice.telegram_id)
    assert roles_of(db, alice.telegram_id) == {COORDINATEUR, DESTINATAIRE}
    assert people_with_role(db, DESTINATAIRE) == [alice.telegram_id]


def test_roles(db, alice):
    grant_role(db, alice.telegram_id, COORDINATEUR)
    grant_role(db, alice.telegram_id, COORDINATEUR)
    assert roles_of(db, alice.telegram_id) == {COORDINATEUR}
    assert revoke_role(db, alice.telegram_id, COORDINATEUR)
    assert not revoke_role(db, alice.telegram_id, COORDINATEUR)
    with pytest.raises(ValueError):
        grant_role(db, alice.telegram_id, GESTIONNAIRE)
    with pytest.raises(NotFound):
        grant_role(db, 5555, COORDINATEUR)


def test_list_invitations(db, place, alice):
    used = create_invitation(db, GESTIONNAIRE, place.id, 42)
    redeem_invitation(db, used, alice.telegram_id)
    revoked = create_invitation(db, GESTIONNAIRE, place.id, 42)
    revoke_invitation(db, find_invitation(db, revoked).id)
    live = create_invitation(db, GESTIONNAIRE, place.id, 42)
    other = create_invitation(db, COORDINATEUR, None, 42)
    assert [i.id for i in list_invitations(db, place.id)] == [find_invitation(db, live).id]
    assert len(list_invitations(db, place.id, include_inactive=True)) == 3
    assert len(list_invitations(db)) == 2
    assert find_invitation(db, other).role == COORDINATEUR


def test_redeem_joins_an_open_transaction_with_the_update_record(db, place, alice):
    token = create_invitation(db, GESTIONNAIRE, place.id, 42)
    with pytest.raises(RuntimeError), immediate_transaction(db):
        assert claim_update(db, 77)
        redeem_invitation(db, token, alice.telegram_id)
        raise RuntimeError("crash before commit")
    assert not is_update_processed(db, 77)
    assert find_invitation(db, token).uses == 0
    assert places_of_manager(db, alice.telegram_id) == []
    with immediate_transaction(db):
        assert claim_update(db, 77)
        redeem_invitation(db, token, alice.telegram_id)
    assert is_update_processed(db, 77)
    assert get_person(db, alice.telegram_id) is not None
    assert places_of_manager(db, alice.telegram_id) == [place]


def test_interview_step_still_works_after_migration_2(db, place, alice):
    from storage import get_or_create_response, load_answers

    response = get_or_create_response(db, place.id, 2026, "2025.1")
    with interview_step(db, response.id, alice.telegram_id, update_id=1) as s:
        s.save({"insertion.beneficiaires": 3}, {"mode": "review"})
    assert load_answers(db, response.id) == {"insertion.beneficiaires": 3}
