"""The words reports put around a figure, as phrases of folded tokens, each with the cues it gives.

A phrase is written as folded words separated by spaces; ``a|b`` is a choice of words and a trailing ``?`` makes a
word optional (``"da? giai quyet xong?"`` is four phrases). Phrases are matched over the tokens of a sentence by a
trie, longest match first, left to right: each token is looked at a bounded number of times (the longest phrase has
``MAX_PHRASE`` tokens), so matching is linear. A longer phrase hides the shorter ones inside it: "ket qua giai quyet"
(a heading's words) is not "giai quyet" (resolved), "so voi ky truoc" (a comparison) is not "ky truoc" (carried over).

Cue names:
- domains (what is counted): D_HS hồ sơ, D_TTHC thủ tục / dịch vụ công, D_PAKN phản ánh kiến nghị, D_TASK nhiệm vụ,
  D_DOC văn bản, D_VISIT lượt truy cập, D_MONEY triệu đồng, U_SCORE điểm;
- actions on dossiers: A_RECEIVE, A_RESOLVE, A_PROGRESS, A_HANDLE (đã và đang giải quyết: the total for handling);
- qualifiers: Q_NEW, Q_CARRIED, Q_ONLINE, Q_DIRECT, Q_POSTAL, Q_EARLY, Q_ONTIME, Q_EARLY_ONTIME, Q_LATE, Q_IN_TIME,
  Q_REFUSED, Q_WITHDRAWN, Q_DIGITISED;
- procedures: P_TOTAL, P_TOTAL_WEAK, P_ANNOUNCED, P_SUBTYPE, P_ONE_STOP, P_INTERCONNECTED, P_FULL, P_PARTIAL,
  P_LEVEL2, P_LEVEL3, P_LEVEL4, P_LEVEL34;
- tasks: C_PLAN, C_DIRECTIVE, C_ISSUER, C_ASSIGN, T_DONE, T_DONE_WEAK, T_NOT_DONE, T_OTHER (nhiệm vụ KH&CN), T_GROUP,
  C_TOPIC_CCHC, C_TOPIC_OTHER; documents: K_SIGNED;
- indices: I_PAR, I_PAPI, I_PCI, I_SIPAS, I_PII, I_766, I_COMPONENT, R_RANK;
- rates: R_RATE (tỷ lệ), R_SHARE (chiếm), R_REACH (đạt);
- scope and period: M_TOTAL (tổng số, toàn tỉnh; M_TINH, M_HUYEN, M_XA: the whole of which level), S_LEVEL (cấp
  tỉnh/huyện/xã, các sở, ngành; L_TINH, L_HUYEN, L_XA: which level), S_FIELD (lĩnh vực), S_PORTAL (trên cổng),
  S_GROUP (nhiều nhất: a unit singled out), X_COMPARE, X_CHANGE, X_PAST, X_TARGET, X_OTHER_SUBJECT, X_FUTURE;
- structure: L_LIST (trong đó, bao gồm), L_GOM (gồm: a list after a figure, a verb before one), NEG, NEG_WORD, N_NONE
  (nào), NEUTRAL (words that only hide shorter phrases).
"""

from __future__ import annotations

import re
from itertools import product

__all__ = ["MAX_PHRASE", "UNIT_DOMAINS", "match_cues", "match_at", "NEUTRAL_FOLLOWERS", "MULTIPLIERS"]

_PHRASES: dict[str, tuple[str, ...]] = {}


_PART = re.compile(r"\(([^()]*)\)(\?)?|(\S+)")


def _add(tags: str, *specs: str) -> None:
    tag_tuple = tuple(tags.split())
    for spec in specs:
        choices = []
        for m in _PART.finditer(spec):
            if m.group(1) is not None:  # "(tinh|thanh pho)?": a choice of phrases, optional with "?"
                options = [o.strip() for o in m.group(1).split("|")]
                optional = bool(m.group(2))
            else:
                word = m.group(3)
                optional = word.endswith("?") and len(word) > 1
                options = word.rstrip("?").split("|") if len(word) > 1 else [word]
            choices.append(options + [""] if optional else options)
        for combo in product(*choices):
            phrase = " ".join(w for w in combo if w)
            if phrase:
                previous = _PHRASES.get(phrase, ())
                extra = ()
                if " ho so" in f" {phrase}" and "D_HS" not in tag_tuple and not {"NEUTRAL", "NOUN"} & set(tag_tuple):
                    extra = ("D_HS",)  # a phrase that holds "hồ sơ" says what is counted too
                _PHRASES[phrase] = tuple(dict.fromkeys(previous + tag_tuple + extra))


