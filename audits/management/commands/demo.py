"""flipchart demo: a realistic demo school — a science department of 9 with answers. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Member, School, Team, User
from audits.answers import AnswerIn, save_answers
from audits.instruments import builtin_instrument
from audits.models import Item
from audits.rounds import MeetingSlot, start_round

DEMO_EMAIL = "demo@flipchart.test"
DEMO_PASSWORD = "flipchart-demo"
SCIENCE = [
    ("Amira Khan", "a.khan"),
    ("Ben Roberts", "b.roberts"),
    ("Chloe Evans", "c.evans"),
    ("Dev Patel", "d.patel"),
    ("Ellie Murphy", "e.murphy"),
    ("Femi Adeyemi", "f.adeyemi"),
    ("Grace Liu", "g.liu"),
    ("Harry Walsh", "h.walsh"),
    ("Isla Thompson", "i.thompson"),
]
# Each person's tendency per area: the department is strong at explicit instruction and
# checking understanding, weaker at oracy and at fading scaffolds.
AREA_BIAS = {
    "explicit-instruction": 0.8,
    "checking-understanding": 0.6,
    "inclusive-environment": 0.5,
    "language-oracy": -0.8,
    "scaffolding": -0.5,
    "metacognition": -0.4,
}


class Command(BaseCommand):
    help = "Load the demo school (Hillside Academy, science department of 9). Safe to re-run."

    @transaction.atomic
    def handle(self, *args, **options):
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            school = School.objects.create(name="Hillside Academy (demo)")
            user = User.objects.create_user(
                DEMO_EMAIL, DEMO_PASSWORD, name="Sam Okafor", school=school
            )
        if not Team.objects.filter(leader=user, name="Science").exists():
            self._science(user)
        self.stdout.write(
            "Demo ready at http://127.0.0.1:8000 — sign in as "
            f"{DEMO_EMAIL} with password {DEMO_PASSWORD}"
        )

    def _science(self, user: User) -> None:
        team = Team.objects.create(
            school=user.school, leader=user, name="Science", kind="department"
        )
        for name, handle in SCIENCE:
            Member.objects.create(team=team, name=name, email=f"{handle}@hillside.example")
        now = timezone.now()
        start = (now + timedelta(days=7)).replace(hour=15, minute=30, second=0, microsecond=0)
        audit = start_round(
            team,
            builtin_instrument(),
            "Autumn adaptive teaching audit",
            anonymous=True,
            closes_at=now + timedelta(days=6),
            meeting=MeetingSlot(start, start + timedelta(hours=1), "Science lab 3"),
        )
        rng = random.Random(2026)
        items = list(Item.objects.filter(area__instrument=audit.instrument).select_related("area"))
        for member in list(team.members.all())[:7]:  # 7 of 9 have responded
            person = rng.uniform(-0.4, 0.4)
            answers = []
            for item in items:
                if rng.random() < 0.05:
                    answers.append(AnswerIn(item.id, None))
                    continue
                centre = 2.7 + AREA_BIAS.get(item.area.key, 0) + person
                answers.append(AnswerIn(item.id, max(1, min(4, round(rng.gauss(centre, 0.6))))))
            save_answers(audit, member.id, answers, submit=True)
