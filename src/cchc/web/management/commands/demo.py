"""`cchc demo`: build the demo province (idempotent), optionally a large benchmark set."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.demo import build, data


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu minh họa: tỉnh Quảng Trị, Sở KH&CN và các cơ quan, người dùng, thủ tục, sổ văn bản, kế hoạch và "
        "dự thảo báo cáo năm 2023, hồ sơ từ tháng 12/2022."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Số năm dương lịch dữ liệu hồ sơ tính đến nay (mặc định: hồ sơ từ ngày 01/12/2022).",
        )
        parser.add_argument("--scale", type=float, default=1.0, help="Hệ số khối lượng hồ sơ (mặc định 1).")
        parser.add_argument("--seed", type=int, default=build.DEFAULT_SEED, help="Hạt giống ngẫu nhiên.")
        parser.add_argument("--large", action="store_true", help="Thêm bộ dữ liệu lớn để đo hiệu năng.")
        parser.add_argument(
            "--dossiers", type=int, default=1_000_000, help="Số hồ sơ của bộ dữ liệu lớn (mặc định 1.000.000)."
        )

    def handle(self, *args, **options) -> None:
        if options["years"] is not None and not 1 <= options["years"] <= 10:
            raise CommandError("--years phải từ 1 đến 10.")
        if options["scale"] < 0:
            raise CommandError("--scale không được âm.")
        if options["dossiers"] < 0:
            raise CommandError("--dossiers không được âm.")
        out = self.stdout.write
        summary = build.build_demo(years=options["years"], scale=options["scale"], seed=options["seed"], out=out)
        out(f"Dữ liệu minh họa: {build.describe(summary)}.")
        if options["large"]:
            out(f"Đang tạo bộ dữ liệu lớn ({build.number(options['dossiers'])} hồ sơ)...")
            created = build.build_large(options["dossiers"], years=options["years"] or 3, seed=options["seed"], out=out)
            if created:
                out(f"Bộ dữ liệu lớn: đã tạo thêm {build.number(created)} hồ sơ.")
        out("")
        out(f"Tài khoản đăng nhập (mật khẩu chung cho bản minh họa: {data.DEMO_PASSWORD}):")
        out(build.logins_table())
        out("")
        out(f"Chạy `cchc serve` rồi mở {data.BASE_URL}")
