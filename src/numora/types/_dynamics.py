# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.dynamics`` answers with. Import them from :mod:`numora.types`."""

from pydantic import AwareDatetime, SecretStr

from numora._models import NumoraModel


class DynamicsSession(NumoraModel):
    """A short-lived Dataverse token for an external executor (legacy)."""

    access_token: SecretStr
    """The bearer token for Dataverse. Secret: never logged or shown in reprs."""
    expires_at: AwareDatetime
    """When the token expires."""
    instance_url: str
    """The Dataverse instance URL."""


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (DynamicsSession,):
    _cls.__module__ = "numora.types"
