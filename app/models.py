"""The data model. Answers and choices are stored as stable codes; labels live in
the message catalogues (see app/saate/schema.py)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, JSONType, utcnow

# The largest id an Integer column holds on every database (PostgreSQL's integer):
# ids from outside (paths, query strings, cursors) past it are refused before any query.
MAX_ID = 2**31 - 1
# A team's phone hours unless set otherwise (`flask teams create/update --opening-hours`).
DEFAULT_OPENING_HOURS = "mon-fri 08:00-16:00"
# The longest next planned step a worker may write on a case (one line, e.g. "Call after
# Kela's decision").
NEXT_STEP_LENGTH = 200


class CaseKind(enum.StrEnum):
    CONTACT_REQUEST = "contact_request"
    SAATE = "saate"


class CaseChannel(enum.StrEnum):
    """How a contact came in: the client sent it online, or a worker recorded it."""

    WEB = "web"
    PHONE = "phone"
    WALK_IN = "walk_in"
    E_CONTACT = "e_contact"
    REFERRAL = "referral"  # a professional's referral or consultation


class CaseStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CLIENT = "waiting_for_client"
    ROUTED = "routed"
    CLOSED = "closed"


class StaffRole(enum.StrEnum):
    WORKER = "worker"
    LEAD = "lead"
    ADMIN = "admin"


staff_teams = Table(
    "staff_team",
    Base.metadata,
    Column("staff_id", ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Base):
    """A work-ability support team; it serves the municipalities listed for it."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    contact_days: Mapped[int] = mapped_column(Integer, default=3)
    # The shorter promise for urgent cases (the client said they are in a crisis).
    urgent_contact_days: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # When the team's phone is answered on working days, e.g. "mon-thu 08:00-16:00,
    # fri 08:00-15:00" (app/people/teams.py reads it); closed on days not named and holidays.
    opening_hours: Mapped[str] = mapped_column(
        String(120), default=DEFAULT_OPENING_HOURS, server_default=DEFAULT_OPENING_HOURS
    )
    # The team that gets cases whose municipality is "other or not sure".
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_new_cases: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_days: Mapped[int] = mapped_column(Integer, default=365)
    # "Pause intake" (vastaanotto tauolla): the team's clients are shown the pause message and
    # phone instead of sending a contact request or a saate. The crisis page always sends.
    intake_paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pause_message_fi: Mapped[str] = mapped_column(String(500), default="", server_default="")
    pause_message_sv: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The number to call while paused; the team's phone when empty.
    pause_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="team", order_by="Municipality.name_fi"
    )
    members: Mapped[list[StaffUser]] = relationship(
        secondary=staff_teams, back_populates="teams"
    )


class Municipality(Base):
    """A municipality by its Statistics Finland code, and the team serving it."""

    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_fi: Mapped[str] = mapped_column(String(100))
    name_sv: Mapped[str] = mapped_column(String(100))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)

    team: Mapped[Team] = relationship(back_populates="municipalities")

    def name_in(self, html_lang: str) -> str:
        return self.name_sv if html_lang == "sv" else self.name_fi


