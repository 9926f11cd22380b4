def test_admin_login_goes_through_the_rate_limited_portal_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_id_rotates_at_login(client, member):
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key
    assert before
    response = client.post("/accounts/login/", {"login": member.email, "password": "Test-Passwort-2026"})
    assert response.status_code == 302
    assert client.session.session_key != before