# --- what is counted -----------------------------------------------------------------------------------------------
_add("D_HS", "bo? ho so|hs", "ho so thu tuc hanh chinh|tthc", "ho so tthc", "bo ho so")
_add("D_TTHC", "thu tuc (hanh chinh)?", "tthc", "dich vu cong", "dvc", "dich vu", "thu tuc hanh chinh , dich vu cong",
     "tthc - dvc")
_add("D_TTHC Q_ONLINE", "dich vu cong truc tuyen", "dvc truc tuyen", "dvctt", "dich vu cong truc tuyen , thu tuc")
_add("D_PAKN", "phan anh", "kien nghi", "phan anh , kien nghi", "phan anh kien nghi", "phan anh va kien nghi",
     "phan anh hoac kien nghi", "pakn", "y kien phan anh , kien nghi", "y kien phan anh", "luot phan anh",
     "truong hop phan anh", "truong hop phan anh , kien nghi", "phan anh , kien nghi , y kien", "don",
     "don phan anh", "don kien nghi", "don thu phan anh", "don phan anh , kien nghi")
_add("NEUTRAL", "don gian", "don gian hoa", "don doc", "don vi hanh chinh", "don thu", "khieu nai", "to cao",
     "don thu khieu nai", "khieu nai , to cao", "don thu khieu nai , to cao", "khieu kien")
_add("D_TASK", "nhiem vu", "noi dung", "noi dung nhiem vu", "chi tieu", "nhiem vu cu the", "noi dung cong viec",
     "noi dung ke hoach")
_add("T_GROUP", "nhom nhiem vu", "nhom noi dung", "linh vuc nhiem vu")
_add("T_OTHER", "nhiem vu khoa hoc va cong nghe", "nhiem vu khoa hoc", "nhiem vu kh & cn", "nhiem vu khcn",
     "nhiem vu trong tam", "nhiem vu chuyen mon", "nhiem vu , giai phap", "nhiem vu va giai phap")
_add("D_DOC", "van ban", "van ban di", "van ban dien tu", "van ban di , den")
_add("D_VISIT", "luot truy cap", "truy cap", "luot", "luot xem")
_add("D_MONEY", "trieu dong", "ty dong", "dong", "nghin dong", "ngan dong")
_add("U_SCORE", "diem")
_add("NEUTRAL", "thoi diem", "dia diem", "tru diem", "cham diem", "diem moi", "tang cuong", "giam sat", "giam doc",
     "pho giam doc", "ket qua giai quyet", "thoi gian giai quyet", "thoi han giai quyet", "tinh hinh giai quyet",
     "cong tac giai quyet", "viec giai quyet", "giai quyet cong viec", "so voi quy dinh", "giai quyet thu tuc hanh "
     "chinh", "giai quyet tthc", "mot so", "so luong",
     "danh gia", "tong hop", "truong hop", "trong ky", "trong thang", "trong quy", "trong nam", "tren tong so",
     "cung cap", "duoc cung cap", "cap nhat", "thuc hien tot", "co che", "tang thu", "dang tai", "dang ky",
     "tong ket", "ton tai", "xac nhan", "nhan thuc", "nhan rong", "ho so cong viec", "rut ngan", "rut gon",
     "rut kinh nghiem", "muc do hai long", "ty le hai long", "su hai long")
_add("X_REST", "con lai")  # "03 thủ tục còn lại": the ones still to do, not a count of the catalogue
# Nouns the vocabulary does not count: a number before one is no figure ("04 cá nhân", "03 đơn vị").
_add("NOUN", "ca nhan", "nhan vien", "nhan su", "nhan dan", "nhan luc", "cong nhan", "tap the", "don vi",
     "co quan", "doanh nghiep", "nguoi", "luot nguoi", "can bo", "cong chuc", "vien chuc", "to chuc")
_add("PORTAL", "cong dich vu cong (truc tuyen)? (tinh|quoc gia)?", "cong dvc", "cong dich vu cong quoc gia",
     "he thong thong tin giai quyet thu tuc hanh chinh", "he thong thong tin giai quyet tthc", "cong mot cua",
     "he thong mot cua dien tu", "phan mem mot cua")

