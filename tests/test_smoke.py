def test_login_page_renders_in_german(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()


def test_dashboard_for_member(member_client):
    response = member_client.get("/")
    assert response.status_code == 200
