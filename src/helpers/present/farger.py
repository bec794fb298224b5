"""The report's colours for status, judgements and signals: one place, used by badges and charts.

Chosen so that every pair within a palette stays distinguishable for readers with protanopia,
deuteranopia or tritanopia (checked in tests/test_farger.py with the Machado et al. 2009
simulation) and so that white text on each colour has at least 4,5:1 contrast. Colour is never
the only carrier: every badge and chart segment also says its meaning in words, and the signal
badges carry a symbol too.
"""

from __future__ import annotations

from helpers.compute.oversikt import AVVIKELSE, EJ_AKTUELL, ENLIGT_PLAN, RISK
from helpers.compute.targets import EJ_BEDOMT, EJ_UPPFYLLT, FOR_SENT, SAKNAS, UPPFYLLT

# Judgements of a target. 'inget mål' and 'ej aktuellt' are drawn as outlined
# (white) badges: they are not outcomes and need no colour of their own.
UTFALL_FARGER = {UPPFYLLT: "#2e7e99", FOR_SENT: "#cc4900", EJ_UPPFYLLT: "#8c3c2a", EJ_BEDOMT: "#595959", SAKNAS: "#5b2c83"}
STATUS_FARGER = {"ej påbörjad": "#595959", "pågående": "#0052cc", "genomförd": "#008047", "avslutad": "#7f4599",
                 "status saknas": "#a4241b"}
SIGNAL_FARGER = {ENLIGT_PLAN: "#2e7e99", RISK: "#ad5000", AVVIKELSE: "#7a0028", EJ_AKTUELL: "#595959"}
# A second, non-colour carrier for the signal: a symbol before the word.
SIGNAL_SYMBOL = {ENLIGT_PLAN: "✓", RISK: "!", AVVIKELSE: "✕", EJ_AKTUELL: "–"}
PALETTER = {"utfall": UTFALL_FARGER, "status": STATUS_FARGER, "signal": SIGNAL_FARGER}
