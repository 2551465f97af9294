#!/usr/bin/env node
// `npm test`: builds ui/dist when it is missing or older than what it is built from, then
// runs every UI test file one after the other and prints one summary line. Exits non-zero
// on any failure.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(UI, '..');
const started = Date.now();

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = existsSync(join(UI, 'dist', 'index.html')) ? statSync(join(UI, 'dist', 'index.html')).mtimeMs : 0;
const sources = Math.max(
  newest(join(UI, 'src')),
  newest(join(UI, 'index.html')),
  newest(join(UI, 'vite.config.ts')),
  newest(join(UI, 'package-lock.json')),
  newest(join(ROOT, 'i18n')),
  newest(join(ROOT, 'crates', 'ehraz-core', 'flows')),
);
if (built < sources) {
  console.log('ui tests: building ui/dist');
  const build = spawnSync(process.execPath, [join(UI, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: UI,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const files = readdirSync(join(UI, 'tests'))
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => join('tests', f));
const run = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { cwd: UI, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
);
process.stdout.write(run.stdout ?? '');
const count = (name) => Number((run.stdout ?? '').match(new RegExp(`ℹ ${name} (\\d+)`))?.[1] ?? NaN);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `ui tests: ${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped ` +
    `(${count('tests')} tests in ${files.length} files) in ${seconds} s`,
);
process.exit(run.status === 0 && count('fail') === 0 ? 0 : 1);
