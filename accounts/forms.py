from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import TeamKind, User


class SignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Work e-mail")
    school = forms.CharField(label="School name", max_length=200)
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; a few words together work well.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("An account with this e-mail exists. Sign in instead.")
        return email

    def clean(self):
        data = super().clean()
        if data.get("password"):
            probe = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=200,
        help_text="For example: Science, Key Stage 2, Middle leaders",
    )
    kind = forms.ChoiceField(
        label="Kind of team",
        choices=TeamKind.choices,
        widget=forms.RadioSelect,
        initial=TeamKind.DEPARTMENT,
    )


class MembersForm(forms.Form):
    pasted = forms.CharField(
        label="Paste names and e-mails",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Sam Patel <s.patel@school.org>"}),
        help_text="One person per line: Name <email>, or Name, email. E-mail is optional.",
    )
    csv_file = forms.FileField(
        label="…or upload a CSV file",
        required=False,
        help_text="Columns: name (or first name and last name), email.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("pasted", "").strip() and not data.get("csv_file"):
            raise forms.ValidationError("Paste at least one name, or choose a CSV file.")
        upload = data.get("csv_file")
        if upload and upload.size > 512 * 1024:
            self.add_error("csv_file", "The file is larger than 512 KB; is it the right file?")
        return data


class TokenForm(forms.Form):
    label = forms.CharField(label="What is it for?", max_length=100, initial="MIS sync")