# --- dossiers ------------------------------------------------------------------------------------------------------
# "được tiếp nhận và trả kết quả qua dịch vụ bưu chính": how the dossier came in (and went back).
_add("A_RECEIVE", "(da|duoc)? tiep nhan va tra ket qua", "(da|duoc)? tiep nhan , tra ket qua")
_add("A_RECEIVE", "da? duoc? tiep nhan", "nhan duoc", "da nhan", "nhan", "nhan giai quyet", "tiep nhan giai quyet",
     "so ho so nhan giai quyet")
# "tiếp nhận và giải quyết 932 hồ sơ": received and resolved, both stated.
_add("A_RECEIVE A_BOTH", "tiep nhan va giai quyet", "tiep nhan , giai quyet", "tiep nhan , xu ly", "tiep nhan va xu ly",
     "da tiep nhan va giai quyet", "da tiep nhan va xu ly", "tiep nhan va tra loi", "tiep nhan , tra loi")
_add("A_RECEIVE",
     "so ho so den", "ho so den", "thu ly")
_add("A_RECEIVE Q_NEW", "tiep nhan moi", "moi tiep nhan", "nhan moi", "phat sinh moi", "phat sinh trong ky",
     "moi phat sinh", "tiep nhan moi trong ky", "nhan moi trong ky")
_add("A_RECEIVE", "tiep nhan trong ky")
_add("D_HS Q_NEW", "ho so moi", "ho so tiep nhan moi", "ho so moi tiep nhan")
_add("A_RESOLVE", "da? duoc? giai quyet xong?", "da? duoc? xu ly xong?", "da? tra ket qua", "da tra loi",
     "duoc tra loi", "tra loi", "hoan thanh giai quyet", "da giai quyet , tra ket qua", "giai quyet va tra ket qua",
     "da giai quyet va tra ket qua", "giai quyet , tra ket qua", "xu ly dut diem", "xu ly xong ca")
_add("A_PROGRESS", "dang giai quyet", "dang xu ly", "dang thu ly", "dang trong qua trinh giai quyet",
     "dang trong qua trinh xu ly", "dang trong thoi han giai quyet", "chua giai quyet", "chua giai quyet xong",
     "dang tiep tuc giai quyet", "dang xem xet", "dang giai quyet , chua den han", "chua xu ly xong",
     "dang xu ly , giai quyet", "dang trong han (giai quyet|xu ly)?", "dang trong thoi han (giai quyet|xu ly)?",
     "con trong han", "dang thu ly , giai quyet", "dang duoc")
_add("A_HANDLE", "da va dang giai quyet", "phai giai quyet", "can giai quyet", "da , dang giai quyet",
     "da va dang xu ly", "tiep nhan , giai quyet trong ky", "giai quyet trong ky")
_add("Q_CARRIED", "ky truoc chuyen sang", "tu ky truoc chuyen sang", "cua ky truoc chuyen sang", "tu? ky truoc",
     "ton? tu? (ky|quy|thang|nam|dot) truoc chuyen sang", "ton tu? (ky|quy|thang|nam) truoc", "chuyen tiep",
     "chuyen sang", "ton ky truoc", "ton", "ton dong", "so ton", "ky truoc chuyen qua", "(quy|thang) truoc",
     "tu (quy|thang|nam) truoc", "chuyen tu ky truoc", "nam truoc chuyen sang", "ton chuyen sang")
_add("Q_ONLINE", "truc tuyen", "qua mang", "online", "nop truc tuyen", "qua hinh thuc truc tuyen",
     "tren moi truong dien tu", "qua dich vu cong truc tuyen", "hinh thuc online", "nop qua mang")
# Dossiers handed in through the portal are online; procedures "thực hiện qua Cổng dịch vụ công" are only listed there.
_add("Q_ONLINE_PORTAL", "qua cong dich vu cong (truc tuyen)? (tinh|quoc gia)?", "qua cong dvc",
     "qua he thong dich vu cong", "nop tren cong dich vu cong")
# "tiếp nhận tại Bộ phận Một cửa huyện: 7.912" is every dossier the office took in, not the ones handed in person.
_add("PLACE P_ONE_STOP", "(tai|qua)? bo phan mot cua (cac cap)?")
_add("PLACE",  "(tai)? trung tam (phuc vu)? hanh chinh cong",
     "(tai)? bo phan tiep nhan va tra ket qua")
