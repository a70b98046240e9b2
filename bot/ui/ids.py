"""Custom ids of every persistent component, in one place: each id's template (a regex for
``discord.ui.DynamicItem``) beside the one function that builds it. ``tests/ui/test_ids.py`` checks that
every id built here parses back to the same fields, and that every DynamicItem uses its template.

Components that must keep working after a restart carry their state in the custom id
(``discord.ui.DynamicItem``). All start with ``dbf:``. A component that belongs to a prompt message ends
with ``:p<prompt id>.<times snoozed>`` so that, after a crash, the dispatcher can tell whether a prompt was posted.
Custom ids are at most 100 characters.
"""

from __future__ import annotations

PREFIX = "dbf"


def prompt_marker(prompt_id: int, snoozes: int) -> str:
    """The suffix every component of one sending of a prompt carries (a snoozed re-send differs)."""
    return f":p{prompt_id}.{snoozes}"


_MARK = r":p(?P<prompt_id>\d+)\.\d+"


# -- the debrief prompt ("How did it go?") ---------------------------------------------------------
#: Start the debrief of interview ``i`` (handled by the debrief cog).
DEBRIEF_START = r"dbf:debrief:start:i(?P<interview_id>\d+)(?:" + _MARK + ")?"
#: Snooze prompt ``p`` by ``choice`` (1h, 3h, morning).
PROMPT_SNOOZE = r"dbf:snooze:(?P<choice>1h|3h|morning)" + _MARK
#: Skip prompt ``p``.
PROMPT_SKIP = r"dbf:skip" + _MARK


def debrief_start(interview_id: int, marker: str = "") -> str:
    """``marker`` is the prompt's :func:`prompt_marker` when the button is on a prompt."""
    return f"dbf:debrief:start:i{interview_id}{marker}"


def prompt_snooze(choice: str, marker: str) -> str:
    return f"dbf:snooze:{choice}{marker}"


def prompt_skip(marker: str) -> str:
    return f"dbf:skip{marker}"


# -- drafts (an interview read from a message, waiting for the user's confirm) ---------------------
DRAFT_ACTION = r"dbf:draft:(?P<action>save|edit|drop|later):d(?P<draft_id>\d+)"
#: The time-zone select shown on first contact; ``d0`` when no draft waits for it.
ZONE_PICK = r"dbf:zone:d(?P<draft_id>\d+)"
#: Confirm (``set``) or refuse (``keep``) quiet hours that leave few waking hours; the hours travel in the id.
QUIET_CONFIRM = r"dbf:quiet:(?P<action>set|keep):(?P<start>\d{4}):(?P<end>\d{4})"


def quiet_confirm(action: str, start: str, end: str) -> str:
    """``start`` and ``end`` as "HHMM"."""
    return f"dbf:quiet:{action}:{start}:{end}"


def draft_action(action: str, draft_id: int) -> str:
    return f"dbf:draft:{action}:d{draft_id}"


def zone_pick(draft_id: int | None) -> str:
    return f"dbf:zone:d{draft_id or 0}"


# -- a logged interview's reply: change when the prompt comes, edit, delete --------------------------
INTERVIEW_BUTTON = r"dbf:iv:(?P<action>edit|delete|delete-yes|remove|keep|forget|forget-yes):i(?P<interview_id>\d+)"
#: The select "prompt me N hours after it ends".
INTERVIEW_WHEN = r"dbf:iv:when:i(?P<interview_id>\d+)"


def interview_action(action: str, interview_id: int) -> str:
    return f"dbf:iv:{action}:i{interview_id}"


def interview_when(interview_id: int) -> str:
    return f"dbf:iv:when:i{interview_id}"


# -- /interview list: its pages, picking an interview, an interview's card ----------------------------
#: Previous / Next on a page of the list: show page ``page`` (from 0) of the clicker's own interviews.
LIST_PAGE = r"dbf:ivl:(?P<direction>prev|next):(?P<page>\d+)"
#: The select of a page's interviews (its values are interview ids): open that interview's card.
LIST_PICK = r"dbf:ivl:pick:(?P<page>\d+)"
#: The outcome select on an interview's card.
INTERVIEW_OUTCOME = r"dbf:iv:outcome:i(?P<interview_id>\d+)"
#: Undo one /applications log entry ``a``.
APPLICATIONS_UNDO = r"dbf:app:undo:a(?P<entry_id>\d+)"


