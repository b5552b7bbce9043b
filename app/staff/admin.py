"""Staff and teams run from the browser, reassigning cases, and the set-up link.

- Admins only: /staff/admin/staff (list, add, change role and teams, a new set-up link,
  deactivate) and /staff/admin/teams (settings, municipalities, pause intake).
- Leads and admins: reassigning a colleague's open cases (/staff/admin/reassign): a
  lead's daily job when people come and go. Workers get a 403 on every page here.
- Anyone with a live link: /staff/setup/<token>, where a staff member chooses a password
  and enrols their authenticator (app/people/setup_links.py).

Every change to staff or teams goes into the admin audit, shown on these pages. Cases
stay behind team isolation: a lead sees and moves only their own teams' cases.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypeVar

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.casework import cases, destinations
from app.casework.case_terms import STATUSES, label
from app.database import utcnow
from app.extensions import db
from app.forms import BaseForm
from app.i18n import language_by_locale
from app.limits import limited
from app.links import external_url
from app.models import Case, StaffRole, StaffUser, Team
from app.people import accounts, admin_audit, setup_links, teams
from app.saate.forms import select_choices
from app.text import isolated

from . import bp, worker_language
from .access import require_admin
from .admin_forms import (
    ROLE_LABELS,
    DeactivateForm,
    DestinationsForm,
    NewDestinationForm,
    NewTeamForm,
    ReassignForm,
    RenameDestinationForm,
    SetupForm,
    StaffChangeForm,
    StaffForm,
    TeamForm,
    municipality_list,
)
from .admin_words import action_label, describe_changes

Form = TypeVar("Form", bound=BaseForm)


def require_lead() -> None:
    if not cases.is_lead(current_user):
        abort(403)


def staff_or_404(staff_id: int) -> StaffUser:
    return db.session.get(StaffUser, staff_id) or abort(404)


def team_choices() -> list:
    """Teams as checkbox labels: their names are typed text, isolated (bidi)."""
    return select_choices((team.id, isolated(team.name)) for team in teams.list_teams())


# --- Staff ---------------------------------------------------------------------------------


@bp.get("/admin/staff")
def admin_staff() -> str:
    require_admin()
    return render_template(
        "staff/admin/staff_list.html", members=accounts.list_staff(),
        links=setup_links.live_link_expiries(),
        open_counts=open_case_counts(), roles=ROLE_LABELS,
        audit=admin_audit.recent(admin_audit.STAFF), has_password=accounts.has_password,
    )


def open_case_counts() -> Counter[int]:
    """Handler id -> their open cases (one grouped query)."""
    rows = db.session.execute(
        select(Case.handler_id, func.count(Case.id))
        .where(Case.handler_id.is_not(None), Case.status != "closed")
        .group_by(Case.handler_id)
    )
    return Counter({handler: count for handler, count in rows})


@bp.route("/admin/staff/new", methods=["GET", "POST"])
def admin_staff_new() -> str | tuple[str, int]:
    require_admin()
    form = StaffForm()
    form.teams.choices = team_choices()
    if form.validate_on_submit():
        if accounts.find_by_email(form.email.data) is not None:
            # Translators: error message (staff admin) when the e-mail address is already used.
            form.email.errors.append(_("A staff member with this e-mail address already exists"))
        else:
            chosen = db.session.scalars(select(Team).where(Team.id.in_(form.teams.data))).all()
            user = accounts.create_staff(
                email=form.email.data, name=form.name.data, title=form.title.data,
                role=form.role.data, team_slugs=[team.slug for team in chosen],
                ui_locale=form.ui_locale.data, actor=current_user)
            issued = setup_links.issue(user, current_user, setup_links.Reason.NEW_ACCOUNT)
            return show_setup_link(user, issued, new_account=True)
    status = 400 if form.errors else 200
    return render_template("staff/admin/staff_new.html", form=form), status


def show_setup_link(user: StaffUser, issued: setup_links.IssuedLink,
                    new_account: bool) -> str:
    """The link, shown this once: only its hash is kept."""
    return render_template("staff/admin/setup_link.html", member=user, new_account=new_account,
                           link=external_url("staff.setup", token=issued.token),
                           expires_at=issued.expires_at)


@bp.route("/admin/staff/<id:staff_id>", methods=["GET", "POST"])
def admin_staff_member(staff_id: int) -> str | Response | tuple[str, int]:
    require_admin()
    member = staff_or_404(staff_id)
    form = StaffChangeForm(data={"role": member.role, "teams": [t.id for t in member.teams]})
    form.teams.choices = team_choices()
    if form.validate_on_submit():
        try:
            accounts.update_staff(member, role=form.role.data, team_ids=form.teams.data,
                                  actor=current_user)
        except accounts.LastAdmin:
            db.session.rollback()
            form.role.errors = [last_admin_message()]
        else:
            flash(_("Saved."))
            return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    return render_member(member, form), 400 if form.errors else 200


def last_admin_message() -> str:
    # Translators: error message (staff admin) when the change would leave no admin.
    return _("At least one active admin must remain. Make someone else an admin first.")


def render_member(member: StaffUser, form: StaffChangeForm) -> str:
    return render_template(
        "staff/admin/staff_member.html", member=member, form=form, roles=ROLE_LABELS,
        link_expires=setup_links.live_link_expiry(member),
        has_password=accounts.has_password,
        open_cases=len(cases.open_cases_of(member)),
        audit=admin_audit.for_target(admin_audit.STAFF, member.id),
    )


@bp.post("/admin/staff/<id:staff_id>/setup-link")
def admin_staff_setup_link(staff_id: int) -> str:
    """A new set-up link: a new authenticator secret, every session ended, a new password
    chosen on the link (also "reset two-factor authentication"). Only the CSRF token is
    posted (checked for every POST, app/security.py)."""
    require_admin()
    member = staff_or_404(staff_id)
    if not member.active:
        abort(404)
    reason = (setup_links.Reason.RESET if accounts.has_password(member)
              else setup_links.Reason.NEW_ACCOUNT)
    issued = setup_links.issue(member, current_user, reason)
    return show_setup_link(member, issued, new_account=False)


@bp.route("/admin/staff/<id:staff_id>/deactivate", methods=["GET", "POST"])
def admin_staff_deactivate(staff_id: int) -> str | Response | tuple[str, int]:
    """Deactivation shows the person's open cases first and asks to reassign them.

    Deactivating anyway (people leave suddenly; access must end at once) needs an
    explicit choice, and then their open cases go back to their teams' queues
    unassigned, each with a timeline event, rather than waiting behind a name nobody
    answers to.
    """
    require_admin()
    member = staff_or_404(staff_id)
    form = DeactivateForm()
    open_cases = cases.open_cases_of(member)
    error = None
    if request.method == "POST" and not member.active:
        return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    if form.validate_on_submit():
        if open_cases and not form.leave_unassigned.data:
            # Translators: error message (staff admin) on the deactivation page.
            error = _("Reassign their open cases first, or choose to deactivate anyway.")
        else:
            try:
                accounts.disable(member.email, actor=current_user, open_cases=len(open_cases))
            except accounts.LastAdmin:
                db.session.rollback()
                error = last_admin_message()
            else:
                released = cases.release_cases_of(member, current_user)
                flash(deactivated_message(member, released))
                return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    by_team = Counter(case.team.name for case in open_cases)
    mine = {team.id for team in current_user.teams}
    return render_template(
        "staff/admin/deactivate.html", member=member, form=form, error=error,
        open_cases=open_cases, by_team=sorted(by_team.items()),
        visible=[case for case in open_cases if case.team_id in mine],
    ), 400 if error else 200


def said(message: str) -> Markup:
    """A flash message kept as markup through the session, so the <bdi> of its names stays.

    Only for a catalogue message (trusted, as Jinja's autoescaped gettext trusts it) whose
    every value went in escaped: text through app.text.isolated, lists through references,
    numbers as %(num)d.
    """
    return Markup(message)  # noqa: S704  (our catalogue's text; every value escaped)


def deactivated_message(member: StaffUser, released: int) -> Markup:
    if released:
        # Translators: message (staff admin) after deactivating; %(name)s is the person,
        # %(num)d how many of their open cases went back to the queue.
        return said(ngettext("%(name)s has been deactivated. %(num)d open case went back to the "
                             "queue, unassigned.",
                             "%(name)s has been deactivated. %(num)d open cases went back to "
                             "the queue, unassigned.", released, name=isolated(member.name)))
    # Translators: message (staff admin) after deactivating; %(name)s is the person.
    return said(_("%(name)s has been deactivated.", name=isolated(member.name)))


# --- Reassigning (leads and admins) ----------------------------------------------------------


def colleague_of_lead(staff_id: int) -> StaffUser:
    """The staff member whose cases are moved: a lead sees only people of their own
    teams (anyone else is a 404, as if absent); an admin sees everyone."""
    require_lead()
    member = staff_or_404(staff_id)
    if current_user.role != StaffRole.ADMIN and not (
            {team.id for team in member.teams} & {team.id for team in current_user.teams}):
        abort(404)
    return member


@bp.get("/admin/reassign")
def reassign_index() -> str:
    """The lead's teams' members with how many open cases each has."""
    require_lead()
    mine = {team.id for team in current_user.teams}
    members = [member for member in accounts.list_staff()
               if current_user.role == StaffRole.ADMIN or {t.id for t in member.teams} & mine]
    return render_template("staff/admin/reassign_index.html", members=members,
                           open_counts=open_case_counts(), roles=ROLE_LABELS)


@bp.route("/admin/staff/<id:staff_id>/reassign", methods=["GET", "POST"])
def reassign_cases(staff_id: int) -> str | Response | tuple[str, int]:
    member = colleague_of_lead(staff_id)
    form = ReassignForm()
    visible, elsewhere = split_by_team(cases.open_cases_of(member))
    form.assignee.choices = assignee_choices(member, visible)
    if request.method == "GET":
        form.cases.data = [picked_value(case) for case in visible]
    elif form.validate_on_submit():
        result = cases.reassign_many(current_user, form.picked(), form.assignee.data,
                                     form.reason.data)
        for message in reassigned_messages(result, form.assignee.data):
            flash(message)
        return redirect(url_for("staff.reassign_cases", staff_id=member.id))
    return render_template(
        "staff/admin/reassign.html", member=member, form=form, visible=visible,
        elsewhere=elsewhere, picked_value=picked_value, status_label=status_label,
    ), 400 if form.errors else 200


def split_by_team(open_cases: Any) -> tuple[list[Case], int]:
    """The cases of the current user's teams, and how many others there are."""
    mine = {team.id for team in current_user.teams}
    visible = [case for case in open_cases if case.team_id in mine]
    return visible, len(open_cases) - len(visible)


def picked_value(case: Case) -> str:
    return f"{case.id}.{case.version}"


def status_label(code: str) -> str:
    return label(STATUSES, code)


def assignee_choices(member: StaffUser, visible: list[Case]) -> list:
    """Active members of the teams of the cases listed (or the lead's teams), bar the
    person whose cases are moved."""
    team_ids = {case.team_id for case in visible} or {t.id for t in current_user.teams}
    people = [person for person in accounts.list_staff()
              if person.active and person.id != member.id
              and {t.id for t in person.teams} & team_ids]
    return select_choices([
        # Translators: first, empty option of the list of colleagues (team lead).
        ("", _("Choose a colleague")),
        *[(person.id, f"{person.name}, {person.title}") for person in people],
    ])


def reassigned_messages(result: cases.Reassigned, assignee_id: int) -> list[Markup]:
    assignee = db.session.get(StaffUser, assignee_id)
    name = isolated(assignee.name if assignee else "")
    messages = []
    if result.done:
        # Translators: message (team lead) after reassigning; %(num)d cases, %(name)s the new
        # handler.
        messages.append(said(ngettext("%(num)d case was given to %(name)s.",
                                      "%(num)d cases were given to %(name)s.",
                                      len(result.done), name=name)))
    if result.conflicts:
        # Translators: message (team lead) after reassigning; %(references)s lists reference
        # codes, e.g. "ABCD-EFGH, ACDE-FGHJ".
        messages.append(said(_("Someone else changed these cases meanwhile, so they were not "
                               "reassigned: %(references)s. Check them and try again.",
                               references=references(result.conflicts))))
    if result.refused:
        # Translators: message (team lead) after reassigning; %(name)s is the chosen colleague,
        # %(references)s lists reference codes.
        messages.append(said(_("These cases could not go to %(name)s: %(references)s. They are "
                               "closed, or %(name)s is not in their team.",
                               name=name, references=references(result.refused))))
    if result.missing:
        # Translators: message (team lead) after reassigning when some chosen cases could not be
        # found (e.g. deleted); %(num)d is how many.
        messages.append(said(ngettext("%(num)d case was not found.",
                                      "%(num)d cases were not found.", result.missing)))
    return messages


def references(found: list[Case]) -> Markup:
    """Reference codes, escaped (they are only our own alphabet and a dash anyway)."""
    return Markup(", ").join(case.display_reference for case in found)


# --- Teams ---------------------------------------------------------------------------------


@bp.get("/admin/teams")
def admin_teams() -> str:
    require_admin()
    return render_template("staff/admin/team_list.html", teams=teams.list_teams(),
                           audit=admin_audit.recent(admin_audit.TEAM))


def team_or_404(team_id: int) -> Team:
    return db.session.get(Team, team_id) or abort(404)


def team_form_data(team: Team) -> dict[str, Any]:
    data = {name: getattr(team, name) for name in teams.SETTINGS}
    data["email"] = team.email or ""
    data["municipalities"] = "\n".join(m.name_fi for m in team.municipalities)
    return data


@bp.route("/admin/teams/<id:team_id>", methods=["GET", "POST"])
def admin_team(team_id: int) -> str | Response | tuple[str, int]:
    require_admin()
    team = team_or_404(team_id)
    form = TeamForm(data=team_form_data(team))
    if form.validate_on_submit():
        try:
            update = teams.change_team(team, municipalities=municipality_list(
                form.municipalities.data), actor=current_user, **form.settings())
        except teams.MunicipalityLeftOut as left_out:
            db.session.rollback()
            form.municipalities.errors = [left_out_message(left_out.names)]
        else:
            flash(_("Saved."))
            for name, other in update.moved:
                # Translators: message (staff admin) after saving a team; %(name)s is a
                # municipality, %(team)s the team that served it before.
                flash(said(_("%(name)s moved here from %(team)s.", name=isolated(name),
                             team=isolated(other))))
            return redirect(url_for("staff.admin_team", team_id=team.id))
    return render_team(team, form), 400 if form.errors else 200


def render_team(team: Team, form: TeamForm,
                posted: tuple[str, BaseForm] | None = None) -> str:
    """The team's page: its settings, its routing destinations (the form just posted keeps
    what was typed), and the changes made to it."""
    found = destinations.of_team(team.id, worker_language())
    audit = admin_audit.for_target(admin_audit.TEAM, team.id)
    return render_template(
        "staff/admin/team.html", team=team, form=form, audit=audit,
        destinations=found, destination_forms=destination_forms(found, posted),
        posted_destination=posted[0] if posted else None,
        destination_labels=destinations.labels_for(audited_destinations(audit),
                                                   worker_language()),
    )


def left_out_message(names: list[str]) -> str:
    # Translators: error message (staff admin) under a team's municipalities; %(names)s lists
    # municipalities taken off the list.
    return _("%(names)s would have no team. Add them to the team that takes them over: they "
             "move there.", names=", ".join(names))


@bp.route("/admin/teams/new", methods=["GET", "POST"])
def admin_team_new() -> str | Response | tuple[str, int]:
    require_admin()
    form = NewTeamForm(data={"opening_hours": teams.DEFAULT_OPENING_HOURS, "contact_days": 3,
                             "urgent_contact_days": 1})
    if form.validate_on_submit():
        if db.session.scalar(select(Team.id).where(Team.slug == form.slug.data)):
            # Translators: error message (staff admin) when a team with the short name exists.
            form.slug.errors.append(_("A team with this short name already exists"))
        else:
            typed = municipality_list(form.municipalities.data)
            moved = teams.served_elsewhere(typed)
            team = teams.create_team(slug=form.slug.data, municipalities=typed, take_over=True,
                                     actor=current_user, **form.settings())
            flash(_("Saved."))
            for name, other in moved:
                flash(said(_("%(name)s moved here from %(team)s.", name=isolated(name),
                             team=isolated(other))))
            return redirect(url_for("staff.admin_team", team_id=team.id))
    return render_template("staff/admin/team_new.html", form=form), 400 if form.errors else 200


# --- A team's routing destinations (on the team's page) -------------------------------------
#
# Hide and show each destination, add one of the team's own, rename an own one; workers of
# the team see the change in the triage outcome form at once (app/casework/destinations.py).


def destination_forms(found: list[destinations.Destination],
                      posted: tuple[str, BaseForm] | None) -> dict[str, Any]:
    """The forms of the team page's destinations section; the one posted keeps its text."""
    changeable = [item for item in found if item.code != destinations.OTHER]
    own = [item for item in found if item.own]
    forms: dict[str, Any] = {
        "shown": DestinationsForm(formdata=None,
                                  shown=[item.code for item in changeable if not item.hidden]),
        "new": NewDestinationForm(formdata=None),
        "rename": {item.code: RenameDestinationForm(formdata=None, code=item.code,
                                                    name_fi=item.name_fi, name_sv=item.name_sv)
                   for item in own},
    }
    if posted is not None:
        name, form = posted
        if name != "rename":
            forms[name] = form
        elif form.code.data in forms["rename"]:
            forms["rename"][form.code.data] = form
        else:  # not one of the team's own (forged): said above the section's forms
            forms["rename_refused"] = form
    forms["shown"].shown.choices = select_choices((item.code, item.label) for item in changeable)
    for form in [*forms["rename"].values(), forms.get("rename_refused")]:
        if form is not None:
            form.code.choices = select_choices([(item.code, item.label) for item in own])
    return forms


def audited_destinations(audit: Any) -> list[str]:
    """The destination codes the team's audit entries name (hidden, shown again)."""
    return [code for entry in audit for change in (destinations.Change.HIDDEN,
                                                   destinations.Change.SHOWN)
            for code in (entry.changes or {}).get(change, [])]


def destination_post(team_id: int, name: str, form_class: type[Form]) -> tuple[Team, Form]:
    """The team and the form posted to its destinations, its choices filled in."""
    require_admin()
    team = team_or_404(team_id)
    posted = form_class()
    destination_forms(destinations.of_team(team.id, worker_language()), (name, posted))
    return team, posted


def team_page_again(team: Team, name: str, posted: BaseForm) -> tuple[str, int]:
    """The team's page with the destination form just posted, its errors and its text."""
    return render_team(team, TeamForm(formdata=None, data=team_form_data(team)),
                       (name, posted)), 400


def destinations_saved(team: Team) -> Response:
    flash(_("Saved."))
    return redirect(url_for("staff.admin_team", team_id=team.id, _anchor="destinations-title"))


@bp.post("/admin/teams/<id:team_id>/destinations")
def admin_team_destinations(team_id: int) -> Response | tuple[str, int]:
    team, posted = destination_post(team_id, "shown", DestinationsForm)
    if not posted.validate():
        return team_page_again(team, "shown", posted)
    destinations.set_shown(team, posted.shown.data or [], current_user)
    return destinations_saved(team)


@bp.post("/admin/teams/<id:team_id>/destinations/new")
def admin_team_destination_new(team_id: int) -> Response | tuple[str, int]:
    team, posted = destination_post(team_id, "new", NewDestinationForm)
    if not posted.validate():
        return team_page_again(team, "new", posted)
    destinations.add_own(team, posted.name_fi.data, posted.name_sv.data or "", current_user)
    return destinations_saved(team)


@bp.post("/admin/teams/<id:team_id>/destinations/rename")
def admin_team_destination_rename(team_id: int) -> Response | tuple[str, int]:
    team, posted = destination_post(team_id, "rename", RenameDestinationForm)
    if not posted.validate():
        return team_page_again(team, "rename", posted)
    destinations.rename_own(team, posted.code.data, posted.name_fi.data,
                            posted.name_sv.data or "", current_user)
    return destinations_saved(team)


# --- The set-up link (no sign-in: the link is the key) -------------------------------------


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limited("staff_setup")
def setup(token: str) -> str | Response | tuple[str, int]:
    link = setup_links.find_live(token)
    if link is None:
        return render_template("staff/setup_invalid.html"), 404
    member = link.staff
    speak(member.ui_locale)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            setup_links.complete(link, form.password.data, form.code.data)
        except setup_links.SetupRefused as refused:
            if not refused.wrong_code:
                return render_template("staff/setup_invalid.html"), 404
            # Translators: error message on the staff set-up page when the authenticator's code
            # is wrong or too old.
            form.code.errors = [_("The code is not right. Check that you added the account "
                                  "from this page, and type the newest code.")]
        else:
            # Translators: message on the staff sign-in page right after setting up the account.
            flash(_("Your account is ready. Sign in with your e-mail address, your new password "
                    "and a code from your app."))
            return redirect(url_for("auth.sign_in"))
    uri = accounts.otpauth_uri(member)
    return render_template(
        "staff/setup.html", form=form, member=member, token=token,
        # Translators: read by screen readers: the QR code on the staff set-up page.
        qr=setup_links.qr_code_svg(uri, _("QR code for your authenticator app")),
        secret=setup_links.secret_for_typing(member), issuer=accounts.ISSUER,
        min_length=accounts.MIN_PASSWORD_LENGTH,
        expires_at=link.created_at + setup_links.LIFETIME, now=utcnow(),
    ), 400 if form.errors else 200


def speak(locale: str) -> None:
    """The set-up page in the staff member's own language (nobody is signed in)."""
    language = language_by_locale(locale)
    if language is not None:
        g.language = language
        refresh()


bp.add_app_template_global(describe_changes, "audit_rows")
bp.add_app_template_filter(action_label, "audit_action_label")
