"""The leader's questionnaires page: the built-in audit, the school's own, and importing one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from audits.instrument_schema import InstrumentError, parse_instrument
from audits.instruments import builtin_instrument, save_instrument, visible_instruments

MAX_UPLOAD = 256 * 1024


class ImportForm(forms.Form):
    upload = forms.FileField(
        label="Choose a YAML or JSON file",
        required=False,
        help_text="The format is described in the documentation.",
    )
    pasted = forms.CharField(
        label="…or paste it here",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is None and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("Choose a file or paste the questionnaire.")
        if upload is not None and upload.size > MAX_UPLOAD:
            self.add_error("upload", "The file is larger than 256 KB; is it the right file?")
        return data


def _content_type(name: str, text: bytes) -> str:
    if name.lower().endswith(".json") or text.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    return "application/yaml"


@login_required
def instruments(request):
    builtin_instrument()
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("upload")
        raw = upload.read() if upload else form.cleaned_data["pasted"].encode()
        try:
            spec = parse_instrument(raw, _content_type(upload.name if upload else "", raw))
        except InstrumentError as exc:
            problems = exc.errors
        else:
            made = save_instrument(spec, request.user.school)
            messages.success(
                request,
                f"Imported “{made.title}” (version {made.version}). "
                "Choose it when you start a round.",
            )
            return redirect("instruments")
    return render(
        request,
        "audits/instruments.html",
        {
            "instruments": visible_instruments(request.user.school),
            "form": form,
            "problems": problems,
        },
    )
