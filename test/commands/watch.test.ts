import { describe, expect, it } from 'vitest';
import { stepFor } from '../../src/commands/watch.js';

describe('which work a change needs', () => {
  it('verifies only for expected/, uploads the config for pipes and systems, everything otherwise', () => {
    expect(stepFor(['expected/a.json', 'expected/a.test.json'])).toBe('verify');
    expect(stepFor(['pipes/a.conf.json'])).toBe('config');
    expect(stepFor(['pipes/a.conf.json', 'systems/s.conf.json', 'node-metadata.conf.json'])).toBe('config');
    expect(stepFor(['pipes/a.conf.json', 'expected/a.json'])).toBe('config');
    expect(stepFor(['test-env.json'])).toBe('full');
    expect(stepFor(['testdata/a.json', 'expected/a.json'])).toBe('full');
  });
});
