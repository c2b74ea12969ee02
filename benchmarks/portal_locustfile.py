"""Locust users of benchmarks/portal_load.py: the demo's resellers and its
portal customer, logged in, opening their portal pages."""

import itertools
import os
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
RESELLERS = [("reseller@demo.example", "reseller")] + [
    (f"reseller{i}@demo.example", "reseller") for i in range(1, 10)
]
CUSTOMERS = [("customer@demo.example", "customer")]
RESELLER_PAGES = (
    "/my/partner",
    "/my/registrations",
    "/my/commissions",
    "/my/leads",
    "/my/opportunities",
    "/my/overview",
)
# One customer for every four resellers.
_logins = itertools.cycle(RESELLERS[:4] + CUSTOMERS + RESELLERS[4:8] + CUSTOMERS)


class PortalUser(HttpUser):
    wait_time = between(0.5, 1.5)
    host = os.environ.get("PORTAL_URL", "http://127.0.0.1:8069")

    def on_start(self):
        self.login, password = next(_logins)
        self.pages = RESELLER_PAGES if "reseller" in self.login else ("/my/overview",)
        self.turn = itertools.cycle(self.pages)
        page = self.client.get("/web/login", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/web/login",
            data={"login": self.login, "password": password, "csrf_token": token},
            name="login",
        )
        if "/web/login" in response.url:
            raise RuntimeError(f"login refused for {self.login}")

    @task
    def open_page(self):
        url = next(self.turn)
        with self.client.get(url, name=url, catch_response=True) as response:
            if response.status_code != 200 or "/web/login" in response.url:
                response.failure(f"{response.status_code} {response.url}")
