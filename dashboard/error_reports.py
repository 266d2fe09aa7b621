"""What an error report (the page with DEBUG off, the mail to admins) shows of a crash.

The platform client and the HTTP library beneath it hold our user and organization secrets and the
instance tokens in their variables (the Authorization header), and whatever a form sent in their
params and bodies. A crash under any view would show them; these frames show no variable at all.
Views still mark their own sensitive variables (`sensitive_variables`, `sensitive_post_parameters`).
"""

from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter

HIDDEN_PACKAGES = frozenset({"cloud_elements", "requests", "urllib3"})


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    def get_traceback_frame_variables(self, request, tb_frame):
        package = tb_frame.f_globals.get("__name__", "").split(".")[0]
        if self.is_active(request) and package in HIDDEN_PACKAGES:
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)
