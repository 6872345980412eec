import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# Everything loaded so far (Django, apps, templates) lives as long as the worker: move it out of the
# garbage collector's reach so that full collections stay short during requests (benchmarks/README.md).
gc.collect()
gc.freeze()
