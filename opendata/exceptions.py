from django.http import Http404
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler


def handle(exc, context):
    """DRF's answers to errors, in the reader's language: a missing object says "Not found."
    as a translated sentence rather than Django's English message naming the model."""
    if isinstance(exc, Http404):
        exc = NotFound()
    response = exception_handler(exc, context)
    if response is not None:
        patch_vary_headers(response, ["Accept-Language"])
    return response
