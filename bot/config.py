"""Configuration from the environment and an optional .env file."""

from __future__ import annotations

import datetime as dt
import re
import ssl
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.durations import parse_duration
from bot.limits import Limit, parse_limits
from bot.mailer import Mailer, SmtpConfig, check_address, parse_smtp_url, tls_context
from bot.reminders import DEFAULT_SCHEDULE, Offset, parse_schedule

# A dialogue must survive a coffee break, and half-typed data must not stay for weeks.
DRAFT_TTL_MIN = dt.timedelta(minutes=10)
DRAFT_TTL_MAX = dt.timedelta(days=30)

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
    proposal_limits: str = Field(default="3/1d", alias="IDEENLABOR_PROPOSAL_LIMITS")
    # Per-user flood protection: a burst of updates at once, then this many per second.
    flood_rate: float = Field(default=2.0, gt=0, le=1000, alias="IDEENLABOR_FLOOD_RATE")
    flood_burst: int = Field(default=10, ge=1, le=100_000, alias="IDEENLABOR_FLOOD_BURST")
    # E-mail to regional contacts; off unless IDEENLABOR_SMTP_URL is set (then MAIL_FROM too).
    smtp_url: SecretStr | None = Field(default=None, alias="IDEENLABOR_SMTP_URL")
    mail_from: str | None = Field(default=None, alias="IDEENLABOR_MAIL_FROM", validate_default=True)
    # More CAs to trust for the mail server's certificate (an internal or self-signed one).
    smtp_ca_file: Path | None = Field(default=None, alias="IDEENLABOR_SMTP_CA_FILE")
    # Operations: daily backups (off unless a directory is set), logs, webhook mode.
    backup_dir: Path | None = Field(default=None, alias="IDEENLABOR_BACKUP_DIR")
    backup_keep: int = Field(default=7, ge=1, le=366, alias="IDEENLABOR_BACKUP_KEEP")
    backup_time: str = Field(default="03:30", alias="IDEENLABOR_BACKUP_TIME")
    log_level: str = Field(default="INFO", alias="IDEENLABOR_LOG_LEVEL")
    log_secret: SecretStr | None = Field(default=None, alias="IDEENLABOR_LOG_SECRET")
    # Libraries' debug lines hold ids, names, texts and SQL parameters: a switch of its own.
    log_libraries: str = Field(default="INFO", alias="IDEENLABOR_LOG_LIBRARIES")
    webhook: bool = Field(default=False, alias="IDEENLABOR_WEBHOOK")
    webhook_url: str | None = Field(default=None, alias="IDEENLABOR_WEBHOOK_URL")
    webhook_listen: str = Field(default="127.0.0.1", alias="IDEENLABOR_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, ge=0, le=65535, alias="IDEENLABOR_WEBHOOK_PORT")
    webhook_secret: SecretStr | None = Field(default=None, alias="IDEENLABOR_WEBHOOK_SECRET")

    # An empty setting (`IDEENLABOR_SMTP_URL=` in a .env file) is one not set.
    @field_validator(
        "telegram_bot_token",
        "telegram_api_base_url",
        "smtp_url",
        "mail_from",
        "smtp_ca_file",
        "backup_dir",
        "webhook_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if isinstance(text, str) and text.strip() == "" else value

    @field_validator("backup_time")
    @classmethod
    def _check_backup_time(cls, value: str) -> str:
        parse_clock_time(value)
        return value.strip()

    @property
    def backup_at(self) -> dt.time:
        """The local time of the daily backup."""
        return parse_clock_time(self.backup_time).replace(tzinfo=self.tz)

    @field_validator("log_level", "log_libraries")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"'{value}' is not a log level")
        return level

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        return _url(value, ("https://",), "https:// (Telegram requires HTTPS)")

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value() == "":
            return None
        if not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1 to 256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    # Who broadcasts come from: the sender line above every broadcast, and the news offer.
    broadcast_sender: str = Field(
        default="Ministerium für Arbeit, Gesundheit und Soziales NRW",
        alias="IDEENLABOR_BROADCAST_SENDER",
    )

    @field_validator("broadcast_sender")
    @classmethod
    def _check_broadcast_sender(cls, value: str) -> str:
        value = " ".join(value.split())
        if not 2 <= len(value) <= 100:
            raise ValueError("must be a name of 2 to 100 characters")
        return value

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
    # Half-entered dialogues (drafts) are discarded this long after their last step.
    draft_ttl: str = Field(default="24h", alias="IDEENLABOR_DRAFT_TTL")

    @field_validator("draft_ttl")
    @classmethod
    def _check_draft_ttl(cls, value: str) -> str:
        lifetime = parse_duration(value)
        if not DRAFT_TTL_MIN <= lifetime <= DRAFT_TTL_MAX:
            raise ValueError(f"'{value.strip()}' is outside 10m to 30d")
        return value.strip()

    @property
    def draft_lifetime(self) -> dt.timedelta:
        """How long a half-entered dialogue is kept after its last step."""
        return parse_duration(self.draft_ttl)

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        url = value.get_secret_value().strip()
        parse_smtp_url(url)
        return SecretStr(url)

    @field_validator("mail_from")
    @classmethod
    def _check_mail_from(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            return check_address(value)
        if info.data.get("smtp_url") is not None:
            raise ValueError("is required when IDEENLABOR_SMTP_URL is set")
        return None

    @field_validator("smtp_ca_file")
    @classmethod
    def _check_smtp_ca_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        try:
            tls_context(value)
        except ssl.SSLError:
            raise ValueError(f"'{value}' holds no PEM certificate") from None
        except OSError as exc:
            raise ValueError(f"'{value}' cannot be read ({exc.strerror})") from None
        return value

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
        return Mailer(smtp, self.mail_from, self.smtp_ca_file)

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

    @field_validator("comment_limits", "proposal_limits")
    @classmethod
    def _check_comment_limits(cls, value: str) -> str:
        parse_limits(value)
        return value

    @property
    def comment_limit_rules(self) -> tuple[Limit, ...]:
        """The parsed anti-spam limits for comments."""
        return parse_limits(self.comment_limits)

    @property
    def proposal_limit_rules(self) -> tuple[Limit, ...]:
        """The parsed anti-spam limits for proposals (withdrawing one refunds nothing)."""
        return parse_limits(self.proposal_limits)

    @field_validator("telegram_api_base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        return _url(
            value and value.strip().rstrip("/"), ("http://", "https://"), "http:// or https://"
        )

    @field_validator("telegram_bot_token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        token = value.get_secret_value().strip()
        head, _, tail = token.partition(":")
        if not head.isdigit() or len(tail) < 10:
            raise ValueError("does not look like a bot token (expected '<digits>:<secret>')")
        return SecretStr(token)

    def secrets(self) -> dict[str, str]:
        """Every secret the bot knows, by the name the logs show instead (never logged)."""
        found = {}
        if self.telegram_bot_token is not None:
            found["TELEGRAM_BOT_TOKEN"] = self.telegram_bot_token.get_secret_value()
        if self.webhook_secret is not None:
            found["IDEENLABOR_WEBHOOK_SECRET"] = self.webhook_secret.get_secret_value()
        if self.log_secret is not None:
            found["IDEENLABOR_LOG_SECRET"] = self.log_secret.get_secret_value()
        password = self.smtp.password if self.smtp is not None else None
        if self.smtp_url is not None and password:
            raw = urlsplit(self.smtp_url.get_secret_value()).password or ""
            found["SMTP_PASSWORD"] = password
            found["SMTP_PASSWORD_IN_URL"] = raw  # as written in the URL (percent-encoded)
        return found

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    @property
    def reminder_schedule(self) -> tuple[Offset, ...]:
        """The parsed reminder offsets."""
        return parse_schedule(self.reminders)


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def parse_clock_time(value: str) -> dt.time:
    """'HH:MM' as a time of day."""
    try:
        return dt.datetime.strptime(value.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day such as 03:30") from None


def _url(value: str | None, schemes: tuple[str, ...], wanted: str) -> str | None:
    """A URL setting, stripped, if it starts with one of `schemes` (`wanted` says which)."""
    if value is None:
        return None
    value = value.strip()
    if not value.startswith(schemes):
        raise ValueError(f"'{value}' must start with {wanted}")
    return value


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
    "IDEENLABOR_PROPOSAL_LIMITS": "use e.g. 3/1d (3 per day)",
    "IDEENLABOR_SMTP_URL": (
        "use e.g. smtp://user:pass@mail.example.org:587 (STARTTLS) or"
        " smtps://user:pass@mail.example.org:465"
    ),
    "IDEENLABOR_SMTP_CA_FILE": "use a PEM file with the CA certificate(s) of your mail server",
    "IDEENLABOR_MAIL_FROM": "use the sender address of the mails, e.g. ideenlabor@example.org",
    "IDEENLABOR_BACKUP_DIR": "use a directory such as ./backups (empty: no daily backups)",
    "IDEENLABOR_BACKUP_KEEP": "use the number of daily backups to keep, 1 to 366 (default 7)",
    "IDEENLABOR_BACKUP_TIME": "use a local time of day such as 03:30",
    "IDEENLABOR_LOG_LEVEL": "use DEBUG, INFO, WARNING, ERROR or CRITICAL",
    "IDEENLABOR_LOG_LIBRARIES": "use DEBUG, INFO, WARNING, ERROR or CRITICAL (default INFO)",
    "IDEENLABOR_WEBHOOK": "use true or false",
    "IDEENLABOR_WEBHOOK_URL": "use the public HTTPS address Telegram posts to, e.g. "
    "https://bot.example.org/telegram",
    "IDEENLABOR_WEBHOOK_PORT": "use a TCP port, e.g. 8443",
    "IDEENLABOR_WEBHOOK_SECRET": "generate one, e.g. with: openssl rand -hex 32",
    "IDEENLABOR_PRIVACY_NOTICE": (
        "use the path of a Telegram-HTML file; {lang} in it stands for de or en, e.g. "
        "/etc/ideenlabor/datenschutz.{lang}.html"
    ),
    "IDEENLABOR_DELETED_COMMENTS": "use anonymise (keep, author erased) or remove",
    "IDEENLABOR_RETENTION_DAYS": "use a number of days (0: keep indefinitely), default 730",
    "IDEENLABOR_REGISTRATION_RETENTION_DAYS": "use a number of days (0: keep), default 365",
    "IDEENLABOR_WORKSHOP_RETENTION_DAYS": "use a number of days (0: keep), default 90",
    "IDEENLABOR_DRAFT_TTL": "use e.g. 24h, 90m or 7d (from 10m to 30d), default 24h",
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


def require_webhook(settings: Settings) -> tuple[str, str]:
    """The webhook URL and secret token, or a ConfigError naming what is missing."""
    if settings.webhook_url is None:
        raise ConfigError(
            "IDEENLABOR_WEBHOOK_URL is not set — webhook mode needs the public HTTPS address "
            "Telegram posts updates to"
        )
    if settings.webhook_secret is None:
        raise ConfigError(
            "IDEENLABOR_WEBHOOK_SECRET is not set — webhook mode needs a secret token "
            "(1-256 characters A-Z, a-z, 0-9, _, -), e.g. from: openssl rand -hex 32"
        )
    return settings.webhook_url, settings.webhook_secret.get_secret_value()