_add("Q_DIRECT", "truc tiep", "nop truc tiep", "qua trung tam (phuc vu)? hanh chinh cong", "nop tai bo phan mot cua",
     "tai quay", "nop truc tiep tai bo phan mot cua", "truc tiep tai trung tam")
_add("Q_DIRECT Q_POSTAL", "truc tiep , (qua)? (dich vu)? buu chinh (cong ich)?",
     "truc tiep va (qua)? (dich vu)? buu chinh (cong ich)?", "truc tiep hoac (qua)? (dich vu)? buu chinh (cong ich)?",
     "nop truc tiep , (qua)? (dich vu)? buu chinh (cong ich)?", "truc tiep , qua buu dien", "truc tiep va qua buu dien")
_add("Q_POSTAL", "buu chinh", "qua buu chinh", "dich vu buu chinh cong ich", "qua dich vu buu chinh (cong ich)?",
     "buu chinh cong ich", "qua buu dien", "buu dien", "dich vu buu chinh", "qua duong buu dien")
_add("Q_EARLY", "truoc han", "som han", "truoc thoi han", "som hon han", "som hon thoi han", "som hon hen",
     "truoc hen")
_add("Q_ONTIME", "dung han", "dung hen", "dung thoi han", "dung thoi gian quy dinh", "dung thoi gian")
_add("Q_EARLY_ONTIME", "truoc han va dung han", "dung han va truoc han", "truoc va dung han", "dung va truoc han",
     "truoc han , dung han", "dung han , truoc han", "som va dung han", "dung han hoac som hon han",
     "dung han hoac som han", "truoc hoac dung han", "dung han , som han", "dung han va som han",
     "dung han va som hon han", "dung va som han", "truoc han hoac dung han", "dung hen va truoc hen",
     "truoc hen va dung hen", "dung han hoac truoc han", "dung hoac truoc han", "trong han va truoc han",
     "truoc han va trong han", "dung va truoc thoi han", "truoc va dung thoi han", "dung han , som hon han",
     "dung han hoac som hon", "dung han va som hon")
_add("Q_LATE", "qua han", "tre han", "tre hen", "cham tre", "tre", "qua thoi han", "cham", "cham han",
     "bi tre", "bi qua han", "tre so voi quy dinh", "cham so voi quy dinh", "cham so voi thoi han")
_add("Q_IN_TIME", "trong han", "chua den han", "chua den han tra", "chua den han tra ket qua", "trong thoi han",
     "con han", "chua toi han", "chua den han giai quyet", "trong thoi han giai quyet", "trong han giai quyet")
_add("Q_REFUSED", "tu choi", "tu choi giai quyet", "khong du dieu kien giai quyet", "tu choi tiep nhan")
_add("Q_WITHDRAWN", "rut", "rut ho so", "xin rut", "do to chuc , ca nhan rut", "rut lai", "tra lai theo de nghi",
     "to chuc , ca nhan rut", "cong dan rut", "tra lai", "rut , tra lai", "dung giai quyet", "de nghi rut")
_add("Q_DIGITISED", "so hoa", "duoc so hoa", "da so hoa", "da duoc so hoa", "so hoa ho so", "so hoa ket qua")

# --- procedures ----------------------------------------------------------------------------------------------------
_add("P_TOTAL", "thuoc tham quyen", "thuoc tham quyen giai quyet", "thuoc tham quyen quan ly", "hien co",
     "thuoc tham quyen (giai quyet)? (cua)? (cap tinh|cap huyen|cap xa|cap so)",
     "dang thuc hien", "hien dang thuc hien", "hien thuc hien", "dang trien khai", "dang ap dung",
     "duoc giao thuc hien", "thuoc pham vi")
_add("D_TTHC P_TOTAL", "bo thu tuc hanh chinh", "bo tthc", "bo thu tuc", "danh muc thu tuc hanh chinh",
     "danh muc tthc")
_add("P_TOTAL_WEAK", "cong khai", "niem yet", "niem yet cong khai", "thuc hien cong khai", "thuc hien",
     "ap dung", "thuoc pham vi quan ly", "thuoc linh vuc quan ly")
