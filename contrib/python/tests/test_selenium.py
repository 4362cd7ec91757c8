"""Run your Selenium suite locally: Selenium's Remote WebDriver, given the
URL boto3 gets from CreateTestGridUrl, drives a headless Chromium through
`testgrid serve`, which records the session as Device Farm does."""

import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By

PAGE = "data:text/html,<title>checkout</title><input id=card><button onclick='document.title=\"paid\"'>Pay</button>"


def test_checkout_in_a_local_browser(devicefarm_client):
    project = devicefarm_client.create_test_grid_project(name="checkout")["testGridProject"]["arn"]
    url = devicefarm_client.create_test_grid_url(projectArn=project, expiresInSeconds=300)["url"]

    options = webdriver.ChromeOptions()
    options.set_capability("browserVersion", "latest")
    driver = webdriver.Remote(command_executor=url, options=options)
    try:
        driver.get(PAGE)
        driver.find_element(By.ID, "card").send_keys("4242 4242 4242 4242")
        driver.find_element(By.TAG_NAME, "button").click()
        assert driver.title == "paid"
    finally:
        driver.quit()

    # What Device Farm would list: the session, its commands and its log.
    [session] = devicefarm_client.list_test_grid_sessions(projectArn=project)["testGridSessions"]
    assert session["status"] == "CLOSED"
    assert '"browserVersion":"latest"' in session["seleniumProperties"]
    actions = devicefarm_client.list_test_grid_session_actions(sessionArn=session["arn"])["actions"]
    assert any(a["action"] == "POST /session/{sessionId}/url" for a in actions)
    [log] = devicefarm_client.list_test_grid_session_artifacts(sessionArn=session["arn"])["artifacts"]
    assert log["type"] == "SELENIUM_LOG"
    with urllib.request.urlopen(log["url"]) as response:
        text = response.read().decode()
    assert "/element" in text and "4242" not in text
