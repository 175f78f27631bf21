"""Normative documents over HTTP: the workflow from draft to in force, each gate's
refusal, versions kept on amendment, upload of .docx and .pdf text, scoping."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core.models import Event
from fazhi.core.tests.api_world import API_PASSWORD, token_client
from fazhi.policy.models_fcr import FlagDecision
from fazhi.policy.models_normdocs import DocStatus, NormativeDocument
from fazhi.policy.selectors_normdocs import public_normative_documents
from fazhi.policy.services_fcr import fcr_flag_decide, fcr_review_conclude

D = datetime.date
BENIGN = ("第一条 为加强危险化学品企业安全设施变更管理，根据《中华人民共和国安全生产法》等规定，"
          "制定本规定。\n第二条 企业变更安全设施的，应当按规定开展安全条件论证。")


@pytest.fixture
def staff(make_user, agencies):
    city = agencies["city"]
    return {role: make_user(role, agency=city, password=API_PASSWORD)
            for role in ("officer", "reviewer", "leader")}


@pytest.fixture
def clients(staff):
    out = {}
    for role, user in staff.items():
        client = Client()
        client.force_login(user)
        out[role] = client
    return out


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _create(client: Client, **extra) -> NormativeDocument:
    data = {"title": "嘉兴市危险化学品企业安全设施变更管理规定", "issuer": "bureau",
            "drafted_on": "2024-03-01", "valid_years": "5", "text": BENIGN, **extra}
    response = client.post("/policy/normdocs/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return NormativeDocument.objects.latest("pk")


def _move(client: Client, doc: NormativeDocument, move: str, **fields):
    doc.refresh_from_db()
    data = {"move": move, f"{move}-version": doc.version, f"{move}-move": move}
    data.update({f"{move}-{k}": v for k, v in fields.items()})
    return client.post(f"/policy/normdocs/{doc.pk}/act/move/", data)


def _legality_ok(clients, doc: NormativeDocument, conclusion: str = "legal") -> None:
    assert _move(clients["officer"], doc, "submit_legality", on="2024-03-05").status_code == 302
    if conclusion != "legal":
        clients["reviewer"].post(f"/policy/normdocs/{doc.pk}/act/opinion/",
                                 {"clause": "第二条", "opinion": "建议明确论证主体"})
        opinion = doc.legality_reviews.get().opinions.get()
        clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/answer/",
                                {"opinion": opinion.pk, "adopted": "1", "response": "已修改"})
    clients["reviewer"].post(f"/policy/normdocs/{doc.pk}/act/conclude/", {
        "conclusion": conclusion, "concluded_on": "2024-03-12", "summary": "审查意见书"})


def _fcr_conclude(reviewer, doc: NormativeDocument, conclusion: str = "compliant") -> None:
    doc.refresh_from_db()
    review = doc.fcr_review
    for flag in review.flags.all():
        fcr_flag_decide(actor=reviewer, flag=flag, decision=FlagDecision.DISMISSED,
                        note="不涉及市场主体经济活动")
    fcr_review_conclude(actor=reviewer, review=review, conclusion=conclusion,
                        justification="" if conclusion == "compliant" else "第二条须修改")


def _through_signing(clients, staff, doc: NormativeDocument) -> None:
    _legality_ok(clients, doc, "amend")
    assert _move(clients["officer"], doc, "submit_fcr").status_code == 302
    _fcr_conclude(staff["reviewer"], doc)
    _move(clients["officer"], doc, "submit_deliberation")
    doc.refresh_from_db()
    clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/deliberation/", {
        "version": doc.version, "deliberated_on": "2024-04-02", "meeting": "局长办公会议",
        "minutes": "会议审议通过"})
    _move(clients["leader"], doc, "sign", on="2024-04-08")


def test_workflow_from_draft_to_in_force(clients, staff):
    doc = _create(clients["officer"])
    _through_signing(clients, staff, doc)
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED
    assert re.fullmatch(r"嘉应急规〔2024〕1号", doc.number)
    response = _move(clients["officer"], doc, "publish", published_on="2024-04-10",
                     effective_on="2024-05-10", valid_years="5",
                     published_where="市应急管理局门户网站")
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocStatus.PUBLISHED
    assert doc.expires_on == D(2029, 5, 9)
    # not yet in force before the effective day
    assert _move(clients["officer"], doc, "take_effect", on="2024-05-09").status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocStatus.PUBLISHED
    _move(clients["officer"], doc, "take_effect", on="2024-05-10")
    doc.refresh_from_db()
    assert doc.status == DocStatus.IN_FORCE
    assert list(public_normative_documents()) == [doc]
    assert doc.get_absolute_public_url() == f"/public/normative-documents/{doc.pk}/"
    actions = set(Event.objects.filter(object_type="policy.normativedocument",
                                       object_id=str(doc.pk)).values_list("action", flat=True))
    assert {"policy.normdoc.created", "policy.normdoc.submit_legality",
            "policy.normdoc.legality_concluded", "policy.normdoc.submit_fcr",
            "policy.normdoc.deliberated", "policy.normdoc.sign", "policy.normdoc.publish",
            "policy.normdoc.take_effect"} <= actions
    page = clients["officer"].get(f"/policy/normdocs/{doc.pk}/").content.decode()
    assert "嘉应急规〔2024〕1号" in page and "有效" in page


@pytest.fixture
def api(staff):
    return {role: token_client(user) for role, user in staff.items()}


def _api_move(client, doc, move, **data):
    return client.post(f"/api/v1/policy/normdocs/{doc.pk}/transitions",
                       {"move": move, **data}, content_type="application/json")


def test_legality_gate_refusals(clients, staff, api):
    doc = _create(clients["officer"])
    _api_move(api["officer"], doc, "submit_legality", on="2024-03-05")
    refused = _api_move(api["officer"], doc, "submit_fcr")
    assert refused.status_code == 422
    assert "合法性审查尚未作出结论" in refused.json()["detail"]
    assert "二（六）" in refused.json()["detail"]
    clients["reviewer"].post(f"/policy/normdocs/{doc.pk}/act/opinion/",
                             {"clause": "第五条", "opinion": "增设了上位法没有的义务"})
    clients["reviewer"].post(f"/policy/normdocs/{doc.pk}/act/conclude/",
                             {"conclusion": "illegal", "concluded_on": "2024-03-12"})
    refused = _api_move(api["officer"], doc, "submit_fcr")
    assert refused.status_code == 422 and "不合法" in refused.json()["detail"]
    # back to drafting, then a second round with an opinion left unanswered
    returned = _api_move(api["officer"], doc, "return_draft", reason="按审查意见修改")
    assert returned.status_code == 200
    _api_move(api["officer"], doc, "submit_legality", on="2024-03-05")
    doc.refresh_from_db()
    assert doc.legality_reviews.count() == 2
    clients["reviewer"].post(f"/policy/normdocs/{doc.pk}/act/opinion/",
                             {"clause": "第二条", "opinion": "表述不严谨"})
    clients["reviewer"].post(f"/policy/normdocs/{doc.pk}/act/conclude/",
                             {"conclusion": "amend", "concluded_on": "2024-03-20"})
    refused = _api_move(api["officer"], doc, "submit_fcr")
    assert refused.status_code == 422 and "未说明是否采纳" in refused.json()["detail"]
    assert NormativeDocument.objects.get(pk=doc.pk).status == DocStatus.LEGALITY


def test_only_the_legal_department_concludes(clients):
    doc = _create(clients["officer"])
    _move(clients["officer"], doc, "submit_legality", on="2024-03-05")
    response = clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/conclude/",
                                       {"conclusion": "legal", "concluded_on": "2024-03-12"})
    assert any("无权" in m for m in _messages(response))
    assert doc.legality_reviews.get().conclusion == ""


def test_fair_competition_gate(clients, staff, api):
    doc = _create(clients["officer"])
    _legality_ok(clients, doc)
    assert _api_move(api["officer"], doc, "submit_fcr").status_code == 200
    doc.refresh_from_db()
    assert doc.fcr_review is not None and doc.fcr_review.source == "normdoc"
    refused = _api_move(api["officer"], doc, "submit_deliberation")
    assert refused.status_code == 422 and "公平竞争审查尚未作出结论" in refused.json()["detail"]
    _fcr_conclude(staff["reviewer"], doc, "noncompliant")
    refused = _api_move(api["officer"], doc, "submit_deliberation")
    assert refused.status_code == 422 and "退回起草修改" in refused.json()["detail"]
    assert _api_move(api["officer"], doc, "return_draft", reason="删除限定条款").status_code == 200
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFTING and doc.fcr_review is None


def test_signing_and_publication_gates(clients, staff, api):
    doc = _create(clients["officer"])
    _legality_ok(clients, doc)
    _api_move(api["officer"], doc, "submit_fcr")
    _fcr_conclude(staff["reviewer"], doc)
    _api_move(api["officer"], doc, "submit_deliberation")
    assert _api_move(api["officer"], doc, "sign").status_code == 403  # leaders sign
    refused = _api_move(api["leader"], doc, "sign")
    assert refused.status_code == 422 and "未经集体审议" in refused.json()["detail"]
    doc.refresh_from_db()
    clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/deliberation/", {
        "version": doc.version, "deliberated_on": "2024-04-02", "meeting": "局长办公会议",
        "minutes": "审议通过"})
    assert _api_move(api["leader"], doc, "sign", on="2024-04-08").status_code == 200
    refused = _api_move(api["officer"], doc, "publish", published_on="2024-04-10",
                        effective_on="2024-04-01")
    assert refused.status_code == 422 and "施行日期不能早于公布日期" in refused.json()["detail"]
    refused = _api_move(api["officer"], doc, "publish", published_on="2024-04-10",
                        effective_on="2024-04-10", valid_years=8)
    assert refused.status_code == 422 and "有效期" in refused.json()["detail"]
    ok = _api_move(api["officer"], doc, "publish", published_on="2024-04-10",
                   effective_on="2024-04-10")
    assert ok.status_code == 200 and ok.json()["status"] == "in_force"


def test_stale_version_is_refused(clients, api):
    doc = _create(clients["officer"])
    response = _api_move(api["officer"], doc, "submit_legality", version=doc.version + 5)
    assert response.status_code == 422 and "刷新" in response.json()["detail"]


def test_gov_office_document_takes_the_office_number(clients, staff, api):
    doc = _create(clients["officer"], issuer="gov_office")
    _legality_ok(clients, doc)
    _api_move(api["officer"], doc, "submit_fcr")
    _fcr_conclude(staff["reviewer"], doc)
    _api_move(api["officer"], doc, "submit_deliberation")
    doc.refresh_from_db()
    clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/deliberation/", {
        "version": doc.version, "deliberated_on": "2024-04-02", "meeting": "市政府常务会议",
        "minutes": "审议通过"})
    assert _api_move(api["leader"], doc, "sign").status_code == 422
    ok = _api_move(api["leader"], doc, "sign", number="嘉政办发〔2024〕9号")
    assert ok.status_code == 200 and ok.json()["number"] == "嘉政办发〔2024〕9号"


def test_amendment_keeps_versions(clients, staff, api):
    doc = _create(clients["officer"])
    _through_signing(clients, staff, doc)
    _api_move(api["officer"], doc, "publish", published_on="2024-04-10",
              effective_on="2024-04-10")
    response = clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/amend/",
                                       {"reason": "上位法修订"})
    new = NormativeDocument.objects.get(previous=doc)
    assert response.url == f"/policy/normdocs/{new.pk}/"
    assert new.version_no == 2 and new.status == DocStatus.DRAFTING
    assert new.lineage_id == doc.pk
    doc.refresh_from_db()
    assert doc.status == DocStatus.IN_FORCE  # until the new version takes effect
    # the page drafts the new version today; place the scenario in 2024
    NormativeDocument.objects.filter(pk=new.pk).update(drafted_on=D(2024, 3, 1))
    new.refresh_from_db()
    clients["officer"].post(f"/policy/normdocs/{new.pk}/act/text/", {
        "title": new.title, "valid_years": "5", "version": new.version,
        "text": BENIGN + "\n第三条 本规定自公布之日起施行。"})
    # second version through the workflow, signed later in the year
    _through_signing(clients, staff, new)
    _api_move(api["officer"], new, "publish", published_on="2024-09-01",
              effective_on="2024-09-01")
    doc.refresh_from_db()
    new.refresh_from_db()
    assert new.status == DocStatus.IN_FORCE and new.number == "嘉应急规〔2024〕2号"
    assert doc.status == DocStatus.SUPERSEDED and doc.ended_on == D(2024, 9, 1)
    detail = api["officer"].get(f"/api/v1/policy/normdocs/{doc.pk}").json()
    assert [v["version_no"] for v in detail["versions"]] == [1, 2]
    page = clients["officer"].get(f"/policy/normdocs/{doc.pk}/").content.decode()
    assert page.count('data-testid="version"') == 2


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "附表"
    table.rows[0].cells[1].text = "变更类别"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(text: str) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_upload_docx_and_pdf(clients, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("规定.docx", _docx_bytes(BENIGN))
    doc = _create(clients["officer"], text="", upload=upload)
    doc.refresh_from_db()
    assert doc.text_source == "docx" and "安全条件论证" in doc.text and "变更类别" in doc.text
    assert len(doc.source_sha256) == 64 and doc.source_name == "规定.docx"
    pdf = SimpleUploadedFile("rules.pdf", _pdf_bytes("Article 1 safety facilities"))
    response = clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/text/", {
        "title": doc.title, "valid_years": "5", "version": doc.version, "upload": pdf})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.text_source == "pdf" and "Article 1 safety facilities" in doc.text
    bad = SimpleUploadedFile("notes.txt", b"hello")
    response = clients["officer"].post(f"/policy/normdocs/{doc.pk}/act/text/", {
        "title": doc.title, "valid_years": "5", "version": doc.version, "upload": bad})
    assert any(".docx" in m for m in _messages(response))
    doc.refresh_from_db()
    assert doc.text_source == "pdf"


def test_scoping_county_users_see_nothing_of_the_city(clients, make_user, agencies):
    doc = _create(clients["officer"])
    county = Client()
    county.force_login(make_user("officer", agency=agencies["nanhu"]))
    assert county.get(f"/policy/normdocs/{doc.pk}/").status_code == 404
    assert county.post(f"/policy/normdocs/{doc.pk}/act/move/",
                       {"move": "submit_legality"}).status_code == 404
    assert "嘉兴市危险化学品" not in county.get("/policy/normdocs/").content.decode()
    enterprise = Client()
    enterprise.force_login(make_user("enterprise"))
    assert enterprise.get(f"/policy/normdocs/{doc.pk}/").status_code == 404


def test_api_lists_are_scoped(clients, api, make_user, agencies):
    doc = _create(clients["officer"])
    listed = api["officer"].get("/api/v1/policy/normdocs?status=drafting").json()
    assert [d["id"] for d in listed["items"]] == [doc.pk] and listed["count"] == 1
    county = token_client(make_user("officer", agency=agencies["nanhu"], password=API_PASSWORD))
    assert county.get("/api/v1/policy/normdocs").json()["count"] == 0
    assert county.get(f"/api/v1/policy/normdocs/{doc.pk}").status_code == 404
    assert _api_move(county, doc, "submit_legality").status_code == 404
