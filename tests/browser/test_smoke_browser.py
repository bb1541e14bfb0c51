"""The browser harness itself: the server answers, chromium renders, axe runs."""

from tests import factory
from tests.browser.conftest import axe_check, login_as, no_horizontal_overflow


def test_it_serves_the_welcome_page(page, live_server_url):
    page.goto(live_server_url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    axe_check(page)


def test_it_signs_a_leader_in_on_a_phone(phone, live_server_url):
    leader = factory.leader(name="Hannah Head")
    login_as(phone, live_server_url, leader)
    assert phone.get_by_role("heading", name="Hello, Hannah Head").is_visible()
    no_horizontal_overflow(phone)
    axe_check(phone)


def test_it_serves_again_after_a_restart(page, app_server):
    page.goto(app_server.url + "/login/")
    page.wait_for_load_state("networkidle")
    app_server.restart()
    page.reload()
    assert page.get_by_role("heading", name="Sign in").is_visible()
