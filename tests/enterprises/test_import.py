"""Importing enterprise lists: all rows checked first, nothing half-written, idempotent."""

import io
import random

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from demo.credit_codes import make_credit_code
from enterprises import services
from enterprises.models import Enterprise, EnterpriseImport
from tests.xlsx import HEADERS, make_xlsx, read_xlsx, response_bytes

rng = random.Random(11)
CODE_A = make_credit_code(rng, "410105")
CODE_B = make_credit_code(rng, "410105")


def good_rows():
    return [
        [
            CODE_A,
            "郑州甲化工有限公司",
            "410105",
            "金水区甲路 1 号",
            "2614",
            "是",
            "王一",
            "0371-66309206",
        ],
        [
            CODE_B,
            "郑州乙印染有限公司",
            "410105",
            "金水区乙路 2 号",
            "1713",
            "否",
            "李二",
            13812345678,
        ],
    ]


def run_import(actor, data: bytes, kind="key_units") -> EnterpriseImport:
    return services.enterprise_import(
        actor=actor, file=io.BytesIO(data), original_name="名单.xlsx", list_kind=kind
    )


def test_good_file_creates_then_reimport_changes_nothing(cast):
    data = make_xlsx(good_rows())
    first = run_import(cast.county, data)
    assert first.status == "succeeded" and first.created_count == 2
    a = Enterprise.objects.get(credit_code=CODE_A)
    assert a.county.code == "410105" and a.city.code == "4101" and a.is_key_unit
    assert Enterprise.objects.get(credit_code=CODE_B).contact_phone == "13812345678"
    logs_before = LogEntry.objects.count()

    second = run_import(cast.county, data)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert LogEntry.objects.count() == logs_before + 1  # only the import record itself is logged


def test_changed_row_updates_and_is_audited_with_actor(cast):
    run_import(cast.county, make_xlsx(good_rows()))
    rows = good_rows()
    rows[0][1] = "郑州甲化工股份有限公司"
    record = run_import(cast.county, make_xlsx(rows))
    assert (record.created_count, record.updated_count, record.unchanged_count) == (0, 1, 1)
    a = Enterprise.objects.get(credit_code=CODE_A)
    entry = LogEntry.objects.get_for_object(a).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == cast.county
    assert entry.changes_dict["name"] == ["郑州甲化工有限公司", "郑州甲化工股份有限公司"]


def test_one_bad_row_writes_nothing_and_names_row_and_column(cast):
    rows = good_rows()
    bad_code = CODE_B[:-1] + ("0" if CODE_B[-1] != "0" else "1")
    rows[1][0] = bad_code
    rows.append(["", "无代码单位", "999999", "某地", "9999", "也许", "", "12345"])
    record = run_import(cast.county, make_xlsx(rows))
    assert record.status == "failed"
    assert Enterprise.objects.count() == 2  # only the cast's; nothing from the file
    found = {(e["row"], e["column"]): e for e in record.errors}
    assert "校验位" in found[(3, "统一社会信用代码")]["message"]
    assert found[(3, "统一社会信用代码")]["letter"] == "A"
    assert "必填" in found[(4, "统一社会信用代码")]["message"]
    assert "不是本省的县级区划代码" in found[(4, "所属区县代码")]["message"]
    assert "国民经济行业分类" in found[(4, "行业代码")]["message"]
    assert "是”或“否" in found[(4, "是否重点排污单位")]["message"]
    assert "必填" in found[(4, "法定代表人")]["message"]
    assert "电话号码格式不正确" in found[(4, "联系电话")]["message"]
    assert record.error_count == len(record.errors) == 7


def test_duplicate_codes_and_out_of_scope_rows_are_errors(cast):
    rows = good_rows()
    rows.append(list(rows[0]))
    rows.append(
        [
            make_credit_code(rng, "410305"),
            "洛阳某厂",
            "410305",
            "涧西区",
            "2614",
            "否",
            "赵",
            "13912345678",
        ]
    )
    record = run_import(cast.county, make_xlsx(rows))
    messages = {(e["row"], e["column"]): e["message"] for e in record.errors}
    assert "与第 2 行" in messages[(4, "统一社会信用代码")]
    assert "不在您的管辖范围内" in messages[(5, "所属区县代码")]
    assert record.status == "failed"


def test_cannot_take_over_a_unit_registered_outside_scope(cast):
    rows = [
        [cast.other_ent.credit_code, "改名", "410105", "金水区", "2614", "否", "钱", "13912345678"]
    ]
    record = run_import(cast.county, make_xlsx(rows))
    assert record.status == "failed"
    assert "不在您的管辖范围内，不能修改" in record.errors[0]["message"]
    cast.other_ent.refresh_from_db()
    assert cast.other_ent.name == "涧西测试化工有限公司"