_add("P_ANNOUNCED", "cong bo", "cong bo moi", "sua doi", "sua doi , bo sung", "bai bo", "thay the", "bo sung",
     "ban hanh moi", "ra soat", "cat giam", "don gian hoa", "phe duyet quy trinh", "quy trinh noi bo",
     "de nghi cat giam", "phuong an", "chuan hoa", "duoc chuan hoa", "tham dinh", "trinh")
_add("P_SUBTYPE", "khong lien thong", "lien thong cung cap", "lien thong giua cac cap", "lien thong giua cac cap",
     "lien thong dien tu")
_add("P_ONE_STOP", "mot cua", "qua bo phan mot cua", "tai bo phan mot cua", "co che mot cua", "theo co che mot cua",
     "mot cua , mot cua lien thong",
     "mot cua va mot cua lien thong", "mot cua , lien thong", "co che mot cua , mot cua lien thong",
     "theo co che mot cua , mot cua lien thong", "mot cua , mot cua lien thong", "mot cua hoac mot cua lien thong")
_add("P_INTERCONNECTED", "mot cua lien thong", "co che mot cua lien thong", "theo co che mot cua lien thong",
     "lien thong")
_add("P_FULL", "toan trinh", "truc tuyen toan trinh", "dich vu cong truc tuyen toan trinh", "dvc toan trinh",
     "dvc truc tuyen toan trinh", "dvctt toan trinh")
_add("P_PARTIAL", "mot phan", "truc tuyen mot phan", "dich vu cong truc tuyen mot phan", "dvc mot phan",
     "dvc truc tuyen mot phan", "dvctt mot phan")
_add("P_LEVEL2", "muc do 1|2", "muc do 1 , 2", "muc do 1 va 2")
_add("P_LEVEL3", "muc do 3", "muc 3")
_add("P_LEVEL4", "muc do 4", "muc 4")
_add("P_LEVEL34", "muc do 3 , 4", "muc do 3 va 4", "muc do 3 , muc do 4", "muc do 3 va muc do 4", "muc do 3,4",
     "muc do 3 - 4", "muc do 3 hoac 4")

# --- plans, directives, documents ----------------------------------------------------------------------------------
_add("C_PLAN", "ke hoach", "ke hoach so", "chuong trinh cong tac", "ke hoach nam")
_add("C_PLAN C_TOPIC_CCHC", "ke hoach cai cach hanh chinh", "ke hoach cchc", "ke hoach cong tac cai cach hanh chinh",
     "ke hoach cai cach hanh chinh nha nuoc", "ke hoach thuc hien cong tac cai cach hanh chinh")
_add("C_TOPIC_CCHC", "cai cach hanh chinh", "cchc", "cai cach hanh chinh nha nuoc")
_add("ABOUT", "ve", "v / v", "ve viec")
_add("C_TOPIC_OTHER", "moi truong kinh doanh", "nang luc canh tranh", "kiem tra", "tuyen truyen", "thi dua",
     "chuyen doi so", "kiem soat thu tuc hanh chinh", "ung dung cong nghe thong tin", "dau tu cong",
     "khoa hoc va cong nghe", "phong chong tham nhung", "thuc hanh tiet kiem", "dao tao", "boi duong",
     "so hoa", "cong nghe thong tin", "giai ngan", "von", "ngan sach", "tai chinh", "thanh tra", "papi", "pci",
     "van thu", "luu tru", "quy che dan chu", "thong ke", "danh gia , xep loai")
_add("D_TASK C_DIRECTIVE", "nhiem vu duoc giao", "nhiem vu giao", "nhiem vu do ubnd tinh giao")
_add("C_DIRECTIVE", "duoc giao", "ubnd tinh giao", "chu tich ubnd tinh giao", "he thong theo doi nhiem vu",
     "theo doi viec thuc hien chi dao", "theo doi thuc hien chi dao", "giao tai", "duoc ubnd", "duoc chu tich")
_add("C_ISSUER", "ubnd (tinh|huyen|thanh pho|thi xa|xa)", "uy ban nhan dan (tinh|huyen|thanh pho|thi xa|xa)",
     "chu tich ubnd (tinh|huyen|thanh pho|thi xa|xa)?", "chu tich uy ban nhan dan (tinh|huyen|thanh pho|xa)?",
     "tinh uy", "huyen uy", "thuong truc", "lanh dao tinh", "chu tich", "ubnd", "uy ban nhan dan", "bo")
