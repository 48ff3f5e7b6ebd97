"""The one error format (shared/errors.py), as a browser and as an API client meet it."""


def test_a_wrong_method_on_a_page_answers_405_with_a_page_and_the_allowed_methods(client):
    response = client.put("/registration/", headers={"Accept": "text/html"})
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert b"does not accept that kind of request" in response.data


def test_a_wrong_method_on_the_api_answers_405_in_the_json_error_format(client):
    response = client.delete("/registration/api/themes")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_a_lost_database_connection_answers_503_with_retry_after_not_500(app):
    from sqlalchemy.exc import OperationalError

    def cut():
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    app.add_url_rule("/registration/api/_cut", "cut", cut)
    response = app.test_client().get("/registration/api/_cut")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["code"] == "unavailable"
