"""Date and number formats for languages whose Django defaults are missing or not the local usage.

Django ships no format module for Kazakh (it falls back to English: "July 5, 2024", "5.6") and an
Uzbek one that writes "5-Iyul, 2024-yil". Listed first in FORMAT_MODULE_PATH, these take
precedence; a name not defined here falls through to Django's own module.
"""
