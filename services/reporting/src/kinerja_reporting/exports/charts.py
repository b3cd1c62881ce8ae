"""Hand-written SVG charts (IKM trend line, predikat bars); every text is XML-escaped."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT, MARGIN = 640, 320, 48


def _text(x: float, y: float, value: str, *, anchor: str = "middle", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor={quoteattr(anchor)}>'
        f"{escape(value)}</text>"
    )


def _frame(title: str, body: list[str]) -> str:
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(title)}>',
            f"<title>{escape(title)}</title>",
            '<rect width="100%" height="100%" fill="white"/>',
            _text(WIDTH / 2, 20, title, size=14),
            *body,
            "</svg>",
        ]
    )


def ikm_trend_svg(title: str, points: Sequence[tuple[str, Decimal | None]]) -> str:
    """A line of IKM (25-100) over periods; periods without an index leave a gap."""
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    step = plot_w / max(1, len(points) - 1)

    def y_of(value: Decimal) -> float:
        return MARGIN + plot_h * (1 - (float(value) - 25) / 75)

    body = [
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="black"/>',
        f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{HEIGHT - MARGIN}" stroke="black"/>',
    ]
    for bound in ("65.00", "76.61", "88.31"):
        y = y_of(Decimal(bound))
        body.append(
            f'<line x1="{MARGIN}" y1="{y:.1f}" x2="{WIDTH - MARGIN}" y2="{y:.1f}" '
            'stroke="#bbb" stroke-dasharray="4 4"/>'
        )
        body.append(_text(MARGIN - 4, y + 4, bound, anchor="end", size=10))
    segment: list[str] = []
    for index, (label, value) in enumerate(points):
        x = MARGIN + index * step
        body.append(_text(x, HEIGHT - MARGIN + 16, label, size=10))
        if value is None:
            if len(segment) > 1:
                body.append(
                    f'<polyline fill="none" stroke="#1f77b4" points="{" ".join(segment)}"/>'
                )
            segment = []
            continue
        y = y_of(value)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f77b4"/>')
        body.append(_text(x, y - 8, str(value), size=10))
    if len(segment) > 1:
        body.append(f'<polyline fill="none" stroke="#1f77b4" points="{" ".join(segment)}"/>')
    return _frame(title, body)


def bars_svg(title: str, bars: Sequence[tuple[str, int]]) -> str:
    """Vertical bars of counts with their labels (e.g. employees per predikat)."""
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    top = max([count for _, count in bars] + [1])
    slot = plot_w / max(1, len(bars))
    body = [
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="black"/>'
    ]
    for index, (label, count) in enumerate(bars):
        height = plot_h * count / top
        x = MARGIN + index * slot + slot * 0.15
        y = HEIGHT - MARGIN - height
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" '
            'fill="#2ca02c"/>'
        )
        body.append(_text(x + slot * 0.35, y - 4, str(count)))
        body.append(_text(x + slot * 0.35, HEIGHT - MARGIN + 16, label, size=10))
    return _frame(title, body)