_add("C_ASSIGN", "giao", "chi dao", "phan cong", "chi dao , phan cong", "chi dao , dieu hanh")
_add("T_DONE", "hoan thanh", "da hoan thanh", "thuc hien xong", "da thuc hien xong", "hoan thanh xong",
     "hoan thanh dung han", "da hoan thanh dung han", "co ban hoan thanh", "hoan thanh tong cong",
     "da hoan thanh tong cong")
_add("T_DONE_WEAK", "thuc hien", "da thuc hien", "trien khai", "da trien khai", "co ban thuc hien",
     "da co ban thuc hien", "thuc hien duoc")
_add("T_NOT_DONE", "chua hoan thanh", "dang thuc hien", "dang trien khai", "con lai", "chua thuc hien",
     "hoan thanh cham", "cham tien do", "qua han", "dang tiep tuc thuc hien", "chua xong", "chua trien khai",
     "dang trien khai thuc hien", "tiep tuc thuc hien")
_add("K_SIGNED", "ky so", "duoc ky so", "chu ky so", "ky bang chu ky so", "su dung chu ky so", "co ky so",
     "ky dien tu", "da ky so")

# --- indices -------------------------------------------------------------------------------------------------------
_add("I_PAR", "chi so cai cach hanh chinh", "chi so cchc", "par index", "par - index", "chi so par index?", "par",
     "chi so cai cach hanh chinh ( par index )")
_add("I_PAPI", "papi", "chi so papi", "(chi so)? hieu qua quan tri va hanh chinh cong (cap tinh)?")
_add("I_PCI", "pci", "chi so pci", "(chi so)? nang luc canh tranh (cap tinh)?", "chi so pci cap tinh")
_add("I_SIPAS", "sipas", "chi so sipas", "chi so hai long",
     "chi so hai long cua nguoi dan , to chuc", "chi so hai long ve su phuc vu hanh chinh")
_add("I_PII", "pii", "chi so pii", "(chi so)? doi moi sang tao (cap dia phuong|cap tinh)?")
_add("I_766", "bo chi so 766", "chi so 766", "quyet dinh 766", "quyet dinh so 766 / qd - ttg", "qd 766",
     "bo chi so chi dao , dieu hanh va danh gia chat luong phuc vu nguoi dan , doanh nghiep",
     "chi so phuc vu nguoi dan , doanh nghiep", "bo chi so phuc vu nguoi dan , doanh nghiep",
     "phuc vu nguoi dan , doanh nghiep", "theo quyet dinh 766")
_add("I_COMPONENT", "chi so thanh phan", "linh vuc thanh phan", "tieu chi thanh phan", "noi dung thanh phan",
     "tieu chi", "tieu chi con", "chi so con", "nhom chi so", "truc chi so")
_add("R_RANK", "xep thu", "xep hang", "dung thu", "dung hang", "hang", "vi tri thu", "vi tri", "thu hang",
     "xep vi tri", "thu", "dung o vi tri", "xep thu hang", "o vi tri", "o vi tri thu", "xep o vi tri")

# --- rates ---------------------------------------------------------------------------------------------------------
_add("R_RATE", "ty le", "ti le", "dat ty le", "dat ti le", "voi ty le", "ty le dat")
_add("R_SHARE", "chiem", "chiem ty le", "chiem ti le")
_add("R_REACH", "dat", "dat muc", "dat duoc")

# --- scope and period ----------------------------------------------------------------------------------------------
# M_TOTAL: stated as the whole; with the level it names (M_TINH ...), which must be the subject's own.
_add("M_TOTAL", "tong so", "tong cong", "luy ke", "toan nganh", "tinh chung", "tong", "toan don vi", "toan co quan",
     "tong so chung", "tren dia ban", "toan so")
_add("M_TOTAL M_TINH", "toan tinh", "chung toan tinh", "tren dia ban tinh", "ca tinh", "toan thanh pho",
     "chung cua tinh", "cua toan tinh", "cua ca tinh")
_add("M_TOTAL M_HUYEN", "toan huyen", "toan thi xa", "toan quan", "tren dia ban huyen", "ca huyen",
     "chung cua huyen", "cua toan huyen", "tren dia ban thi xa", "chung cua thi xa")
