"""Who may see a whole school: its senior leaders, and only their own school.

There is no school id in any URL: a senior leader's school is the one on their account, so
another school's data cannot even be asked for.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import School, User


def school_for_senior(user: User) -> School:
    """The user's own school if they are a senior leader; PermissionDenied (403) otherwise.

    403 rather than 404: a middle leader knows their school exists; their role is what
    does not let them see across its teams.
    """
    if not (user.is_authenticated and user.is_senior and user.school_id):
        raise PermissionDenied("The school view is for senior leaders.")
    return user.school
