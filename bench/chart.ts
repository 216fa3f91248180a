/** An SVG line chart of p95 query latency against corpus size, both on log scales. */

/** One engine's line: p95 in ms per corpus size, or null where its questions ran over the cut-off. */
export interface Series {
  label: string;
  points: { sentences: number; p95: number | null }[];
}

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 120 };
const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e'];

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders the chart; `cutoffMs` is drawn as a dashed line, and runs over it sit on it as crosses. */
export function latencyChart(series: readonly Series[], cutoffMs: number, title: string): string {
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.sentences)))].sort((a, b) => a - b);
  const values = series.flatMap((s) => s.points.map((p) => p.p95 ?? cutoffMs));
  const xMin = Math.log10(sizes[0] ?? 1);
  const xMax = Math.log10(sizes[sizes.length - 1] ?? 10);
  const yMin = Math.floor(Math.log10(Math.min(...values)));
  const yMax = Math.ceil(Math.log10(Math.max(...values, cutoffMs)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (n: number) => MARGIN.left + ((Math.log10(n) - xMin) / Math.max(1e-9, xMax - xMin)) * plotW;
  const y = (ms: number) => MARGIN.top + (1 - (Math.log10(ms) - yMin) / Math.max(1e-9, yMax - yMin)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${xml(title)}</text>`,
  ];
  for (let e = yMin; e <= yMax; e++) {
    const ms = 10 ** e;
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(ms)}" y2="${y(ms)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(ms) + 4}" text-anchor="end">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`,
    );
  }
  for (const n of sizes) {
    out.push(
      `<line x1="${x(n)}" x2="${x(n)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${x(n)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${n >= 1000 ? `${n / 1000}k` : n}</text>`,
    );
  }
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 34}" text-anchor="middle">sentences in the knowledge folder</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">p95 latency per question</text>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(cutoffMs)}" y2="${y(cutoffMs)}" stroke="#999" stroke-dasharray="5 4"/>`,
    `<text x="${WIDTH - MARGIN.right - 4}" y="${y(cutoffMs) - 5}" text-anchor="end" fill="#666">cut-off: ${cutoffMs / 1000} s per question</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const measured = s.points.filter((p) => p.p95 !== null);
    if (measured.length > 1)
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${measured.map((p) => `${x(p.sentences)},${y(p.p95 as number)}`).join(' ')}"/>`,
      );
    for (const p of s.points) {
      if (p.p95 === null) {
        const cx = x(p.sentences);
        const cy = y(cutoffMs);
        out.push(
          `<path d="M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx - 5},${cy + 5}L${cx + 5},${cy - 5}" stroke="${color}" stroke-width="2"/>`,
        );
      } else {
        out.push(`<circle cx="${x(p.sentences)}" cy="${y(p.p95)}" r="3.5" fill="${color}"/>`);
      }
    }
    const ly = MARGIN.top + plotH + 56 + i * 16;
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + 32}" y="${ly}">${xml(s.label)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
