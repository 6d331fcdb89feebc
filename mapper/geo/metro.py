"""Urban areas from GeoNames points: the population of the metro each place belongs to.

A municipality's own population says little about how big a place it is to live
in: Somerville, MA has 80,000 people but lies in the Boston metro of millions.
This module derives, once at gazetteer build time and from the data alone (no
hand list), the population of the urban area every place belongs to:

1. **Sections are counted once.**  GeoNames lists parts of big cities (New York's
   boroughs, Tokyo's wards, London's boroughs) beside the city itself.  A place
   whose point lies inside the *own footprint* of a bigger place (a disc holding
   that place's population at ``settings.metro_section_density`` people/km²) is a
   section of it: it gets the bigger place's metro, but adds nothing to any sum.
2. **Each town is the core of a catchment** whose radius grows with its population:
   ``R = settings.metro_radius_km_at_1m × (population / 1,000,000) ^
   settings.metro_radius_exponent`` km, capped at ``settings.metro_radius_max_km``
   (30 km for a city of 1 M, 9.5 km for 100,000, 3 km for 10,000: a disc of
   constant density).  Only
   places of at least ``settings.metro_core_min_population`` are cores.  A core's
   metro population is the summed population of the places (sections excluded)
   within its radius — the spirit of the Degree of Urbanisation's urban centres,
   computed on points instead of a 1 km² grid.
3. **A place belongs to the largest metro whose catchment holds it**, or to itself
   when none does (a hamlet far from any town keeps its own population).

Neighbour queries run on a k-d tree over unit-sphere xyz coordinates (chord
distances), so the whole world takes about a second.  Published metro
populations use administrative boundaries (US MSAs are whole counties) and
differ from one another; ``benchmarks/metro_eval.py`` measures the agreement.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .. import settings
from .distance import chord, unit_xyz


@dataclass
class UrbanAreas:
    """Per input place (same order): its metro population and the index of the core
    place the metro is named after (the place itself when it is no one's satellite)."""

    population: np.ndarray  # int64, people
    core: np.ndarray  # int64, index into the input arrays
    section_of: np.ndarray  # int64, index of the bigger place it is a section of, or -1


def catchment_km(population: np.ndarray | float) -> np.ndarray:
    """Radius in km of the catchment of a core of ``population`` people (step 2)."""
    p = np.asarray(population, dtype=float) / 1_000_000
    r = settings.metro_radius_km_at_1m * p**settings.metro_radius_exponent
    return np.minimum(r, settings.metro_radius_max_km)


def _pairs(tree, xyz: np.ndarray, centres: np.ndarray, radii_km: np.ndarray):
    """``(owner, member)``: for each centre (its position in ``centres``) every point
    within its radius, the centre itself included."""
    found = tree.query_ball_point(xyz[centres], chord(radii_km), return_sorted=False)
    lens = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    members = np.fromiter(
        itertools.chain.from_iterable(found), dtype=np.int64, count=int(lens.sum())
    )
    owner = np.repeat(np.arange(len(centres)), lens)
    return owner, members


def urban_areas(lat: np.ndarray, lon: np.ndarray, population: np.ndarray) -> UrbanAreas:
    """The metro population of every place given by its point (degrees) and its own
    population (people); see the module docstring for the rule."""
    from scipy.spatial import cKDTree

    pop = np.asarray(population, dtype=np.int64)
    n = len(pop)
    xyz = unit_xyz(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    tree = cKDTree(xyz)

    # 1. sections: inside the own footprint of a bigger place
    section_of = np.full(n, -1, dtype=np.int64)
    big = np.nonzero(pop >= settings.metro_section_min_population)[0]
    if len(big):
        own_km = np.sqrt(pop[big] / (np.pi * settings.metro_section_density))
        owner, member = _pairs(tree, xyz, big, own_km)
        keep = pop[member] < pop[big[owner]]
        owner, member = owner[keep], member[keep]
        # the biggest container wins: sort by container population, last write wins
        order = np.argsort(pop[big[owner]], kind="stable")
        section_of[member[order]] = big[owner[order]]
    counted = np.where(section_of >= 0, 0, pop)

    # 2. each core's catchment population
    metro = pop.copy()
    core = np.arange(n, dtype=np.int64)
    cores = np.nonzero(pop >= settings.metro_core_min_population)[0]
    if len(cores):
        owner, member = _pairs(tree, xyz, cores, catchment_km(pop[cores]))
        core_pop = np.zeros(len(cores), dtype=np.int64)
        np.add.at(core_pop, owner, counted[member])
        core_pop = np.maximum(core_pop, pop[cores])
        # 3. each place: the largest catchment that holds it
        order = np.lexsort((core_pop[owner], member))  # by member, then catchment size
        last = np.r_[member[order][1:] != member[order][:-1], True]
        m, k = member[order][last], owner[order][last]
        better = core_pop[k] > metro[m]
        metro[m[better]] = core_pop[k][better]
        core[m[better]] = cores[k][better]
    # a section lives in the metro of the place it is part of
    sec = np.nonzero(section_of >= 0)[0]
    up = section_of[sec]
    better = metro[up] > metro[sec]
    metro[sec[better]] = metro[up][better]
    core[sec[better]] = core[up][better]
    return UrbanAreas(metro, core, section_of)
