"""The course site's server: Voila with the kit's additions, run as ``python -m kitserver course``.

``app`` is the application (:class:`kitserver.app.CourseVoila`, its page handler, navigation and
error pages); the rest are its parts. The notebooks' widgets are in :mod:`widgets`, which never
imports this package; this package reads the course content through :mod:`widgets.content`.

Nothing is imported here: a page's kernel loads the kernel-side guard of this package as an
IPython extension, and must not pay for the server's imports.
"""
