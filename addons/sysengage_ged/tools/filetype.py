"""File type checks: does the content (as detected by libmagic) match the file name's extension?"""

import os

_ZIP_OFFICE = (
    "application/zip",
    "application/x-zip-compressed",
    "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.ms-excel.sheet.macroenabled.12",
)
_OLE_OFFICE = (
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.ms-outlook",
    "application/cdfv2",
    "application/x-ole-storage",
    "application/octet-stream",
)
_TEXT = ("text/",)

# extension -> accepted detected MIME types (an entry ending with "/" accepts the whole family)
EXPECTED_TYPES = {
    "pdf": ("application/pdf",),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "bmp": ("image/bmp", "image/x-ms-bmp"),
    "tif": ("image/tiff",),
    "tiff": ("image/tiff",),
    "svg": ("image/svg+xml", "text/"),
    "docx": _ZIP_OFFICE,
    "xlsx": _ZIP_OFFICE,
    "xlsm": _ZIP_OFFICE,
    "pptx": _ZIP_OFFICE,
    "odt": _ZIP_OFFICE,
    "ods": _ZIP_OFFICE,
    "odp": _ZIP_OFFICE,
    "zip": ("application/zip", "application/x-zip-compressed"),
    "doc": _OLE_OFFICE,
    "xls": _OLE_OFFICE,
    "ppt": _OLE_OFFICE,
    "msg": _OLE_OFFICE,
    "eml": ("message/rfc822", "text/"),
    "txt": _TEXT,
    "csv": _TEXT + ("application/csv",),
    "md": _TEXT,
    "xml": ("text/xml", "application/xml", "text/"),
    "json": ("application/json", "text/"),
    "html": ("text/html", "text/"),
    "htm": ("text/html", "text/"),
}


def extension_of(file_name):
    """Lower-case extension without the dot, or '' when the name has none."""
    return os.path.splitext(file_name or "")[1][1:].lower()


def content_matches_name(detected_mimetype, file_name):
    """True when a file whose content is ``detected_mimetype`` may carry ``file_name``.

    Extensions we do not know are accepted (no claim can be checked); known ones must match.
    """
    expected = EXPECTED_TYPES.get(extension_of(file_name))
    if not expected:
        return True
    detected = (detected_mimetype or "").lower()
    return any(detected.startswith(item) if item.endswith("/") else detected == item for item in expected)
