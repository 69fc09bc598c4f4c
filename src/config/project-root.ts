// Which folder is the project, wherever in it a command is started (as git finds its work tree): the nearest
// folder, from the current one upwards, that holds node-metadata.conf.json, a pipes/ folder or a systems/ folder.
// The search stops at the top of the git work tree it starts in (a folder holding `.git`), so a project never
// reaches into an enclosing one; with no such folder the current one is the project, as in sesam-py (a new project
// starts where you stand). `.syncconfig` is not a marker: sesamclient searches it upwards, so one often sits in a
// parent folder shared by several projects.
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const isDir = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
const exists = (path: string) => statSync(path, { throwIfNoEntry: false }) !== undefined;

function isProjectRoot(dir: string): boolean {
  return (
    (statSync(join(dir, 'node-metadata.conf.json'), { throwIfNoEntry: false })?.isFile() ?? false) ||
    isDir(join(dir, 'pipes')) ||
    isDir(join(dir, 'systems'))
  );
}

/** The project folder for a command started in `cwd` (absolute). */
export function findProjectRoot(cwd: string): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (isProjectRoot(dir)) return dir;
    if (exists(join(dir, '.git')) || dirname(dir) === dir) return start;
  }
}
