from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone


class AuditForm(forms.Form):
    title = forms.CharField(
        label="Name of the round", max_length=200, initial="Adaptive teaching audit"
    )
    instrument = forms.ChoiceField(label="Questionnaire")
    anonymous = forms.TypedChoiceField(
        label="Who sees what",
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
        choices=[
            ("1", "Anonymous — I see only team figures, never from fewer than 3 people"),
            ("0", "Named — I see who answered what (say so to the team first)"),
        ],
    )
    closes_on = forms.DateField(
        label="Answers close on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The round closes at the end of this day.",
    )
    meeting_date = forms.DateField(
        label="Meeting date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting_start = forms.TimeField(
        label="Starts", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    meeting_end = forms.TimeField(
        label="Ends", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    meeting_location = forms.CharField(label="Place", max_length=200, required=False)

    def __init__(self, *args, instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(str(i.id), str(i)) for i in instruments]

    def _aware(self, day, at):
        return timezone.make_aware(datetime.combine(day, at))

    def clean(self):
        data = super().clean()
        closes_on = data.get("closes_on")
        data["closes_at"] = None
        if closes_on:
            data["closes_at"] = self._aware(closes_on, time(23, 59))
            if data["closes_at"] <= timezone.now():
                self.add_error("closes_on", "Choose a date from today on.")
        data["meeting_starts_at"] = data["meeting_ends_at"] = None
        if data.get("meeting_date"):
            start = data.get("meeting_start") or time(15, 30)
            data["meeting_starts_at"] = self._aware(data["meeting_date"], start)
            end = data.get("meeting_end")
            data["meeting_ends_at"] = (
                self._aware(data["meeting_date"], end)
                if end
                else data["meeting_starts_at"] + timedelta(hours=1)
            )
            if data["meeting_ends_at"] <= data["meeting_starts_at"]:
                self.add_error("meeting_end", "The meeting must end after it starts.")
        elif data.get("meeting_start") or data.get("meeting_location"):
            self.add_error("meeting_date", "Give the meeting a date too.")
        return data
