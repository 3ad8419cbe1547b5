import { type BenchReport, type ReportRow, SCENARIO_TITLES } from './report.js';

/** Size of one panel, in SVG units. */
const PANEL = { width: 460, height: 300, left: 64, right: 16, top: 36, bottom: 44 };
/** One colour per scenario, in table order (colour-blind-safe palette). */
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000', '#999999'];

interface Series {
  title: string;
  /** Floors dashed, peers dotted, our servers solid. */
  dash: string;
  points: { concurrency: number; value: number }[];
}

/**
 * The scaling curves of a run as one SVG (issue 19): req/s (left) and p99 latency (right) against the concurrency, one
 * line per scenario, both axes logarithmic. Committed next to `latest.md` and shown in the README.
 */
export function renderScalingChart(report: BenchReport): string {
  const scenarios = [...new Set(report.rows.map((row) => row.scenario))];
  const series = (value: (row: ReportRow) => number): Series[] =>
    scenarios.map((scenario) => ({
      title: SCENARIO_TITLES[scenario],
      dash: dashOf(scenario),
      points: report.rows
        .filter((row) => row.scenario === scenario)
        .map((row) => ({ concurrency: row.concurrency, value: value(row) })),
    }));
  const throughput = panel(
    'req/s',
    series((row) => row.load.requestsPerSecond),
    0,
  );
  const latency = panel(
    'p99 latency, ms',
    series((row) => row.load.latencyMs.p99),
    PANEL.width,
  );
  const legendTop = PANEL.height + 8;
  const legend = scenarios.map((scenario, index) => {
    const x = 16 + (index % 2) * PANEL.width;
    const y = legendTop + Math.floor(index / 2) * 18;
    return `<line x1="${x}" y1="${y + 2}" x2="${x + 14}" y2="${y + 2}" stroke="${colour(index)}" stroke-width="2" stroke-dasharray="${dashOf(scenario)}"/><text x="${x + 20}" y="${y + 6}">${xmlText(SCENARIO_TITLES[scenario])}</text>`;
  });
  const height = legendTop + Math.ceil(scenarios.length / 2) * 18 + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PANEL.width * 2} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    throughput,
    latency,
    ...legend,
    `<text x="16" y="${height - 8}" fill="#555">${xmlText(`Run ${report.generatedAt}; ${report.machine.cores} cores, ${report.machine.cpuModel}; Node ${report.machine.node}. Concurrency = open connections (workers for the whole flow).`)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function panel(label: string, all: Series[], offsetX: number): string {
  const values = all.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v > 0);
  const concurrencies = [...new Set(all.flatMap((s) => s.points.map((p) => p.concurrency)))].sort((a, b) => a - b);
  if (values.length === 0 || concurrencies.length === 0) return '';
  const [minC, maxC] = [concurrencies[0] ?? 1, concurrencies[concurrencies.length - 1] ?? 1];
  const minV = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const maxV = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const x = (c: number) =>
    offsetX + PANEL.left + (maxC === minC ? plotW / 2 : (Math.log(c / minC) / Math.log(maxC / minC)) * plotW);
  const y = (v: number) => PANEL.top + plotH - (Math.log(Math.max(v, minV) / minV) / Math.log(maxV / minV)) * plotH;
  const parts = [
    `<text x="${offsetX + PANEL.left}" y="20" font-size="13" font-weight="bold">${xmlText(label)}</text>`,
    `<rect x="${offsetX + PANEL.left}" y="${PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`,
  ];
  for (const c of concurrencies) {
    parts.push(
      `<line x1="${x(c)}" y1="${PANEL.top}" x2="${x(c)}" y2="${PANEL.top + plotH}" stroke="#eee"/>`,
      `<text x="${x(c)}" y="${PANEL.top + plotH + 16}" text-anchor="middle">${c}</text>`,
    );
  }
  for (let v = minV; v <= maxV; v *= 10) {
    parts.push(
      `<line x1="${offsetX + PANEL.left}" y1="${y(v)}" x2="${offsetX + PANEL.left + plotW}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${offsetX + PANEL.left - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1 ? v.toLocaleString('en-US') : v}</text>`,
    );
  }
  parts.push(
    `<text x="${offsetX + PANEL.left + plotW / 2}" y="${PANEL.height - 8}" text-anchor="middle">concurrency</text>`,
  );
  all.forEach((s, index) => {
    const points = s.points.filter((p) => p.value > 0).sort((a, b) => a.concurrency - b.concurrency);
    const path = points.map((p) => `${x(p.concurrency).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${colour(index)}" stroke-width="2" stroke-dasharray="${s.dash}"><title>${xmlText(s.title)}</title></polyline>`,
      ...points.map(
        (p) =>
          `<circle cx="${x(p.concurrency).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5" fill="${colour(index)}"/>`,
      ),
    );
  });
  return parts.join('\n');
}

function dashOf(scenario: ReportRow['scenario']): string {
  if (scenario === 'bound' || scenario === 'verify-floor') return '6 3';
  return scenario.startsWith('peer-') ? '2 3' : 'none';
}

function colour(index: number): string {
  return COLOURS[index % COLOURS.length] ?? '#000000';
}

function xmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
