from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal key to the open data API. Only its hash is kept: the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key's hash"), max_length=64, unique=True, editable=False)
    # The key's first characters, so its holder can tell their keys apart on the list.
    prefix = models.CharField(_("beginning of the key"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class ApiTokenUse(models.Model):
    """One request made with a token: when and from which address."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="uses", verbose_name=_("API token")
    )
    at = models.DateTimeField(_("used at"), default=timezone.now)
    address = models.CharField(_("address"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("use of an API token")
        verbose_name_plural = _("uses of API tokens")
        # The tokens page shows each token's last use.
        indexes = [models.Index(fields=["token", "at"], name="api_token_use_by_time")]

    def __str__(self):
        return f"{self.token} · {self.at}"
