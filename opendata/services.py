"""Personal API tokens: made, revoked and used."""

import datetime
import hashlib
import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, ApiTokenUse

logger = logging.getLogger(__name__)

# Recognisable in a leaked file or a log, as other services' keys are.
KEY_START = "cdp_"


class TokenError(Exception):
    pass


def may_hold_tokens(user) -> bool:
    """Tokens are for those who read the dashboards: the municipal staff and city officials."""
    return user.is_authenticated and user.has_perm("sistercities.view_dashboard")


def hash_key(key: str) -> str:
    # A random key of 256 bits needs no slow hash: nobody can guess one from its digest.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(
    *, user, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user` and its key, which is never shown again."""
    if not may_hold_tokens(user):
        raise TokenError(_("Only the municipal staff and city officials may have API tokens."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise TokenError(_("The expiry date has passed."))
    key = KEY_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_key(key),
        prefix=key[: len(KEY_START) + 6],
        expires_on=expires_on,
    )
    logger.info("API token %s created by user %s", token.pk, user.pk)
    return token, key


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    """Stop `token` working from the next request on."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    logger.info("API token %s revoked by user %s", token.pk, token.user_id)
    return token


def record_use(*, token: ApiToken, address: str | None) -> ApiTokenUse:
    """One row per request made with `token`: the only write a request of the API makes."""
    return ApiTokenUse.objects.create(token=token, address=(address or "")[:100])