_add("M_TOTAL M_XA", "toan xa", "toan phuong", "toan thi tran", "tren dia ban xa", "tren dia ban phuong")
# A level of government or a group of units: a breakdown, unless it is the subject's own level ("thị xã ... tiếp
# nhận tại Bộ phận Một cửa cấp thị xã").
_add("S_LEVEL L_TINH", "cap tinh", "cap so", "cap so , nganh", "cap so , ban , nganh")
_add("S_LEVEL L_HUYEN", "cap huyen", "cap thi xa", "cap thanh pho", "cap quan", "ubnd cap huyen")
_add("S_LEVEL L_XA", "cap xa", "cap phuong", "cap xa , phuong", "ubnd cap xa", "cap xa , phuong , thi tran")
_add("S_LEVEL", "cac so , ban , nganh", "cac so , nganh", "cac so", "cac so , ban", "cac ban , nganh",
     "so , ban , nganh", "cac huyen", "cac huyen , thi xa , thanh pho", "cac huyen , thanh pho , thi xa",
     "cac xa", "cac phuong", "cac xa , phuong , thi tran", "cac xa , phuong", "cac xa , phuong , dac khu",
     "xa , phuong , dac khu", "dac khu", "cac xa , thi tran", "xa , thi tran", "xa , phuong , thi tran",
     "xa , phuong", "cac dia phuong", "cap huyen , cap xa", "ca 3 cap", "ca ba cap", "don vi truc thuoc",
     "cac don vi truc thuoc", "chi nhanh")
# "các cơ quan đã giải quyết 139.260 hồ sơ": all of them, no breakdown.
_add("NEUTRAL", "cac co quan", "cac co quan , don vi", "cac don vi", "cac phong", "cac phong chuyen mon",
     "cac co quan hanh chinh")
_add("S_GROUP", "nhieu nhat", "cao nhat", "thap nhat", "it nhat", "lon nhat", "nho nhat", "dung dau", "rieng")
_add("S_FIELD", "linh vuc", "thuoc linh vuc", "o linh vuc", "nhom linh vuc")
_add("S_PORTAL", "tren cong", "tai cong")
# X_COMPARE: the number is set against another period ("so với cùng kỳ ..."); X_CHANGE: the number is the change
# ("tăng 12%", "giảm 58 hồ sơ"), the figure itself may follow ("..., còn 142.518 hồ sơ"); X_PAST: the clauses that
# follow speak of another period ("Cùng kỳ năm trước, ...", "Nhìn lại năm 2019, ...").
_add("X_COMPARE", "so voi", "so cung ky", "so voi cung ky", "so voi ky truoc", "so voi quy truoc",
     "so voi thang truoc", "so voi nam truoc", "giam so voi", "tang so voi", "ky truoc la", "thap hon", "cao hon",
     "lan luot", "gap")
# "giảm còn 2.175", "tăng lên 98%": the number after is the figure itself.
_add("X_TO", "giam con", "giam xuong con", "tang len", "giam xuong", "tang len den", "con")
_add("Q_NEW_BARE", "moi")
_add("X_CHANGE", "tang", "giam", "nhieu hon", "it hon", "vuot", "tang them",
     "tang manh", "giam manh", "tang nhe", "giam nhe", "tang gan", "giam gan", "tang hon", "giam hon")
_add("X_PAST", "cung ky", "nam truoc", "cung ky nam truoc", "nam ngoai", "nhin lai", "ky bao cao truoc",
     "cung ky nam", "truoc day", "giai doan truoc", "nhiem ky truoc")
_add("X_TARGET", "phan dau", "muc tieu", "du kien", "ke hoach dat", "yeu cau", "toi thieu", "phan dau dat",
     "dat chi tieu", "chi tieu dat", "dat muc tieu", "de ra muc tieu", "chi tieu la",
     "chi tieu giao", "chi tieu de ra", "tro len", "khong duoi", "khong thap hon", "dat tren", "dat tu", "se",
     "can dat")
_add("X_OTHER_SUBJECT", "ca nuoc", "toan quoc", "dan dau", "trong khi", "trong khi do", "binh quan", "trung binh",
     "binh quan chung", "cac tinh",
     "tinh ban", "trung binh ca nuoc", "trung binh chung")
_add("X_FUTURE", "thoi gian toi", "trong thoi gian toi", "ke hoach nam toi", "nam toi", "quy toi",
     "ky toi", "giai doan toi", "thang toi", "nam sau", "quy sau")

# --- structure -----------------------------------------------------------------------------------------------------
_add("L_LIST", "trong do", "trong so do", "bao gom", "cu the", "cu the nhu sau", "bao gom ca", "trong so nay",
     "chia ra")
