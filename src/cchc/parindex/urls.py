from django.urls import path

from . import views_frameworks as frameworks
from . import views_scores as scores
from . import views_sheets as sheets

app_name = "parindex"

urlpatterns = [
    path("", frameworks.index, name="index"),
    path("bo-tieu-chi/", frameworks.framework_list, name="frameworks"),
    path("bo-tieu-chi/tao-moi/", frameworks.framework_create, name="framework_create"),
    path("bo-tieu-chi/nhap-tu-tep/", frameworks.framework_import, name="framework_import"),
    path("bo-tieu-chi/<int:pk>/", frameworks.framework_detail, name="framework"),
    path("bo-tieu-chi/<int:pk>/sua/", frameworks.framework_edit, name="framework_edit"),
    path("bo-tieu-chi/<int:pk>/xep-loai/", frameworks.framework_tiers, name="framework_tiers"),
    path("bo-tieu-chi/<int:pk>/co-quan-tham-dinh/", frameworks.framework_appraisers, name="framework_appraisers"),
    path("bo-tieu-chi/<int:pk>/them-muc/", frameworks.item_create, name="item_create"),
    path("bo-tieu-chi/<int:pk>/sao-chep/", frameworks.framework_copy, name="framework_copy"),
    path("bo-tieu-chi/<int:pk>/lap-bang-diem/", frameworks.sheet_create, name="sheet_create"),
    path("bo-tieu-chi/<int:pk>/xlsx/", frameworks.framework_export, name="framework_export"),
    path("bo-tieu-chi/<int:pk>/xep-hang/", sheets.ranking_page, name="ranking"),
    path("bo-tieu-chi/<int:pk>/xep-hang/xlsx/", sheets.ranking_xlsx, name="ranking_xlsx"),
    path("muc/<int:pk>/", frameworks.item_detail, name="item"),
    path("muc/<int:pk>/xoa/", frameworks.item_delete, name="item_delete"),
    path("bang-diem/<int:pk>/", sheets.sheet_detail, name="sheet"),
    path("bang-diem/<int:pk>/chuyen/<str:move>/", sheets.sheet_move, name="sheet_move"),
    path("bang-diem/<int:pk>/phan-cong/", sheets.sheet_assign, name="sheet_assign"),
    path("bang-diem/<int:pk>/xlsx/", sheets.sheet_xlsx, name="sheet_xlsx"),
    path("bang-diem/<int:pk>/bao-cao/<str:fmt>/", sheets.sheet_report, name="sheet_report"),
    path("diem/<int:pk>/", scores.score_detail, name="score"),
    path("diem/<int:pk>/tu-cham/", scores.score_self, name="score_self"),
    path("diem/<int:pk>/tham-dinh/", scores.score_appraise, name="score_appraise"),
    path("diem/<int:pk>/giai-trinh/", scores.score_explain, name="score_explain"),
    path("diem/<int:pk>/tai-lieu/", scores.evidence_add, name="evidence_add"),
    path("tai-lieu/<int:pk>/", scores.evidence_file, name="evidence_file"),
    path("tai-lieu/<int:pk>/go/", scores.evidence_delete, name="evidence_delete"),
]
