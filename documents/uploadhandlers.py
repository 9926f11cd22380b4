"""Enforce the per-file size limit while the request body streams in."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from documents.filetypes import max_upload_size

# How many files one upload request may carry; bounds the whole body together with the size limit.
MAX_FILES_PER_REQUEST = 20


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops the upload as soon as one file passes ``DOCUMENTS_MAX_UPLOAD_SIZE``.

    Put it first in ``request.upload_handlers``; the view then sees ``request.upload_too_large``
    and answers 413. The partial temporary file is closed (and so deleted) by Django.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_upload_size()
        self.received = 0
        request.upload_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        if content_length and content_length > self.limit * MAX_FILES_PER_REQUEST + 1024 * 1024:
            # Returning (POST, FILES) ends parsing without reading the body.
            self.request.upload_too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
