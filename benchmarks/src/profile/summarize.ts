/**
 * Summarizes `--cpu-prof` profiles: `pnpm --filter @ema/benchmarks profile:summary <file.cpuprofile>...`.
 * Prints, per profile, where the busy time went: by place (npm package, Node internal module, workspace file),
 * by function (self time), and by workspace function including its callees.
 */
import { basename } from 'node:path';
import { readCpuProfile, type Share, summarizeProfile } from './cpu-profile.js';

const TOP = Number(process.env.TOP ?? '25');
const files = process.argv.slice(2).filter((arg) => arg !== '--');
if (files.length === 0) {
  console.error('usage: profile:summary <file.cpuprofile>...');
  process.exitCode = 2;
}
for (const file of files) {
  const summary = summarizeProfile(readCpuProfile(file));
  console.log(`\n## ${basename(file)}: ${summary.busyMs} ms busy (idle excluded)\n`);
  section('by place (self time)', summary.byPlace);
  section('by function (self time)', summary.bySelf);
  section('workspace functions (inclusive: themselves and what they call)', summary.byInclusive);
}

function section(title: string, shares: readonly Share[]): void {
  console.log(`### ${title}\n\n| share | ms | where |\n| ---: | ---: | --- |`);
  for (const share of shares.slice(0, TOP)) {
    console.log(`| ${(share.share * 100).toFixed(1)}% | ${share.ms} | ${share.name} |`);
  }
  console.log('');
}
