"""The chat's settings as /settings and `precis settings` show them, and the confirmation of a change (the
settings themselves and changing them are usecases.settings)."""

from __future__ import annotations

from usecases.schedule import zone_label
from usecases.settings import AUTO, ChatSettingsView, SettingChanged
from views.digest import local_time
from views.i18n import languages, pick_language, t
from views.render import escape


def language_names() -> dict[str, str]:
    """The interface languages there are (a catalogue each), code → its own name for itself."""
    return {code: t(code, "language_name") for code in languages()}


def render_saved(change: SettingChanged, lang: str) -> str:
    """The confirmation of a change, in `lang` (the chat's language now)."""
    if change.name == "language":
        if change.value == AUTO:
            return t(lang, "settings_saved_language_auto")
        return t(lang, "settings_saved_language", value=escape(t(change.value, "language_name")))
    if change.name == "sentences":
        return t(lang, "settings_saved_sentences", value=change.value)
    if change.name == "timezone":
        reply = t(lang, "timezone_set", section="settings", zone=escape(zone_label(change.value)))
        if change.next_digest is not None:
            next_due = local_time(change.next_digest, change.value, lang)
            reply += " " + t(lang, "timezone_next", section="settings", next=next_due)
        return reply
    return t(lang, "empty_set_on" if change.value else "empty_set_off", section="settings")


def render_settings(view: ChatSettingsView, lang: str, user_lang: str | None) -> str:
    settings, digest = view.chat, view.digest
    if settings.lang and settings.lang != AUTO and settings.lang in languages():
        language = str(escape(t(settings.lang, "language_name")))
    else:
        language = t(lang, "settings_language_auto", name=escape(t(pick_language(None, user_lang), "language_name")))
    empty = t(lang, "empty_on" if digest.empty_digest else "empty_off", section="settings")
    lines = [
        t(lang, "settings_header"),
        t(lang, "settings_language", value=language),
        t(lang, "settings_sentences", value=settings.summary_sentences),
        t(lang, "settings_timezone", value=escape(zone_label(digest.timezone))),
        t(lang, "settings_empty_digest", value=empty),
        "",
        t(lang, "settings_usage", languages=" · ".join(languages())),
    ]
    return "\n".join(lines)
