// `sesam new DIR [--template skeleton|example]`: start a project from a template shipped with the package.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputError, usageError } from '../errors.js';
import type { CommandContext } from './context.js';

/** The templates folder: ../../templates from src/commands (vitest) and from dist/commands (the package). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Git-ignored local files a template folder may hold after it was used in place. */
const LOCAL_STATE = new Set(['.sesam', '.syncconfig', 'sesam-config.zip']);

// npm drops dotfiles from packages, so templates store them without the dot; they get it back on copy.
const RENAMES: Record<string, string> = { gitignore: '.gitignore', github: '.github' };

export function listTemplates(): string[] {
  if (!existsSync(TEMPLATES_DIR)) return [];
  return readdirSync(TEMPLATES_DIR)
    .filter((name) => statSync(join(TEMPLATES_DIR, name)).isDirectory())
    .sort();
}

export async function newProject(ctx: CommandContext): Promise<number> {
  const [target, ...extra] = ctx.args;
  if (!target) throw usageError("'sesam new' needs a directory: sesam new DIR [--template skeleton|example]");
  if (extra.length > 0) throw usageError(`'sesam new' takes one directory, but got '${ctx.args.join(' ')}'.`);
  const template = ctx.options.template;
  const available = listTemplates();
  if (!available.includes(template)) {
    throw usageError(`Unknown template '${template}'.`, {
      hint: `Available templates: ${available.join(', ') || 'none (the package has no templates folder)'}.`,
    });
  }
  const dir = resolve(ctx.cwd, target);
  ensureEmptyDir(dir, target);

  const source = join(TEMPLATES_DIR, template);
  const files: string[] = [];
  for (const name of readdirSync(source).sort()) {
    // Local state of a template that was run in place (`npm run example`) is not part of it.
    if (LOCAL_STATE.has(name)) continue;
    const destName = RENAMES[name] ?? name;
    cpSync(join(source, name), join(dir, destName), { recursive: true, errorOnExist: true, force: false });
    files.push(...listFiles(join(dir, destName), dir));
  }
  files.sort();

  const shown = relative(ctx.cwd, dir) || '.';
  if (ctx.options.json) {
    ctx.out.json({ ok: true, dir, template, files });
    return 0;
  }
  ctx.out.line(`Created a Sesam project in ${shown} from the template '${template}' (${files.length} files).`);
  ctx.out.line('');
  ctx.out.line('Next steps:');
  if (shown !== '.') ctx.out.line(`  cd ${shown}`);
  ctx.out.line('  git init                  # keep the configuration in git');
  ctx.out.line('  sesam test --node local   # upload, run and verify on the embedded node');
  ctx.out.line('  sesam serve               # or run the embedded node for any client');
  return 0;
}

function ensureEmptyDir(dir: string, shown: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!statSync(dir).isDirectory()) throw inputError(`'${shown}' exists and is not a directory.`);
  if (readdirSync(dir).length > 0) {
    throw inputError(`The directory '${shown}' is not empty.`, {
      hint: 'sesam new creates a project in a new or empty directory.',
    });
  }
}

function listFiles(path: string, root: string): string[] {
  if (!statSync(path).isDirectory()) return [relative(root, path).split('\\').join('/')];
  return readdirSync(path).flatMap((name) => listFiles(join(path, name), root));
}
