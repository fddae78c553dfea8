"""Sign in with a password, then a TOTP code; set up an authenticator app on first sign-in."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import SignInForm, TokenForm
from .mfa import code_error, device_qr_svg, device_secret, pending_device_for


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False


class SignOutView(auth_views.LogoutView):
    pass


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/children/"


def verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        error = code_error(device, form.cleaned_data["token"]) if device else "Set up your authenticator app first"
        if error is None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", error)
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


def mfa_setup(request: HttpRequest) -> HttpResponse:
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:verify")
    device = pending_device_for(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        error = code_error(device, form.cleaned_data["token"])
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("children:list")
        form.add_error("token", error)
    context = {"form": form, "secret": device_secret(device), "qr_svg": device_qr_svg(device)}
    return render(request, "accounts/mfa_setup.html", context)
