"""Interface language: Chinese (zh_CN) by default, English available, switchable at run time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")
_installed: list[QTranslator] = []
_current = "zh_CN"


def current_language() -> str:
    """The language installed last (install_language); labels from data.domain follow it."""
    return _current


def system_language() -> str:
    """The system's language if we have it; a C/POSIX locale (no preference) gives Chinese."""
    name = QLocale.system().name()
    if name.startswith("en"):
        return "en"
    return "zh_CN"


def preferred_language(explicit: str | None = None) -> str:
    if explicit in LANGUAGES:
        return explicit
    saved = QSettings().value("language")
    return saved if saved in LANGUAGES else system_language()


def install_language(lang: str) -> str:
    """Install the translator for `lang` on the running application; returns the language in force."""
    app = QCoreApplication.instance()
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    if lang != "en":
        tr = QTranslator(app)
        if tr.load(str(TRANSLATIONS_DIR / f"gridwatch_{lang}.qm")):
            app.installTranslator(tr)
            _installed.append(tr)
        qt_tr = QTranslator(app)  # Qt's own dialogs (buttons of message boxes, etc.)
        from PySide6.QtCore import QLibraryInfo
        if qt_tr.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            app.installTranslator(qt_tr)
            _installed.append(qt_tr)
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China) if lang == "zh_CN" else QLocale(QLocale.English))
    global _current
    _current = lang
    return lang


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
