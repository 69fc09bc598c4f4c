import { describe, expect, it } from 'vitest';
import { branchLabel, legacyBranchLabel, nodeBranches } from '../../src/snapshots/refs.js';

describe('snapshot branch labels', () => {
  it('name a node by its whole host and any non-default port', () => {
    expect(branchLabel('https://datahub-1a2b3c.sesam.cloud/api')).toBe('datahub-1a2b3c.sesam.cloud');
    expect(branchLabel('http://127.0.0.1:19042/api')).toBe('127.0.0.1-19042');
    expect(branchLabel('https://Dev.A.com:443/api')).toBe('dev.a.com');
    expect(branchLabel('https://dev.a.com:8443/api')).toBe('dev.a.com-8443');
    expect(branchLabel('http://[::1]:9042/api')).toBe('__1-9042');
    expect(branchLabel('local')).toBe('local');
  });

  it("keep the first release's label for reading old branches", () => {
    expect(legacyBranchLabel('https://datahub-1a2b3c.sesam.cloud/api')).toBe('datahub-1a2b3c');
    expect(legacyBranchLabel('http://127.0.0.1:19042/api')).toBe('127.0.0.1');
    expect(nodeBranches('https://dev.a.com/api')).toEqual({
      labels: ['dev.a.com'],
      legacy: { label: 'dev', nodeUrl: 'https://dev.a.com/api' },
    });
    expect(nodeBranches('local')).toEqual({ labels: ['local'] });
  });
});