class StaffUser(UserMixin, Base):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Shown to clients with the first name, e.g. "terveydenhoitaja".
    title: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default=StaffRole.WORKER)
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(String(64))
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    ui_locale: Mapped[str] = mapped_column(String(16), default="fi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teams: Mapped[list[Team]] = relationship(secondary=staff_teams, back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot sign in.
        return self.active

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


class StaffSetupLink(Base):
    """A one-time link on which a staff member chooses a password and enrols an authenticator.

    Made for a new account and when an admin resets someone's sign-in; valid 48 hours, once
    (app/people/setup_links.py). Only the token's hash is kept.
    """

    __tablename__ = "staff_setup_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # Who made it; None for the command line.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()
    # A newer link replaced it, or the account was deactivated.
    revoked_at: Mapped[datetime | None] = mapped_column()

    staff: Mapped[StaffUser] = relationship(foreign_keys=[staff_id])


class AdminAuditEntry(Base):
    """Who changed which staff account or team, and when; append-only, no client data.

    The names are kept as they were at the time: the record reads the same after a
    staff member is renamed or deactivated.
    """

    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # None: the command line (flask staff …, flask teams …).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(32))
    # "staff" or "team", and its id and name at the time.
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    target_name: Mapped[str] = mapped_column(String(200))
    # What changed: {field: [before, after]}, or facts such as {"cases_released": 2}.
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_admin_audit_target", "target_kind", "target_id", "id"),)


class StaffSession(Base):
    """One signed-in staff session (one browser), checked on every staff request.

    The staff cookie carries a random token; only its hash is kept here, so the
    table cannot be used to sign in. A session ends at sign-out, after the idle
    timeout or its absolute lifetime, and when the account is disabled, gets a new
    password or a new second factor (see app/people/staff_sessions.py).
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
    # Why it ended: signed_out, idle, expired, account_disabled, password_changed, …
    end_reason: Mapped[str | None] = mapped_column(String(24))

    staff: Mapped[StaffUser] = relationship()


class Case(Base):
    """A contact request or a sent saate, in its team's queue."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Where the contact came from (CaseChannel); shown, never branched on.
    channel: Mapped[str] = mapped_column(String(16), default=CaseChannel.WEB,
                                         server_default=CaseChannel.WEB.value)
    # Who referred the client, for a professional's referral or consultation.
    referrer_organisation: Mapped[str | None] = mapped_column(String(200))
    referrer_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(24), default=CaseStatus.NEW)
    # The URL segment of the language the client used (fi, sv, selko).
    language: Mapped[str] = mapped_column(String(16))
    municipality_code: Mapped[str] = mapped_column(String(8))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[dict[str, Any]] = mapped_column(default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    status_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Makes sending idempotent: the draft's id, or the contact form's one-time key.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    promised_contact_date: Mapped[date] = mapped_column(Date)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    contact_person_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    contact_person_name: Mapped[str | None] = mapped_column(String(200))
    contact_person_title: Mapped[str | None] = mapped_column(String(120))
    # The asiakasvastaava's organisation (someone outside the team) and phone; the client
    # sees the phone only when the worker marked it as shareable.
    contact_person_organisation: Mapped[str | None] = mapped_column(String(200))
    contact_person_phone: Mapped[str | None] = mapped_column(String(40))
    contact_person_phone_shareable: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false())
    outcomes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    # When a worker first reached the client: the promise is kept from then on.
    contacted_at: Mapped[datetime | None] = mapped_column()
    # The worker's next planned step on an open case and its day (app/casework/cases.py
    # set_next_step); "My clients" sorts by the day (app/casework/queue.py).
    next_step: Mapped[str | None] = mapped_column(String(NEXT_STEP_LENGTH))
    next_step_date: Mapped[date | None] = mapped_column(Date)
    # When the triage outcome (where the client was routed) was first recorded.
    routed_at: Mapped[datetime | None] = mapped_column()
    # What statistics keep of the client's answers (app/casework/profile.py): coarse codes
    # set when the case is made, kept after retention empties the answers.
    age_group: Mapped[str | None] = mapped_column(String(16))
    education: Mapped[str | None] = mapped_column(String(24))
    work_ability_score: Mapped[int | None] = mapped_column(Integer)
    # Set at closing: whether the client saw a doctor about their work ability during the
    # service (None: not known).
    saw_doctor: Mapped[bool | None] = mapped_column(Boolean)

    team: Mapped[Team] = relationship()
    handler: Mapped[StaffUser | None] = relationship(foreign_keys=[handler_id])
    contact_person: Mapped[StaffUser | None] = relationship(foreign_keys=[contact_person_id])
    consents: Mapped[list[CaseConsent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseConsent.actor"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    codes: Mapped[list[CaseCode]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseCode.code"
    )
    follow_up: Mapped[FollowUp | None] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        # The queue walks this per team, status and urgency, by promised date and then age
        # (app/casework/queue.py).
        Index("ix_case_queue", "team_id", "status", "urgent", "promised_contact_date",
              "created_at", "id"),
        # "My clients" walks this per handler and status, by next step and promised date; its
        # first two columns serve every "cases of this handler" lookup too.
        Index("ix_case_mine", "handler_id", "status", "next_step_date",
              "promised_contact_date", "created_at", "id"),
        # Statistics count a team's cases by the day they came in or closed
        # (app/reporting/statistics.py); on PostgreSQL each index carries the columns counted,
        # so a team's year is read from the index alone (docs/PERFORMANCE.md).
        Index("ix_case_team_created", "team_id", "created_at", postgresql_include=[
            "id", "kind", "channel", "language", "status", "urgent", "promised_contact_date",
            "contacted_at", "routed_at", "close_reason", "age_group", "education"]),
        Index("ix_case_team_closed", "team_id", "closed_at", postgresql_include=[
            "id", "status", "close_reason", "saw_doctor"]),
    )

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:4]}-{self.reference[4:]}"

    @property
    def has_contact_person(self) -> bool:
        """Whether an asiakasvastaava is named: a staff member or someone outside the team."""
        return self.contact_person_id is not None or bool(self.contact_person_name)

    @property
    def contact_person_first_name(self) -> str:
        """What the client sees of the asiakasvastaava's name: the first name only."""
        if self.contact_person is not None:
            return self.contact_person.first_name
        names = (self.contact_person_name or "").split()
        return names[0] if names else ""


class CaseConsent(Base):
    """The client's answer on sharing with one network actor."""

    __tablename__ = "case_consent"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case.id", ondelete="CASCADE"), primary_key=True
    )
    actor: Mapped[str] = mapped_column(String(32), primary_key=True)
    share: Mapped[bool] = mapped_column(Boolean, default=False)
    share_health: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship(back_populates="consents")


