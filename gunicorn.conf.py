"""gunicorn's settings for the portal, from the same environment as Django's.

gunicorn reads this file from the directory it starts in (or `-c gunicorn.conf.py`).
"""

import environ

env = environ.Env()

# gunicorn on its own believes X-Forwarded-Proto from 127.0.0.1 and marks the request HTTPS,
# whatever Django is told; only a TLS proxy in front (BEHIND_TLS_PROXY, as for Django's
# SECURE_PROXY_SSL_HEADER) may say a request came over HTTPS, from the addresses it uses.
forwarded_allow_ips = (
    env.str("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")
    if env.bool("BEHIND_TLS_PROXY", default=False)
    else ""
)