_add("L_GOM", "gom", "gom co")
_add("NEG", "khong co", "chua co", "khong de xay ra", "khong xay ra", "khong co truong hop", "khong co bat ky",
     "khong ghi nhan", "chua ghi nhan", "khong co bat cu", "chua co truong hop", "khong phat hien",
     "khong co phat sinh")
_add("NEG A_RECEIVE", "khong nhan duoc", "chua nhan duoc", "khong tiep nhan", "chua tiep nhan", "khong nhan",
     "khong phat sinh", "chua phat sinh", "khong co phat sinh")
_add("NEG_WORD", "khong", "chua")
_add("N_NONE", "nao")
_add("NEG_RESOLVE", "chua giai quyet xong", "chua xu ly xong")
_add("F_REVENUE", "thu phi", "le phi", "thu phi , le phi", "thu ngan sach", "phi , le phi")

MAX_PHRASE = max(len(p.split()) for p in _PHRASES)

_TRIE: dict = {}
for _phrase, _tags in _PHRASES.items():
    node = _TRIE
    for _word in _phrase.split():
        node = node.setdefault(_word, {})
    node[None] = _tags


def match_at(texts: list[str], i: int) -> tuple[int, tuple[str, ...]] | None:
    """The longest phrase starting at token i: (end index, tags), or None."""
    node = _TRIE
    best = None
    j = i
    n = len(texts)
    while j < n:
        node = node.get(texts[j])
        if node is None:
            break
        j += 1
        tags = node.get(None)
        if tags is not None:
            best = (j, tags)
    return best


def match_cues(texts: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Every phrase of the lexicon in a sentence's tokens, longest first, left to right: (start, end, tags)."""
    out = []
    i = 0
    n = len(texts)
    while i < n:
        found = match_at(texts, i)
        if found is None:
            i += 1
            continue
        end, tags = found
        out.append((i, end, tags))
        i = end
    return out


# The unit a count is written with, right after it: the first matching phrase decides what is counted.
UNIT_DOMAINS = ("D_HS", "D_TTHC", "D_PAKN", "D_TASK", "D_DOC", "D_VISIT", "D_MONEY", "U_SCORE", "T_GROUP", "T_OTHER")

# "5,65 ngàn hồ sơ", "1,2 triệu lượt": the number is multiplied (not before "đồng": money stays in its unit).
MULTIPLIERS = {"ngan": 1000, "nghin": 1000, "trieu": 1_000_000, "ty": 1_000_000_000}

# Words that may follow a count without being its unit (function words and the first words of cues): any other
# word after a number is a unit the vocabulary does not count ("03 cuộc họp", "02 tập thể"), so the number is no
# figure of ours.
NEUTRAL_FOLLOWERS = frozenset(
    {
        "va", "hoac", "trong", "do", "la", "duoc", "da", "dang", "tren", "tai", "qua", "cua", "voi", "chiem",
        "dat", "tang", "giam", "con", "co", "thuoc", "nop", "tiep", "giai", "xu", "truc", "buu", "dung", "truoc",
        "tre", "cham", "som", "moi", "tu", "ton", "chuyen", "den", "cho", "theo", "muc", "toan", "mot", "cung",
        "lien", "bang", "nhu", "ve", "vao", "sau", "khi", "chua", "khong", "bi", "phai", "thuc", "ngoai", "hien",
        "gom", "bao", "cu", "the", "de", "nhung", "thi", "ma", "online", "hs", "trinh", "rut", "nhan",
        "luy", "ke", "tong", "cong", "ky", "thoi", "han", "hen", "tra", "ket", "xep", "thu", "hang", "tinh",
        "dong", "dich", "vu", "hinh", "kip", "nay", "nao", "cac", "deu", "chi", "dieu", "ty", "le", "trung",
        "phan", "pakn", "tthc", "dvc", "dvctt", "truy", "cap", "lan", "luot", "van", "ban", "ho", "quy", "nam",
        "thang", "ngay", "dot", "phuc", "duoi", "vuot", "ngan", "nghin", "trieu", "khoang", "gan",
        "hon", "it", "nhieu", "rieng", "kem", "phong", "bo", "dien", "o", "ra", "lai", "su",
    }
) - {"phong", "ngay", "thang", "nam", "lan", "dot", "quy"}
