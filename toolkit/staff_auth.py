"""A second factor for staff: time-based one-time passwords (django-otp), with recovery codes.

When ``STAFF_2FA_REQUIRED`` is true (the production default) the admin opens only to a
session verified by a code. A staff member signs in with a password and a code from their
authenticator app (or a recovery code); one without a confirmed authenticator signs in with
the password alone and is taken to the enrolment page before anything else: a QR code drawn
here (no outside service), confirmed by a first code, then ten recovery codes shown once. A
wrong code counts as a failed sign-in for the lockout (django-axes), as a wrong password does.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
CODE_HELP = "The 6-digit code your authenticator app shows, or one of your recovery codes."


def second_factor_required() -> bool:
    return settings.STAFF_2FA_REQUIRED


class StaffAuthenticationForm(AdminAuthenticationForm):
    """Username, password and, from anyone who has an authenticator, its code."""

    otp_token = forms.CharField(
        label="Code",
        required=False,
        max_length=16,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()  # the password: raises when it is wrong
        user = self.get_user()
        if not second_factor_required() or user is None:
            return cleaned
        if not any(devices_for_user(user, confirmed=True)):
            return cleaned  # not enrolled yet: the enrolment page comes next
        token = (cleaned.get("otp_token") or "").replace(" ", "")
        device = match_token(user, token) if token else None
        if device is None:
            # a wrong code is a failed sign-in, as a wrong password is (the lockout counts it)
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            raise forms.ValidationError(
                "Enter the code from your authenticator app (or a recovery code).",
                code="invalid_token",
            )
        user.otp_device = device  # django-otp marks the session verified on login
        return cleaned


class ToolkitAdminSite(OTPAdminSite):
    """django-otp's admin site (a session verified by a code), with our sign-in form and
    enrolment, and codes asked only where ``STAFF_2FA_REQUIRED`` says so."""

    site_header = "Cluster Policy Toolkit: curation"
    site_title = "Cluster Policy Toolkit"
    index_title = "Practices and taxonomies"
    login_form = StaffAuthenticationForm
    login_template = "admin/two_factor/login.html"

    def has_permission(self, request):
        if not second_factor_required():
            return admin.AdminSite.has_permission(self, request)
        return super().has_permission(request)

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        def enrol_first(request, *args, **kwargs):
            if needs_enrolment(request):
                if getattr(view, "__name__", "") == "logout":
                    # Django's guard would send someone without permission back to the
                    # index: one who has not enrolled may still log out
                    return view(request, *args, **kwargs)
                return redirect("admin:two_factor_enrol")
            return protected(request, *args, **kwargs)

        return enrol_first

    def login(self, request, extra_context=None):
        extra_context = {
            "second_factor_required": second_factor_required(),
            **(extra_context or {}),
        }
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("two-factor/", enrol, name="two_factor_enrol"),
            *super().get_urls(),
        ]


def needs_enrolment(request) -> bool:
    """A signed-in staff member, not yet verified by a code, who must first enrol."""
    user = request.user
    return second_factor_required() and user.is_active and user.is_staff and not user.is_verified()


def verified_staff(user) -> bool:
    """Staff whose session is as trusted as the admin asks: verified by a code where codes
    are required. Drafts are shown outside the admin to them only."""
    if not (user.is_active and user.is_staff):
        return False
    return not second_factor_required() or user.is_verified()


def _has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@never_cache  # the key, then the recovery codes: never kept by a cache or the browser
def enrol(request):
    """Set up an authenticator: scan the QR code (or type the key), confirm with a code, then
    keep the recovery codes shown once. Only for a signed-in staff member."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(f"{reverse('admin:login')}?next={request.path}")
    if _has_authenticator(user):
        if user.is_verified():
            return redirect("admin:index")
        # enrolled, but this session was opened without a code: sign in again with one
        return redirect(f"{reverse('admin:login')}?next={reverse('admin:index')}")
    if any(devices_for_user(user, confirmed=True)) and not user.is_verified():
        # recovery codes left but no app (it was reset): sign in with a recovery code first
        return redirect(f"{reverse('admin:login')}?next={request.path}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            codes = _new_recovery_codes(user)
            return render(
                request,
                "admin/two_factor/recovery_codes.html",
                {
                    "codes": codes,
                    **admin.site.each_context(request),
                    "title": "Your recovery codes",
                },
            )
        form.add_error("otp_token", "That code does not match: try the next one your app shows.")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code")
    context = {
        **_unverified_context(request),
        "title": "Set up your second factor",
        "form": form,
        "qr_svg": mark_safe(qr_svg),  # noqa: S308 - drawn by segno from our own URL
        "key": _base32(device.bin_key),
    }
    return render(
        request, "admin/two_factor/enrol.html", context, status=400 if form.errors else 200
    )


def _unverified_context(request) -> dict:
    """The admin's page frame without its menu: nothing to open before enrolling."""
    return {
        **admin.site.each_context(request),
        "available_apps": [],
        "is_nav_sidebar_enabled": False,
    }


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
