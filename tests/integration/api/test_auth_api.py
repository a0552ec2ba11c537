"""Signing in to the API over real HTTP: tokens, refresh, sign-out, refusals and throttling."""

from __future__ import annotations

from sqlalchemy import select

from core.db.models import ApiToken
from core.staff import auth
from tests.support.api_callers import Staff
from tests.support.api_server import ApiServer


def test_login_gives_opaque_tokens_stored_only_as_hashes(api: ApiServer, staff: Staff) -> None:
    body = api.login(staff.recruiter, staff.password)
    assert body["access"].startswith("iva_") and body["refresh"].startswith("ivr_")
    assert body["user"]["role"] == "recruiter" and body["token_type"] == "Bearer"
    with api.application.db.read() as s:
        row = s.scalars(select(ApiToken)).one()
        stored = {row.access_hash, row.refresh_hash}
    assert body["access"] not in stored and body["refresh"] not in stored
    with api.client(Authorization=f"Bearer {body['access']}") as c:
        me = c.get("/v1/auth/me")  # without the trailing slash too
    assert me.status_code == 200 and me.json()["email"] == staff.recruiter


def test_refresh_replaces_both_tokens_and_the_old_refresh_stops(
    api: ApiServer, staff: Staff
) -> None:
    first = api.login(staff.admin, staff.password)
    with api.client() as c:
        second = c.post("/v1/auth/refresh/", json={"refresh": first["refresh"]})
        assert second.status_code == 200
        again = c.post("/v1/auth/refresh/", json={"refresh": first["refresh"]})
        assert again.status_code == 401 and again.json()["code"] == "not_authenticated"
        old = c.get("/v1/auth/me/", headers={"Authorization": f"Bearer {first['access']}"})
        assert old.status_code == 401
        new = c.get("/v1/auth/me/", headers={"Authorization": f"Bearer {second.json()['access']}"})
        assert new.status_code == 200


def test_logout_ends_the_pair(api: ApiServer, staff: Staff) -> None:
    tokens = api.login(staff.manager, staff.password)
    with api.client(Authorization=f"Bearer {tokens['access']}") as c:
        assert c.post("/v1/auth/logout/").status_code == 204
        assert c.get("/v1/auth/me/").status_code == 401


def test_a_deactivated_user_s_tokens_stop_at_once(api: ApiServer, staff: Staff) -> None:
    tokens = api.login(staff.recruiter, staff.password)
    user = next(u for u in auth.list_users(api.application.db) if u.email == staff.recruiter)
    auth.set_active(api.application.db, user_id=user.id, active=False, actor_id=None)
    with api.client(Authorization=f"Bearer {tokens['access']}") as c:
        assert c.get("/v1/auth/me/").status_code == 401
        refreshed = c.post("/v1/auth/refresh/", json={"refresh": tokens["refresh"]})
        assert refreshed.status_code == 401


def test_wrong_password_is_401_and_a_flood_is_throttled_with_retry_after(
    api: ApiServer, staff: Staff
) -> None:
    with api.client() as c:
        codes = []
        for _ in range(8):
            r = c.post("/v1/auth/login/", json={"username": staff.admin, "password": "wrong one"})
            codes.append(r.status_code)
            assert r.json()["code"] in {"login_failed", "throttled"}
        assert codes[0] == 401 and codes[-1] == 429
        assert int(r.headers["Retry-After"]) >= 1


def test_forged_bearer_tokens_are_refused_then_throttled(api: ApiServer) -> None:
    with api.client(Authorization="Bearer iva_" + "A" * 43) as c:
        statuses = [c.get("/v1/auth/me/").status_code for _ in range(25)]
    assert statuses[0] == 401 and statuses[-1] == 429


def test_bad_input_gets_json_errors_never_500(api: ApiServer) -> None:
    with api.client() as c:
        r = c.post(
            "/v1/auth/login/", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 422 and r.json()["code"] == "invalid_request"
        r = c.post("/v1/auth/login/", json={"password": "x"})
        assert r.status_code == 422
        r = c.get("/v1/no-such-thing/")
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        r = c.delete("/v1/auth/login/")
        assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
        r = c.post("/v1/auth/login/", content=b"x" * (2 * 1024 * 1024))
        assert r.status_code == 413 and r.json()["code"] == "request_too_large"
        r = c.get("/v1/auth/me/", headers={"Authorization": "Digest abc"})
        assert r.status_code == 401
