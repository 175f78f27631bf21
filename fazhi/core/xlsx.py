"""What every Excel import shares: the size limit, the whole-file refusal and reading
an uploaded .xlsx (subjects' enterprise import, legal's catalogue import)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024


class ImportRejected(ValidationError):
    """The whole file is refused (the message says why, in Chinese)."""


def read_xlsx_upload(file: Any) -> bytes:
    """The uploaded file's bytes (an UploadedFile, a file object, bytes or a path),
    refused unless it is a non-empty .xlsx of at most MAX_BYTES."""
    name = str(getattr(file, "name", "") or "")
    if name and not name.lower().endswith(".xlsx"):
        if name.lower().endswith(".xls"):
            raise ImportRejected(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传"))
        raise ImportRejected(_("请上传 Excel .xlsx 文件（可先下载导入模板）"))
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str):
        with open(file, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if not data:
        raise ImportRejected(_("上传的文件是空的"))
    if len(data) > MAX_BYTES:
        raise ImportRejected(_("文件超过 %(mb)s MB，请分批导入")
                             % {"mb": MAX_BYTES // 1024 // 1024})
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRejected(_("文件不是有效的 Excel .xlsx 文件，请使用导入模板填写"))
    return data
