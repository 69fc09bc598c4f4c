// `sesam graph`: the example's graph in each format, read from the work tree or from a git revision (--at), to
// stdout or a file. DOT is checked by a small parser here and rendered by Graphviz when `dot` is installed.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type FixtureRepo } from '../helpers/git-fixture.js';
import { runMain } from '../helpers/run-main.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'templates', 'example');
const PIPES = [
  'country',
  'country-xml',
  'crm-person',
  'erp-customer',
  'erp-order',
  'global-person',
  'order',
  'order-line',
  'order-line-csv',
  'person',
  'person-crm-export',
  'person-endpoint',
];
const hasDot = spawnSync('dot', ['-V']).status === 0;

/** Tokens of DOT: quoted strings (with escapes), identifiers/numbers, `->` and single punctuation. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|"(?:[^"\\]|\\.)*"|->|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|[{}[\];,=]/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    m = re.exec(text);
    if (!m) throw new Error(`DOT: unexpected character at ${at}: ${JSON.stringify(text.slice(at, at + 20))}`);
    if (!/^\s+$/.test(m[0])) tokens.push(m[0]);
  }
  return tokens;
}

/** A strict little parser for the DOT subset `graph` writes; returns the declared nodes and the edges. */
function parseDot(text: string): { nodes: string[]; edges: [string, string][] } {
  const t = tokenize(text);
  let i = 0;
  const expectToken = (want: string) => {
    if (t[i] !== want) throw new Error(`DOT: expected ${want} at token ${i}, got ${t[i]}`);
    i++;
  };
  const id = () => {
    const token = t[i++];
    if (!token || !/^("|[A-Za-z_0-9-])/.test(token))
      throw new Error(`DOT: expected an id at token ${i - 1}, got ${token}`);
    // The escapes `graph` writes (\\, \", \n) mean the same in JSON.
    return token.startsWith('"') ? (JSON.parse(token) as string) : token;
  };
  const attributes = () => {
    expectToken('[');
    while (t[i] !== ']') {
      id();
      expectToken('=');
      id();
      if (t[i] === ',') i++;
    }
    expectToken(']');
  };
  expectToken('digraph');
  id();
  expectToken('{');
  const nodes: string[] = [];
  const edges: [string, string][] = [];
  while (t[i] !== '}') {
    if (t[i] === 'node' || t[i] === 'edge') {
      i++;
      attributes();
    } else {
      const first = id();
      if (t[i] === '=') {
        i++;
        id();
      } else if (t[i] === '->') {
        i++;
        edges.push([first, id()]);
        if (t[i] === '[') attributes();
      } else {
        nodes.push(first);
        if (t[i] === '[') attributes();
      }
    }
    expectToken(';');
  }
  expectToken('}');
  if (i !== t.length) throw new Error('DOT: text after the graph');
  return { nodes, edges };
}

describe('sesam graph', () => {
  let repo: FixtureRepo;
  const graph = (...args: string[]) => runMain(['graph', ...args], { cwd: repo.dir, env: repo.env });

  beforeAll(() => {
    repo = createRepo();
    cpSync(EXAMPLE, repo.dir, { recursive: true });
    repo.commit('the example');
  });

  it('prints Mermaid by default, with every pipe and system', async () => {
    const r = await graph();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    for (const pipe of PIPES) expect(r.stdout).toContain(`("${pipe}")`);
    expect(r.stdout).toContain('{{"crm-db"}}');
    expect(r.stdout).toMatch(/n\d+ ==>\|"merge"\| n\d+/);
  });

  it('writes DOT that parses, names every node it links, and renders with Graphviz when installed', async () => {
    const r = await graph('--format', 'dot');
    expect(r.code, r.stderr).toBe(0);
    const { nodes, edges } = parseDot(r.stdout);
    expect(nodes.filter((n) => n.startsWith('pipe:')).sort()).toEqual(PIPES.map((p) => `pipe:${p}`).sort());
    for (const [from, to] of edges) expect(nodes).toEqual(expect.arrayContaining([from, to]));
    expect(edges).toContainEqual(['pipe:global-person', 'pipe:person']);
    if (!hasDot) {
      console.warn('Graphviz `dot` is not installed: checked the DOT syntax only.');
      return;
    }
    const rendered = spawnSync('dot', ['-Tsvg'], { input: r.stdout, encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stderr).toBe('');
    expect(rendered.stdout).toContain('<svg');
  });

  it('writes a laid-out SVG and JSON with -o FILE', async () => {
    const r = await graph('--format', 'svg', '-o', 'graph.svg');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const svg = readFileSync(join(repo.dir, 'graph.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(svg.match(/<g class="node pipe"/g)).toHaveLength(PIPES.length);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const json = await graph('--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      schemaVersion: 1,
      nodes: expect.any(Array),
      edges: expect.any(Array),
    });
  });

  it('--at REV reads the config from git objects, not from the work tree', async () => {
    rmSync(join(repo.dir, 'pipes', 'person-endpoint.conf.json'));
    const ids = async (...args: string[]) =>
      (JSON.parse((await graph('--format', 'json', ...args)).stdout).nodes as { id: string }[]).map((n) => n.id);
    expect(await ids()).not.toContain('pipe:person-endpoint');
    expect(await ids('--at', 'HEAD')).toContain('pipe:person-endpoint');
    const missing = await graph('--at', 'no-such-rev');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('no-such-rev');
  });

  it('names a bad --format and takes no arguments', async () => {
    const r = await graph('--format', 'png');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--format must be one of mermaid, dot, svg, json, not 'png'");
    expect((await graph('pipes')).code).toBe(2);
  });
});
