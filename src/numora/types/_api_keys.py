# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.api_keys`` answers with. Import them from :mod:`numora.types`."""

from typing import Literal

from pydantic import AwareDatetime, SecretStr
from typing_extensions import TypeAliasType

from numora._models import NumoraModel

ApiKeyScope = TypeAliasType(
    "ApiKeyScope",
    Literal[
        "documents:read",
        "documents:write",
        "review:write",
        "delivery:write",
        "destinations:read",
        "destinations:write",
        "mappings:read",
        "mappings:write",
        "workflows:read",
        "workflows:write",
        "runs:read",
        "webhooks:read",
        "webhooks:write",
        "api_keys:write",
    ]
    | str,
)
"""An API key scope (open)."""


class ApiKey(NumoraModel):
    """An API key (never with its secret)."""

    id: str
    """Key id (`key_…`)."""
    name: str
    """Name."""
    scopes: list[ApiKeyScope]
    """What the key may do."""
    prefix: str
    """The first characters of the secret, to recognise it (for example `sk_live_ab12`)."""
    created_at: AwareDatetime
    """Creation time."""
    last_used_at: AwareDatetime | None = None
    """Last use."""
    expires_at: AwareDatetime | None = None
    """When the key stops working, if set."""
    revoked_at: AwareDatetime | None = None
    """When the key was revoked."""


class ApiKeyWithSecret(ApiKey):
    """An API key with its secret, revealed only once (at creation or rotation)."""

    secret: SecretStr
    """The key (`sk_live_…`). Store it now: it is never shown again."""


class ApiKeyPage(NumoraModel):
    """A page of API keys."""

    data: list[ApiKey]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    ApiKey,
    ApiKeyWithSecret,
    ApiKeyPage,
):
    _cls.__module__ = "numora.types"
