// Rendering connector templates as sesam-py does (connectorpy.render): Jinja2 with `{{@ @}}` variables and
// `{{% %}}` blocks, Python's str() for what a variable prints, undefined variables as empty strings, the rendered
// text parsed as JSON (one object or a list of them), and boolean parameters put in afterwards as JSON true/false.
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { describeError, inputError, isSesamError } from '../errors.js';
import { isJsonObject, JsonSyntaxError, parseJson, type JsonObject, type JsonValue } from '../format/json.js';
import { isFile } from '../workspace/project.js';
import { pyJsonDumpsCompact, pyStr } from './python-text.js';

export type TemplateProps = Record<string, JsonValue>;

// nunjucks prints values with JavaScript's String() (null as ''); Jinja2 prints Python's str() (None, True,
// ['a', 'b'], 1.0). Compiled templates print through runtime.suppressValue, so while one of our renders runs it
// prints the Python way. Rendering is synchronous, so the switch never leaks into another render.
type SuppressValue = (value: unknown, autoescape: boolean) => unknown;
const runtime = nunjucks.runtime as unknown as { suppressValue: SuppressValue };
const nunjucksSuppressValue = runtime.suppressValue;
let pythonRender: { autoescape: boolean } | undefined;
runtime.suppressValue = (value, autoescape) => {
  if (!pythonRender) return nunjucksSuppressValue(value, autoescape);
  if (value === undefined) return '';
  if (value instanceof nunjucks.runtime.SafeString) return String(value);
  const text = pyStr(value);
  return pythonRender.autoescape ? markupEscape(text) : text;
};

/** markupsafe.escape, which Jinja2's autoescape uses. */
function markupEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}

/** Jinja2's select_autoescape(): on for .html, .htm and .xml template names only. */
function autoescapeFor(name: string): boolean {
  return /\.(html|htm|xml)$/i.test(name);
}

/**
 * Jinja2's FileSystemLoader path rules: '/'-separated, empty and '.' segments dropped (so an absolute path is read
 * relative to the folder), '..' refused. Undefined when the name cannot be a template.
 */
export function templatePath(name: string): string | undefined {
  const pieces: string[] = [];
  for (const piece of name.split('/')) {
    if (piece === '..') return undefined;
    if (piece && piece !== '.') pieces.push(piece);
  }
  return pieces.length ? pieces.join('/') : undefined;
}

function environment(loader: nunjucks.ILoader | null): nunjucks.Environment {
  return new nunjucks.Environment(loader, {
    autoescape: false,
    throwOnUndefined: false,
    tags: {
      variableStart: '{{@',
      variableEnd: '@}}',
      blockStart: '{{%',
      blockEnd: '%}}',
      commentStart: '{#',
      commentEnd: '#}',
    },
  });
}

export interface TemplateSource {
  /** The template as the manifest names it, for messages. */
  name: string;
  render(props: TemplateProps): string;
}

/** Templates of one connector folder, loaded as Jinja2's FileSystemLoader('.') would. */
export class TemplateFolder {
  private readonly env: nunjucks.Environment;
  constructor(readonly dir: string) {
    this.env = environment(new nunjucks.FileSystemLoader(dir, { noCache: true }));
  }

  get(name: string): TemplateSource {
    const path = templatePath(name);
    if (path === undefined || !isFile(join(this.dir, path))) {
      throw inputError(`Template '${name}' not found in the connector folder.`, {
        file: name,
        reason: `${join(this.dir, path ?? name)} does not exist${path === undefined ? ' (or leaves the folder)' : ''}`,
      });
    }
    return {
      name,
      render: (props) => renderWith(name, props, (p) => this.env.render(path, p)),
    };
  }
}

/** A template given as text (the generated per-datatype pipe). */
export function inlineTemplate(name: string, text: string): TemplateSource {
  const env = environment(null);
  const compiled = new nunjucks.Template(text, env, name);
  return { name, render: (props) => renderWith(name, props, (p) => compiled.render(p)) };
}

function renderWith(name: string, props: TemplateProps, render: (p: object) => string): string {
  pythonRender = { autoescape: autoescapeFor(name) };
  try {
    return render(props);
  } catch (err) {
    if (isSesamError(err)) throw err;
    throw inputError(`Template '${name}' could not be rendered.`, { file: name, reason: describeError(err) });
  } finally {
    pythonRender = undefined;
  }
}

/**
 * connectorpy.render(): render with `props`, parse the text as JSON and return its components. A boolean
 * property is rendered as the text `{{@ name @}}` and replaced by JSON true/false afterwards, only where it
 * was a whole string value (so inside a longer string the placeholder text stays, and `if` sees a non-empty
 * string), exactly as sesam-py does.
 */
export function renderComponents(template: TemplateSource, props: TemplateProps, what: string): JsonObject[] {
  const booleans = new Map<string, string>();
  const rendered: TemplateProps = { ...props };
  for (const [key, value] of Object.entries(rendered)) {
    if (typeof value === 'boolean') {
      rendered[key] = `{{@ ${key} @}}`;
      booleans.set(key, String(value));
    }
  }
  const text = template.render(rendered);
  let config = parseRendered(text, template.name, what);
  let list = Array.isArray(config) ? config : [config];
  if (booleans.size > 0) {
    list = list.map((component) => {
      let dumped = pyJsonDumpsCompact(component);
      for (const [key, bool] of booleans) dumped = dumped.split(`"{{@ ${key} @}}"`).join(bool);
      config = parseRendered(dumped, template.name, what);
      return config;
    });
  }
  return list.map((component, index) => {
    if (!isJsonObject(component)) {
      throw inputError(`Template '${template.name}' (${what}) rendered something that is not a config object.`, {
        file: template.name,
        reason: `component ${index + 1} is ${component === null ? 'null' : Array.isArray(component) ? 'a list' : typeof component}; a template renders one object or a list of objects`,
      });
    }
    return component;
  });
}

function parseRendered(text: string, name: string, what: string): JsonValue {
  try {
    return parseJson(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const line = text.split('\n')[err.line - 1] ?? '';
    throw inputError(`Template '${name}' (${what}) did not render to valid JSON.`, {
      file: name,
      reason: `${err.message}; rendered line ${err.line}: ${line.trim().slice(0, 200)}`,
    });
  }
}
