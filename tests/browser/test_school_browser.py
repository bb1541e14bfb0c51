"""A senior leader opens the school view and starts the cross-department round."""

from audits.models import Audit
from tests import factory
from tests.browser.conftest import check_page, login_as
from tests.test_school_view import EXPLICIT, ORACY, by_area, fill


def test_it_shows_the_school_and_starts_a_round_for_middle_leaders(page, live_server_url):
    school = factory.school("Hillside Academy")
    senior = factory.leader(school, role="senior", name="Sue Senior")
    for name in ("Science", "English"):
        team = factory.team(factory.leader(school, name=f"Head of {name}"), members=4, name=name)
        fill(factory.audit(team), by_area({ORACY: 1, EXPLICIT: 4}))
    factory.team(factory.leader(school, name="Head of Art"), members=2, name="Art")

    login_as(page, live_server_url, senior)
    page.get_by_role("link", name="School", exact=True).click()
    page.wait_for_url(f"{live_server_url}/school/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hillside Academy")
    needs = page.get_by_role("region", name="Training needs across teams")
    assert needs.get_by_text("Language, vocabulary and oracy").is_visible()
    assert page.get_by_role("cell", name="No round yet").is_visible()
    check_page(page)

    page.get_by_role("button", name="Start a round for middle leaders").click()
    page.wait_for_url("**/audits/new/")
    assert page.get_by_role("heading", name="Start an audit round for Middle leaders").is_visible()
    page.get_by_label("Name of the round").fill("Leaders' audit")
    page.get_by_role("button", name="Start the round").click()
    page.wait_for_url("**/audits/*/")
    audit = Audit.objects.get(title="Leaders' audit")
    assert audit.team.leader == senior and audit.team.kind == "leaders"
    assert audit.invitations.count() == 3
    check_page(page)


def test_it_erases_a_member_after_a_confirmation_page(page, live_server_url):
    leader = factory.leader(name="Hannah Head")
    team = factory.team(leader, members=3)
    factory.audit(team)
    login_as(page, live_server_url, leader)
    page.goto(f"{live_server_url}/teams/{team.id}/")
    page.get_by_role("link", name="Erase data of Teacher 2").click()
    assert page.get_by_role("heading", name="Erase Teacher 2's personal data").is_visible()
    check_page(page)
    page.get_by_role("button", name="Erase Teacher 2's data").click()
    page.wait_for_url(f"{live_server_url}/teams/{team.id}/")
    assert page.get_by_text("The member's personal data has been erased.").is_visible()
    assert team.members.current().count() == 2
    assert not team.members.filter(name="Teacher 2").exists()
