"""Read the data revision once per request (models.Revision.remembered): the page cache,
the name index, the filter's suggestions and the "data last updated" line all ask."""

from .models import Revision


class RevisionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with Revision.remembered():
            return self.get_response(request)
