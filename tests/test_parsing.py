"""One CSV tokenizer for project files and uploads; silent misreads refused with file, line and column; bounded XLSX.

Each case here was read wrongly, or crashed, before: a note with a form feed passed the preview and failed at
commit; an unterminated quote swallowed rows; « 42,5 » lost its 5; fullwidth digits made a period; « 1.234 »
became 1,234 inhabitants; « 5€ » passed for a percentage; a small workbook declaring millions of cells was
read whole into memory.
"""

import csv
import io
import random
import shutil
import sys
import tracemalloc
import zipfile

import duckdb
import pytest

from qpv.cli import main
from qpv.importer.commit import commit
from qpv.importer.files import read_table
from qpv.importer.preview import prepare
from qpv.store import csvparse
from qpv.store.csvcolumns import WHITESPACE, read_columns, split_rows
from qpv.store.csvfiles import read_csv
from qpv.store.csvparse import ParseError, records
from qpv.store.errors import DataError
from tests.importing import options, tree, xlsx

TIDY = "territory_code,indicator_id,period,value,note\n"
SEPARATORS = "\x0c\x0b\u2028\u2029\x85\x1c\x1d\x1e"


@pytest.fixture
def data(data_dir, store, monkeypatch):
    """A private data folder with a copy of the session's store."""
    shutil.copy(store, data_dir / "qpv.duckdb")
    monkeypatch.setenv("QPV_DATABASE", str(data_dir / "qpv.duckdb"))
    return data_dir


def refused(data, text: str, name: str = "f.csv") -> list[str]:
    """Preview a file that must be refused; return the messages, checking nothing was written."""
    before = tree(data)
    with pytest.raises(DataError) as caught:
        prepare(text.encode("utf-8") if isinstance(text, str) else text, name, options(), data)
    assert tree(data) == before
    return [str(p) for p in caught.value.problems]


def test_line_separators_inside_a_note_commit_exactly_as_previewed(data):
    note = "début" + SEPARATORS + "fin"
    preview = prepare((TIDY + f'QN06211M,taux_emploi_15_64,2025,42,"{note}"\n').encode(), "f.csv", options(), data)
    assert preview.counts()["new"] == 1 and preview.records[0]["note"] == note
    commit(preview, "Test", data, data / "qpv.duckdb")
    with duckdb.connect(str(data / "qpv.duckdb"), read_only=True) as con:
        assert con.execute("select note from observations where period = '2025'").fetchall() == [(note,)]


def test_columns_are_trimmed_as_python_strips_a_cell():
    assert WHITESPACE == "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())


@pytest.mark.parametrize("seed", range(3))
def test_unquoted_files_split_in_arrow_as_the_csv_module_splits_them(seed):
    chooser = random.Random(seed)
    for _ in range(3000):
        text = "".join(chooser.choice("ab,\n\r \t\x0c\u2028é1;") for _ in range(chooser.randint(0, 40)))
        expected = [cells or [""] for cells in csv.reader(io.StringIO(text, newline=""), strict=True)]
        assert split_rows(text).to_pylist() == expected, repr(text)


def _parse(text: str, delimiter: str) -> list | str:
    """Return every record (line, cells, quoted cells) of a text, or the first error's line and message."""
    try:
        return [(r.line, r.cells, r.quoted) for r in records(text, delimiter, keep_quotes=True)]
    except ParseError as error:
        return f"{error.line}: {error.message}"


@pytest.mark.parametrize("seed", range(3))
def test_the_one_call_path_reads_as_the_record_by_record_path(seed, monkeypatch):
    chooser = random.Random(seed)
    texts = ["".join(chooser.choice('ab,;"\n\r \x00é1') for _ in range(chooser.randint(0, 30)))
             for _ in range(3000)]
    delimiters = [chooser.choice(",;") for _ in texts]
    fast = [_parse(text, delimiter) for text, delimiter in zip(texts, delimiters, strict=True)]
    monkeypatch.setattr(csvparse, "_one_line_records", lambda text, delimiter: None)
    slow = [_parse(text, delimiter) for text, delimiter in zip(texts, delimiters, strict=True)]
    assert fast == slow
    assert sum(isinstance(result, list) and any(r[2] for r in result) for result in fast) > 20  # quoted cells read


