"""Resumable uploads: a large file goes up in pieces, a cut-off connection continues from what the
server has, the owner alone sees it, a service takes the complete file once, and what is left
behind is purged."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import os
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaign import resumable, tasks
from campaign.edge import ConflictError
from campaign.models import ResumableUpload
from campaign.uploads import validate_upload
from config import celery_app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVIDENCE = ("image/jpeg", "image/png", "application/pdf")
CHUNK = "application/offset+octet-stream"


def jpeg() -> bytes:
    """A real photo of noise (it does not compress: some tens of kilobytes)."""
    rng = random.Random(2020)
    image = Image.frombytes(
        "RGB", (160, 120), bytes(rng.randrange(256) for _ in range(160 * 120 * 3))
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, "PDF")
    return out.getvalue()


def start(client, data: bytes, name="监测报告.jpg", content_type="image/jpeg"):
    return client.post(
        reverse("api-uploads"),
        {"name": name, "size": len(data), "content_type": content_type},
        content_type="application/json",
    )


def patch(client, url: str, offset: int, piece: bytes):
    return client.patch(url, piece, content_type=CHUNK, headers={"Upload-Offset": str(offset)})


def on_disk(upload: ResumableUpload) -> bytes:
    upload.refresh_from_db()
    with open(upload.partial.path, "rb") as partial:
        return partial.read()


def uploaded(cast, data: bytes, name="报告.pdf") -> ResumableUpload:
    """A complete upload of `data` by the 金水 inspector, through the service."""
    upload = resumable.upload_start(actor=cast.county, name=name, size=len(data))
    return resumable.upload_append(actor=cast.county, upload=upload, offset=0, chunk=data)


def test_a_file_goes_up_in_pieces_and_a_service_takes_it_whole(client, cast):
    from inspections.services.evidence import evidence_add

    data = jpeg()
    client.force_login(cast.county)
    created = start(client, data)
    assert created.status_code == 201
    body = created.json()
    url = reverse("api-upload", args=[body["id"]])
    assert (body["offset"], body["size"], body["complete"], body["url"]) == (
        0,
        len(data),
        False,
        url,
    )
    assert created["Location"] == url
    upload = ResumableUpload.objects.get(pk=body["id"])
    assert upload.owner == cast.county and upload.partial.name.startswith("partial/")
    assert upload.expires_at > timezone.now() + dt.timedelta(hours=47)

    # three pieces; the connection "drops" after each: the client asks where to continue
    cuts = [0, len(data) // 3, 2 * len(data) // 3, len(data)]
    for begin, end in itertools.pairwise(cuts):
        asked = client.get(url)
        assert asked.json()["offset"] == begin and asked["Upload-Offset"] == str(begin)
        answer = patch(client, url, begin, data[begin:end])
        assert answer.status_code == 200 and answer.json()["offset"] == end
    head = client.head(url)
    assert head.status_code == 200 and head["Upload-Offset"] == str(len(data))
    assert head["Upload-Length"] == str(len(data)) and head["Cache-Control"] == "no-store"
    done = client.get(url).json()
    assert done["complete"] and done["completed_at"]
    assert done["sha256"] == hashlib.sha256(data).hexdigest()
    assert on_disk(upload) == data

    # the service the file was for takes it: checked by content, stored in its own FileField
    with resumable.upload_take(actor=cast.county, upload_id=upload.pk) as taken:
        assert (taken.name, taken.size) == ("监测报告.jpg", len(data))
        assert validate_upload(taken, allowed=EVIDENCE, max_bytes=15 * 1024 * 1024) == "image/jpeg"
        evidence = evidence_add(actor=cast.county, enterprise=cast.ent, upload=taken)
    evidence.refresh_from_db()
    assert evidence.original_name == "监测报告.jpg" and evidence.size == len(data)
    assert evidence.file.read() == data and evidence.file.name.startswith("evidence/")
    upload.refresh_from_db()
    assert upload.consumed_at is not None
    assert client.get(url).status_code == 404  # taken: gone for the client, which starts anew


def test_the_multipart_form_is_the_same_piece_for_clients_that_cannot_patch(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = pdf()
    client.force_login(cast.county)
    url = start(client, data, name="验收.pdf").json()["url"]
    first = client.post(url, {"offset": 0, "chunk": SimpleUploadedFile("p", data[:100])})
    assert first.status_code == 200 and first.json()["offset"] == 100
    again = client.post(url, {"offset": 0, "chunk": SimpleUploadedFile("p", data[:100])})
    assert again.status_code == 409 and again.json()["current"] == {"offset": 100}
    rest = client.post(url, {"offset": 100, "chunk": SimpleUploadedFile("p", data[100:])})
    assert rest.json()["complete"] is True


def test_a_wrong_offset_is_a_conflict_that_tells_where_to_continue_and_writes_nothing(client, cast):
    data = pdf()
    client.force_login(cast.county)
    url = start(client, data, name="验收.pdf").json()["url"]
    assert patch(client, url, 0, data[:50]).status_code == 200
    upload = ResumableUpload.objects.get()
    for offset in (0, 20, 80):  # sent again after a lost answer; a gap; ahead of the server
        answer = patch(client, url, offset, data[offset : offset + 30])
        assert answer.status_code == 409, offset
        assert answer.json()["current"] == {"offset": 50} and "50" in answer.json()["detail"]
    assert on_disk(upload) == data[:50] and upload.received == 50
    assert patch(client, url, 50, data[50:]).json()["complete"] is True


def test_a_piece_past_the_declared_size_is_refused(client, cast):
    client.force_login(cast.county)
    url = start(client, b"0" * 100, name="a.pdf").json()["url"]
    upload = ResumableUpload.objects.get()
    assert patch(client, url, 0, b"%" * 60).status_code == 200
    answer = patch(client, url, 60, b"%" * 41)
    assert answer.status_code == 400 and "超出声明的文件大小" in answer.json()["chunk"][0]
    assert on_disk(upload) == b"%" * 60 and upload.received == 60 and upload.completed_at is None


def test_the_piece_needs_its_offset_header_and_its_media_type(client, cast):
    client.force_login(cast.county)
    url = start(client, b"0" * 100, name="a.pdf").json()["url"]
    missing = client.patch(url, b"%%", content_type=CHUNK)
    assert missing.status_code == 400 and "Upload-Offset" in missing.json()["offset"][0]
    wrong = client.patch(
        url, {"offset": 0}, content_type="application/json", headers={"Upload-Offset": "0"}
    )
    assert wrong.status_code == 415
    assert ResumableUpload.objects.get().received == 0


def test_the_start_refuses_what_it_cannot_keep_naming_the_field(client, cast, settings):
    client.force_login(cast.county)
    settings.RESUMABLE_MAX_BYTES = 1024
    too_big = start(client, b"0" * 1025)
    assert too_big.status_code == 400 and "不能超过" in too_big.json()["size"][0]
    empty = client.post(
        reverse("api-uploads"), {"name": "a.pdf", "size": 0}, content_type="application/json"
    )
    assert empty.status_code == 400 and "size" in empty.json()
    with pytest.raises(ValidationError) as refused:
        resumable.upload_start(actor=cast.county, name="  ", size=10)
    assert "name" in refused.value.message_dict
    # a caller may set its own, smaller limit
    with pytest.raises(ValidationError) as refused:
        resumable.upload_start(actor=cast.county, name="a.pdf", size=600, max_bytes=512)
    assert "不能超过" in refused.value.message_dict["size"][0]
    # a folder in the name is dropped
    kept = resumable.upload_start(actor=cast.county, name="C:\\报告\\监测.pdf", size=10)
    assert kept.name == "监测.pdf"
    assert not ResumableUpload.objects.exclude(pk=kept.pk).exists()


def test_a_user_without_a_role_may_not_start_one(client, reference_data):
    client.force_login(UserFactory(username="norole", role=""))
    assert start(client, b"0" * 10).status_code == 403
    assert not ResumableUpload.objects.exists()


def test_another_users_upload_is_not_found_and_stays_untouched(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = resumable.upload_start(actor=cast.county, name="a.pdf", size=100)
    url = reverse("api-upload", args=[upload.pk])
    for user in (cast.other_county, cast.province, cast.city, cast.admin):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert patch(client, url, 0, b"%" * 10).status_code == 404
        assert (
            client.post(url, {"offset": 0, "chunk": SimpleUploadedFile("p", b"%")}).status_code
            == 404
        )
    assert on_disk(upload) == b"" and upload.received == 0
    with pytest.raises(PermissionDenied):
        resumable.upload_append(actor=cast.other_county, upload=upload, offset=0, chunk=b"%")


def test_only_the_owner_takes_a_complete_file_once(cast):
    data = pdf()
    unfinished = resumable.upload_start(actor=cast.county, name="半.pdf", size=len(data))
    resumable.upload_append(actor=cast.county, upload=unfinished, offset=0, chunk=data[:10])
    with pytest.raises(ValidationError) as refused:
        resumable.upload_take(actor=cast.county, upload_id=unfinished.pk)
    assert "尚未上传完整" in refused.value.message_dict["upload"][0]

    complete = uploaded(cast, data)
    for outsider in (cast.other_county, cast.province):
        with pytest.raises(ValidationError) as refused:
            resumable.upload_take(actor=outsider, upload_id=complete.pk)
        assert "不是您上传的" in refused.value.message_dict["upload"][0]
    with pytest.raises(ValidationError):
        resumable.upload_take(actor=cast.county, upload_id=999_999)
    complete.refresh_from_db()
    assert complete.consumed_at is None

    resumable.upload_take(actor=cast.county, upload_id=complete.pk).close()
    with pytest.raises(ValidationError) as refused:
        resumable.upload_take(actor=cast.county, upload_id=complete.pk)
    assert "已经提交使用过" in refused.value.message_dict["upload"][0]
    with pytest.raises(ValidationError):  # nothing more may be added to a taken file
        resumable.upload_append(actor=cast.county, upload=complete, offset=len(data), chunk=b"")


def test_a_take_refused_later_in_the_callers_transaction_takes_nothing(cast):
    from django.db import transaction

    complete = uploaded(cast, pdf())
    with pytest.raises(ValidationError), transaction.atomic():
        resumable.upload_take(actor=cast.county, upload_id=complete.pk).close()
        raise ValidationError("the caller's own check fails")
    complete.refresh_from_db()
    assert complete.consumed_at is None


def test_the_taken_file_is_checked_by_its_content(cast):
    with resumable.upload_take(actor=cast.county, upload_id=uploaded(cast, pdf()).pk) as real:
        assert validate_upload(real, allowed=EVIDENCE, max_bytes=1024 * 1024) == "application/pdf"
    fake = uploaded(cast, b"MZ\x90\x00 not a pdf at all", name="报告.pdf")
    taken = resumable.upload_take(actor=cast.county, upload_id=fake.pk)
    with taken, pytest.raises(ValidationError) as refused:
        validate_upload(taken, allowed=EVIDENCE, max_bytes=1024 * 1024)
    assert "“报告.pdf”的文件类型不被接受" in refused.value.messages[0]
    big = uploaded(cast, pdf())
    taken = resumable.upload_take(actor=cast.county, upload_id=big.pk)
    with taken, pytest.raises(ValidationError):
        validate_upload(taken, allowed=EVIDENCE, max_bytes=100)  # the consumer's own limit


def test_bytes_left_past_the_offset_by_a_failed_commit_are_overwritten(cast):
    upload = resumable.upload_start(actor=cast.county, name="a.pdf", size=6)
    resumable.upload_append(actor=cast.county, upload=upload, offset=0, chunk=b"abc")
    with open(upload.partial.path, "ab") as partial:  # written, but the row never said so
        partial.write(b"XXXX")
    upload = resumable.upload_append(actor=cast.county, upload=upload, offset=3, chunk=b"def")
    assert on_disk(upload) == b"abcdef" and upload.sha256 == hashlib.sha256(b"abcdef").hexdigest()


def test_an_expired_upload_takes_nothing_more_and_is_purged_with_the_taken_ones(client, cast):
    from django.conf import settings as live

    task = celery_app.tasks[live.CELERY_BEAT_SCHEDULE["uploads-purge"]["task"]]
    now = timezone.now()
    expired = resumable.upload_start(actor=cast.county, name="旧.pdf", size=10)
    ResumableUpload.objects.filter(pk=expired.pk).update(expires_at=now - dt.timedelta(minutes=1))
    taken = uploaded(cast, pdf())
    resumable.upload_take(actor=cast.county, upload_id=taken.pk).close()
    live_one = resumable.upload_start(actor=cast.county, name="新.pdf", size=10)
    paths = {u.pk: u.partial.path for u in (expired, taken, live_one)}

    with pytest.raises(ValidationError):
        resumable.upload_append(actor=cast.county, upload=expired, offset=0, chunk=b"%")
    with pytest.raises(ValidationError):
        resumable.upload_take(actor=cast.county, upload_id=expired.pk)
    client.force_login(cast.county)
    assert client.get(reverse("api-upload", args=[expired.pk])).status_code == 404

    assert task.apply().get() == 2
    assert list(ResumableUpload.objects.values_list("pk", flat=True)) == [live_one.pk]
    assert not os.path.exists(paths[expired.pk]) and not os.path.exists(paths[taken.pk])
    assert os.path.exists(paths[live_one.pk])
    assert resumable.uploads_purge() == 0  # nothing more to do: run again, nothing happens


def test_each_piece_keeps_an_unfinished_upload_alive(cast):
    upload = resumable.upload_start(actor=cast.county, name="a.pdf", size=10)
    ResumableUpload.objects.filter(pk=upload.pk).update(
        expires_at=timezone.now() + dt.timedelta(minutes=5)
    )
    upload = resumable.upload_append(actor=cast.county, upload=upload, offset=0, chunk=b"%PDF")
    assert upload.expires_at > timezone.now() + dt.timedelta(hours=47)


def test_a_person_may_keep_only_so_many_unfinished_uploads(cast):
    for n in range(resumable.MAX_OPEN_PER_USER):
        resumable.upload_start(actor=cast.county, name=f"{n}.pdf", size=10)
    with pytest.raises(ValidationError):
        resumable.upload_start(actor=cast.county, name="one-more.pdf", size=10)
    resumable.upload_start(actor=cast.other_county, name="theirs.pdf", size=10)  # not counted


def test_a_start_sent_again_with_its_idempotency_key_gives_the_same_upload(client, cast):
    client.force_login(cast.county)
    body = {"name": "a.pdf", "size": 10}
    first = client.post(
        reverse("api-uploads"),
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    again = client.post(
        reverse("api-uploads"),
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and ResumableUpload.objects.count() == 1


def test_the_purge_runs_every_hour():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["uploads-purge"]
    assert entry["task"] == tasks.uploads_purge.name == "campaign.tasks.uploads_purge"
    assert entry["schedule"].minute == {41} and entry["schedule"].hour == set(range(24))


def test_the_conflict_is_the_edges_409(cast):
    upload = resumable.upload_start(actor=cast.county, name="a.pdf", size=10)
    with pytest.raises(ConflictError) as conflict:
        resumable.upload_append(actor=cast.county, upload=upload, offset=4, chunk=b"%")
    assert conflict.value.current == {"offset": 0}
