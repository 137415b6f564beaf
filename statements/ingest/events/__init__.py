"""Events: what happened or is planned, with its kind, status and date, from one sentence each.

A sentence proposes an event when it holds a trigger word of a kind the dataset uses (a call, a
summit, a strike, an annexation …). The status comes from the sentence's own words: cancelled
("called off"), planned (future: "will", "is due to", "expected to", "upcoming"), proposed
("proposed", "a proposal"), else occurred. The date is a date phrase in the same clause as the
trigger (with several, the one in its own scope: not a dateline's); with none, the event has no
date rather than the report's.

An event's status says what happened, is planned, was proposed or was cancelled; there is none
for what did not happen. So a trigger denied in its own scope ("no basis for a summit", "did not
meet", "ruled out talks", "rejected talks", "no agreement was reached") or held in a condition
("if a ceasefire is agreed") proposes nothing, though a past fact the condition states in
passing occurred ("if the exchange of prisoners agreed in October holds"); a hedged one
("could meet", "hopes for talks") is never one that occurred; readiness ("ready to meet if …")
is an offer, proposed. Talks that failed still took place. The scope is the trigger's part of
its clause, so "Putin met Witkoff, but no agreement was reached" is a meeting that occurred.

- `triggers.py` holds the trigger words of each kind;
- `scope.py` reads the trigger's scope: negation, conditions, hedges and readiness;
- `status.py` gives the status from the words near the trigger, and what makes a time one to
  come;
- `dating.py` tells the dates near an event that are not plainly its own (the saying's, a past
  fact a condition states in passing);
- `propose.py` puts them together, one event per kind a sentence reports.
"""

from statements.ingest.events.propose import find_events

__all__ = ["find_events"]
