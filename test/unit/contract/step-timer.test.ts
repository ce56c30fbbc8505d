/** The operator's step timer turns amber near the norm and red only past it. */
import { describe, expect, it } from 'vitest';
import { timerState } from '../../../src-main/contract/step-timer.js';

describe('the step timer', () => {
  const norm = { normMs: 60_000, nearMs: 48_000 };
  it('is calm before amber, amber from nearMs to the norm, red only past it, calm with no norm', () => {
    expect(timerState(47_999, norm)).toBe('ok');
    expect(timerState(48_000, norm)).toBe('near');
    expect(timerState(60_000, norm)).toBe('near');
    expect(timerState(60_001, norm)).toBe('over');
    expect(timerState(59_000, { normMs: 60_000, nearMs: null })).toBe('ok');
    expect(timerState(3_600_000, { normMs: null, nearMs: null })).toBe('ok');
  });
});
