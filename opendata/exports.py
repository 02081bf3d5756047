"""A person's API tokens and their uses, for their data export (citizens.services.privacy)."""

from .models import ApiToken


def my_api_tokens_data(user) -> list[dict]:
    # The uses' addresses are the person's own data too; the keys' hashes stay out.
    return [
        {
            "name": token.name,
            "beginning": token.prefix,
            "created_at": token.created_at,
            "expires_on": token.expires_on,
            "revoked_at": token.revoked_at,
            "uses": [{"at": use.at, "address": use.address} for use in token.uses.all()],
        }
        for token in ApiToken.objects.filter(user=user).prefetch_related("uses")
    ]
