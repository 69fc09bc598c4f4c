import { describe, expect, it } from 'vitest';
import { JsonFloat } from '../../src/format/json.js';
import { injectNodeMetadata, removeTaskManagerSettings, wipeMetadata } from '../../src/workspace/node-metadata.js';

const flags = { enableUserPipes: false, disableCppExtensions: false, enableEagerMs: false };

describe('node metadata', () => {
  it('injects what upload sends, without changing the input', () => {
    const local = { _id: 'node', type: 'metadata', global_defaults: { ratio: new JsonFloat(1) } };
    const out = injectNodeMetadata(local, flags);
    expect(out).toEqual({
      _id: 'node',
      type: 'metadata',
      global_defaults: { ratio: new JsonFloat(1), eager_load_microservices: false },
      task_manager: { disable_user_pipes: true },
    });
    expect(local).toEqual({ _id: 'node', type: 'metadata', global_defaults: { ratio: new JsonFloat(1) } });
    expect(
      injectNodeMetadata(local, { enableUserPipes: true, disableCppExtensions: true, enableEagerMs: true }),
    ).toMatchObject({
      task_manager: { disable_user_pipes: false },
      global_defaults: { enable_cpp_extensions: false, eager_load_microservices: true },
    });
  });

  it('takes injected values out again, restoring local values and dropping empty sections', () => {
    const remote = {
      _id: 'node',
      type: 'metadata',
      task_manager: { disable_user_pipes: true },
      global_defaults: { enable_cpp_extensions: false, eager_load_microservices: false },
    };
    expect(removeTaskManagerSettings(remote, undefined)).toEqual({ _id: 'node', type: 'metadata' });
    expect(
      removeTaskManagerSettings(remote, {
        task_manager: { disable_user_pipes: false },
        global_defaults: { eager_load_microservices: false },
      }),
    ).toEqual({
      _id: 'node',
      type: 'metadata',
      task_manager: { disable_user_pipes: false },
      global_defaults: { eager_load_microservices: false },
    });
    // Values upload never forces stay as the node has them.
    const kept = {
      _id: 'node',
      task_manager: { disable_user_pipes: false },
      global_defaults: { eager_load_microservices: true },
    };
    expect(removeTaskManagerSettings(kept, undefined)).toEqual(kept);
  });

  it('builds the wipe metadata from the local file or a default', () => {
    expect(wipeMetadata(undefined)).toEqual({
      _id: 'node',
      type: 'metadata',
      global_defaults: {
        use_signalling_internally: false,
        use_signalling_externally: false,
        enable_cpp_extensions: false,
      },
      task_manager: { disable_user_pipes: true },
    });
  });
});
