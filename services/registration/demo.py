"""Illustrative demo data for registration (KX_DEMO=1). No real person's name or address.

A programme shaped like the 2025 Wales Mental Health Leadership Exchange: three themes (T1 with
three sub-themes), nineteen exchanges at sites in towns across Wales, a 1-hour online orientation
per theme before and a reflection session after each exchange, a few exchanges on the same day, 6
to 20 places each. The dates come from `shared.demo_timeline`, around today: exchanges 1 to 6 were
held in the last weeks (their participants applied while booking was open and attended), 7 to 19
are still to come and open for booking. Host organisations are invented ("Example ... Health
Board"). Exchange ids are 1 to 19 in the order below, which the other services' demo data relies
on. Staff accounts as the contract lists them, with the password from `KX_DEMO_PASSWORD`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.bilingual import town_in
from shared.config import Settings
from shared.db import utcnow
from shared.demo_timeline import LONDON, PAST, timeline

from .models import Exchange, Theme
from .operations import (
    Applicant,
    apply,
    create_exchange,
    create_staff,
    create_theme,
    record_attendance,
)
from .operations.attendance import STAGES, stage_starts

LABEL = " (illustrative)"

THEMES = [
    ("T1", "Transforming the community mental health system", [
        ("T1.1", "Open access care"),
        ("T1.2", "Person-centred, recovery-oriented, trauma-informed practice"),
        ("T1.3", "Place-based, connected community health services"),
    ]),
    ("T2", "Redefining the mental health workforce", []),
    ("T3", "The systematic implementation of PROMs/PREMs in mental health services", []),
]

#: (theme, sub-theme, title, host, site, town, start hour, hours, capacity); the days are demo_timeline's
EXCHANGES = [
    ("T1", "T1.1", "A walk-in crisis café run with the Third Sector", "Example Valleys Health Board",
     "Example Community Hub", "Merthyr Tydfil", 10, 4, 12),
    ("T1", "T1.1", "Open access to community mental health teams", "Example Coast Health Board",
     "Example Resource Centre", "Aberystwyth", 9, 6, 10),
    ("T1", "T1.1", "Same-day conversations at a single front door", "Example Borders Health Board",
     "Example Wellbeing Centre", "Wrexham", 13, 3, 8),
    ("T1", "T1.2", "Trauma-informed reception and first contact", "Example Valleys Health Board",
     "Example Day Service", "Pontypridd", 10, 2, 15),
    ("T1", "T1.2", "Recovery college: learning alongside people who use services", "Example Bay Health Board",
     "Example Recovery College", "Swansea", 10, 5, 20),
    ("T1", "T1.2", "Co-produced care plans in the person's own words", "Example Western Health Board",
     "Example Mental Health Unit", "Carmarthen", 9, 8, 6),
    ("T1", "T1.3", "A neighbourhood mental health partnership", "Example Capital Health Board",
     "Example Health and Wellbeing Centre", "Cardiff", 13, 3, 14),
    ("T1", "T1.3", "Community connectors in rural Powys", "Example Rural Health Board",
     "Example Town Hall", "Newtown", 10, 4, 9),
    ("T1", "T1.3", "Joining up primary care and community mental health", "Example Northern Health Board",
     "Example Health Centre", "Bangor", 9, 6, 12),
    ("T2", None, "Peer support workers in every community team", "Example Northern Health Board",
     "Example Peer Support Hub", "Rhyl", 10, 3, 10),
    ("T2", None, "New clinical roles in psychological therapies", "Example Bay Health Board",
     "Example Psychology Service", "Neath", 9, 7, 8),
    ("T2", None, "Widening participation: routes into mental health nursing", "Example University",
     "Example Campus", "Wrexham", 10, 5, 20),
    ("T2", None, "Keeping staff well: reflective practice that lasts", "Example Coast Health Board",
     "Example Education Centre", "Aberaeron", 14, 2, 12),
    ("T2", None, "Third Sector and NHS teams working as one workforce", "Example Voluntary Council",
     "Example Community Centre", "Newport", 10, 4, 16),
    ("T2", None, "Lived experience leadership in service design", "Example Capital Health Board",
     "Example Civic Centre", "Cardiff", 10, 6, 10),
    ("T2", None, "Supporting new graduates in their first year", "Example Western Health Board",
     "Example Training Suite", "Haverfordwest", 13, 3, 7),
    ("T3", None, "PROMs and PREMs in tertiary services", "Example Specialist Services Trust",
     "Example Tertiary Unit", "Cardiff", 10, 5, 12),
    ("T3", None, "Outcome measures with young people's services", "Example Northern Health Board",
     "Example Young People's Service", "Llandudno", 10, 4, 10),
    ("T3", None, "Using ReQoL to hear what matters to people", "Example Bay Health Board",
     "Example Community Team Base", "Bridgend", 9, 6, 15),
]

#: the Welsh of every text above (CONTRACT.md: the demo programme has Welsh for all of it), kept
#: beside the English tables rather than in them
LABEL_CY = " (enghreifftiol)"
THEMES_CY = {
    "T1": "Trawsnewid y system iechyd meddwl cymunedol",
    "T1.1": "Gofal mynediad agored",
    "T1.2": "Ymarfer sy'n canolbwyntio ar yr unigolyn a'i adferiad ac sy'n ystyriol o drawma",
    "T1.3": "Gwasanaethau iechyd cymunedol cysylltiedig sy'n seiliedig ar le",
    "T2": "Ailddiffinio'r gweithlu iechyd meddwl",
    "T3": "Gweithredu PROMs/PREMs yn systematig mewn gwasanaethau iechyd meddwl",
}
#: an exchange's English title -> its (title, site) in Welsh; towns are put in Welsh where shown
#: (shared/bilingual.py WELSH_TOWNS)
EXCHANGES_CY = {
    "A walk-in crisis café run with the Third Sector": (
        "Caffi argyfwng galw heibio a gynhelir gyda'r Trydydd Sector", "Hyb Cymunedol Enghreifftiol"),
    "Open access to community mental health teams": (
        "Mynediad agored at dimau iechyd meddwl cymunedol", "Canolfan Adnoddau Enghreifftiol"),
    "Same-day conversations at a single front door": (
        "Sgyrsiau ar yr un diwrnod drwy un drws ffrynt", "Canolfan Lesiant Enghreifftiol"),
    "Trauma-informed reception and first contact": (
        "Derbynfa a chyswllt cyntaf sy'n ystyriol o drawma", "Gwasanaeth Dydd Enghreifftiol"),
    "Recovery college: learning alongside people who use services": (
        "Coleg adfer: dysgu ochr yn ochr â phobl sy'n defnyddio gwasanaethau", "Coleg Adfer Enghreifftiol"),
    "Co-produced care plans in the person's own words": (
        "Cynlluniau gofal wedi'u cydgynhyrchu yng ngeiriau'r unigolyn ei hun", "Uned Iechyd Meddwl Enghreifftiol"),
    "A neighbourhood mental health partnership": (
        "Partneriaeth iechyd meddwl yn y gymdogaeth", "Canolfan Iechyd a Lles Enghreifftiol"),
    "Community connectors in rural Powys": (
        "Cysylltwyr cymunedol yng nghefn gwlad Powys", "Neuadd y Dref Enghreifftiol"),
    "Joining up primary care and community mental health": (
        "Cydgysylltu gofal sylfaenol ac iechyd meddwl cymunedol", "Canolfan Iechyd Enghreifftiol"),
    "Peer support workers in every community team": (
        "Gweithwyr cymorth cymheiriaid ym mhob tîm cymunedol", "Hyb Cymorth Cymheiriaid Enghreifftiol"),
    "New clinical roles in psychological therapies": (
        "Rolau clinigol newydd mewn therapïau seicolegol", "Gwasanaeth Seicoleg Enghreifftiol"),
    "Widening participation: routes into mental health nursing": (
        "Ehangu mynediad: llwybrau i mewn i nyrsio iechyd meddwl", "Campws Enghreifftiol"),
    "Keeping staff well: reflective practice that lasts": (
        "Cadw staff yn iach: ymarfer myfyriol sy'n para", "Canolfan Addysg Enghreifftiol"),
    "Third Sector and NHS teams working as one workforce": (
        "Timau'r Trydydd Sector a'r GIG yn gweithio fel un gweithlu", "Canolfan Gymunedol Enghreifftiol"),
    "Lived experience leadership in service design": (
        "Arweinyddiaeth profiad bywyd wrth gynllunio gwasanaethau", "Canolfan Ddinesig Enghreifftiol"),
    "Supporting new graduates in their first year": (
        "Cefnogi graddedigion newydd yn eu blwyddyn gyntaf", "Ystafell Hyfforddi Enghreifftiol"),
    "PROMs and PREMs in tertiary services": (
        "PROMs a PREMs mewn gwasanaethau trydyddol", "Uned Drydyddol Enghreifftiol"),
    "Outcome measures with young people's services": (
        "Mesurau canlyniadau gyda gwasanaethau pobl ifanc", "Gwasanaeth Pobl Ifanc Enghreifftiol"),
    "Using ReQoL to hear what matters to people": (
        "Defnyddio ReQoL i glywed beth sy'n bwysig i bobl", "Canolfan Tîm Cymunedol Enghreifftiol"),
}
LEARNING_OUTCOMES_CY = ["Deall sut y cynlluniwyd y gwasanaeth a phwy fu'n rhan o hynny",
                        "Mynd ag un syniad i'w roi ar waith yn eich gwasanaeth eich hun",
                        "Cyfrannu at grynodeb y cyfnewid ar gyfer y gynhadledd genedlaethol"]


def welsh_texts(title: str, host: str, town: str, hours: int) -> dict:
    """The Welsh of one demo exchange, as `create_exchange` takes it (the site goes in `location`)."""
    title_cy, site_cy = EXCHANGES_CY[title]
    return {
        "title_cy": title_cy + LABEL_CY,
        "description_cy": (f"Cyfnewid enghreifftiol a gynhelir gan {host}. Lleoliad: {site_cy}, {town_in(town, 'cy')}. "
                           "Mae ymwelwyr yn treulio amser gyda'r tîm, yn gweld y gwaith yn uniongyrchol ac yn siarad "
                           "â staff a phobl sy'n defnyddio'r gwasanaeth."),
        "learning_outcomes_cy": LEARNING_OUTCOMES_CY,
        "time_commitment_cy": f"{hours} awr ar y diwrnod, ynghyd â dwy sesiwn ar-lein 1 awr",
    }


#: the contract's demo accounts: (email, name, roles); the host's scopes come from the exchanges
STAFF = [
    ("admin@example.org", "Programme team (illustrative)", {"admin": []}),
    ("host@example.org", "Demo host (illustrative)", {}),
    ("lead@example.org", "Demo theme lead (illustrative)", {"theme_lead": ["T1", "T2", "T3"]}),
    ("finance@example.org", "Demo finance officer (illustrative)", {"finance": []}),
    ("finance2@example.org", "Demo finance checker (illustrative)", {"finance": []}),
]


#: illustrative participants of each past exchange: (name, participant type, stages they missed)
PARTICIPANTS = [
    ("Carys Example", "occupation", ()),
    ("Jordan Example", "experience", ()),
    ("Priya Example", "both", ("reflection",)),
]


def load_demo(session: Session, settings: Settings) -> None:
    if session.scalar(select(Theme.code).limit(1)) is not None:
        return  # not an empty database: leave it alone
    now = utcnow()
    calendar = timeline(now.astimezone(LONDON).date())
    for code, title, subthemes in THEMES:
        create_theme(session, code, title, [{"code": c, "title": t, "title_cy": THEMES_CY[c]} for c, t in subthemes],
                     title_cy=THEMES_CY[code])
    for exchange_id, (theme, subtheme, title, host, site, town, hour, hours, capacity) in enumerate(EXCHANGES, 1):
        starts = calendar.starts_at(exchange_id, hour)
        create_exchange(session, {
            "title": title + LABEL, "theme": theme, "subtheme": subtheme,
            "host": {"name": host + LABEL, "accounts": ["host@example.org"]},
            "location": {"site": site, "site_cy": EXCHANGES_CY[title][1], "town": town},
            "starts_at": starts, "ends_at": starts + timedelta(hours=hours), "capacity": capacity,
            "booking_closes_at": calendar.booking_closes_at(exchange_id),
            "description": (f"An illustrative exchange hosted by {host}: visitors spend time with the team at "
                            f"{site}, {town}, see the work first hand and talk with staff and people who use the "
                            "service."),
            "learning_outcomes": ["Understand how the service was designed and who was involved",
                                  "Take away one idea to try in your own service",
                                  "Contribute to the exchange's summary for the national conference"],
            "time_commitment": f"{hours} hours on the day, plus two 1-hour online sessions",
            # on Teams (an example.org link here)
            "orientation": {"starts_at": calendar.orientation_at(exchange_id, theme),
                            "url": f"https://example.org/teams/orientation-{theme}"},
            "reflection": {"starts_at": calendar.reflection_at(exchange_id),
                           "url": f"https://example.org/teams/reflection-{theme}"},
            **welsh_texts(title, host, town, hours),
        }, now=now)
    for email, name, roles in STAFF:
        create_staff(session, email, name, settings.demo_password, roles, now=now)
    _past_participants(session, calendar, now)


def _past_participants(session: Session, calendar, now) -> None:
    """The past exchanges' participants: they applied while booking was open, and the host
    recorded who came to each stage after it had happened."""
    for exchange_id in PAST:
        exchange = session.get(Exchange, exchange_id)
        applied_at = calendar.booking_closes_at(exchange_id) - timedelta(days=10)
        for number, (name, participant_type, missed) in enumerate(PARTICIPANTS, 1):
            email = f"participant{number}.exchange{exchange_id}@example.org"
            apply(session, Applicant(name=name + LABEL, email=email, participant_type=participant_type,
                                     language="cy" if number == 2 else "en",
                                     organisation="" if participant_type == "experience" else "Example Health Board",
                                     role="" if participant_type == "experience" else "Team lead",
                                     stakeholder_group="lived_experience" if participant_type != "occupation"
                                     else "health"),
                  [exchange_id], line_manager_permission="no_line_manager" if participant_type == "experience"
                  else "yes", will_attend_sessions=True, privacy_notice_accepted=True, now=applied_at)
            for stage in STAGES:
                record_attendance(session, exchange_id, email, stage, stage not in missed,
                                  now=min(stage_starts(exchange, stage) + timedelta(hours=8), now))