@pytest.mark.parametrize("seed", range(2))
def test_quoted_files_read_into_columns_as_the_csv_module_reads_them(seed, tmp_path):
    chooser = random.Random(seed)
    header = ["a", "b", "c"]
    for attempt in range(40):
        rows = [["".join(chooser.choice(' x,é"\t1') for _ in range(chooser.randint(0, 6))) for _ in header]
                for _ in range(chooser.randint(0, 6))]
        if chooser.random() < 0.3 and rows:
            rows.insert(chooser.randrange(len(rows)), [])  # a blank line: the other path
        path = tmp_path / f"f{attempt}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
        table, problems = read_columns(path, header, header)
        expected = [(line, [cell.strip() for cell in row]) for line, row in enumerate(rows, start=2)
                    if any(cell.strip() for cell in row)]
        assert [(r.pop("line"), list(r.values())) for r in table.to_pylist()] == expected
        assert bool(problems) == (not expected)


def test_project_files_are_split_on_line_breaks_only(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(("a,b\n" + f"1,x{SEPARATORS}y\n2,z\n").encode())
    rows, problems = read_csv(path, ["a", "b"])
    assert not problems and [(r.line, r.get("b")) for r in rows] == [(2, f"x{SEPARATORS}y"), (3, "z")]


def test_unterminated_quote_is_refused_with_its_line(data):
    messages = refused(data, TIDY + 'QN06211M,taux_emploi_15_64,2025,42,"ouvert\n'
                                    "QN06212M,taux_emploi_15_64,2025,43,x\n")
    assert any(m.startswith("f.csv, ligne 2 : guillemet ouvert ligne 2 et jamais refermé") for m in messages)


def test_a_quote_closed_lines_later_does_not_swallow_rows(data):
    messages = refused(data, TIDY + 'QN06211M,taux_emploi_15_64,2025,42,"ouvert\n'
                                    'QN06212M,taux_emploi_15_64,2025,43,fermé"\n')
    assert any("contient des lignes entières du fichier : guillemet non fermé" in m for m in messages)


def test_a_stray_quote_is_refused():
    with pytest.raises(ParseError, match="guillemet mal placé"):
        list(records('a,b\n1,"x"y\n'))


def test_decimal_comma_in_a_comma_separated_file_is_refused(data):
    messages = refused(data, TIDY + "QN06211M,taux_emploi_15_64,2025,42,5\n")
    assert any(m.startswith("f.csv, ligne 2, colonne « value » : « 42 » puis « 5 »") for m in messages)


def test_quoted_decimal_comma_and_quoted_digit_notes_pass(data):
    preview = prepare((TIDY + 'QN06211M,taux_emploi_15_64,2025,"42,5",\nQN06212M,taux_emploi_15_64,2025,43,"5"\n')
                      .encode(), "f.csv", options(), data)
    assert [r["value"] for r in preview.records] == [42.5, 43.0]


@pytest.mark.parametrize(("period", "message"), [
    ("２０２５", "écrite avec des chiffres autres que 0-9"),
    ("0000", "invraisemblable"),
    ("9999", "invraisemblable"),
    ("2025-2020", "à l'envers"),
])
def test_implausible_or_foreign_periods_are_refused(data, period, message):
    messages = refused(data, TIDY + f"QN06211M,taux_emploi_15_64,{period},42,\n")
    assert any(m.startswith("f.csv, ligne 2, colonne « period »") and message in m for m in messages), messages


def test_foreign_digits_in_a_value_are_refused(data):
    messages = refused(data, TIDY + "QN06211M,taux_emploi_15_64,2025,٤٢,\n")
    assert any("colonne « value »" in m and "Chiffres attendus : 0 à 9" in m for m in messages)


def test_a_count_with_a_thousands_dot_is_refused(data):
    messages = refused(data, TIDY + "QN06211M,population,2025,1.234,\n")
    assert any("colonne « value »" in m and "Séparateur de milliers ? Écrire 1234" in m for m in messages)


def test_a_unit_symbol_must_be_the_indicators_unit(data):
    messages = refused(data, TIDY + "QN06211M,taux_emploi_15_64,2025,5€,\n")
    assert any("le symbole « € » ne correspond pas à l'unité" in m for m in messages)
    preview = prepare((TIDY + "QN06211M,taux_emploi_15_64,2025,12 %,\nQN06211M,revenu_median,2025,14 250 €,\n")
                      .encode(), "f.csv", options(), data)
    assert [r["value"] for r in preview.records] == [12.0, 14250.0]


def test_project_files_get_the_same_rules(data_dir, capsys):
    path = data_dir / "observations" / "zz.csv"
    path.write_text("territory_code,indicator_id,period,breakdown,category,value,unit,status,source_id,source_ref\n"
                    "QN06211M,population,9999,,,1.5,nombre,publie,cv_bruay_2024,ligne 1\n"
                    "QN06212M,population,２０２４,,,١٢,nombre,publie,cv_bruay_2024,ligne 2\n", encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "check"]) == 1
    err = capsys.readouterr().err
    assert "zz.csv, ligne 2, colonne « period » : période « 9999 » invraisemblable" in err
    assert "zz.csv, ligne 2, colonne « value » : « 1.5 » : un effectif (population) est un nombre entier" in err
    assert "zz.csv, ligne 3, colonne « value » : « ١٢ » n'est pas un nombre" in err


