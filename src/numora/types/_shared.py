# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""Types the models of several resources use. Import them from :mod:`numora.types`."""

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr
from typing_extensions import TypeAliasType

from numora._models import NumoraModel

DocumentStatus = TypeAliasType(
    "DocumentStatus",
    Literal[
        "processing",
        "review_required",
        "reviewed",
        "push_pending",
        "push_succeeded",
        "push_failed",
        "failed",
    ]
    | str,
)
"""A document's status. Open: the preview may still show internal values such as `pending` or `for_review`, and new ones may appear; unknown values are kept as strings."""


RunStatus = TypeAliasType(
    "RunStatus", Literal["queued", "running", "succeeded", "failed", "cancelled"] | str
)
"""A workflow run's status (open)."""


Metadata = TypeAliasType(
    "Metadata",
    dict[
        str,
        Annotated[
            StrictStr | StrictInt | StrictFloat | StrictBool, Field(union_mode="left_to_right")
        ],
    ],
)
"""Your own key-value data attached to a document: string keys to string, number or boolean values."""


class RunError(NumoraModel):
    """Why a run failed."""

    code: str
    """Error code (open)."""
    message: str
    """Human-readable explanation."""


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (RunError,):
    _cls.__module__ = "numora.types"
