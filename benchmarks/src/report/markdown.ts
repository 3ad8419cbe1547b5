import { type BenchReport, isPeer, type ReportRow, SCENARIO_TITLES } from './report.js';

/** Renders the report as Markdown: machine and settings first, then the table, notes, checks and targets. */
export function renderMarkdown(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    '# Benchmark results',
    '',
    `Run ${report.generatedAt}: ${verdict(report)}.`,
    '',
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB; ${machine.os}; Node ${machine.node}; load average ${machine.loadAverageAtStart} at start, ${machine.loadAverageAtEnd ?? '?'} at end (1-minute; the end figure includes the benchmark's own processes)`,
    ...Object.entries(report.settings).map(([name, value]) => `- ${name}: ${String(value)}`),
    '',
    '| scenario | concurrency | req/s | floor | × floor | CPU × floor | × peer | CPU × peer | p50 ms | p90 ms | p99 ms | errors | peak RSS MB | server CPU ms/req | server main thread ms/req | load generator CPU ms/req |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...report.rows.map(tableRow),
    '',
    'Floors: `bound` is one ES256 verify and one ES256 sign (the floor of an exchange or a redemption), `verify` one ES256 verify (the floor of a tool call), `DPoP bound` the bound plus one DPoP proof verification (the floor of the DPoP variants). 4f, the floor of the whole flow, is read against the bound. × peer: the same request at the peer (2p for 2, 3p for 3), same concurrency.',
    '',
  ];
  if (report.sessionMemory.length > 0) lines.push(...sessionMemoryTable(report), '');
  const notes = report.rows.flatMap((row) =>
    row.notes.map((note) => `- ${SCENARIO_TITLES[row.scenario]}, c=${row.concurrency}: ${note}`),
  );
  const errors = report.rows
    .filter((row) => row.errors > 0)
    .map(
      (row) =>
        `- ${SCENARIO_TITLES[row.scenario]}, c=${row.concurrency}: statuses ${JSON.stringify(row.load.statusCodes)}, ${row.load.socketErrors} socket errors, ${row.load.rejectedBodies} rejected bodies${isPeer(row.scenario) ? " (a peer's errors: reported, not counted against this run)" : ''}`,
    );
  if (report.cutoffs.length > 0) {
    lines.push(
      `${SCENARIO_TITLES.revocation}:`,
      '',
      '| series | cut-offs | median ms | p99 ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...report.cutoffs.map(
        (series) =>
          `| ${series.name} | ${series.samplesMs.length} | ${series.medianMs} | ${series.p99Ms} | ${series.maxMs} |`,
      ),
      '',
      ...report.cutoffs.flatMap((series) => series.notes.map((note) => `- ${series.name}: ${note}`)),
      '',
    );
  }
  if (notes.length > 0) lines.push('Notes:', '', ...notes, '');
  if (errors.length > 0) lines.push('Errors:', '', ...errors, '');
  if (report.checks.length > 0) {
    lines.push(
      'Checks:',
      '',
      ...report.checks.map(
        (check) =>
          `- ${check.passed ? 'passed' : '**FAILED**'}: ${SCENARIO_TITLES[check.scenario]}: ${check.name}: ${check.detail}`,
      ),
      '',
    );
  }
  if (report.targets.length > 0) {
    lines.push(
      'Issue 19 targets (concurrency 16, by CPU per request against the floor):',
      '',
      ...report.targets.map(
        (target) => `- ${SCENARIO_TITLES[target.scenario]}: ${target.met ? 'met' : '**not met**'}: ${target.detail}`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

const FLOOR_LABELS: Record<ReportRow['floor'], string> = {
  bound: 'bound',
  'verify-floor': 'verify',
  'bound-dpop': 'DPoP bound',
};

function tableRow(row: ReportRow): string {
  const { load } = row;
  const ratio = (value: number | null): string => (value === null ? '' : value.toFixed(2));
  return [
    SCENARIO_TITLES[row.scenario],
    row.concurrency,
    Math.round(load.requestsPerSecond),
    FLOOR_LABELS[row.floor],
    ratio(row.ratioToFloor),
    ratio(row.cpuRatioToFloor),
    ratio(row.ratioToPeer),
    ratio(row.cpuRatioToPeer),
    ms(load.latencyMs.p50),
    ms(load.latencyMs.p90),
    ms(load.latencyMs.p99),
    row.errors,
    rss(row.peakRssBytes),
    row.cpuMsPerRequest === null ? '' : row.cpuMsPerRequest.toFixed(3),
    row.mainThreadCpuMsPerRequest === null ? '' : row.mainThreadCpuMsPerRequest.toFixed(3),
    row.loadGeneratorCpuMsPerRequest === null ? '' : row.loadGeneratorCpuMsPerRequest.toFixed(3),
  ]
    .map(String)
    .reduce((line, cell) => `${line} ${cell} |`, '|');
}

/** RSS of each MCP server against the number of idle sessions it holds. */
function sessionMemoryTable(report: BenchReport): string[] {
  const counts = [...new Set(report.sessionMemory.map((reading) => reading.sessions))].sort((a, b) => a - b);
  const servers = [...new Set(report.sessionMemory.map((reading) => reading.server))];
  const cell = (server: string, sessions: number): string => {
    const reading = report.sessionMemory.find((r) => r.server === server && r.sessions === sessions);
    return reading === undefined ? '' : (reading.rssBytes / 2 ** 20).toFixed(0);
  };
  return [
    `${SCENARIO_TITLES['sessions-memory']} (RSS MB):`,
    '',
    `| server | ${counts.map((count) => `${count.toLocaleString('en-US')} sessions`).join(' | ')} |`,
    `| --- | ${counts.map(() => '---:').join(' | ')} |`,
    ...servers.map((server) => `| ${server} | ${counts.map((count) => cell(server, count)).join(' | ')} |`),
  ];
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function rss(peaks: Record<string, number>): string {
  const entries = Object.entries(peaks);
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
  const [only] = entries;
  if (entries.length === 1 && only !== undefined) return mb(only[1]);
  return entries.map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ');
}

function verdict(report: BenchReport): string {
  if (!report.passed) return '**FAILED** (errors or failed checks, see below)';
  const peerErrors = report.rows.some((row) => row.errors > 0);
  return peerErrors
    ? "no errors at this project's servers, every check passed (a peer had errors, see below)"
    : 'no errors, every check passed';
}
