// `--node local` and `sesam serve` load `$SECRET(...)` values from the git-ignored .sesam/secrets.json.
import { describe, expect, it } from 'vitest';
import { connectLocalNode } from '../../src/local-node/index.js';
import { createLogger } from '../../src/log.js';
import { tempProject } from '../helpers/tmp.js';

const log = createLogger({ stream: { write: () => true }, verbosity: 0, color: false });

describe('local secrets file', () => {
  it('loads the secrets into the embedded node, names only on the API', async () => {
    const projectDir = tempProject({ '.sesam/secrets.json': { 'crm-db-password': 's3cret-value' } });
    const api = await connectLocalNode({ projectDir, log, memory: true });
    try {
      expect(await api.getSecrets()).toEqual(['crm-db-password']);
    } finally {
      await api.close();
    }
  });

  it('works without the file', async () => {
    const api = await connectLocalNode({ projectDir: tempProject({}), log, memory: true });
    try {
      expect(await api.getSecrets()).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('names the file when a value is not a string', async () => {
    const projectDir = tempProject({ '.sesam/secrets.json': { port: 5432 } });
    await expect(connectLocalNode({ projectDir, log, memory: true })).rejects.toThrow(
      /Secret 'port' in .*secrets\.json must be a string/,
    );
  });
});
