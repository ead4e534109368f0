"""Demo data for `seed-demo`: two sites, three users, a few hundred believable interactions."""
from __future__ import annotations

import random
from datetime import timedelta

from .extensions import db
from .interactions.fields import BY_NAME, FIELDS
from .interactions.models import Interaction
from .sites.models import Site
from .sites.provisioning import ensure_site, ensure_user
from .timeutil import utcnow
from .unit_of_work import transaction

DEMO_PASSWORD = "demo-password"

TOPICS = ["quarterly budget", "supplier onboarding", "safety inspection", "volunteer training", "grant renewal",
          "fleet maintenance", "community outreach", "IT migration", "warehouse layout", "customer feedback",
          "hiring plan", "annual audit", "energy savings", "partner workshop", "product roadmap",
          "data protection", "event logistics", "field survey", "contract renewal", "onboarding review"]
PREFIXES = {"Meeting": "Meeting on", "Call": "Call about", "Email": "Email thread on", "Visit": "Site visit for",
            "Conference": "Conference session on", "Training": "Training:", "Webinar": "Webinar:",
            "Other": "Follow-up on"}
LEADS = ["Amelia Hart", "Jonas Becker", "Priya Raman", "Mateo García", "Chloé Dubois", "Kenji Watanabe",
         "Fatima Zahra", "Oliver Grant", "Sofia Rossi", "Liam O'Connor", "Ngozi Okafor", "Anna Kowalska"]
LOCATIONS = ["Board room", "Room 2.14", "Warehouse B", "Client office, Lyon", "Online (Teams)", "Online (Zoom)",
             "Harbour depot", "Town hall", "Training centre", "Cafeteria", "North plant", ""]
SENTENCES = ["Agreed next steps and owners for each action.", "Budget figures need a second review.",
             "The supplier asked for a revised timeline.", "Everyone attended except the finance lead.",
             "We discussed risks around the winter schedule.", "Minutes were shared with the wider team.",
             "Two open questions remain about licensing.", "Follow-up meeting planned for next month.",
             "The pilot results were better than expected.", "Feedback from the field team was mostly positive.",
             "Action: update the shared tracker by Friday.", "Concerns raised about the delivery window."]
NOTES = ["Bring the signed agreement next time.", "Send slides to all participants.",
         "Check parking permits for the visitors.", "Invoice reference INV-2231 pending.",
         "Escalate if no answer within a week.", "Photos stored in the team drive.",
         "Interpreter needed for the next session.", "Catering ordered for twelve people."]
ZONES = ["Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
         "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "Africa/Lagos", "UTC"]


def _interaction(rng: random.Random, site: Site, user_id: int, now) -> Interaction:
    kind = rng.choice(BY_NAME["type"].choices)
    start = (now - timedelta(days=rng.randint(-30, 540), minutes=rng.randint(0, 600))).replace(
        second=0, microsecond=0, minute=rng.choice([0, 15, 30, 45]))
    values = {
        "title": f"{PREFIXES.get(kind, kind + ':')} {rng.choice(TOPICS)}", "type": kind, "lead": rng.choice(LEADS),
        "start_datetime": start, "end_datetime": start + timedelta(minutes=rng.choice([15, 30, 45, 60, 90, 120, 240])),
        "timezone": rng.choice(ZONES), "location": rng.choice(LOCATIONS),
        "description": " ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
        "notes": " ".join(rng.sample(NOTES, rng.randint(0, 2))),
    }
    for field in FIELDS:  # a field without a vocabulary here: one of its choices, or its example
        if field.name not in values:
            values[field.name] = rng.choice(field.choices) if field.choices else field.example
    return Interaction(site_id=site.id, **values, created_at=now,
                       updated_at=now, created_by=user_id, updated_by=user_id)


@transaction
def seed(count: int = 200) -> int:
    """Create the demo set once; returns how many interactions were created (0 if already seeded)."""
    hq = ensure_site("Headquarters")
    field = ensure_site("Field Office")
    admin = ensure_user("admin", email="admin@example.com", password=DEMO_PASSWORD,
                        display_name="Ada Admin", site=hq, role="admin")
    ensure_user("admin", email="admin@example.com", password=None, site=field, role="admin")
    editor = ensure_user("editor", email="editor@example.com", password=DEMO_PASSWORD,
                         display_name="Eddie Editor", site=hq, role="editor")
    viewer = ensure_user("viewer", email="viewer@example.com", password=DEMO_PASSWORD,
                         display_name="Vera Viewer", site=field, role="viewer")
    db.session.flush()
    existing = db.session.execute(db.select(db.func.count(Interaction.id))).scalar_one()
    if existing:
        return 0
    rng = random.Random(20261124)
    now = utcnow()
    authors = {hq.id: [admin.id, editor.id], field.id: [admin.id, viewer.id]}
    for index in range(count):
        site = hq if index % 3 else field
        db.session.add(_interaction(rng, site, rng.choice(authors[site.id]), now))
    return count