def list_page(direction: str, page: int) -> str:
    return f"dbf:ivl:{direction}:{page}"


def list_pick(page: int) -> str:
    return f"dbf:ivl:pick:{page}"


def interview_outcome(interview_id: int) -> str:
    return f"dbf:iv:outcome:i{interview_id}"


def applications_undo(entry_id: int) -> str:
    return f"dbf:app:undo:a{entry_id}"


# -- outcomes, the check-in after a rejection, feedback ----------------------------------------------
#: On the ghosting nudge (prompt ``p``): record ``result`` for interview ``i``.
GHOST_OUTCOME = r"dbf:gh:(?P<result>advanced|offer|rejected|ghosted|withdrew):i(?P<interview_id>\d+)" + _MARK
#: On the check-in (prompt ``p``): the select of one next step for interview ``i``.
CHECKIN_STEP = r"dbf:ci:step:i(?P<interview_id>\d+)" + _MARK
#: On the check-in (prompt ``p``): "Check in again tomorrow".
CHECKIN_AGAIN = r"dbf:ci:again:i(?P<interview_id>\d+)" + _MARK
#: The feedback request template for interview ``i``.
FEEDBACK_REQUEST = r"dbf:fb:req:i(?P<interview_id>\d+)"
#: Whether feedback ``f`` is about something within the user's control.
FEEDBACK_CONTROL = r"dbf:fb:ctl:(?P<control>within_control|outside_control|unsure):f(?P<feedback_id>\d+)"


#: Confirm recording ``result`` for interview ``i`` (an outcome told in words, or one for an interview
#: still ahead); ``:sure`` once the user said yes to "it hasn't happened yet".
OUTCOME_CONFIRM = r"dbf:oc:(?P<result>advanced|offer|rejected|ghosted|withdrew):i(?P<interview_id>\d+)(?P<sure>:sure)?"
#: "Don't record it" under such a confirmation.
OUTCOME_DISMISS = r"dbf:oc:no"


def outcome_confirm(result: str, interview_id: int, *, sure: bool = False) -> str:
    return f"dbf:oc:{result}:i{interview_id}{':sure' if sure else ''}"


def outcome_dismiss() -> str:
    return "dbf:oc:no"


def ghost_outcome(result: str, interview_id: int, marker: str) -> str:
    return f"dbf:gh:{result}:i{interview_id}{marker}"


def checkin_step(interview_id: int, marker: str) -> str:
    return f"dbf:ci:step:i{interview_id}{marker}"


def checkin_again(interview_id: int, marker: str) -> str:
    return f"dbf:ci:again:i{interview_id}{marker}"


def feedback_request(interview_id: int) -> str:
    return f"dbf:fb:req:i{interview_id}"


def feedback_control(control: str, feedback_id: int) -> str:
    return f"dbf:fb:ctl:{control}:f{feedback_id}"


# -- privacy: /forget and the retention warning ---------------------------------------------------------
#: /forget's confirm (``yes``) or cancel (``no``), for user ``u`` only.
FORGET_CONFIRM = r"dbf:forget:(?P<action>yes|no):u(?P<user_id>\d+)"
#: "Keep my data" on the retention warning sent to user ``u`` (with the prompt's marker since the warning
#: got a finder; warnings sent before that carry none).
RETENTION_KEEP = r"dbf:keep:u(?P<user_id>\d+)(?:" + _MARK + ")?"


def forget_confirm(action: str, user_id: int) -> str:
    return f"dbf:forget:{action}:u{user_id}"


def retention_keep(user_id: int, marker: str = "") -> str:
    return f"dbf:keep:u{user_id}{marker}"


# -- focus and the note before an interview --------------------------------------------------------------
#: Under a finished debrief: make its one thing to change a focus (interview ``i``).
FOCUS_FROM_DEBRIEF = r"dbf:focus:take:i(?P<interview_id>\d+)"
#: On the note the evening before an interview: show the focus and its progress.
FOCUS_SHOW = r"dbf:focus:show" + _MARK


