import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where time went: per function and per place (package, Node internal module or workspace file). */
export interface ProfileSummary {
  /** Sampled time, idle excluded, in milliseconds. */
  busyMs: number;
  byPlace: Share[];
  bySelf: Share[];
  /** Workspace (apps/ and packages/) functions by inclusive time: themselves plus everything they called. */
  byInclusive: Share[];
}

export interface Share {
  name: string;
  ms: number;
  /** Fraction of `busyMs`. */
  share: number;
}

const IDLE = new Set(['(idle)', '(root)']);

/** Reads a `.cpuprofile` file. */
export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/**
 * Attributes the profile's samples: self time per function and per place, and inclusive time per workspace function
 * (counted once per sample even under recursion).
 */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time since the previous sample: attribute it to this sample's node.
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });

  const self = new Map<string, number>();
  const places = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyMs = 0;
  for (const [id, ms] of selfByNode) {
    const node = nodes.get(id);
    if (node === undefined || IDLE.has(node.callFrame.functionName)) continue;
    busyMs += ms;
    add(self, functionLabel(node), ms);
    add(places, place(node.callFrame.url, node.callFrame.functionName), ms);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = nodes.get(current);
      if (frame === undefined || !isWorkspace(frame.callFrame.url)) continue;
      const label = functionLabel(frame);
      if (seen.has(label)) continue;
      seen.add(label);
      add(inclusive, label, ms);
    }
  }
  const rank = (map: Map<string, number>): Share[] =>
    [...map]
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: busyMs > 0 ? ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { busyMs: Math.round(busyMs), byPlace: rank(places), bySelf: rank(self), byInclusive: rank(inclusive) };
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  return url ? `${shortPath(url)}:${lineNumber + 1} ${name}` : name;
}

function isWorkspace(url: string): boolean {
  return /\/(apps|packages)\/[^/]+\/(dist|src)\//.test(url) && !url.includes('/node_modules/');
}

/** A package name, a Node internal module, a workspace file, or a V8 pseudo-frame such as `(garbage collector)`. */
function place(url: string, functionName: string): string {
  if (!url) return functionName || '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg?.[1]) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url;
  return shortPath(url);
}

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const workspace = /\/((?:apps|packages|benchmarks)\/.*)$/.exec(path);
  if (workspace?.[1] && !path.includes('/node_modules/')) return workspace[1];
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(.*)$/.exec(path);
  return pkg?.[1] ?? path;
}