def test_missing_headers_and_non_excel_files(cast):
    record = run_import(cast.county, make_xlsx([["x"]], headers=["单位名称"]))
    assert record.status == "failed" and "缺少必填列" in record.errors[0]["message"]
    record = run_import(cast.county, b"not an excel file")
    assert "无法读取该文件" in record.errors[0]["message"]


def test_optional_columns_and_blank_cells_keep_known_data(cast):
    headers = [*HEADERS, "重点排污单位类别", "排污许可证编号", "排污许可证有效期至", "是否黄河流域"]
    rows = [[*good_rows()[0], "水、气", "P-001", "2023-12-31", "是"]]
    run_import(cast.county, make_xlsx(rows, headers))
    a = Enterprise.objects.get(credit_code=CODE_A)
    assert (a.key_water, a.key_air, a.key_soil, a.permit_no) == (True, True, False, "P-001")
    assert str(a.permit_valid_until) == "2023-12-31" and a.in_yellow_river_basin
    rows = [[*good_rows()[0], "水、气", "", "", "是"]]  # blank permit cells: not erased
    record = run_import(cast.county, make_xlsx(rows, headers), kind="census")
    a.refresh_from_db()
    assert a.permit_no == "P-001" and a.in_census and record.updated_count == 1


def test_key_types_require_key_unit(cast):
    headers = [*HEADERS, "重点排污单位类别"]
    rows = [[*good_rows()[1], "水"]]  # 是否重点排污单位 = 否
    record = run_import(cast.county, make_xlsx(rows, headers))
    assert record.status == "failed"
    assert "但“是否重点排污单位”为“否”" in record.errors[0]["message"]


