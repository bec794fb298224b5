"""The report's status, judgement and signal colours stay apart for readers with colour-vision
deficiencies, and white text on them is readable.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes (2009),
"A Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
severity 1.0 (full dichromacy), applied in linear RGB as the paper prescribes. Two colours count
as distinguishable when their CIELAB distance (ΔE*ab, D65) is at least 15 – well above the
just-noticeable ~2,3, so the difference is obvious on a small badge, not merely measurable.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers.compute.oversikt import SIGNALER
from helpers.compute.targets import BEDOMDA, EJ_BEDOMT
from helpers.data.inputs import STATUSAR
from helpers.present.farger import PALETTER, SIGNAL_SYMBOL, STATUS_FARGER, UTFALL_FARGER

MACHADO = {
    "protanopi": np.array([[0.152286, 1.052583, -0.204868],
                           [0.114503, 0.786281, 0.099216],
                           [-0.003882, -0.048116, 1.051998]]),
    "deuteranopi": np.array([[0.367322, 0.860646, -0.227968],
                             [0.280085, 0.672501, 0.047413],
                             [-0.011820, 0.042940, 0.968881]]),
    "tritanopi": np.array([[1.255528, -0.076749, -0.178779],
                           [-0.078411, 0.930809, 0.147602],
                           [0.004733, 0.691367, 0.303900]]),
}
MIN_DELTA_E = 15.0


def srgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375],
                    [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ lin_rgb
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour: str, deficiency: str | None) -> np.ndarray:
    lin = linear(srgb(hex_colour))
    if deficiency:
        lin = np.clip(MACHADO[deficiency] @ lin, 0, 1)
    return lab(lin)


def contrast_with_white(hex_colour: str) -> float:
    lin = linear(srgb(hex_colour))
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05)


# --- the checker itself can fail ---------------------------------------------------------------------


def test_simulation_maps_red_and_green_together_for_deuteranopia():
    """The classic confusion: pure-ish red and green are far apart normally, close for deuteranopes."""
    red, green = "#d62728", "#2ca02c"
    normal = np.linalg.norm(seen(red, None) - seen(green, None))
    deutan = np.linalg.norm(seen(red, "deuteranopi") - seen(green, "deuteranopi"))
    assert normal > 60 and deutan < MIN_DELTA_E


def test_the_old_judgement_colours_fail_the_check():
    # delvis (#8a4500) and ej uppfyllt (#a4241b), the colours before this check, merge for deuteranopes.
    d = np.linalg.norm(seen("#8a4500", "deuteranopi") - seen("#a4241b", "deuteranopi"))
    assert d < MIN_DELTA_E


# --- the palettes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PALETTER))
@pytest.mark.parametrize("deficiency", [None, *MACHADO])
def test_every_pair_of_colours_in_a_palette_stays_distinguishable(name, deficiency):
    palette = PALETTER[name]
    too_close = []
    for (a, ca), (b, cb) in itertools.combinations(palette.items(), 2):
        d = float(np.linalg.norm(seen(ca, deficiency) - seen(cb, deficiency)))
        if d < MIN_DELTA_E:
            too_close.append(f"{a} {ca} / {b} {cb}: ΔE {d:.1f}")
    assert not too_close, f"{name}, {deficiency or 'normalt färgseende'}: " + "; ".join(too_close)


@pytest.mark.parametrize("name", sorted(PALETTER))
def test_white_badge_text_has_enough_contrast_on_every_colour(name):
    low = {k: round(contrast_with_white(c), 2) for k, c in PALETTER[name].items() if contrast_with_white(c) < 4.5}
    assert not low, low


def test_every_status_judgement_and_signal_has_a_colour_and_signals_a_symbol():
    assert set(STATUSAR) | {"status saknas"} == set(STATUS_FARGER)
    assert set(UTFALL_FARGER) == {*BEDOMDA, EJ_BEDOMT}  # every target outcome; inget mål and ej aktuellt are outlined
    assert set(PALETTER["signal"]) == set(SIGNALER) == set(SIGNAL_SYMBOL)
    assert len(set(SIGNAL_SYMBOL.values())) == len(SIGNAL_SYMBOL)
