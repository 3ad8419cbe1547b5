import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** What a probe saw of each process during one measured window. */
export interface ProcessUsage {
  /** Peak RSS in bytes per process name. */
  peakRssBytes: Record<string, number>;
  /** CPU time (user + system, all threads) per process name, in milliseconds; absent where unreadable. */
  cpuMs: Record<string, number>;
  /**
   * CPU time of the main thread alone (the event loop: JavaScript, SQLite, parsing) per process name, in milliseconds;
   * Linux only. WebCrypto signs and verifies on libuv's pool, so this is what saturates first.
   */
  mainThreadCpuMs: Record<string, number>;
}

/** Watches the resident set size and CPU time of some processes during one measured window. */
export interface PeakRssProbe {
  stop(): ProcessUsage;
}

const SAMPLE_MS = 50;
/** `getconf CLK_TCK`: 100 on every Linux configuration Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts measuring the peak RSS and the CPU time of each process. On Linux it resets the kernel's high-water mark
 * (`/proc/<pid>/clear_refs` value 5) so that `VmHWM` covers only this window, and also samples `VmRSS` every 50 ms
 * (the reset needs ownership of the process; sampling works regardless). Elsewhere it samples `ps -o rss=`.
 */
export function startPeakRss(
  processes: readonly { name: string; pid: number; withChildren?: boolean }[],
): PeakRssProbe {
  const linux = process.platform === 'linux';
  const hwmReset = new Map<number, boolean>();
  const peaks = new Map<number, number>();
  const cpuAtStart = new Map<number, number | undefined>();
  const mainThreadCpuAtStart = new Map<number, number | undefined>();
  // A child that exits during the window takes its CPU time with it (the kernel adds it to the parent's `cutime`,
  // which is not read): PostgreSQL's backends live as long as the apps' pooled connections, so few do.
  const childrenAtStart = new Map<number, Map<number, number>>();
  for (const { pid, withChildren } of processes) {
    hwmReset.set(pid, linux && resetHighWaterMark(pid));
    peaks.set(pid, 0);
    cpuAtStart.set(pid, linux ? cpuTimeMs(`/proc/${pid}/stat`) : undefined);
    if (linux && withChildren === true) childrenAtStart.set(pid, childrenCpuMs(pid));
    mainThreadCpuAtStart.set(pid, linux ? cpuTimeMs(`/proc/${pid}/task/${pid}/stat`) : undefined);
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
      const peakRssBytes: Record<string, number> = {};
      const cpuMs: Record<string, number> = {};
      const mainThreadCpuMs: Record<string, number> = {};
      const since = (start: number | undefined, file: string, into: Record<string, number>, name: string): void => {
        const end = linux ? cpuTimeMs(file) : undefined;
        if (start !== undefined && end !== undefined) into[name] = end - start;
      };
      for (const { name, pid } of processes) {
        const hwm = hwmReset.get(pid) ? procStatusBytes(pid, 'VmHWM') : undefined;
        peakRssBytes[name] = Math.max(peaks.get(pid) ?? 0, hwm ?? 0);
        since(cpuAtStart.get(pid), `/proc/${pid}/stat`, cpuMs, name);
        const before = childrenAtStart.get(pid);
        if (before !== undefined && cpuMs[name] !== undefined) {
          // Children born in the window count from zero.
          for (const [child, ms] of childrenCpuMs(pid)) cpuMs[name] += ms - (before.get(child) ?? 0);
        }
        since(mainThreadCpuAtStart.get(pid), `/proc/${pid}/task/${pid}/stat`, mainThreadCpuMs, name);
      }
      return { peakRssBytes, cpuMs, mainThreadCpuMs };
    },
  };
}

/**
 * utime + stime in milliseconds from a `stat` file: `/proc/<pid>/stat` for the whole process (every thread: the main
 * thread and libuv's pool, where WebCrypto signs), `/proc/<pid>/task/<pid>/stat` for the main thread. Fields 14 and
 * 15, counted after the parenthesised command name.
 */
function cpuTimeMs(file: string): number | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) of each child process of `parent`, read from `/proc/<pid>/stat` (field 4 is the parent's pid). */
function childrenCpuMs(parent: number): Map<number, number> {
  const children = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== parent) continue;
      const ms = cpuTimeMs(`/proc/${entry}/stat`);
      if (ms !== undefined) children.set(Number(entry), ms);
    } catch {
      // Exited between the listing and the read.
    }
  }
  return children;
}

function resetHighWaterMark(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** A process's resident set size now, in bytes (`/proc`, else `ps`). */
export function currentRssBytes(pid: number): number | undefined {
  return procStatusBytes(pid, 'VmRSS') ?? psRssBytes(pid);
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
