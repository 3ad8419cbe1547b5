import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Watches the resident set size of some processes during one measured window. */
export interface PeakRssProbe {
  /** Peak RSS in bytes per process name, since the probe started. */
  stop(): Record<string, number>;
}

const SAMPLE_MS = 50;

/**
 * Starts measuring the peak RSS of each process. On Linux it resets the kernel's high-water mark
 * (`/proc/<pid>/clear_refs` value 5) so that `VmHWM` covers only this window, and also samples `VmRSS` every 50 ms
 * (the reset needs ownership of the process; sampling works regardless). Elsewhere it samples `ps -o rss=`.
 */
export function startPeakRss(processes: readonly { name: string; pid: number }[]): PeakRssProbe {
  const linux = process.platform === 'linux';
  const hwmReset = new Map<number, boolean>();
  const peaks = new Map<number, number>();
  for (const { pid } of processes) {
    hwmReset.set(pid, linux && resetHighWaterMark(pid));
    peaks.set(pid, 0);
  }
  const sample = (): void => {
    for (const { pid } of processes) {
      const rss = linux ? procStatusBytes(pid, 'VmRSS') : psRssBytes(pid);
      if (rss !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rss));
    }
  };
  sample();
  const timer = setInterval(sample, linux ? SAMPLE_MS : SAMPLE_MS * 5);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const result: Record<string, number> = {};
      for (const { name, pid } of processes) {
        const hwm = hwmReset.get(pid) ? procStatusBytes(pid, 'VmHWM') : undefined;
        result[name] = Math.max(peaks.get(pid) ?? 0, hwm ?? 0);
      }
      return result;
    },
  };
}

function resetHighWaterMark(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

function psRssBytes(pid: number): number | undefined {
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}
