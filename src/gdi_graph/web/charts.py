"""Charts of the monitor's figures, drawn by matplotlib, for pages and for wikis to embed.

One chart per indicator: a bar per year (grouped per edition when every printing is asked
for), each labelled with the cell as printed, the unit and the source under it. The
SVG keeps its words as text (`svg.fonttype: none`) and carries a <title> and <desc> for
screen readers; the bytes are the same for the same data (fixed hash salt, no dates).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from gdi_graph.web.figures import Table

matplotlib.use("Agg")

RC = {"svg.fonttype": "none", "svg.hashsalt": "gdi-graph", "font.family": "DejaVu Sans", "path.simplify": False,
      "axes.spines.top": False, "axes.spines.right": False}
INK = "#1b1b1b"
MUTED = "#4a4a4a"
BARS = ("#154273", "#e17000", "#2e6b30", "#8c1d40")  # one per edition, oldest first
SIZE = (6.4, 3.6)  # inches; 640 x 360 px at 100 dpi
LEGEND_COLUMNS = 5  # editions side by side above the plot


@dataclass
class Series:
    title: str
    subject: str
    unit: str
    years: list[str]
    editions: list[tuple[str, dict[str, tuple[float | None, str]]]]  # (edition, year -> (value, as printed))
    source: str

    def describe(self) -> str:
        """The chart in words: what a screen reader says instead of showing it."""
        parts = []
        for edition, cells in self.editions:
            values = "; ".join(f"{y}: {cells[y][1]}" for y in self.years if y in cells)
            parts.append(f"{edition}: {values}" if len(self.editions) > 1 else values)
        unit = f" ({self.unit})" if self.unit else ""
        return f"Staafdiagram van {self.title}{unit} per jaar. {' | '.join(parts)}. Bron: {self.source}."


def series_from(tables: list[Table], subject: str) -> Series | None:
    """The series of one indicator from its tables (one per edition shown, or one of the newest
    printings), or None without numbers."""
    rows = [(t, t.rows[0]) for t in tables if t.rows]
    if not rows:
        return None
    editions = []
    for t, row in rows:
        headers = dict(t.columns)
        editions.append((t.report or t.title, {y: (c.waarde, c.ruw) for y, c in row.cells.items()
                                               if headers.get(y, y)}))
    years = sorted({y for _, cells in editions for y in cells})
    first_row = rows[0][1]
    sources = "; ".join(dict.fromkeys(t.source for t, _ in rows))
    return Series(first_row.label, subject, first_row.unit, years, editions, sources)


def _dutch(value: float) -> str:
    """A tick label as Dutch prints numbers: 1.500.000, 2,5 mln."""
    if abs(value) >= 1e9:
        return f"{value / 1e9:.1f} mld".replace(".", ",").replace(",0 ", " ")
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f} mln".replace(".", ",").replace(",0 ", " ")
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.2f}".replace(".", ",")


def draw(s: Series, fmt: str) -> bytes:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=SIZE, dpi=100)
        FigureCanvasAgg(fig)
        lines = textwrap.wrap(s.title, 62) or [""]
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), 62, placeholder=" …")]
        drop = 0.055 * (len(lines) - 1)
        n = len(s.editions)
        legend_rows = 0 if n == 1 else -(-n // LEGEND_COLUMNS)
        ax = fig.add_axes((0.13, 0.22, 0.84, 0.60 - drop - 0.045 * legend_rows))
        width = 0.7 / n
        crowded = n * len(s.years) > 8
        labelled = n * len(s.years) <= 40  # thinner bars get no printed value: the page and the CSV have them
        names = _short_names([edition for edition, _ in s.editions])
        top = max((v for _, cells in s.editions for v, _ in cells.values() if v is not None), default=0) or 1
        for i, (edition, cells) in enumerate(s.editions):
            xs = [j + (i - (n - 1) / 2) * width for j in range(len(s.years))]
            values = [cells.get(y, (None, ""))[0] for y in s.years]
            bars = ax.bar(xs, [v or 0 for v in values], width=width * 0.92, color=BARS[i % len(BARS)],
                          label=names[i] if n > 1 else None, zorder=2)
            printed = [cells[y][1] if y in cells else "" for y in s.years]
            if not labelled:
                pass
            elif crowded:  # upright labels would run into each other
                ax.bar_label(bars, labels=printed, padding=2, fontsize=6.5, color=INK, rotation=90)
            else:
                ax.bar_label(bars, labels=printed, padding=2, fontsize=8, color=INK)
        ax.set_xticks(range(len(s.years)), s.years, fontsize=9, color=INK)
        ax.set_ylim(0, top * (1.45 if crowded else 1.18))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _dutch(v)))
        ax.tick_params(axis="y", labelsize=8, colors=MUTED)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0)
        if n > 1:  # above the plot, in rows, so it covers no bar
            ax.legend(fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=LEGEND_COLUMNS,
                      borderaxespad=0, handlelength=1.2, columnspacing=1.0)
        fig.text(0.02, 0.96, "\n".join(lines), fontsize=11, fontweight="bold", color=INK, va="top", linespacing=1.3)
        fig.text(0.02, 0.895 - drop, s.subject, fontsize=9, color=MUTED, va="top")
        fig.text(0.02, 0.03, "\n".join(_footnote(s)), fontsize=7, color=MUTED, va="bottom")
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
            return _accessible(out.getvalue(), s)
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()


def _short_names(editions: list[str]) -> list[str]:
    """Legend entries without the words every edition shares ("Monitor … Infrastructuur 2019" -> "2019")."""
    if len(editions) < 2:
        return editions
    words = [e.split() for e in editions]
    common = 0
    while all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
        common += 1
    return [" ".join(w[common:]) for w in words]


def _footnote(s: Series, width: int = 110, lines: int = 2) -> list[str]:
    """Unit and source under the chart, in at most two lines: with many sources (one per
    edition that printed the newest figure of some year) they are counted and the newest
    named; the page, the SVG's description and the CSV name every one."""
    def text(source: str) -> str:
        return f"Eenheid: {s.unit or '—'}. Waarden zoals gedrukt; -- is niet beschikbaar. Bron: {source}."

    wrapped = textwrap.wrap(text(s.source), width)
    if len(wrapped) <= lines:
        return wrapped
    sources = s.source.split("; ")
    short = f"{len(sources)} drukken, per jaar de nieuwste: {sources[0]} … {sources[-1]}" \
        if len(sources) > 2 else s.source
    return textwrap.wrap(textwrap.shorten(text(short), width * lines, placeholder=" …"), width)[:lines]


def _accessible(svg: bytes, s: Series) -> bytes:
    """Give the SVG a role, a <title> and a <desc>, the first things a screen reader reads."""
    text = svg.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start)
    head = text[start:end].replace("<svg", '<svg role="img" aria-labelledby="grafiek-titel grafiek-beschrijving"', 1)
    extra = (f'<title id="grafiek-titel">{escape(s.title)} — {escape(s.subject)}</title>'
             f'<desc id="grafiek-beschrijving">{escape(s.describe())}</desc>')
    return (text[:start] + head + ">" + extra + text[end + 1:]).encode("utf-8")
