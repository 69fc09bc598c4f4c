import { describe, expect, it } from 'vitest';
import { parseJson, type JsonObject } from '../../src/format/json.js';
import { pipeReferences, sinkDataset, validateProject, type Problem } from '../../src/workspace/validate.js';
import { SESAM_PY, HAVE_FIXTURES, SKIP_REASON } from '../format/fixtures.js';
import { join } from 'node:path';
import { tempProject } from '../helpers/tmp.js';

const show = (problems: Problem[]) => problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);

const good = {
  'pipes/in.conf.json': { _id: 'in', type: 'pipe', source: { type: 'embedded', entities: [] } },
  'pipes/mid.conf.json': {
    _id: 'mid',
    type: 'pipe',
    source: { type: 'merge', datasets: ['in i', 'other o'] },
    sink: { type: 'dataset', dataset: 'middle' },
  },
  'pipes/other.conf.json': { _id: 'other', type: 'pipe', source: { type: 'sql', system: 'db', table: 't' } },
  'pipes/out.conf.json': {
    _id: 'out',
    type: 'pipe',
    source: { type: 'dataset', dataset: 'middle' },
    transform: {
      type: 'dtl',
      rules: {
        default: [
          ['add', 'x', ['hops', { datasets: ['in a'], where: ['eq', '_S._id', 'a._id'] }]],
          ['add', 'y', ['apply-hops', 'sub', { datasets: ['system:config c'] }]],
          ['add', 'z', ['lookup-entity', 'other', '_S._id']],
          ['add', 'env', '$ENV(greeting)'],
        ],
        sub: [['copy', '*']],
      },
    },
    sink: { type: 'http_endpoint' },
  },
  'systems/db.conf.json': { _id: 'db', type: 'system:postgresql', password: '$SECRET(pw)' },
  'node-metadata.conf.json': { _id: 'node', type: 'metadata' },
  'test-env.json': { greeting: 'hi', 'node-env': 'test' },
  'expected/out.test.json': { pipe: 'out' },
  'expected/out.json': [],
  'testdata/in.json': [{ _id: '1' }],
};

