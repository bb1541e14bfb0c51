"""`flipchart check` reports guide content that would not load (guide.E001)."""

from __future__ import annotations

from django.core.checks import Error, register

from guide.content import GuideContentError, content_dir, load_guide

MAX_REPORTED = 30


@register()
def check_guide_content(app_configs, **kwargs):
    if app_configs is not None and not any(c.name == "guide" for c in app_configs):
        return []
    folder = content_dir()
    try:
        load_guide(folder)
    except GuideContentError as error:
        hint = (
            f"Fix the guide content in {folder}, or unset GUIDE_CONTENT_DIR to use the "
            "built-in guide. docs/guide.md describes the format."
        )
        problems = error.problems
        errors = [Error(str(p), hint=hint, id="guide.E001") for p in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            errors.append(
                Error(f"… and {len(problems) - MAX_REPORTED} more problems.", id="guide.E001")
            )
        return errors
    return []
