"""Point-in-polygon assignment: the boundary rule, the borough's edge, and agreement with sjoin."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from localitymap.model.assign import OUTSIDE, WardIndex
from localitymap.model.geo import load_boundaries


@pytest.fixture(scope="module")
def croydon():
    return load_boundaries().frame


@pytest.fixture(scope="module")
def index(croydon):
    return WardIndex.from_frame(croydon)


def _sjoin_codes(frame, x, y):
    """Independent reference: geopandas sjoin(within) of the same coordinates."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=27700)
    joined = gpd.sjoin(pts, frame[["ward_code", "geometry"]].reset_index(drop=True),
                       predicate="within", how="left")  # fmt: skip
    joined = joined[~joined.index.duplicated()]
    return joined["ward_code"].fillna("").to_numpy()


def test_codes_are_sorted_and_all_wards_kept(index, croydon):
    assert index.codes == sorted(croydon["ward_code"])
    assert len(index.codes) == 28


def test_random_points_agree_with_sjoin(index, croydon):
    rng = np.random.default_rng(14)
    x0, y0, x1, y1 = croydon.total_bounds
    x = rng.uniform(x0 - 2000, x1 + 2000, 50_000)
    y = rng.uniform(y0 - 2000, y1 + 2000, 50_000)
    found = index.locate(x, y)
    mine = np.array([index.codes[i] if i >= 0 else "" for i in found], dtype=object)
    assert (mine == _sjoin_codes(croydon, x, y)).all()
    assert 0 < (found == OUTSIDE).sum() < len(x)  # both kinds of point were tested


def test_shared_vertex_counts_once_for_the_lower_code(index, croydon):
    # Every vertex that two wards share: exactly on both boundaries.
    geoms = dict(zip(croydon["ward_code"], croydon.geometry, strict=True))
    shared = []
    for a in sorted(geoms):
        ca = {tuple(c) for c in shapely.get_coordinates(geoms[a])}
        for b in sorted(geoms):
            if b <= a:
                continue
            for c in ca & {tuple(c) for c in shapely.get_coordinates(geoms[b])}:
                shared.append((c, a, b))
    assert len(shared) > 50
    x = np.array([s[0][0] for s in shared])
    y = np.array([s[0][1] for s in shared])
    found = index.locate(x, y)
    assert (found >= 0).all()  # none lost between two wards
    for (_, a, b), w in zip(shared, found, strict=True):
        owner = index.codes[w]
        # The lower code of the pair, unless a third ward's boundary with an even lower code
        # meets at the same vertex (a three-way corner).
        assert owner <= a < b
    counts, outside = index.count(x, y)
    assert counts.sum() == len(shared) and outside == 0


def test_point_on_a_shared_edge_midpoint_counts_once():
    frame = gpd.GeoDataFrame(
        {"ward_code": ["E2", "E1"]}, crs=27700,
        geometry=[shapely.box(100, 0, 200, 100), shapely.box(0, 0, 100, 100)],
    )  # fmt: skip
    index = WardIndex.from_frame(frame)
    counts, outside = index.count(np.array([100.0, 100.0, 50.0]), np.array([50.0, 0.0, 50.0]))
    assert index.codes == ["E1", "E2"]
    assert counts.tolist() == [3, 0] and outside == 0


def test_borough_edge(index, croydon):
    """Points on, just inside and just outside the borough's outer edge."""
    borough = shapely.union_all(croydon.geometry.to_numpy())
    outer = shapely.get_exterior_ring(max(shapely.get_parts(borough), key=shapely.area))
    coords = shapely.get_coordinates(outer)[:-1:7]
    centre = shapely.centroid(borough)
    on = index.locate(coords[:, 0], coords[:, 1])
    assert (on >= 0).all()  # exactly on the edge: the one ward it touches
    # 1 m towards and away from the borough's centre, where that lands clearly in or out.
    d = np.column_stack([centre.x - coords[:, 0], centre.y - coords[:, 1]])
    d /= np.linalg.norm(d, axis=1)[:, None]
    inward = coords + d
    outward = coords - d
    inside_ref = shapely.contains_xy(borough, inward[:, 0], inward[:, 1])
    outside_ref = ~shapely.intersects_xy(borough, outward[:, 0], outward[:, 1])
    got_in = index.locate(inward[:, 0], inward[:, 1])
    got_out = index.locate(outward[:, 0], outward[:, 1])
    assert inside_ref.sum() > 20 and outside_ref.sum() > 20
    assert (got_in[inside_ref] >= 0).all()
    assert (got_out[outside_ref] == OUTSIDE).all()
    # ...and the ward is the one sjoin finds for the inward points.
    mine = np.array([index.codes[i] for i in got_in[inside_ref]], dtype=object)
    assert (mine == _sjoin_codes(croydon, inward[inside_ref, 0], inward[inside_ref, 1])).all()


