"""Settings: file < environment, validation, masking, and a careful 0600 save."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from zoomtui import settings as settings_module
from zoomtui.settings import MASK, Settings, SettingsError, load

S2S_ENV = {"ZOOM_ACCOUNT_ID": "acc", "ZOOM_CLIENT_ID": "cid", "ZOOM_CLIENT_SECRET": "topsecret"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_defaults_when_no_file(config_path: Path) -> None:
    s = load(config_path, env={})
    assert s == Settings()
    assert (s.auth, s.rate_tier, s.active, s.schedule_interval) == ("s2s", "pro", True, "off")
    assert (s.addons_max_age_days, s.inactive_days, s.theme) == (7, 90, "textual-dark")
    assert s.price_per_seat == pytest.approx(149.90)
    assert set(s.sources().values()) == {"default"}
    assert not config_path.exists()


def test_load_uses_zoomtui_config_by_default(config_path: Path) -> None:
    config_path.write_text('rate_tier = "business"\n')
    assert load().rate_tier == "business"


def test_environment_overrides_file(config_path: Path) -> None:
    config_path.write_text('client_id = "from-file"\nrate_tier = "free"\ninactive_days = 30\n')
    s = load(config_path, env={**S2S_ENV, "ZOOMTUI_RATE_TIER": "business", "ZOOM_API_SECRET": ""})
    assert s.client_id == "cid"
    assert s.rate_tier == "business"
    assert s.inactive_days == 30
    sources = s.sources()
    assert sources["client_id"] == "env"
    assert sources["inactive_days"] == "file"
    assert sources["api_secret"] == "default"  # empty variables count as unset
    assert s.has_credentials()


def test_api_key_alone_implies_jwt(config_path: Path) -> None:
    s = load(config_path, env={"ZOOM_API_KEY": "key", "ZOOM_API_SECRET": "sec"})
    assert s.auth == "jwt"
    assert s.sources()["auth"] == "env"
    assert s.has_credentials()
    both = load(config_path, env={"ZOOM_API_KEY": "key", **S2S_ENV})
    assert both.auth == "s2s"


def test_has_credentials_needs_every_field() -> None:
    assert not Settings(account_id="a", client_id="c").has_credentials()
    assert Settings(account_id="a", client_id="c", client_secret="s").has_credentials()
    assert not Settings(
        auth="jwt", account_id="a", client_id="c", client_secret="s"
    ).has_credentials()


def test_effective_urls() -> None:
    assert Settings().effective_urls() == ("https://api.zoom.us/v2", "https://zoom.us/oauth/token")
    assert Settings(region="gov").effective_urls() == (
        "https://api.zoomgov.com/v2",
        "https://zoomgov.com/oauth/token",
    )
    custom = Settings(
        region="custom", api_url="http://127.0.0.1:8080/v2/", oauth_url="http://localhost/token"
    )
    assert custom.effective_urls() == ("http://127.0.0.1:8080/v2", "http://localhost/token")
    # A URL in the file is ignored unless the region is custom...
    assert Settings(api_url="https://eu.example/v2").effective_urls()[0] == "https://api.zoom.us/v2"


def test_environment_urls_apply_whatever_the_region(config_path: Path) -> None:
    config_path.write_text('region = "gov"\n')
    s = load(config_path, env={"ZOOMTUI_API_URL": "http://127.0.0.1:9/v2"})
    assert s.effective_urls() == ("http://127.0.0.1:9/v2", "https://zoomgov.com/oauth/token")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rate_tier": "gold"}, "rate_tier must be one of free, pro, business, not 'gold'."),
        ({"auth": "basic"}, "auth must be one of s2s, jwt, not 'basic'."),
        ({"region": "eu"}, "region must be one of global, gov, custom, not 'eu'."),
        ({"inactive_days": 0}, "inactive_days must be a whole number from 1 to 36500."),
        ({"inactive_days": 99999999}, "inactive_days must be a whole number from 1 to 36500."),
        ({"addons_max_age_days": True}, "addons_max_age_days must be a whole number"),
        ({"price_per_seat": -1.0}, "price_per_seat must be a number of at least 0"),
        ({"schedule_interval": "daily"}, "schedule_interval: Interval must look like"),
        ({"api_url": "http://api.example.com/v2"}, "http:// only for a loopback host"),
        ({"oauth_url": "ftp://x"}, "oauth_url must be an http(s) URL"),
        ({"theme": " "}, "theme must be the name of a Textual theme"),
        ({"keymap": {"quit": ""}}, "keymap.quit must be a non-empty string"),
    ],
)
def test_invalid_values_give_one_sentence(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings().updated(**changes)
    assert message in str(info.value)
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)


def test_secret_with_spaces_is_refused_without_echoing_it() -> None:
    with pytest.raises(SettingsError) as info:
        Settings(client_secret="abc def")
    assert "client_secret must not contain spaces" in str(info.value)
    assert "abc def" not in str(info.value)


def test_invalid_value_in_file_names_the_file(config_path: Path) -> None:
    config_path.write_text('rate_tier = "gold"\n')
    with pytest.raises(SettingsError, match=r"Invalid settings file .*config\.toml: rate_tier"):
        load(config_path, env={})


def test_invalid_environment_value_names_the_variable(config_path: Path) -> None:
    with pytest.raises(SettingsError, match="Invalid environment variable ZOOMTUI_RATE_TIER"):
        load(config_path, env={"ZOOMTUI_RATE_TIER": "gold"})


def test_unknown_key_in_file_suggests_the_right_one(config_path: Path) -> None:
    config_path.write_text('rate_teir = "pro"\n')
    with pytest.raises(
        SettingsError, match=r"Unknown setting 'rate_teir' in .*did you mean 'rate_tier'"
    ):
        load(config_path, env={})


def test_malformed_file_names_file_and_line(config_path: Path) -> None:
    config_path.write_text('rate_tier = "pro"\ntheme = "x"\nclient_id = \n')
    with pytest.raises(SettingsError) as info:
        load(config_path, env={})
    assert str(info.value).startswith(f"Cannot read settings file {config_path}: line 3, column")


def test_save_refuses_to_overwrite_a_malformed_file(config_path: Path) -> None:
    broken = 'client_secret = "keep me"\n[broken\n'
    config_path.write_text(broken)
    with pytest.raises(SettingsError, match=r"Cannot save settings to .*line 2"):
        Settings(rate_tier="free").save(config_path)
    assert config_path.read_text() == broken


def test_save_writes_0600_in_a_new_0700_dir_and_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "config.toml"
    s = Settings(client_id="cid", client_secret="sec", price_per_seat=99, keymap={"quit": "ctrl+q"})
    assert s.save(target) == target
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    again = load(target, env={})
    assert again == s
    assert again.price_per_seat == 99.0
    assert "inactive_days" not in target.read_text()  # defaults are left out
    assert [p.name for p in target.parent.iterdir()] == ["config.toml"]  # no temp file left


def test_save_makes_an_existing_loose_file_0600(config_path: Path) -> None:
    config_path.write_text('theme = "nord"\n')
    config_path.chmod(0o644)
    load(config_path, env={}).updated(rate_tier="free").save(config_path)
    assert mode(config_path) == 0o600
    assert load(config_path, env={}).theme == "nord"


def test_save_never_copies_environment_values_into_the_file(config_path: Path) -> None:
    config_path.write_text('client_id = "file-id"\n')
    s = load(config_path, env=S2S_ENV).updated(theme="nord")
    s.save(config_path)
    text = config_path.read_text()
    assert "topsecret" not in text
    assert 'client_id = "file-id"' in text  # the file's own value survives
    assert 'theme = "nord"' in text


def test_default_save_path_is_zoomtui_config(config_path: Path) -> None:
    assert Settings(theme="nord").save() == config_path
    assert load().theme == "nord"


def test_unset_returns_to_default(config_path: Path) -> None:
    s = Settings(rate_tier="free").unset("rate_tier")
    assert s.rate_tier == "pro"
    assert s.sources()["rate_tier"] == "default"
    with pytest.raises(SettingsError, match="Unknown setting 'nope'"):
        s.unset("nope")


def test_masked_and_repr_never_show_secrets() -> None:
    s = Settings(client_secret="s3cr3t-value", api_secret="jwt-s3cr3t", client_id="cid")
    masked = s.masked()
    assert masked["client_secret"] == MASK
    assert masked["api_secret"] == MASK
    assert masked["client_id"] == "cid"
    assert Settings().masked()["client_secret"] == ""
    for text in (repr(s), str(s), f"{s}", repr([s])):
        assert "s3cr3t" not in text
        assert "cid" in text


def test_settings_are_frozen() -> None:
    s = Settings()
    with pytest.raises(AttributeError):
        s.rate_tier = "free"  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.keymap["quit"] = "q"  # type: ignore[index]


def test_interval() -> None:
    assert Settings().interval() is None
    assert Settings(schedule_interval="1d12h").interval() is not None


def test_keys_cover_every_setting() -> None:
    assert settings_module.KEYS == (
        "auth", "account_id", "client_id", "client_secret", "api_key", "api_secret",
        "region", "api_url", "oauth_url", "rate_tier", "active", "schedule_interval",
        "addons_max_age_days", "inactive_days", "price_per_seat", "licence_min_minutes",
        "licence_min_participants", "reclaim_exclude", "reclaim_max_run_age_days", "theme",
        "keymap",
    )  # fmt: skip


def test_unquoted_dotted_keymap_ids_are_flattened(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\nrun.start = "ctrl+r"\n"go.users" = "u"\n', encoding="utf-8")
    settings = load(path, env={})
    assert dict(settings.keymap) == {"run.start": "ctrl+r", "go.users": "u"}
