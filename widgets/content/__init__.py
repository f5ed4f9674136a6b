"""Course content as validated data (being split by part of the course: see the next commit)."""

from .loader import *  # noqa: F403
