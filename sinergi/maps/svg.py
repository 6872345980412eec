"""A server-side SVG choropleth of the kecamatan (works without JavaScript, cached with the figures)."""

import math
from xml.sax.saxutils import escape, quoteattr

from sinergi.regions.selectors import boundaries_geojson

WIDTH = 360
# Light to dark (ColorBrewer "Oranges", colour-blind safe); hidden figures get the neutral grey.
SHADES = ("#fee6ce", "#fdae6b", "#f16913", "#a63603")
HIDDEN = "#d9d9d9"
NO_DATA = "#ffffff"


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _bins(values: list[int]) -> list[int]:
    """Upper bounds of the shade classes (equal steps up to the largest published value)."""
    top = max(values, default=0)
    if top <= 0:
        return []
    return [math.ceil(top * k / len(SHADES)) for k in range(1, len(SHADES) + 1)]


def district_map_svg(*, regency_code: str, values: dict[str, int | None], title: str, hidden_label: str) -> str:
    """Shade each kecamatan by its published value; `None` (hidden) in grey; a <title> per region."""
    features = boundaries_geojson(level="kecamatan", regency_code=regency_code)["features"]
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return ""
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((min_y + max_y) / 2))
    span_x, span_y = max((max_x - min_x) * kx, 1e-9), max(max_y - min_y, 1e-9)
    scale = WIDTH / span_x
    height = round(span_y * scale)
    bins = _bins([v for v in values.values() if v is not None])

    def shade(value: int | None) -> str:
        if value is None:
            return HIDDEN
        if value == 0 or not bins:
            return NO_DATA
        return next(SHADES[k] for k, bound in enumerate(bins) if value <= bound)

    legend_y = height + 8
    total_height = legend_y + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total_height}" width="{WIDTH}" '
        f'height="{total_height}" '
        f'role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    for feature in features:
        code, name = feature["properties"]["code"], feature["properties"]["name"]
        d = " ".join(
            "M" + " ".join(f"{(x - min_x) * kx * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring) + "Z"
            for ring in _rings(feature["geometry"])
        )
        value = values.get(code)
        shown = hidden_label if value is None and code in values else str(value if value is not None else 0)
        parts.append(
            f'<path d="{d}" fill="{shade(value) if code in values else NO_DATA}" stroke="#555" '
            f'stroke-width="0.6"><title>{escape(name)}: {escape(shown)}</title></path>'
        )
    legend = [(HIDDEN, hidden_label), (NO_DATA, "0")]
    low = 1
    for colour, bound in zip(SHADES, bins, strict=False):
        if bound >= low:
            legend.append((colour, f"{low}–{bound}" if bound > low else str(low)))
            low = bound + 1
    for k, (colour, text) in enumerate(legend):
        x = 4 + k * (WIDTH - 8) / len(legend)
        parts.append(
            f'<rect x="{x:.0f}" y="{legend_y}" width="14" height="14" fill="{colour}" stroke="#555" stroke-width="0.6"/>'
            f'<text x="{x + 18:.0f}" y="{legend_y + 12}" font-size="11" font-family="sans-serif">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
