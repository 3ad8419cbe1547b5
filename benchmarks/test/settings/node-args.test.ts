import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings.js';

describe('--node-args', () => {
  it('takes flags that start with a dash, as the README writes them, and in the --name=value form', () => {
    expect(parseSettings(['--', '--node-args', '--max-semi-space-size=16', '--smoke']).nodeArgs).toEqual([
      '--max-semi-space-size=16',
    ]);
    expect(parseSettings(['--node-args=--a --b']).nodeArgs).toEqual(['--a', '--b']);
  });
});
