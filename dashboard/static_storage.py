"""Static files with hashed names, gzip and brotli copies (whitenoise), and no failure without them."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed manifest storage, which serves hashed names for a year.

    Until `collectstatic` has written its manifest (bin/serve and bin/demo run it; the tests collect
    into a folder of their own), `{% static %}` answers the plain name, which whitenoise serves from
    the finders with a short cache life, instead of failing every page of `manage.py runserver`.
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest: collectstatic has not run here
            return name
        return super().stored_name(name)
