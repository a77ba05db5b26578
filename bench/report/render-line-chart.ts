// Owns the hand-rolled SVG line chart the reports use (latency CDF, throughput over time): axes, ticks, series, legend.

/** One line on the chart. */
export interface ChartSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** What to draw; `logX` puts the x axis on a log10 scale (latencies span decades). */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  logX?: boolean;
}

const W = 760;
const H = 420;
const PAD = { left: 70, right: 20, top: 40, bottom: 110 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / count));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= count) ?? step * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / nice) * nice; t <= max + nice * 1e-9; t += nice) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function xScale(chart: LineChart): { map: (x: number) => number; ticks: number[] } {
  const xs = chart.series.flatMap((s) => s.points.map(([x]) => x)).filter((x) => !chart.logX || x > 0);
  const width = W - PAD.left - PAD.right;
  if (chart.logX) {
    const lo = Math.floor(Math.log10(Math.min(...xs)));
    const hi = Math.ceil(Math.log10(Math.max(...xs)));
    const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
    return { map: (x) => PAD.left + ((Math.log10(Math.max(x, 10 ** lo)) - lo) / Math.max(1, hi - lo)) * width, ticks };
  }
  const min = Math.min(0, ...xs);
  const max = Math.max(...xs);
  return { map: (x) => PAD.left + ((x - min) / (max - min || 1)) * width, ticks: niceTicks(min, max, 8) };
}

function yScale(chart: LineChart): { map: (y: number) => number; ticks: number[] } {
  const max = Math.max(...chart.series.flatMap((s) => s.points.map(([, y]) => y)), 1);
  const ticks = niceTicks(0, max, 6);
  const top = Math.max(max, ticks.at(-1) ?? max);
  return { map: (y) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom), ticks };
}

function drawAxes(chart: LineChart, x: ReturnType<typeof xScale>, y: ReturnType<typeof yScale>): string[] {
  const out: string[] = [];
  const bottom = H - PAD.bottom;
  for (const t of x.ticks)
    out.push(
      `<line x1="${x.map(t)}" y1="${PAD.top}" x2="${x.map(t)}" y2="${bottom}" stroke="#eee"/><text x="${x.map(t)}" y="${bottom + 16}" text-anchor="middle">${t}</text>`,
    );
  for (const t of y.ticks)
    out.push(
      `<line x1="${PAD.left}" y1="${y.map(t)}" x2="${W - PAD.right}" y2="${y.map(t)}" stroke="#eee"/><text x="${PAD.left - 6}" y="${y.map(t) + 4}" text-anchor="end">${t.toLocaleString('en-US')}</text>`,
    );
  out.push(
    `<line x1="${PAD.left}" y1="${bottom}" x2="${W - PAD.right}" y2="${bottom}" stroke="#333"/><line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" stroke="#333"/>`,
  );
  out.push(
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${bottom + 36}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(PAD.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  out.push(
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  );
  return out;
}

/** Renders the chart as a standalone SVG document. */
export function renderLineChart(chart: LineChart): string {
  const x = xScale(chart);
  const y = yScale(chart);
  const out = drawAxes(chart, x, y);
  chart.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length]!;
    const path = series.points
      .filter(([px]) => !chart.logX || px > 0)
      .map(([px, py], j) => `${j === 0 ? 'M' : 'L'}${x.map(px).toFixed(1)},${y.map(py).toFixed(1)}`)
      .join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = H - PAD.bottom + 52 + Math.floor(i / 2) * 16;
    const lx = PAD.left + (i % 2) * 340;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 20}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/><text x="${lx + 26}" y="${ly}">${escapeXml(series.name)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${out.join('\n')}\n</svg>\n`;
}
