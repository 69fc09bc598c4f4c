// System secrets and the metadata shape connector tooling relies on, through the API client and the real engine
// in-process; secrets die with their system and survive a reopen of the store.
import { describe, expect, it } from 'vitest';
import { connectLocalNode } from '../../../src/local-node/index.js';
import { createLogger } from '../../../src/log.js';
import { tempDir } from '../../helpers/tmp.js';

const log = createLogger({ stream: { write: () => true }, verbosity: 0, color: false });

describe('system secrets on the embedded node', () => {
  it('lists names only, replaces with PUT, adds with POST, and dies with the system', async () => {
    const dir = tempDir();
    let api = await connectLocalNode({ projectDir: dir, log });
    await api.putConfig(
      {
        json: [
          { _id: 'crm', type: 'system:rest' },
          { _id: 'erp', type: 'system:url' },
        ],
      },
      { force: false },
    );
    await api.putSystemSecrets('crm', { token: 't1', key: 'k1' });
    expect((await api.getSystems()).map((s) => s._id)).toEqual(['crm', 'erp']);
    await api.close();

    api = await connectLocalNode({ projectDir: dir, log });
    expect(api.engine.getSystemSecretNames('crm')).toEqual(['key', 'token']);
    api.engine.putSystemSecrets('crm', { extra: 'e' }, false);
    expect(api.engine.getSystemSecretNames('crm')).toEqual(['extra', 'key', 'token']);
    await api.putSystemSecrets('crm', { only: 'o' });
    expect(api.engine.getSystemSecretNames('crm')).toEqual(['only']);
    await expect(api.putSystemSecrets('nope', { a: 'b' })).rejects.toMatchObject({
      reason: expect.stringContaining("No system with the id 'nope'"),
    });

    await api.putConfig({ json: [{ _id: 'erp', type: 'system:url' }] }, { force: false });
    await api.putConfig({ json: [{ _id: 'crm', type: 'system:rest' }] }, { force: false });
    expect(api.engine.getSystemSecretNames('crm')).toEqual([]);
    await api.close();
  });

  it("counts a system's own secrets when it checks the system's $SECRET names", async () => {
    const api = await connectLocalNode({ projectDir: tempDir(), log, memory: true });
    const config = [{ _id: 'crm', type: 'system:rest', password: '$SECRET(api_key)' }];
    const before = await api.putConfig({ json: config }, { force: false });
    expect(JSON.stringify(before.validationErrors)).toContain("Unknown secret 'api_key'");
    await api.putSystemSecrets('crm', { api_key: 'k' });
    const after = await api.putConfig({ json: config }, { force: false });
    expect(after.validationErrors).toEqual([]);
    await api.close();
  });

  it('answers GET /metadata with the entity under config, and PUT /metadata stores it', async () => {
    const api = await connectLocalNode({ projectDir: tempDir(), log, memory: true });
    await api.putMetadata({ global_defaults: { infer_pipe_entity_types: true } });
    const metadata = await api.getMetadata();
    expect(metadata).toEqual({
      _id: 'node',
      config: {
        original: { global_defaults: { infer_pipe_entity_types: true }, _id: 'node', type: 'metadata' },
        effective: { global_defaults: { infer_pipe_entity_types: true }, _id: 'node', type: 'metadata' },
      },
    });
    await api.close();
  });
});