def focus_from_debrief(interview_id: int) -> str:
    return f"dbf:focus:take:i{interview_id}"


def focus_show(marker: str) -> str:
    return f"dbf:focus:show{marker}"


# -- the guided debrief ------------------------------------------------------------------------------------
#: A button of one step: ``dbf:db:<action>:d<debrief>:s<step index>[:v<value>][:e]``; ``:e`` marks a
#: button of ``/debrief edit`` (answer a finished debrief's step again) rather than of the debrief itself.
STEP_BUTTON = (
    r"dbf:db:(?P<action>ans|write|addq|list|next|skip|back):d(?P<debrief_id>\d+):s(?P<index>\d+)"
    r"(?::v(?P<value>[a-z0-9_]{1,20}))?(?P<edit>:e)?"
)
#: The topics select of a step.
TOPICS_SELECT = r"dbf:db:topics:d(?P<debrief_id>\d+):s(?P<index>\d+)(?P<edit>:e)?"
#: Another debrief is open: continue it (``keep``) or set it aside and start interview ``i``.
CHOICE_BUTTON = r"dbf:db:(?P<action>keep|aside):d(?P<debrief_id>\d+):i(?P<interview_id>\d+)"
#: A DM typed during debrief ``d`` at step ``s`` read as an interview report (held as draft ``r``): save
#: it as the answer to that step. (Its other button, "record as new interview", is the draft's save.)
REPORT_ANSWER = r"dbf:db:report:d(?P<debrief_id>\d+):s(?P<index>\d+):r(?P<draft_id>\d+)"
#: A modal of a step (``text`` answer, ``addq`` one question, ``list`` the whole list of questions).
STEP_MODAL = r"dbf:dbm:(?P<kind>text|addq|list|view):d(?P<debrief_id>\d+):s(?P<index>\d+)(?P<edit>:e)?"


def step_button(action: str, debrief_id: int, index: int, value: str | None = None, edit: bool = False) -> str:
    return f"dbf:db:{action}:d{debrief_id}:s{index}" + (f":v{value}" if value else "") + (":e" if edit else "")


def topics_select(debrief_id: int, index: int, edit: bool = False) -> str:
    return f"dbf:db:topics:d{debrief_id}:s{index}" + (":e" if edit else "")


def choice_button(action: str, debrief_id: int, interview_id: int) -> str:
    return f"dbf:db:{action}:d{debrief_id}:i{interview_id}"


def report_answer(debrief_id: int, index: int, draft_id: int) -> str:
    return f"dbf:db:report:d{debrief_id}:s{index}:r{draft_id}"


def step_modal(kind: str, debrief_id: int, index: int, edit: bool = False) -> str:
    return f"dbf:dbm:{kind}:d{debrief_id}:s{index}" + (":e" if edit else "")


#: Any component of a debrief step (to find the debrief a DM replies to).
ANY_DEBRIEF_STEP = r"dbf:db:[a-z]+:d(?P<debrief_id>\d+):.*"


# -- forms ----------------------------------------------------------------------------------------------
#: "Fix the form" on a reply to a form with errors: token ``t`` names what was typed (held in memory);
#: the rest is the custom id of the button that opens the form afresh (when it is no longer held).
FIX_FORM = r"dbf:fix:(?P<token>[0-9a-f]{8}):(?P<opener>dbf:[^ ]{1,80})"


def fix_form(token: str, opener: str) -> str:
    return f"dbf:fix:{token}:{opener}"


# -- reading ids off a message -----------------------------------------------------------------------


def custom_ids(message: object | None) -> list[str]:
    """The custom ids of the components on a ``discord.Message`` (none for None)."""
    found: list[str] = []
    for row in getattr(message, "components", None) or []:
        for child in getattr(row, "children", []):
            custom_id = getattr(child, "custom_id", None)
            if custom_id:
                found.append(custom_id)
    return found


def marker_of(custom_id: str, prefix: str) -> str:
    """The prompt marker at the end of a component's custom id (after ``prefix``)."""
    return custom_id[len(prefix) :]
