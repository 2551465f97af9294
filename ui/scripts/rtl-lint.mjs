#!/usr/bin/env node
// The RTL lint: the UI is right-to-left first, so its CSS uses logical properties only
// (margin-inline-start, inset-inline-end, text-align: start, border-inline-start …).
// Fails on any physical left/right: properties (left, right, margin-left, padding-right,
// border-left, border-top-right-radius …) and values (text-align: left, float: right,
// clear: left …), in ui/src (CSS files, Svelte <style> blocks, style attributes and
// style: directives) and in the built CSS. Shorthands such as `inset: 0` are fine.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PHYSICAL = /(^|-)(left|right)(-|$)/;
const PHYSICAL_VALUE = /(^|[^a-z0-9_-])(left|right)($|[^a-z0-9_-])/i;

/** Blanks out comments, strings and url(...) so that only code is looked at. */
function codeOnly(css) {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/url\((?:[^)"']|"[^"]*"|'[^']*')*\)/gi, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

function lineAt(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** Checks one declaration list (`prop: value; …`); reports { line, text, reason }. */
function checkDeclarations(list, text, offset, problems) {
  let at = 0;
  for (const part of list.split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0) {
      const property = part.slice(0, colon).trim().toLowerCase();
      const value = part.slice(colon + 1).trim();
      const line = lineAt(text, offset + at + (part.length - part.trimStart().length));
      if (/^[a-z-]+$/.test(property) && !property.startsWith('--')) {
        if (PHYSICAL.test(property)) {
          problems.push({ line, text: `${property}: ${value}`, reason: `physical property \`${property}\`` });
        } else if (PHYSICAL_VALUE.test(value)) {
          problems.push({ line, text: `${property}: ${value}`, reason: `physical value in \`${property}\`` });
        }
      }
    }
    at += part.length + 1;
  }
}

/** Every physical left/right in a style sheet. */
export function lintCss(css) {
  const text = codeOnly(css);
  const problems = [];
  // Declarations are what stands before a `}` (or a `;`-separated run before a nested rule).
  const re = /[{}]/g;
  let start = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    const segment = text.slice(start, m.index);
    if (m[0] === '}') {
      checkDeclarations(segment, text, start, problems);
    } else {
      // A prelude; declarations before it in the same block end at its last `;`.
      const lastSemicolon = segment.lastIndexOf(';');
      if (lastSemicolon >= 0) checkDeclarations(segment.slice(0, lastSemicolon), text, start, problems);
    }
    start = m.index + 1;
  }
  // A bare declaration list (a style attribute's value).
  if (!text.includes('{')) checkDeclarations(text, text, 0, problems);
  return problems;
}

/** Every physical left/right in a Svelte component: <style>, style="…" and style:prop. */
export function lintSvelte(source) {
  const problems = [];
  for (const m of source.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) {
    const base = lineAt(source, m.index) - 1;
    for (const p of lintCss(m[1])) problems.push({ ...p, line: p.line + base });
  }
  for (const m of source.matchAll(/\sstyle\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    for (const p of lintCss(m[2] ?? m[3] ?? '')) problems.push({ ...p, line: lineAt(source, m.index) });
  }
  for (const m of source.matchAll(/\sstyle:([a-z-]+)/g)) {
    if (PHYSICAL.test(m[1])) {
      problems.push({ line: lineAt(source, m.index), text: `style:${m[1]}`, reason: `physical property \`${m[1]}\`` });
    }
  }
  return problems;
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Lints ui/src and the built CSS (`dist`, else a fresh build in a temporary folder). */
export function lintProject(root, dist = join(root, 'dist')) {
  const problems = [];
  const report = (file, list) => list.forEach((p) => problems.push({ file: relative(root, file), ...p }));
  for (const file of walk(join(root, 'src'))) {
    if (file.endsWith('.css')) report(file, lintCss(readFileSync(file, 'utf8')));
    else if (file.endsWith('.svelte')) report(file, lintSvelte(readFileSync(file, 'utf8')));
  }
  const built = walk(join(dist, 'assets')).filter((f) => f.endsWith('.css'));
  if (built.length === 0) problems.push({ file: relative(root, dist), line: 0, text: '', reason: 'no built CSS' });
  for (const file of built) report(file, lintCss(readFileSync(file, 'utf8')));
  return { problems, checked: built.length };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  let dist = join(root, 'dist');
  let temporary = null;
  if (!existsSync(join(dist, 'assets'))) {
    temporary = mkdtempSync(join(tmpdir(), 'ehraz-rtl-lint-'));
    dist = temporary;
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', dist, '--logLevel', 'error'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  const { problems, checked } = lintProject(root, dist);
  if (temporary) rmSync(temporary, { recursive: true, force: true });
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.reason}: ${p.text}`);
  if (problems.length > 0) {
    console.error(`rtl-lint: ${problems.length} physical left/right found; use logical properties.`);
    process.exit(1);
  }
  console.log(`rtl-lint: no physical left/right in ui/src or the built CSS (${checked} built file(s)).`);
}
