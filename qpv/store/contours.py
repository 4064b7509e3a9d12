"""The contour layers the store can hold, and where their files are found (no heavy import here)."""

from dataclasses import dataclass
from pathlib import Path

from qpv.store import paths


@dataclass(frozen=True)
class Layer:
    """One contour file (found in the geo folders) and how to store it."""

    file: str
    code_field: str
    source_id: str
    tolerance: float  # coverage_simplify tolerance, in degrees (about sqrt of removed area)


QPV_LAYER = Layer("qpv2024_france.geojson", "code_qp", "anct_qpv2024", 3e-4)
LAYERS = (
    QPV_LAYER,
    Layer("communes_cabbalr.geojson", "code", "admin_express_2018", 3e-4),
    Layer("epci_cabbalr.geojson", "siren", "epci_union_cabbalr", 3e-4),
)


def contour_files(data_dir: Path) -> dict[str, Path]:
    """Return the contour file found for each layer, by file name; absent layers are left out."""
    found = {layer.file: paths.geo_file(layer.file, data_dir) for layer in LAYERS}
    return {name: path for name, path in found.items() if path is not None}
