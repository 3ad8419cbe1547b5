import { describe, expect, it } from 'vitest';
import { StackError } from '../src/errors.js';
import { prettyLogs } from '../src/log-format.js';

describe('prettyLogs (EMA_LOG_FORMAT)', () => {
  it('[KIT-DEV-LOGS-READABLE] follows the launcher’s own terminal unless EMA_LOG_FORMAT says otherwise', () => {
    expect(prettyLogs({}, true)).toBe(true);
    expect(prettyLogs({}, false)).toBe(false);
    expect(prettyLogs({ EMA_LOG_FORMAT: 'json' }, true)).toBe(false);
    expect(prettyLogs({ EMA_LOG_FORMAT: 'pretty' }, false)).toBe(true);
    expect(prettyLogs({ EMA_LOG_FORMAT: '' }, true)).toBe(true);
  });

  it('refuses another value, naming the variable', () => {
    expect(() => prettyLogs({ EMA_LOG_FORMAT: 'yaml' }, true)).toThrow(StackError);
    expect(() => prettyLogs({ EMA_LOG_FORMAT: 'yaml' }, true)).toThrow(/^EMA_LOG_FORMAT: /);
  });
});
