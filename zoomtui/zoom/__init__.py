"""Zoom REST API client (httpx only): auth, rate limits, pagination, models and errors.

Never imports Textual or the store, so the CLI, services and emulator tests can
use it alone.
"""

from __future__ import annotations

from zoomtui.regions import REGIONS, Region
from zoomtui.zoom.auth import Credentials
from zoomtui.zoom.client import USER_STATUSES, ZoomClient
from zoomtui.zoom.errors import (
    AuthError,
    CertificateError,
    ConfigError,
    DailyLimitReached,
    InvalidAccount,
    InvalidClient,
    JWTRetired,
    MissingScope,
    NetworkError,
    NoPermission,
    NotFound,
    NotMasterAccount,
    PageTokenExpired,
    ProtocolError,
    RateLimited,
    ServerError,
    UnsupportedGrant,
    ZoomError,
)
from zoomtui.zoom.models import (
    LicenseInfo,
    PlanSeat,
    PlanUsage,
    SignInEvent,
    SubAccount,
    Token,
    User,
    UserSummary,
    addons_from_settings,
    bundle_name,
    plan_name,
)
from zoomtui.zoom.ratelimit import CATEGORY, LIMITS, CallStats
from zoomtui.zoom.retry import RetryPolicy
from zoomtui.zoom.urls import DEFAULT_API_URL, DEFAULT_OAUTH_URL, validate_url

__all__ = [
    "CATEGORY",
    "DEFAULT_API_URL",
    "DEFAULT_OAUTH_URL",
    "LIMITS",
    "REGIONS",
    "USER_STATUSES",
    "AuthError",
    "CallStats",
    "CertificateError",
    "ConfigError",
    "Credentials",
    "DailyLimitReached",
    "InvalidAccount",
    "InvalidClient",
    "JWTRetired",
    "LicenseInfo",
    "MissingScope",
    "NetworkError",
    "NoPermission",
    "NotFound",
    "NotMasterAccount",
    "PageTokenExpired",
    "PlanSeat",
    "PlanUsage",
    "ProtocolError",
    "RateLimited",
    "Region",
    "RetryPolicy",
    "ServerError",
    "SignInEvent",
    "SubAccount",
    "Token",
    "UnsupportedGrant",
    "User",
    "UserSummary",
    "ZoomClient",
    "ZoomError",
    "addons_from_settings",
    "bundle_name",
    "plan_name",
    "validate_url",
]
