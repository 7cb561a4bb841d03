"""How the tool marks and names what it owns, for every workflow alike."""

from __future__ import annotations

# Every resource carries this tag with the prefix as value; update, destroy and the
# deletion of orphans touch only resources that carry it.
TAG_KEY = "NamePrefix"

LOG_RETENTION_DAYS = 60
EVENTS_ROLE_SUFFIX = "EventsRole"
# Each rule has exactly one target, the machine its rule file names.
RULE_TARGET_ID = "workflow"