class CodeKind(enum.StrEnum):
    """The lists of codes a case carries for statistics (CaseCode.kind)."""

    DIFFICULTY = "difficulty"  # social, psychological, somatic, other (from "affecting")
    ROUTED_TO = "routed_to"  # the triage outcome: where the client was routed
    MOVED_ON = "moved_on"  # the outcome at closing: where the client moved on
    DOING_AT_FOLLOW_UP = "follow_up"  # what the client does at the follow-up


class CaseCode(Base):
    """One code of a case's many-valued facts, one row each, so statistics count them with
    GROUP BY over an index instead of reading JSON row by row. Written only by the
    casework services, beside the case's own fields; no personal data."""

    __tablename__ = "case_code"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)

    case: Mapped[Case] = relationship(back_populates="codes")

    __table_args__ = (Index("ix_case_code_kind_code", "kind", "code", "case_id"),)


class FollowUp(Base):
    """The follow-up of a closed case: due on a day (by default six months after closing),
    answered once, by the client on the follow-up page or by a worker from a phone call."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case.id", ondelete="CASCADE"), unique=True
    )
    due_on: Mapped[date] = mapped_column(Date)
    # When the e-mail with the link went (only to a client who gave an address and agreed).
    sent_at: Mapped[datetime | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
    # "web" (the client) or "phone" (a worker entered the answers).
    answered_by_channel: Mapped[str | None] = mapped_column(String(16))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    got_help: Mapped[str | None] = mapped_column(String(8))  # yes, partly, no
    work_ability_score: Mapped[int | None] = mapped_column(Integer)
    would_recommend: Mapped[bool | None] = mapped_column(Boolean)
    # Free text for leads only; emptied with the case's other free text at retention.
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")

    case: Mapped[Case] = relationship(back_populates="follow_up")

    __table_args__ = (
        # The due list: unanswered follow-ups by day (app/followup.py).
        Index("ix_follow_up_due", "answered_at", "due_on"),
        # The statistics' comments, newest first (app/reporting/statistics.py comments).
        Index("ix_follow_up_commented", "answered_at", postgresql_where=text("comment <> ''"),
              sqlite_where=text("comment <> ''")),
    )


class TeamDestination(Base):
    """A team's change to the routing destinations: a built-in one hidden (`hidden`), or
    one of its own added with names in Finnish and Swedish (code "team-<id>-<n>")."""

    __tablename__ = "team_destination"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_fi: Mapped[str] = mapped_column(String(120), default="", server_default="")
    name_sv: Mapped[str] = mapped_column(String(120), default="", server_default="")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (UniqueConstraint("team_id", "code"),)


class CaseEvent(Base):
    """One line of a case's timeline; appended, never edited."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[StaffUser | None] = relationship()

    __table_args__ = (Index("ix_case_event_case_id", "case_id", "id"),)


class AccessLogEntry(Base):
    """Who looked at or changed which case, when (käyttöloki); append-only."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # Kept after the case's personal data is deleted, so not a foreign key.
    case_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")

    staff: Mapped[StaffUser] = relationship()

    __table_args__ = (
        Index("ix_access_log_case", "case_id", "id"),
        Index("ix_access_log_staff", "staff_id", "id"),
    )


class Draft(Base):
    """A saate being filled in: saved at every step, resumable by code."""

    __tablename__ = "draft"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    resume_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    sent_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    # The parts the client pressed "Save and continue" on (step slugs): resuming opens the
    # first part not among them.
    done_steps: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default="[]")


class ThrottleEvent(Base):
    """A failed attempt at something guessable (resume code, sign-in)."""

    __tablename__ = "throttle_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # "resume" or "sign_in"; the key is a keyed hash, never the raw value.
    scope: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_throttle_event_scope_key_at", "scope", "key_hash", "at"),)


class Feedback(Base):
    """The client's optional feedback, once per case and moment: after sending, how easy was
    it (1-5); at the end of service (the status page of a closed case), how easy was it and
    would they recommend the service. Counted anonymously."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    # "sent" or "end_of_service".
    moment: Mapped[str] = mapped_column(String(16), default="sent", server_default="sent")
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(16))
    rating: Mapped[int | None] = mapped_column(Integer)
    would_recommend: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("case_id", "moment"),
        # The statistics' comments, newest first (app/reporting/statistics.py comments).
        Index("ix_feedback_commented", "created_at", postgresql_where=text("comment <> ''"),
              sqlite_where=text("comment <> ''")),
    )


class StatsCount(Base):
    """How many of a team's cases count under one code of a statistic on one day, or in one
    month: the statistics' counts, kept as cases change (app/reporting/rollup.py). Derived
    from the cases alone: `flask stats rebuild` makes them again. No personal data."""

    __tablename__ = "stats_count"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"),
                                         primary_key=True)
    # "day", or "month" (the sum of the month's days; `day` is its first).
    span: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # Which day a case counts on: "came_in", "closed" or "answered" (its follow-up).
    population: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    # A code of the dimension ("" for not known), or two joined by "|" for a pair.
    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class StatsRollup(Base):
    """Which version of app/reporting/rollup.py made the daily counts (one row): a newer
    one counts them again from the cases when the database is upgraded."""

    __tablename__ = "stats_rollup"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
