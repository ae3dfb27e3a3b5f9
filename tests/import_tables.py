"""Small import tables written the way a province office writes them, shared by the import tests."""

from __future__ import annotations

NAMES_51 = [  # the 10 criteria of Decision 51/2025/QĐ-TTg, as the 2026 template names them
    "Quy hoạch",
    "Hạ tầng kinh tế - xã hội",
    "Phát triển kinh tế nông thôn",
    "Đào tạo nguồn nhân lực nông thôn",
    "Văn hóa, giáo dục, y tế",
    "Giảm nghèo và an sinh xã hội",
    "Khoa học công nghệ và chuyển đổi số",
    "Môi trường và cảnh quan nông thôn",
    "Xây dựng hệ thống chính trị và hành chính công",
    "Tiếp cận pháp luật và an ninh, quốc phòng",
]


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """UTF-8 CSV of ``header`` and ``rows``, every cell quoted (names may hold commas)."""
    lines = [header, *rows]
    return ("\n".join(",".join(f'"{c}"' for c in line) for line in lines) + "\n").encode("utf-8")
