"""Local development and the demo: DEBUG on, a throwaway key, SQLite under var/ unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = True
# A development-only key; production settings refuse to start without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-sightline"
# The demo persona sign-in stands in for the second factor; real accounts with a device still use it.
SIGHTLINE_REQUIRE_MFA = env_bool("SIGHTLINE_REQUIRE_MFA", False)
# Serve front-end assets straight from build/static: no collectstatic outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