def test_many_small_wards_agree_with_sjoin():
    """A synthetic authority of 1,600 irregular wards (Voronoi cells), as the benchmark uses."""
    rng = np.random.default_rng(7)
    seeds = shapely.multipoints(rng.uniform(0, 40_000, (1600, 2)))
    cells = shapely.get_parts(
        shapely.voronoi_polygons(seeds, extend_to=shapely.box(0, 0, 4e4, 4e4))
    )
    cells = shapely.intersection(cells, shapely.box(0, 0, 40_000, 40_000))
    frame = gpd.GeoDataFrame({"ward_code": [f"W{i:05d}" for i in range(len(cells))]},
                             geometry=cells, crs=27700)  # fmt: skip
    index = WardIndex.from_frame(frame)
    x = rng.uniform(-1000, 41_000, 40_000)
    y = rng.uniform(-1000, 41_000, 40_000)
    found = index.locate(x, y)
    mine = np.array([index.codes[i] if i >= 0 else "" for i in found], dtype=object)
    assert (mine == _sjoin_codes(frame, x, y)).all()


def test_nan_and_infinite_coordinates_are_outside(index):
    x = np.array([np.nan, np.inf, 532000.0])
    y = np.array([165000.0, 165000.0, -np.inf])
    assert index.locate(x, y).tolist() == [OUTSIDE] * 3


def test_wards_without_geometry_receive_nothing(croydon):
    frame = croydon.copy()
    frame.loc[frame.index[0], "geometry"] = None
    index = WardIndex.from_frame(frame)
    assert len(index.codes) == 27


def test_boundary_rule_with_many_wards_uses_the_grid_path_and_agrees():
    """400 unit-square wards (over FEW_WARDS, so the grid path): every grid vertex lies on two to
    four wards and goes to the lowest code among them; every point is counted once."""
    from localitymap.model.assign import FEW_WARDS

    squares, codes = [], []
    for i in range(20):
        for j in range(20):
            squares.append(shapely.box(i * 100.0, j * 100.0, (i + 1) * 100.0, (j + 1) * 100.0))
            codes.append(f"W{i:02d}{j:02d}")
    frame = gpd.GeoDataFrame({"ward_code": codes}, geometry=squares, crs=27700)
    index = WardIndex.from_frame(frame)
    assert len(index.codes) > FEW_WARDS
    gx, gy = np.meshgrid(np.arange(21) * 100.0, np.arange(21) * 100.0, indexing="ij")
    x, y = gx.ravel(), gy.ravel()
    found = index.locate(x, y)
    assert (found >= 0).all()
    for px, py, w in zip(x, y, found, strict=True):
        # Squares touching the vertex: columns i-1..i, rows j-1..j, clipped to the grid.
        i, j = int(px // 100), int(py // 100)
        touching = [f"W{a:02d}{b:02d}" for a in (i - 1, i) for b in (j - 1, j)
                    if 0 <= a < 20 and 0 <= b < 20]  # fmt: skip
        assert index.codes[w] == min(touching)
    counts, outside = index.count(x, y)
    assert counts.sum() == len(x) and outside == 0


def test_exercise_wards_are_cached_and_read_back_identically(tmp_path, monkeypatch):
    from localitymap.exercise import Exercise
    from localitymap.model.assign import exercise_wards

    monkeypatch.setenv("LOCALITYMAP_CACHE", str(tmp_path))
    first = exercise_wards(Exercise.load(None))
    assert len(list(tmp_path.glob("wards-*.npz"))) == 1
    ex = Exercise.load(None)
    monkeypatch.setattr(Exercise, "boundaries", property(lambda self: 1 / 0))  # must not be read
    again = exercise_wards(ex)
    assert again.index.codes == first.index.codes and again.names == first.names
    assert again.path == first.path and again.path.name.endswith(".geojson")
    rng = np.random.default_rng(9)
    x0, y0, x1, y1 = (
        first.index.bounds[:, :2].min(0).tolist() + first.index.bounds[:, 2:].max(0).tolist()
    )
    x, y = rng.uniform(x0, x1, 20_000), rng.uniform(y0, y1, 20_000)
    assert (again.index.locate(x, y) == first.index.locate(x, y)).all()
    # A damaged cache file is read past: the boundaries are read again.
    next(tmp_path.glob("wards-*.npz")).write_bytes(b"junk")
    monkeypatch.undo()
    monkeypatch.setenv("LOCALITYMAP_CACHE", str(tmp_path))
    assert exercise_wards(Exercise.load(None)).index.codes == first.index.codes
