"""Illustrative demo data for learning (KX_DEMO=1). No real person's name or address.

The demo catalogue belongs to registration and reaches learning as events after start-up, so
this loader cannot wait for it. It writes what learning owns, keyed by exchange id: theme aims,
summaries of exchanges 1 to 6, the ones `shared.demo_timeline` places in the last weeks (four
approved, one waiting, one draft), theme T1's published synthesis, and the programme's figures.
Pages and packs tolerate a summary whose exchange has not arrived yet (it is simply not shown), and
once the catalogue arrives the packs' inputs change, so the next download queues a fresh build.
The texts are written to fit any exchange of the illustrative programme.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.config import Settings
from shared.db import utcnow
from shared.demo_timeline import PAST

from .models import (
    ProgrammeSetting,
    Summary,
    SummaryHistory,
    SummaryVersion,
    Theme,
    ThemeSynthesis,
    ThemeSynthesisVersion,
)

THEMES = {
    "T1": ("Transforming the community mental health system",
           "To agree, from what the exchanges showed, three changes each community team could make this year "
           "towards open access, person-centred and place-based care."),
    "T2": ("Redefining the mental health workforce",
           "To share how teams are widening who does what, from peer workers to new clinical roles, and what "
           "it takes to keep them."),
    "T3": ("The systematic implementation of PROMs/PREMs in mental health services",
           "To learn how services collect and use outcome and experience measures, and what makes the data "
           "useful to the people who give it."),
}

#: the themes' titles and aims in Welsh (CONTRACT.md: the demo programme has Welsh for all of it)
THEMES_CY = {
    "T1": ("Trawsnewid y system iechyd meddwl cymunedol",
           "Cytuno, o'r hyn a ddangosodd y cyfnewidiadau, ar dri newid y gallai pob tîm cymunedol eu gwneud eleni "
           "tuag at ofal mynediad agored sy'n canolbwyntio ar yr unigolyn ac sy'n seiliedig ar le."),
    "T2": ("Ailddiffinio'r gweithlu iechyd meddwl",
           "Rhannu sut mae timau'n ehangu pwy sy'n gwneud beth, o weithwyr cymheiriaid i rolau clinigol newydd, a "
           "beth sydd ei angen i'w cadw."),
    "T3": ("Gweithredu PROMs/PREMs yn systematig mewn gwasanaethau iechyd meddwl",
           "Dysgu sut mae gwasanaethau'n casglu ac yn defnyddio mesurau canlyniadau a phrofiad, a beth sy'n gwneud y "
           "data'n ddefnyddiol i'r bobl sy'n ei roi."),
}

SUMMARIES = [
    # (exchange id, status, key insights, innovations, challenges, ideas)
    (1, "approved", ["A single front door with same-day conversations reduced waiting without adding staff.",
                     "Peer workers at the front door changed the first conversation for people in distress."],
     "Walk-in sessions twice a week, run jointly with a Third Sector partner (illustrative).",
     "Keeping records joined up across two organisations' systems.",
     "Start with one walk-in session a week and measure who comes."),
    (2, "approved", ["Trauma-informed training for reception staff changed the first conversation.",
                     "People valued being asked what matters to them before being asked what is wrong."],
     "A shared care plan written with the person, in their words.",
     "Finding time for reflective practice in busy weeks.",
     "Protect thirty minutes a week for team reflection."),
    (3, "approved", ["Community partners at the front door made the first conversation easier to find.",
                     "Measures only helped when the team looked at them together every month."],
     "A monthly huddle to look at outcome measures with the people who gave them.",
     "Collecting measures without adding to clinicians' workload.",
     "Share one chart a month with the people who filled in the forms."),
    (4, "approved", ["Peer support roles need supervision from someone with lived experience.",
                     "Clear career steps kept new roles filled."],
     "A peer worker development programme with paid placements.",
     "Pay bands that do not fit new roles.",
     "Write the career step before advertising the role."),
    (5, "submitted", ["Young people wanted to choose how they give feedback."],
     "Text-message feedback after each appointment.", "Low response rates at first.", "Ask in more than one way."),
    (6, "draft", ["Draft: notes from the day, still being written up."], "", "", ""),
]

#: T1's lead's published synthesis, in English and Welsh (the pack uses it; T2 and T3 have none yet)
SYNTHESIS_T1 = {
    "key_messages": ["A single front door with same-day conversations cut waiting without adding staff.",
                     "Peer workers and community partners at the front door changed the first conversation."],
    "key_messages_cy": ["Lleihaodd un drws ffrynt gyda sgyrsiau ar yr un diwrnod yr aros heb ychwanegu staff.",
                        "Newidiodd gweithwyr cymheiriaid a phartneriaid cymunedol wrth y drws ffrynt y sgwrs gyntaf."],
    "workshop_questions": ["What would a same-day first conversation need in your area?",
                           "Who else could be at your front door?"],
    "workshop_questions_cy": ["Beth fyddai ei angen ar gyfer sgwrs gyntaf ar yr un diwrnod yn eich ardal chi?",
                              "Pwy arall allai fod wrth eich drws ffrynt?"],
    "actions": [{"action": "Try one walk-in session a week and count who comes.", "owner": "Each community team",
                 "by_when": "Within three months"},
                {"action": "Agree one shared referral form with Third Sector partners.", "owner": "",
                 "by_when": ""}],
    "actions_cy": ["Rhoi cynnig ar un sesiwn galw heibio yr wythnos a chyfrif pwy sy'n dod.",
                   "Cytuno ar un ffurflen atgyfeirio a rennir gyda phartneriaid y Trydydd Sector."],
}

#: the demo host and lead accounts are staff id 0 here: the loader acts for the programme team
DEMO_ACTOR = 0


def load_demo(session: Session, settings: Settings) -> None:
    if session.scalar(select(Summary.id).limit(1)) is not None or session.get(Theme, "T1") is not None:
        return  # not an empty database: leave it alone
    for code, (title, aim) in THEMES.items():
        title_cy, aim_cy = THEMES_CY[code]
        session.add(Theme(code=code, title=title, aim=aim, title_cy=title_cy, aim_cy=aim_cy,
                          notify_emails=["lead@example.org"]))
    session.add(ProgrammeSetting(id=1, impact_target=420, conference_attendees=150))
    synthesis = ThemeSynthesis(theme="T1", status="published", latest_version=1, published_version=1,
                               published_at=utcnow())
    session.add(synthesis)
    session.flush()
    session.add(ThemeSynthesisVersion(synthesis_id=synthesis.id, number=1, author_id=DEMO_ACTOR,
                                      author_name="Demo data", **SYNTHESIS_T1))
    for exchange_id, status, insights, innovations, challenges, ideas in SUMMARIES:
        assert exchange_id in PAST, "a demo summary is of an exchange already held"
        summary = Summary(exchange_id=exchange_id, status=status, latest_version=1,
                          approved_version=1 if status == "approved" else None, publish=status == "approved")
        session.add(summary)
        session.flush()
        session.add(SummaryVersion(summary_id=summary.id, number=1, key_insights=insights, innovations=innovations,
                                   challenges=challenges, transferable_ideas=ideas, outcomes_met=[],
                                   contributors=["The host team (illustrative)", "Participants of the exchange"],
                                   author_id=DEMO_ACTOR))
        session.add(SummaryHistory(summary_id=summary.id, action="saved", version=1, status=status,
                                   actor_id=DEMO_ACTOR, actor_name="Demo data"))