describe('validateProject', () => {
  it('accepts a consistent project', () => {
    const report = validateProject(tempProject(good), { profile: 'test' });
    expect(show(report.errors)).toEqual([]);
    expect(show(report.warnings)).toEqual([]);
    expect(report.filesChecked).toBe(10);
  });

  it('reports invalid JSON anywhere with line and column', () => {
    const root = tempProject({
      ...good,
      'pipes/broken.conf.json': '{\n  "_id": "broken",\n  "type": "pipe",\n}\n',
      'expected/out.json': '[\n  {"a": 1}\n  {"b": 2}\n]\n',
      'testdata/in.json': '[}',
      'test-env.json': '{"greeting": "hi" "x": 1}',
    });
    const report = validateProject(root, { profile: 'test' });
    expect(report.errors.map((p) => [p.file, p.line, p.column])).toEqual([
      ['test-env.json', 1, 19],
      ['pipes/broken.conf.json', 4, 1],
      ['expected/out.json', 3, 3],
      ['testdata/in.json', 1, 2],
    ]);
    expect(report.errors[1]!.message).toBe(
      'Invalid JSON: Expecting property name enclosed in double quotes: line 4 column 1 (char 39)',
    );
  });

  it('checks config shape: _id, pipe and system types, node metadata', () => {
    const root = tempProject({
      ...good,
      'pipes/noid.conf.json': { type: 'pipe' },
      'pipes/sys.conf.json': { _id: 'sys', type: 'system:url' },
      'pipes/list.conf.json': [{ _id: 'l1', type: 'pipe' }, 'oops'],
      'systems/notsys.conf.json': { _id: 'notsys', type: 'pipe' },
      'node-metadata.conf.json': { _id: 'node', type: 'pipe' },
    });
    expect(show(validateProject(root, { profile: 'test' }).errors)).toEqual([
      'pipes/list.conf.json: A configuration must be a JSON object (in the list)',
      'pipes/noid.conf.json: The configuration has no string "_id"',
      `pipes/sys.conf.json:3: 'sys' is in pipes/ but its "type" is "system:url", not "pipe"`,
      `systems/notsys.conf.json:3: 'notsys' is in systems/ but its "type" is "pipe", not "system:<kind>"`,
      `node-metadata.conf.json:3: The node metadata's "type" is "pipe", not "metadata"`,
    ]);
  });

  it('reports duplicate ids and warns about file names that differ from the _id', () => {
    const root = tempProject({
      ...good,
      'pipes/copy.conf.json': {
        _id: 'in',
        type: 'pipe',
        source: { type: 'embedded', entities: [] },
        sink: { type: 'null' },
      },
    });
    const report = validateProject(root, { profile: 'test' });
    expect(show(report.errors)).toEqual([
      `pipes/in.conf.json:2: Duplicate pipe _id 'in' (also in pipes/copy.conf.json)`,
    ]);
    expect(show(report.warnings)).toEqual([
      `pipes/copy.conf.json:2: The file name does not match the pipe's _id 'in' (expected pipes/in.conf.json)`,
    ]);
  });

  it('reports dataset and system references nobody provides', () => {
    const root = tempProject({
      ...good,
      'pipes/bad.conf.json': {
        _id: 'bad',
        type: 'pipe',
        source: { type: 'union_datasets', datasets: ['in', 'nowhere'] },
        transform: [
          {
            type: 'dtl',
            rules: {
              default: [
                ['add', 'h', ['hops', { datasets: ['ghost g'] }]],
                ['add', 'l', ['lookup-entity', 'phantom', '_S.x']],
              ],
            },
          },
          { type: 'http', system: 'missing-system' },
        ],
        sink: { type: 'dataset', dataset: 'in' },
      },
    });
    const report = validateProject(root, { profile: 'test' });
    expect(show(report.errors)).toEqual([
      `pipes/bad.conf.json:23: Pipe 'bad': hops dataset (rule 'default') 'ghost' is not written by any pipe`,
      `pipes/bad.conf.json:33: Pipe 'bad': lookup-entity dataset (rule 'default') 'phantom' is not written by any pipe`,
      `pipes/bad.conf.json:42: Pipe 'bad': transform system 'missing-system' is not defined in systems/`,
    ]);
    // A multi-dataset source runs without the dataset (ignore_non_existent_datasets): a warning, not an error.
    expect(show(report.warnings)).toEqual([
      `pipes/in.conf.json:2: Pipe 'in' writes to dataset 'in', as pipe 'bad' does`,
      `pipes/bad.conf.json:8: Pipe 'bad': source dataset 'nowhere' is not written by any pipe`,
    ]);
  });

  it('checks $ENV references against variables/variables-<profile>.json in that layout', () => {
    const { 'test-env.json': _env, ...rest } = good;
    const root = tempProject({ ...rest, 'variables/variables-test.json': { 'node-env': 'test' } });
    const report = validateProject(root, { profile: 'test' });
    expect(report.errors).toEqual([]);
    expect(show(report.warnings)).toEqual([
      'pipes/out.conf.json:54: $ENV(greeting) is not defined in variables/variables-test.json',
    ]);
  });

  it('follows the transforms of a chained transform', () => {
    const refs = pipeReferences({
      _id: 'c',
      type: 'pipe',
      source: { type: 'dataset', dataset: 'in' },
      transform: {
        type: 'chained',
        transforms: [
          { type: 'dtl', rules: { default: [['add', 'x', ['hops', { datasets: ['orgs o'], where: [] }]]] } },
          { type: 'rest', system: 'api' },
        ],
      },
    });
    expect(refs.datasets.map((d) => d.dataset)).toEqual(['in', 'orgs']);
    expect(refs.systems.map((s) => s.id)).toEqual(['api']);
  });

  it('follows the conditional alternative the profile selects', () => {
    const conditional = (condition: string) => ({
      _id: 'cond',
      type: 'pipe',
      source: {
        type: 'conditional',
        condition,
        alternatives: { prod: { type: 'dataset', dataset: 'non_exists' }, test: { type: 'embedded', entities: [] } },
      },
    });
    const literal = validateProject(tempProject({ ...good, 'pipes/cond.conf.json': conditional('test') }), {
      profile: 'test',
    });
    expect(show(literal.errors)).toEqual([]);
    const viaEnv = validateProject(tempProject({ ...good, 'pipes/cond.conf.json': conditional('$ENV(node-env)') }), {
      profile: 'test',
    });
    expect(show(viaEnv.errors)).toEqual([]);
    const prod = validateProject(
      tempProject({
        ...good,
        'pipes/cond.conf.json': conditional('$ENV(node-env)'),
        'prod-env.json': { 'node-env': 'prod', greeting: 'x' },
      }),
      { profile: 'prod' },
    );
    expect(show(prod.errors)).toEqual([
      `pipes/cond.conf.json:10: Pipe 'cond': source (alternative 'prod') dataset 'non_exists' is not written by any pipe`,
    ]);
    const unknown = validateProject(tempProject({ ...good, 'pipes/cond.conf.json': conditional('staging') }), {
      profile: 'test',
    });
    expect(show(unknown.warnings)).toEqual([
      `pipes/cond.conf.json: Pipe 'cond': the conditional source has no alternative 'staging'`,
    ]);
  });

  it('warns about $ENV variables the profile does not define', () => {
    const root = tempProject({ ...good, 'test-env.json': { 'node-env': 'test' } });
    expect(show(validateProject(root, { profile: 'test' }).warnings)).toEqual([
      'pipes/out.conf.json:54: $ENV(greeting) is not defined in test-env.json',
    ]);
    const noEnv = tempProject({ ...good, 'test-env.json': '' });
    const report = validateProject(noEnv, { profile: 'prod' });
    expect(show(report.warnings)).toEqual([
      'prod-env.json: Profile file not found: 1 $ENV(...) reference(s) cannot be checked',
    ]);
  });

  it('checks test specs and test data against the pipes', () => {
    const root = tempProject({
      ...good,
      'expected/ghost.test.json': {},
      'expected/mid.test.json': { pipe: 'mid', file: 'mid-output.json' },
      'expected/skip.test.json': { pipe: 'out', file: 'nothing.json', ignore: true },
      'expected/list.test.json': [],
      'expected/data.csv': 'not json, not read',
      'testdata/nobody.json': [],
      'testdata/scalar.json': '5',
      'pipes/scalar.conf.json': { _id: 'scalar', type: 'pipe', source: { type: 'http_endpoint' } },
    });
    const report = validateProject(root, { profile: 'test' });
    expect(show(report.errors)).toEqual([
      `expected/ghost.test.json: The test spec refers to pipe 'ghost', which is not in pipes/`,
      'expected/list.test.json: A test spec must hold a JSON object',
      `expected/mid.test.json:3: The test spec refers to 'expected/mid-output.json', which does not exist`,
      `testdata/nobody.json: Test data for pipe 'nobody', which is not in pipes/`,
      'testdata/scalar.json: Test data must be a list of entities, one entity object or null',
    ]);
    expect(show(report.warnings)).toEqual([
      `expected/mid.test.json: Pipe 'mid' writes to a dataset: verify only tests output and endpoint pipes`,
    ]);
  });
});

