"""Limits on evidence files (photos, video, documents) attached to findings (pure).

The limits are this platform's storage policy, not statute (basis not confirmed for any
figure): kinds a field officer produces and a case file can keep, and a size a phone
upload over a mobile network can carry.
"""

from __future__ import annotations

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024  # 50 MB per file

ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/heic": (".heic",),
    "video/mp4": (".mp4",),
    "audio/mpeg": (".mp3",),
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}


def evidence_problems(*, name: str, size: int, content_type: str) -> list[str]:
    """Reasons (Chinese) the file may not be kept as evidence; empty when it may."""
    problems = []
    extensions = ALLOWED_TYPES.get((content_type or "").lower())
    if extensions is None:
        problems.append(f"不支持的证据文件类型：{content_type or '未知'}"
                        "（可上传图片、音视频、PDF、Word、Excel）")
    elif not (name or "").lower().endswith(extensions):
        problems.append(f"文件名“{name}”与文件类型{content_type}不符")
    if size <= 0:
        problems.append("证据文件为空")
    elif size > MAX_EVIDENCE_BYTES:
        problems.append(f"证据文件不得超过{MAX_EVIDENCE_BYTES // (1024 * 1024)}MB")
    return problems
