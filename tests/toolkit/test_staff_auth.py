"""A second factor for staff, as production requires it (STAFF_2FA_REQUIRED)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.toolkit.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"  # noqa: S105 (a test account)


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.STAFF_2FA_REQUIRED = True


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.eu", PASSWORD)


def code_of(device) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device


def sign_in(client, code=""):
    return client.post(
        reverse("admin:login"),
        {"username": "curator", "password": PASSWORD, "otp_token": code, "next": "/admin/"},
    )


def test_production_requires_the_second_factor_by_default():
    code = "from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)"
    result = run_django(["-c", f"import django; django.setup(); {code}"], **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
    development = run_django(
        ["-c", f"import django; django.setup(); {code}"], DEBUG="true", SECRET_KEY=None
    )
    assert development.stdout.strip().splitlines()[-1] == "False", development.stderr


def test_a_sign_in_without_the_code_is_refused(curator, client):
    device = enrolled(curator)
    response = sign_in(client)
    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still outside
    response = sign_in(client, code_of(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_count_towards_the_lockout(curator, client, settings):
    device = enrolled(curator)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "000000" if code_of(device) != "000000" else "111111")
    response = sign_in(client, code_of(device))  # right, but too late
    assert response.status_code in (403, 429)
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_curator_without_an_authenticator_enrols_before_anything_else(curator, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows down guessing; not under test here
    response = sign_in(client)  # the password alone: not enrolled yet
    assert response.status_code == 302
    index = client.get("/admin/")
    assert index.status_code == 302 and index["Location"] == reverse("admin:two_factor_enrol")
    assert client.get("/admin/practices/practice/")["Location"] == reverse("admin:two_factor_enrol")
    page = client.get(reverse("admin:two_factor_enrol"))
    content = page.content.decode()
    assert "<svg" in content and "QR code" in content  # drawn here, no outside service
    assert re.search(r"Key: <code>([A-Z2-7]{4} ?)+</code>", content)
    device = TOTPDevice.objects.get(user=curator, confirmed=False)
    wrong = client.post(reverse("admin:two_factor_enrol"), {"otp_token": "12345x"})
    assert wrong.status_code == 400
    done = client.post(reverse("admin:two_factor_enrol"), {"otp_token": code_of(device)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    again = Client()
    refused = again.post(
        reverse("admin:login"),
        {"username": "curator", "password": PASSWORD, "otp_token": "", "next": "/admin/"},
    )
    assert refused.status_code == 200  # enrolled now: the code is required
    accepted = again.post(
        reverse("admin:login"),
        {"username": "curator", "password": PASSWORD, "otp_token": codes[0], "next": "/admin/"},
    )
    assert accepted.status_code == 302 and again.get("/admin/").status_code == 200
    reused = Client().post(
        reverse("admin:login"),
        {"username": "curator", "password": PASSWORD, "otp_token": codes[0], "next": "/admin/"},
    )
    assert reused.status_code == 200  # a recovery code works once


def test_without_the_requirement_a_password_is_enough(curator, client, settings):
    settings.STAFF_2FA_REQUIRED = False
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_curator_not_yet_enrolled_can_log_out(curator, client):
    sign_in(client)
    response = client.post(reverse("admin:logout"))
    assert response.get("Location") != reverse("admin:two_factor_enrol")
    assert "_auth_user_id" not in client.session  # signed out
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))


def test_drafts_outside_the_admin_need_the_second_factor_too(taxonomies, curator, client):
    from tests.factories import make_practice

    make_practice(slug="draft", is_published=False)
    sign_in(client)  # the password alone: not verified
    assert client.get("/practices/draft/").status_code == 404
    assert client.get("/practices/draft/preview/").status_code == 302
