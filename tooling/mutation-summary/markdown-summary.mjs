// A Stryker reporter that writes the committed summary of a mutation run, `mutation/latest.md` in the package folder:
// the score per file and every mutant that survived (or that no test covers), each with the explanation kept by hand
// in `mutation/explained.json` (an equivalent mutant, or a defensive branch no input can reach). A survivor without an
// explanation, or an explanation that no longer matches a survivor, fails the run: the file then lists what to do.
// An explanation that matches a mutant which timed out this time is kept, not stale: an equivalent mutant that only
// slows the code down (a cache skipped, a regex widened) survives on an idle machine and times out on a loaded one.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonTokens, declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const EXPLANATIONS = join('mutation', 'explained.json');
const SUMMARY = join('mutation', 'latest.md');
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const TIMED_OUT = new Set(['Timeout']);

/**
 * @typedef {{ file: string, code: string, mutator: string, replacement: string, kind: string, why: string }} Explanation
 * @typedef {{ file: string, line: number, column: number, code: string, original: string, mutator: string,
 *   replacement: string, status: string }} Undetected
 */

/** The counts Stryker's clear-text table shows, and its two scores. */
function count(mutants) {
  const by = (status) => mutants.filter((mutant) => mutant.status === status).length;
  const killed = by('Killed');
  const timeout = by('Timeout');
  const survived = by('Survived');
  const noCoverage = by('NoCoverage');
  const detected = killed + timeout;
  const percent = (part, whole) => (whole === 0 ? 'n/a' : ((100 * part) / whole).toFixed(2));
  return {
    killed,
    timeout,
    survived,
    noCoverage,
    errors: by('CompileError') + by('RuntimeError'),
    score: percent(detected, detected + survived + noCoverage),
    covered: percent(detected, detected + survived),
  };
}

function row(name, counts) {
  const { score, covered, killed, timeout, survived, noCoverage, errors } = counts;
  return `| ${name} | ${score} | ${covered} | ${killed} | ${timeout} | ${survived} | ${noCoverage} | ${errors} |`;
}

function mutantsOf(report, statuses) {
  /** @type {Undetected[]} */
  const found = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const mutant of mutants.filter(({ status }) => statuses.has(status))) {
      const { start, end } = mutant.location;
      const code = (lines[start.line - 1] ?? '').trim();
      const original =
        start.line === end.line
          ? (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1)
          : `${(lines[start.line - 1] ?? '').slice(start.column - 1).trim()} …`;
      found.push({ file, line: start.line, column: start.column, code, original, ...pick(mutant) });
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function pick({ mutatorName, replacement, status }) {
  return { mutator: mutatorName, replacement: replacement ?? '', status };
}

const matches = (explanation, mutant) =>
  explanation.file === mutant.file &&
  explanation.code === mutant.code &&
  explanation.mutator === mutant.mutator &&
  explanation.replacement === mutant.replacement;

const cell = (text) => `\`${text.replaceAll('|', '\\|').replaceAll('`', "'")}\``;

class MarkdownSummaryReporter {
  static inject = /** @type {const} */ ([commonTokens.logger, commonTokens.options]);
  startedAt = Date.now();

  constructor(log, options) {
    this.log = log;
    this.options = options;
  }

  onMutationTestReportReady(report) {
    /** @type {Explanation[]} */
    const explanations = JSON.parse(readFileSync(EXPLANATIONS, 'utf8'));
    const undetected = mutantsOf(report, UNDETECTED);
    const timedOut = mutantsOf(report, TIMED_OUT);
    const unexplained = undetected.filter((mutant) => !explanations.some((item) => matches(item, mutant)));
    const explainedTimeouts = timedOut.filter((mutant) => explanations.some((item) => matches(item, mutant)));
    const listed = [...undetected.filter((mutant) => !unexplained.includes(mutant)), ...explainedTimeouts];
    const stale = explanations.filter((item) => !listed.some((mutant) => matches(item, mutant)));
    const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
    const all = count(files.flatMap(([, file]) => file.mutants));
    const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
    const minutes = ((Date.now() - this.startedAt) / 60_000).toFixed(1);
    const incremental = this.options.incremental && !this.options.force;

    const lines = [
      `# Mutation testing: ${name}`,
      '',
      `Written by the \`markdown-summary\` reporter (\`tooling/mutation-summary\`) at the end of \`pnpm mutation\`; run`,
      'that command in this package to regenerate it. Explanations are kept in `mutation/explained.json`.',
      '',
      `- Run: ${new Date().toISOString().slice(0, 10)}, StrykerJS ${report.framework?.version ?? '?'}, ` +
        `${incremental ? 'incremental (unchanged mutants reused)' : 'full'}, ${minutes} min.`,
      `- Mutated: ${this.options.mutate.map((pattern) => `\`${pattern}\``).join(', ')}.`,
      `- **Mutation score ${all.score} %** (${all.covered} % of covered code); thresholds: ` +
        `break ${report.thresholds.break ?? 'none'}, low ${report.thresholds.low}, high ${report.thresholds.high}.`,
      `- Survivors and uncovered mutants: ${undetected.length}, explained: ${undetected.length - unexplained.length}.`,
      '',
      '| File | Score % | Covered % | Killed | Timeout | Survived | No coverage | Type errors (not counted) |',
      '| ---- | ------: | --------: | -----: | ------: | -------: | ----------: | -----------------------: |',
      row('**All files**', all),
      ...files.map(([file, { mutants }]) => row(file, count(mutants))),
      '',
      '## Survivors, explained',
      '',
      '| Where | Mutator | Mutation | Status | Kind | Why it survives |',
      '| ----- | ------- | -------- | ------ | ---- | --------------- |',
      ...listed.map((mutant) => {
        const explanation = explanations.find((item) => matches(item, mutant));
        return (
          `| ${mutant.file}:${mutant.line}:${mutant.column} | ${mutant.mutator} | ` +
          `${cell(mutant.original)} → ${cell(mutant.replacement)} | ${mutant.status} | ${explanation?.kind} | ` +
          `${explanation?.why} |`
        );
      }),
    ];
    if (unexplained.length > 0 || stale.length > 0) {
      lines.push('', '## To do: unexplained survivors and stale explanations', '');
      for (const mutant of unexplained) {
        lines.push(
          `- ${mutant.file}:${mutant.line}:${mutant.column} ${mutant.mutator}: ${cell(mutant.original)} → ${cell(mutant.replacement)}`,
        );
      }
      for (const item of stale) lines.push(`- stale: ${item.file} ${item.mutator} on ${cell(item.code)}`);
      this.log.error(
        `${unexplained.length} survivor(s) without an explanation and ${stale.length} stale explanation(s): ` +
          `kill them with a test or explain them in ${EXPLANATIONS} (listed in ${SUMMARY}).`,
      );
      process.exitCode = 1;
    }
    mkdirSync('mutation', { recursive: true });
    writeFileSync(SUMMARY, `${lines.join('\n')}\n`);
    this.log.info(`Summary written to ${SUMMARY}`);
  }
}

/** The Stryker plugin: add this module to `plugins` and `markdown-summary` to `reporters`. */
export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'markdown-summary', MarkdownSummaryReporter)];
