"""The store: schema, idempotent and atomic build, rebuild when files change, bad input leaves it untouched."""

import shutil

import duckdb
import pytest

from qpv.store import build as build_module
from qpv.store import freshness
from qpv.store import inputs as inputs_module
from qpv.store.build import build
from qpv.store.errors import DataError
from qpv.store.freshness import ensure_built, is_stale
from tests.conftest import FIXTURES, GEO_DIR

TABLES = {"meta", "sources", "territories", "territory_links", "indicators", "categories", "units", "directions",
          "statuses", "sections", "breakdowns", "observations", "statements", "geometries"}


def table_contents(path) -> dict[str, list]:
    """Read every table except meta (which holds the build time), sorted."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()]
        return {name: sorted(map(repr, con.execute(f"select * from {name}").fetchall()))  # noqa: S608
                for name in names if name != "meta"}


def test_schema_has_every_table(store):
    with duckdb.connect(str(store), read_only=True) as con:
        names = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    assert TABLES <= names


def test_store_refuses_zero_for_a_missing_value(store, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(store, copy)
    with duckdb.connect(str(copy)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("insert into observations values ('QN06204M', 'taux_emploi_15_64', '2024', '', '', 0, "
                    "'secret', 'cv_bruay_2024', 'ligne 1', null)")


def test_territories_and_links(store):
    with duckdb.connect(str(store), read_only=True) as con:
        kinds = dict(con.execute("select kind, count(*) from territories group by kind").fetchall())
        cabbalr = {row[0] for row in con.execute(
            "select child_code from territory_links join territories on code = child_code "
            "where parent_code = '200072460' and kind = 'qpv'").fetchall()}
        population = con.execute("select population from territories where code = '62178'").fetchone()[0]
    assert kinds["qpv"] == 1609
    assert kinds["commune"] >= 100
    assert len(cabbalr) == 16 and {"QN06208M", "QN06211M", "QN06212M", "QN06213M"} <= cabbalr
    assert population == 21997


def test_build_is_idempotent(data_dir, tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(data_dir, first)
    build(data_dir, second)
    assert table_contents(first) == table_contents(second)
    assert not is_stale(second, data_dir)


def test_store_is_stale_when_a_file_changes(data_dir, tmp_path):
    path = build(data_dir, tmp_path / "store.duckdb")
    observations = data_dir / "observations" / "cv_bruay_2024.csv"
    observations.write_text(observations.read_text(encoding="utf-8").replace("58.8", "58.9"), encoding="utf-8")
    assert is_stale(path, data_dir)
    ensure_built(path, data_dir)
    with duckdb.connect(str(path), read_only=True) as con:
        value = con.execute("select value from observations where territory_code = '200072460' "
                            "and indicator_id = 'taux_emploi_15_64'").fetchone()[0]
    assert value == 58.9


def test_fingerprint_covers_every_file_that_shapes_the_store(data_dir, tmp_path, monkeypatch):
    code = {path.name for path in build_module.build_code()}
    assert {"validate.py", "dataset.py", "territories.py", "vocabulary.py", "schema.sql", "views.sql",
            "settings.py"} <= code
    package = tmp_path / "store_package"
    shutil.copytree(inputs_module.STORE_PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(inputs_module, "STORE_PACKAGE", package)
    before = freshness.inputs_fingerprint(data_dir)
    (package / "validate.py").write_text((package / "validate.py").read_text() + "\n# changed\n")
    assert freshness.inputs_fingerprint(data_dir) != before


@pytest.mark.parametrize("relative", ["vocabulary/statuses.csv", "reference/communes.csv", "statements.csv"])
def test_fingerprint_covers_vocabularies_and_reference_tables(data_dir, relative):
    before = freshness.inputs_fingerprint(data_dir)
    path = data_dir / relative
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert freshness.inputs_fingerprint(data_dir) != before


def test_fingerprint_covers_the_contour_files_found(data_dir, tmp_path, monkeypatch):
    geo = tmp_path / "geo"
    shutil.copytree(GEO_DIR, geo)
    monkeypatch.setenv("QPV_GEO_DIR", str(geo))
    before = freshness.inputs_fingerprint(data_dir)
    (geo / "epci_cabbalr.geojson").unlink()
    assert freshness.inputs_fingerprint(data_dir) != before


def test_store_builds_without_any_contour_and_says_so(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("QPV_GEO_DIR", str(tmp_path / "vide"))
    path = build(data_dir, tmp_path / "store.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from geometries").fetchone() == (0,)
        assert con.execute("select count(*) from territories where kind = 'qpv'").fetchone() == (1609,)
        assert con.execute("select value from meta where key = 'contours'").fetchone() == ("",)


def test_failed_build_leaves_the_old_store_byte_identical(data_dir, tmp_path, monkeypatch):
    path = build(data_dir, tmp_path / "store.duckdb")
    before = path.read_bytes()

    def explode(con):
        raise RuntimeError("panne simulée en fin de construction")

    monkeypatch.setattr("qpv.store.build.create_views", explode)
    with pytest.raises(RuntimeError):
        build_module.build(data_dir, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store.duckdb"]


def test_bad_input_is_refused_and_the_store_left_as_it_was(data_dir, tmp_path):
    path = build(data_dir, tmp_path / "store.duckdb")
    before = path.read_bytes()
    shutil.copy(FIXTURES / "broken" / "part_hors_plage.csv", data_dir / "observations" / "bad.csv")
    with pytest.raises(DataError) as error:
        build(data_dir, path)
    assert "observations/bad.csv, ligne 2, colonne « value »" in str(error.value)
    assert path.read_bytes() == before