def test_a_row_wider_than_any_table_is_refused_before_it_is_split():
    text = "a,b\n" + "," * 20_000 + "\n"
    with pytest.raises(DataError, match="plus de 16384 cellules sur la ligne"):
        read_table(text.encode(), "large.csv")


def _workbook(sheet_xml: str, shared: str | None = None, declared: dict | None = None) -> bytes:
    """Write a minimal XLSX by hand (what a hostile tool can produce), with a given sheet part."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Feuille" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    content = out.getvalue()
    for name, size in (declared or {}).items():  # forge the declared size of a part in the central directory
        info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
        content = content.replace(info.file_size.to_bytes(4, "little") + len(name).to_bytes(2, "little"),
                                  size.to_bytes(4, "little") + len(name).to_bytes(2, "little"))
    return content


def _sheet(rows: str, dimension: str = "A1") -> str:
    """Write a sheet part with a declared dimension and rows."""
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')


def test_a_row_of_many_cells_is_refused_before_any_cell_is_read():
    cells = "".join(f'<c t="n"><v>{i}</v></c>' for i in range(40_000))
    content = _workbook(_sheet(f'<row r="1">{cells}</row>'))  # declares A1: the dimension lies
    assert len(content) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="porte plus de 16\u202f384 cellules"):
            read_table(content, "ligne.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, peak


def test_a_huge_declared_dimension_is_refused():
    with pytest.raises(DataError, match="se déclare de dimension A1:XFD1048576"):
        read_table(_workbook(_sheet('<row r="1"><c t="n"><v>1</v></c></row>', "A1:XFD1048576")), "grand.xlsx")


def test_a_part_declaring_gigabytes_is_refused_before_decompression():
    content = _workbook(_sheet('<row r="1"><c t="n"><v>1</v></c></row>'),
                        declared={"xl/worksheets/sheet1.xml": 3_000_000_000})
    with pytest.raises(DataError, match="se décompresse en"):
        read_table(content, "bombe.xlsx")


def test_too_many_shared_strings_are_refused(monkeypatch):
    monkeypatch.setattr("qpv.importer.xlsx.MAX_CELLS", 1_000)
    shared = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              + "<si><t>x</t></si>" * 1_001 + "</sst>")
    with pytest.raises(DataError, match="plus de 1\u202f000 textes"):
        read_table(_workbook(_sheet('<row r="1"><c t="n"><v>1</v></c></row>'), shared), "textes.xlsx")


def test_a_normal_workbook_is_still_read():
    table = read_table(xlsx([["territory_code", "value"], ["QN06211M", 42.5]]), "ok.xlsx")
    assert table.header == ["territory_code", "value"] and table.rows == [(2, ["QN06211M", "42.5"])]
