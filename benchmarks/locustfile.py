"""200 county inspectors on site: open the record form, save lines as they go, add a photo.

Each simulated inspector is signed in with their own account (a session made by
benchmarks/load.py, as from logging in that morning) and works on their own inspection in progress
(the plan is LOAD_PLAN, a JSON file), as in the field.
"""

from __future__ import annotations

import json
import os
import random
from itertools import count
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
PHOTO = Path(PLAN["photo"]).read_bytes()
_next = count()


class Inspector(HttpUser):
    wait_time = between(1, 5)  # reading, looking, typing between two saves

    def on_start(self) -> None:
        self.me = PLAN["inspectors"][next(_next) % len(PLAN["inspectors"])]
        self.client.cookies.set("sessionid", self.me["session"])  # signed in that morning
        response = self.client.get(f"/inspections/{self.me['inspection']}/", name="打开检查记录表")
        assert response.status_code == 200 and "csrftoken" in self.client.cookies, (
            response.status_code
        )
        self.revisions = {int(f): revision for f, revision in self.me["findings"].items()}

    def _csrf(self) -> dict:
        return {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Accept": "application/json",
        }

    @task(2)
    def open_record(self) -> None:
        self.client.get(f"/inspections/{self.me['inspection']}/", name="打开检查记录表")

    @task(6)
    def save_line(self) -> None:
        # as the page's outbox does: JSON to the API with the session and the cookie's CSRF token
        finding = random.choice(list(self.revisions))
        with self.client.post(
            f"/api/v1/inspection-findings/{finding}/",
            json={
                "revision": self.revisions[finding],
                "result": "ok",
                "note": f"现场查看，运行正常（第 {self.revisions[finding] + 1} 次保存）",
            },
            headers=self._csrf(),
            name="保存检查项目",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.revisions[finding] = response.json()["revision"]
                response.success()
            else:
                response.failure(f"{response.status_code} {response.text[:200]}")

    @task(1)
    def upload_photo(self) -> None:
        finding = random.choice(list(self.revisions))
        with self.client.post(
            f"/api/v1/inspection-findings/{finding}/evidence/",
            files={"file": ("现场照片.jpg", PHOTO, "image/jpeg")},
            headers=self._csrf(),
            name="上传现场照片",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                response.success()
            else:
                response.failure(f"{response.status_code} {response.text[:200]}")
