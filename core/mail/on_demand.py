"""The emails of an on-demand invitation: the link, usable any time until a deadline, and one
reminder before it (``core.scheduling.invitations``). No calendar invite: there is no slot."""

from __future__ import annotations

from core.config import Settings
from core.mail.ics import one_line
from core.mail.messages import (
    InvitationDetails,
    OutgoingEmail,
    _check,
    _greeting,
    _preparation,
    _signature,
    _what,
    candidate_zone,
    local_time_text,
)


def _email(
    kind: str, intro: str, prefix: str, d: InvitationDetails, settings: Settings
) -> OutgoingEmail:
    """``d.ends_at`` is the deadline; ``d.starts_at`` when the link starts working."""
    _check(d, needs_link=True)
    zone = candidate_zone(d, settings)
    deadline = local_time_text(d.ends_at, zone)
    preparation = _preparation(d, settings)[:-2]  # not the scheduled link's join window
    body_lines = [
        _greeting(d),
        "",
        intro,
        "",
        *_what(d),
        f"Take it any time before: {deadline}",
        f"Interview link: {d.link}",
        "",
        *preparation,
        "",
        "The link works until the deadline above; once you start, finish in one sitting.",
        "The link is personal: please do not share it.",
        "",
        *_signature(settings),
    ]
    company = one_line(d.company)
    subject = f"{prefix}: {one_line(d.interview_title)}{f' at {company}' if company else ''}"
    return OutgoingEmail(
        kind=kind,
        to_address=d.candidate_email.strip(),
        subject=one_line(f"{subject} (before {deadline})")[:300],
        body_text="\n".join(body_lines) + "\n",
        ics_content=None,
    )


def on_demand_invitation_email(d: InvitationDetails, settings: Settings) -> OutgoingEmail:
    intro = (
        f"You are invited to an online interview with {one_line(d.company) or 'us'}. "
        "Take it whenever suits you before the deadline."
    )
    return _email("invitation", intro, "Interview invitation", d, settings)


def reminder_email(d: InvitationDetails, settings: Settings) -> OutgoingEmail:
    intro = "A reminder: your online interview is waiting for you, and its link expires soon."
    return _email("reminder", intro, "Reminder", d, settings)
