"""The words pages and PDF packs use for learning's stored codes.

The API keeps the codes (`"status": "returned"`), its contract (outputs.py). Pages show a code
through its vocabulary below, one per kind of code (`{{ row.action | label(SUMMARY_ACTIONS) }}`);
the packs, written outside any request, translate the same labels with the pack's catalogue.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shared.i18n import label

#: a summary's status (Summary.status), "not_started" before its first version
SUMMARY_STATUSES = {"not_started": _l("Not started"), "draft": _l("Draft"), "submitted": _l("Waiting for approval"),
                    "approved": _l("Approved"), "returned": _l("Returned")}
#: what a line of a summary's history says happened (SummaryHistory.action)
SUMMARY_ACTIONS = {"saved": _l("Saved as a new version"), "submitted": _l("Submitted for approval"),
                   "approved": _l("Approved"), "returned": _l("Returned to the host"),
                   "published": _l("Agreed to publish in the library"),
                   "unpublished": _l("Taken out of the library")}
#: how far a pack's build has gone (PackRequest.stage)
PACK_STAGES = {"queued": _l("Waiting to start"), "collecting": _l("Gathering the approved summaries"),
               "rendering": _l("Laying out the pages"), "writing": _l("Writing the PDF")}
#: people counted by how they take part (Applicant.participant_type; "unknown" where it never arrived)
PARTICIPANT_TYPES = {"occupation": _l("Experts by occupation"), "experience": _l("Experts by experience"),
                     "both": _l("Experts by occupation and experience"), "unknown": _l("Unknown")}
#: people counted by the group they represent (Applicant.stakeholder_group; "not given" when none was)
STAKEHOLDER_GROUPS = {"lived_experience": _l("Lived experience"), "health": _l("Health"),
                      "social_care": _l("Social care"),
                      "third_sector": _l("The Third Sector (voluntary and community organisations)"),
                      "other": _l("Another group"), "not given": _l("Not given")}
#: the stages whose attendance counts (Attendance.stage)
STAGES = {"orientation": _l("Orientation session"), "exchange": _l("Exchange visit"),
          "reflection": _l("Reflection session")}
#: a theme's code in the figures; "unknown" for an exchange whose theme never arrived
THEMES = {"unknown": _l("Unknown")}


def impact_tables(impact: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    """The programme page's breakdowns of impact (as the API gives them), each key in words."""
    return [(str(title), [(label(key, vocabulary), count) for key, count in impact[name].items()])
            for title, name, vocabulary in ((_l("By theme"), "by_theme", THEMES),
                                            (_l("By participant type"), "by_participant_type", PARTICIPANT_TYPES),
                                            (_l("By sector"), "by_sector", STAKEHOLDER_GROUPS),
                                            (_l("By stage"), "by_stage", STAGES))]
