"""WSGI entry point (gunicorn rentalops.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rentalops.settings")

application = get_wsgi_application()
