"""The accounts of an emulated family: one main account and its sub accounts.

Apart from ``dataset`` so the functions that build a dataset (``generate``) can
make accounts without importing the dataset that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Account:
    """A main or sub account."""

    id: str
    name: str
    domain: str
    account_type: str  # "Business", "Pro", "Education"
    account_number: int
    created_at: datetime
    master: bool = False
    education: bool = False
    united: int = 0  # the plan_united_type value this account sells, 0 = none
    # "Only returned for accounts with multiple subscription plans enabled that contain
    # duplicate plans" (zoom-api.md §12): only such an account lists license_info_list.
    duplicate_plans: bool = False