describe('pipe helpers', () => {
  it('finds the sink dataset', () => {
    const pipe = (json: string) => parseJson(json) as JsonObject;
    expect(sinkDataset(pipe('{"_id": "p"}'))).toBe('p');
    expect(sinkDataset(pipe('{"_id": "p", "sink": {"type": "dataset"}}'))).toBe('p');
    expect(sinkDataset(pipe('{"_id": "p", "sink": {"type": "dataset", "dataset": "d"}}'))).toBe('d');
    expect(sinkDataset(pipe('{"_id": "p", "sink": {"type": "csv_endpoint"}}'))).toBeUndefined();
  });

  it('collects merge aliases and nested hops', () => {
    const refs = pipeReferences(
      parseJson(
        '{"_id":"p","source":{"type":"merge","datasets":["a x","b   y"]},"transform":{"type":"dtl","rules":{"r":[["add","k",["hops",{"datasets":["c c"],"where":[["eq","c.x",["hops",{"datasets":"d d"}]]]},{"datasets":["e e"]}]]]}}}',
      ) as JsonObject,
    );
    expect(refs.datasets.map((d) => d.dataset)).toEqual(['a', 'b', 'c', 'e', 'd']);
  });
});

describe.skipIf(!HAVE_FIXTURES)(`validate sesam-py fixtures${HAVE_FIXTURES ? '' : ` (${SKIP_REASON})`}`, () => {
  it('finds no errors, only the known file-name mismatches', () => {
    const before = validateProject(join(SESAM_PY, 'embedded_conversion_test-before'), { profile: 'test' });
    expect(show(before.errors)).toEqual([]);
    expect(before.warnings.map((w) => w.file)).toEqual([
      'pipes/input-pipe-3.conf.json',
      'pipes/input-pipe-with-norwegian-characters.conf.json',
    ]);
    const fair = validateProject(join(SESAM_PY, 'fair_weather_test'), { profile: 'test' });
    expect(show(fair.errors)).toEqual([]);
    expect(show(fair.warnings)).toEqual([]);
  });
});