def test_roles_without_import_permission_are_refused(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_import(cast.enterprise_user, make_xlsx(good_rows()))


def test_upload_page_reports_errors_and_offers_error_workbook(client, cast):
    client.force_login(cast.county)
    rows = good_rows()
    rows[0][4] = "9999"
    upload = io.BytesIO(make_xlsx(rows))
    upload.name = "金水名单.xlsx"
    response = client.post(
        reverse("enterprises:import"), {"list_kind": "key_units", "file": upload}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "未写入任何数据" in page and "行业代码" in page and "9999" in page
    record = EnterpriseImport.objects.get()
    errors = client.get(reverse("enterprises:import-errors", args=[record.pk]))
    sheet = read_xlsx(response_bytes(errors))
    assert sheet[0] == ("行号", "列名", "列", "单元格内容", "错误说明")
    assert sheet[1][:4] == (2, "行业代码", "E", "9999")
    # another county cannot read this import or its errors
    client.force_login(cast.other_county)
    assert client.get(reverse("enterprises:import-errors", args=[record.pk])).status_code == 404


def test_upload_page_refuses_wrong_file_types_and_keeps_choice(client, cast):
    client.force_login(cast.county)
    fake = io.BytesIO(b"plain text")
    fake.name = "名单.xlsx"
    response = client.post(reverse("enterprises:import"), {"list_kind": "census", "file": fake})
    assert response.status_code == 400
    assert "不是 Excel" in response.content.decode()
    assert 'value="census" selected' in response.content.decode()
    csv_file = io.BytesIO(b"a,b")
    csv_file.name = "名单.csv"
    response = client.post(
        reverse("enterprises:import"), {"list_kind": "key_units", "file": csv_file}
    )
    assert "只接受 .xlsx" in response.content.decode()
    assert not EnterpriseImport.objects.exists()


def test_upload_size_limit(client, cast, settings):
    settings.MAX_IMPORT_FILE_BYTES = 100
    client.force_login(cast.county)
    upload = io.BytesIO(make_xlsx(good_rows()))
    upload.name = "名单.xlsx"
    response = client.post(
        reverse("enterprises:import"), {"list_kind": "key_units", "file": upload}
    )
    assert response.status_code == 400 and "文件过大" in response.content.decode()


def test_template_download_has_the_headers(client, cast):
    client.force_login(cast.city)
    response = client.get(reverse("enterprises:import-template"))
    header = read_xlsx(response_bytes(response))[0]
    assert list(header[: len(HEADERS)]) == HEADERS


def test_command_imports_and_fails_with_nonzero_exit(cast, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(make_xlsx(good_rows()))
    call_command("import_enterprises", str(good), user=cast.province.username)
    assert Enterprise.objects.filter(credit_code__in=[CODE_A, CODE_B]).count() == 2
    rows = good_rows()
    rows[1][7] = "123"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make_xlsx(rows))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_enterprises", str(bad), user=cast.province.username)
    assert "第 3 行 联系电话（H 列）" in capsys.readouterr().err


def test_command_exit_code_is_nonzero(tmp_path):
    import subprocess
    import sys

    # a real process: the exit code and message are what a shell script sees
    missing = tmp_path / "不存在.xlsx"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_enterprises", str(missing)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "找不到文件" in result.stderr


def test_rows_that_break_registry_rules_with_stored_data_fail_cleanly(cast):
    """Connected without installed (from defaults, not the row) is refused by row, nothing written."""
    headers = [*HEADERS, "自动监控是否联网"]
    rows = [[*good_rows()[0], "是"]]
    record = run_import(cast.county, make_xlsx(rows, headers))
    assert record.status == "failed" and "未安装自动监控" in record.errors[0]["message"]
    assert record.errors[0]["row"] == 2
    assert not Enterprise.objects.filter(credit_code=CODE_A).exists()


def test_exports_never_carry_live_formulas(client, cast):
    cast.ent.name = '=HYPERLINK("http://x","点我")'
    cast.ent.save()
    client.force_login(cast.county)
    rows = read_xlsx(response_bytes(client.get(reverse("enterprises:export"))))
    assert rows[1][1] == "'" + cast.ent.name


def test_credit_codes_are_stored_in_one_spelling(cast):
    original = cast.ent.credit_code
    cast.ent.credit_code = "".join(c.lower() for c in original)
    cast.ent.full_clean()
    assert cast.ent.credit_code == original.upper()


def test_large_file_is_written_in_batches_with_an_audit_row_for_each_unit(cast):
    """More rows than one write batch: new and changed units alike, each with its history."""
    batch_rng = random.Random(5)
    codes = [make_credit_code(batch_rng, "410105") for _ in range(services.BATCH * 2 + 30)]

    def rows(suffix: str, changed_from: int = 0):
        return [
            [
                code,
                f"金水第{n}号有限公司{suffix if n >= changed_from else ''}",
                "410105",
                f"金水区工业路 {n} 号",
                "2614",
                "否",
                "王一",
                "0371-66309206",
            ]
            for n, code in enumerate(codes)
        ]

    first = run_import(cast.county, make_xlsx(rows("")))
    assert first.status == "succeeded" and first.created_count == len(codes)
    imported = Enterprise.objects.filter(credit_code__in=codes).values("pk")
    created = LogEntry.objects.filter(
        content_type__model="enterprise", action=LogEntry.Action.CREATE, object_id__in=imported
    )
    assert created.count() == len(codes)
    assert set(created.values_list("actor", flat=True)) == {cast.county.pk}
    entry = created.get(object_id=Enterprise.objects.get(credit_code=codes[-1]).pk)
    assert entry.changes_dict["credit_code"][1] == codes[-1]
    assert Enterprise.objects.filter(credit_code__in=codes, city__code="4101").count() == len(codes)

    # the second half renamed: updated in bulk, unchanged rows untouched, one audit row each
    second = run_import(cast.county, make_xlsx(rows("（更名）", changed_from=600)))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (
        0,
        len(codes) - 600,
        600,
    )
    updates = LogEntry.objects.filter(
        content_type__model="enterprise", action=LogEntry.Action.UPDATE, object_id__in=imported
    )
    assert updates.count() == len(codes) - 600
    renamed = Enterprise.objects.get(credit_code=codes[700])
    assert renamed.name == "金水第700号有限公司（更名）"
    entry = updates.get(object_id=renamed.pk)
    assert entry.changes_dict["name"] == ["金水第700号有限公司", "金水第700号有限公司（更名）"]
    assert entry.actor == cast.county
    assert renamed.updated_at > renamed.created_at
    assert Enterprise.objects.get(credit_code=codes[10]).name == "金水第10号有限公司"


def test_bulk_audit_rows_equal_what_auditlog_writes_per_save(cast):
    """The import's own audit rows for new units carry exactly auditlog's diff of a new object."""
    from auditlog.diff import model_instance_diff

    from campaign.history import _created_diff

    fast = _created_diff(Enterprise)
    for enterprise in Enterprise.objects.all():
        expected = model_instance_diff(None, enterprise)
        assert fast(enterprise) == expected
        assert "credit_code" in expected and "updated_at" in expected
