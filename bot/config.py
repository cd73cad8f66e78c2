"""Configuration from the environment and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.limits import Limit, parse_limits
from bot.mailer import Mailer, SmtpConfig, check_address, parse_smtp_url
from bot.reminders import DEFAULT_SCHEDULE, Offset, parse_schedule

# The shipped privacy notice; "{lang}" in IDEENLABOR_PRIVACY_NOTICE becomes de or en.
DEFAULT_PRIVACY_NOTICE = str(Path(__file__).parent / "data" / "datenschutz.{lang}.html")


class Settings(BaseSettings):
    """All settings of the bot; every field maps to one environment variable."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    db_path: Path = Field(default=Path("ideenlabor.sqlite3"), alias="IDEENLABOR_DB")
    admins: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="IDEENLABOR_ADMINS"
    )
    timezone: str = Field(default="Europe/Berlin", alias="IDEENLABOR_TIMEZONE")
    reminders: str = Field(default=DEFAULT_SCHEDULE, alias="IDEENLABOR_REMINDERS")
    send_rate: float = Field(default=30.0, ge=1, le=1000, alias="IDEENLABOR_SEND_RATE")
    moderation: Literal["pre", "post"] = Field(default="pre", alias="IDEENLABOR_MODERATION")
    comment_limits: str = Field(default="5/10m,30/1d", alias="IDEENLABOR_COMMENT_LIMITS")
    # E-mail to regional contacts; off unless IDEENLABOR_SMTP_URL is set (then MAIL_FROM too).
    smtp_url: SecretStr | None = Field(default=None, alias="IDEENLABOR_SMTP_URL")
    mail_from: str | None = Field(default=None, alias="IDEENLABOR_MAIL_FROM", validate_default=True)
    # Privacy: the notice shown by /datenschutz, what happens to the comments of a person whose
    # data is erased, and how long data is kept (days; 0 keeps it indefinitely).
    privacy_notice: str = Field(default=DEFAULT_PRIVACY_NOTICE, alias="IDEENLABOR_PRIVACY_NOTICE")
    deleted_comments: Literal["anonymise", "remove"] = Field(
        default="anonymise", alias="IDEENLABOR_DELETED_COMMENTS"
    )
    retention_days: int = Field(default=730, ge=0, alias="IDEENLABOR_RETENTION_DAYS")
    registration_retention_days: int = Field(
        default=365, ge=0, alias="IDEENLABOR_REGISTRATION_RETENTION_DAYS"
    )
    workshop_retention_days: int = Field(
        default=90, ge=0, alias="IDEENLABOR_WORKSHOP_RETENTION_DAYS"
    )

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value().strip() == "":
            return None
        url = value.get_secret_value().strip()
        parse_smtp_url(url)
        return SecretStr(url)

    @field_validator("mail_from")
    @classmethod
    def _check_mail_from(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value.strip() != "":
            return check_address(value)
        if info.data.get("smtp_url") is not None:
            raise ValueError("is required when IDEENLABOR_SMTP_URL is set")
        return None

    @property
    def smtp(self) -> SmtpConfig | None:
        """The parsed SMTP server, or None when e-mail is off."""
        if self.smtp_url is None:
            return None
        return parse_smtp_url(self.smtp_url.get_secret_value())

    def mailer(self) -> Mailer | None:
        """A mailer for the configured server and sender, or None when e-mail is off."""
        smtp = self.smtp
        if smtp is None or self.mail_from is None:
            return None
        return Mailer(smtp, self.mail_from)

    @field_validator("privacy_notice")
    @classmethod
    def _check_privacy_notice(cls, value: str) -> str:
        value = value.strip() or DEFAULT_PRIVACY_NOTICE
        for language in ("de", "en"):
            path = Path(value.replace("{lang}", language))
            if not path.is_file():
                raise ValueError(f"'{path}' is not a readable file")
        return value

    def privacy_notice_path(self, language: str) -> Path:
        """The privacy notice file for a language."""
        return Path(self.privacy_notice.replace("{lang}", language))

    @field_validator("admins", mode="before")
    @classmethod
    def _parse_admins(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"'{part}' is not a numeric Telegram user id")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone such as Europe/Berlin") from None
        return value

    @field_validator("reminders")
    @classmethod
    def _check_reminders(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @field_validator("comment_limits")
    @classmethod
    def _check_comment_limits(cls, value: str) -> str:
        parse_limits(value)
        return value

    @property
    def comment_limit_rules(self) -> tuple[Limit, ...]:
        """The parsed anti-spam limits for comments."""
        return parse_limits(self.comment_limits)

    @field_validator("telegram_api_base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' must start with http:// or https://")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value().strip() == "":
            return None
        token = value.get_secret_value().strip()
        head, _, tail = token.partition(":")
        if not head.isdigit() or len(tail) < 10:
            raise ValueError("does not look like a bot token (expected '<digits>:<secret>')")
        return SecretStr(token)

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    @property
    def reminder_schedule(self) -> tuple[Offset, ...]:
        """The parsed reminder offsets."""
        return parse_schedule(self.reminders)


class ConfigError(Exception):
    """A configuration problem, explained in one line for the operator."""


_HINTS = {
    "TELEGRAM_BOT_TOKEN": "get a token from @BotFather in Telegram and set TELEGRAM_BOT_TOKEN",
    "IDEENLABOR_ADMINS": "use a comma-separated list of numeric ids, e.g. 12345,67890",
    "IDEENLABOR_TIMEZONE": "use an IANA name such as Europe/Berlin",
    "TELEGRAM_API_BASE_URL": "use the root URL of your Bot API server, e.g. http://127.0.0.1:8081",
    "IDEENLABOR_DB": "use a file path such as ./ideenlabor.sqlite3",
    "IDEENLABOR_REMINDERS": "use e.g. 7d@09:00,1d@09:00 or durations such as 90m, 2h",
    "IDEENLABOR_SEND_RATE": "use a number of messages per second from 1 to 1000 (default 30)",
    "IDEENLABOR_MODERATION": "use pre (check before publishing) or post (publish, then check)",
    "IDEENLABOR_COMMENT_LIMITS": "use e.g. 5/10m,30/1d (5 per 10 minutes, 30 per day)",
    "IDEENLABOR_SMTP_URL": (
        "use e.g. smtp://user:pass@mail.example.org:587?starttls=true or smtps://host:465"
    ),
    "IDEENLABOR_MAIL_FROM": "use the sender address of the mails, e.g. ideenlabor@example.org",
    "IDEENLABOR_PRIVACY_NOTICE": (
        "use the path of a Telegram-HTML file; {lang} in it stands for de or en, e.g. "
        "/etc/ideenlabor/datenschutz.{lang}.html"
    ),
    "IDEENLABOR_DELETED_COMMENTS": "use anonymise (keep, author erased) or remove",
    "IDEENLABOR_RETENTION_DAYS": "use a number of days (0: keep indefinitely), default 730",
    "IDEENLABOR_REGISTRATION_RETENTION_DAYS": "use a number of days (0: keep), default 365",
    "IDEENLABOR_WORKSHOP_RETENTION_DAYS": "use a number of days (0: keep), default 90",
}


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one clear ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "configuration"
        field = Settings.model_fields.get(name)
        name = field.alias if field is not None and field.alias else name
        message = str(err["msg"]).removeprefix("Value error, ")
        hint = _HINTS.get(name, "")
        raise ConfigError(f"{name}: {message}" + (f" — {hint}" if hint else "")) from None


def require_token(settings: Settings) -> str:
    """The bot token, or a ConfigError that says where to get one."""
    if settings.telegram_bot_token is None:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set — create a bot with @BotFather in Telegram "
            "(https://t.me/BotFather), then set TELEGRAM_BOT_TOKEN in the environment or in .env"
        )
    return settings.telegram_bot_token.get_secret_value()
