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
