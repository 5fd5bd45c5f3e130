"""Taking in an article: read it, keep it once, and propose the record."""

import datetime

from django.db import transaction

from .extraction import extract
from .models import Document, Draft
from .reading import fingerprint, read_text, read_upload


def read(data):
    """The Reading of the upload form's cleaned data (pasted text or a file); raises
    reading.Unreadable with a message for the admin."""
    upload = data.get("file")
    if upload is not None:
        reading = read_upload(upload.name, upload.read())
    else:
        reading = read_text(data["text"])
    # What the admin typed wins over what the page says of itself.
    for field in ("url", "publisher"):
        if data.get(field):
            setattr(reading, field, data[field])
    if data.get("published"):
        reading.published = data["published"].isoformat()
    if data.get("language"):
        reading.language = data["language"]
    return reading


def already(reading):
    """The document holding the same article, however it was spaced or uploaded."""
    return Document.objects.filter(digest=fingerprint(reading.text)).first()


def propose(reading, user):
    """Keep the article as a document with its draft; return the document."""
    published = datetime.date.fromisoformat(reading.published) if reading.published else None
    proposal = extract(reading.text, published=published, language=reading.language)
    if published is None and proposal["published"]:
        published = datetime.date.fromisoformat(proposal["published"])
    with transaction.atomic():
        document = Document.objects.create(
            text=reading.text,
            digest=fingerprint(reading.text),
            format=reading.format,
            filename=reading.metadata.get("filename", "")[:255],
            headline=reading.headline[:500],
            url=reading.url[:500],
            publisher=reading.publisher[:200],
            published=published,
            language=reading.language,
            removed=reading.removed,
            uploaded_by=user,
        )
        Draft.objects.create(document=document, proposal=proposal)
    return document
