// Tests that need no browser: the RTL lint, the Fluent ids the UI uses, the test server.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { lintCss, lintSvelte, lintProject } from '../scripts/rtl-lint.mjs';
import { CSP, UI, catalogue, startServer } from './lib.mjs';

describe('rtl-lint', () => {
  it('catches physical left/right in properties and values', () => {
    const bad = `
      .a { margin-left: 1rem; }
      .b { padding-right: 2px; border-left: 1px solid red; }
      .c { text-align: left; float: right; }
      .d { left: 0; }
      .e { right: 4px }
      .f{border-top-right-radius:3px;clear:left}
      @media (min-width: 10px) { .g { margin-right: auto; } }`;
    const found = lintCss(bad).map((p) => p.text.split(':')[0]);
    assert.deepEqual(found, [
      'margin-left',
      'padding-right',
      'border-left',
      'text-align',
      'float',
      'left',
      'right',
      'border-top-right-radius',
      'clear',
      'margin-right',
    ]);
    assert.equal(lintCss('.x { margin-left: 1rem }')[0].line, 1);
  });

  it('accepts logical properties, shorthands, and left/right in names, strings and urls', () => {
    const good = `
      /* margin-left is what we do not write */
      .left-col { margin-inline-start: 1rem; inset: 0 1px 2px 3px; text-align: start; }
      .x::before { content: 'left'; background: url(left-arrow.svg); }
      :root[dir='rtl'] .y { border-inline-end: 1px solid; float: inline-start; }
      .z{transform:scaleX(-1)}`;
    assert.deepEqual(lintCss(good), []);
  });

  it('looks into Svelte style blocks, style attributes and style: directives', () => {
    const svelte = `<div style="margin-right: 2px" style:padding-left={x}></div>
<style>
  .a { text-align: right; }
</style>`;
    const found = lintSvelte(svelte);
    assert.equal(found.length, 3);
    assert.equal(found.find((p) => p.text.startsWith('text-align')).line, 3);
  });

  it('finds nothing physical in ui/src and the built CSS', () => {
    const { problems, checked } = lintProject(UI);
    assert.ok(checked > 0, 'the built CSS was checked');
    assert.deepEqual(problems, []);
  });
});

// ---- Fluent ids ----

const ROOT = join(UI, '..');
const flows = ['sejam', 'exchange'].map((id) =>
  parse(readFileSync(join(ROOT, 'crates/ehraz-core/flows', `${id}.toml`), 'utf8')),
);

function sources(dir = join(UI, 'src'), out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) sources(path, out);
    else if (/\.(svelte|ts)$/.test(e.name)) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

/** The error codes the UI gives a message (the contract's CommandError codes). */
const ERROR_CODES = [
  'invalid_answers', 'code_wrong', 'code_expired', 'code_attempts_exhausted', 'code_not_sent', 'rate_limited',
  'sejam_not_registered', 'sejam_tracking_code_mismatch', 'answers_missing', 'session_not_found', 'session_closed',
  'session_token', 'already_submitted', 'provider_failed', 'server_failed', 'server_garbage', 'server_too_large',
  'timeout', 'network', 'upload_gave_up', 'outbox_failed', 'storage_failed', 'no_session', 'not_finished',
  'flow_unknown', 'unknown',
  // capture
  'camera_missing', 'camera_busy', 'camera_denied', 'camera_failed', 'camera_not_open', 'no_frame',
  'microphone_missing', 'microphone_busy', 'microphone_denied', 'microphone_failed', 'microphone_silent',
  'capture_failed', 'recording_failed', 'recording_running', 'recording_not_started', 'nothing_to_review',
];
const REASONS = [
  'photo-blurred', 'photo-dark', 'face-not-visible', 'signature-unclear', 'video-challenge-failed',
  'document-unreadable', 'data-mismatch', 'other',
];
const STATUSES = ['open', 'pending', 'needs-resubmission', 'approved', 'rejected'];
/** The guidance codes of the contract (the `GuidanceCode` union of types.ts). */
const GUIDANCE_CODES = [
  ...readFileSync(join(UI, 'src/lib/backend/types.ts'), 'utf8')
    .match(/export type GuidanceCode =([^;]+);/)[1]
    .matchAll(/'([a-z-]+)'/g),
].map((m) => m[1]);
const CHALLENGE_KINDS = ['digits', 'sentence'];

/** Every id the UI asks the catalogue for: literal ones in the code, and those derived from data. */
function idsUsedByTheUi() {
  const ids = new Set();
  for (const text of sources()) {
    for (const m of text.matchAll(/\b(?:t|has|problemMessage)\(\s*'([a-z][a-zA-Z0-9_-]*)'/g)) ids.add(m[1]);
    for (const m of text.matchAll(/\bid: '([a-z][a-zA-Z0-9_-]*)'/g)) ids.add(m[1]);
    // t(cond ? 'an-id' : …)
    for (const m of text.matchAll(/\?\s*'([a-z][a-z0-9_-]*-[a-z0-9_-]*)'\s*:/g)) ids.add(m[1]);
  }
  for (const flow of flows) {
    ids.add(`start-flow-${flow.id}-title`);
    ids.add(`start-flow-${flow.id}-body`);
    for (const step of flow.steps) {
      ids.add(`step-${step.id}`);
      if (step.capture) ids.add(`capture-${step.capture}`);
      if (step.challenge) ids.add(`capture-challenge-${step.challenge}`);
      for (const rule of step.rules ?? []) ids.add(`rule-${rule}`);
      for (const field of step.fields ?? []) {
        ids.add(`field-${field.id}`);
        if (!['choice', 'consent'].includes(field.kind)) ids.add(`hint-${field.kind}`);
        for (const option of field.options ?? []) ids.add(`option-${field.id}-${option}`);
      }
    }
  }
  for (const code of ERROR_CODES) ids.add(`error-${code}`);
  for (const code of GUIDANCE_CODES) ids.add(`guidance-${code}`);
  // A step may offer either kind as the other's alternative, and the way back.
  for (const kind of CHALLENGE_KINDS) {
    ids.add(`capture-alternative-${kind}`);
    ids.add(`capture-original-${kind}`);
  }
  // Each device in a list to choose from (DeviceSelect).
  for (const kind of ['camera', 'microphone']) ids.add(`capture-${kind}-option`);
  for (const reason of REASONS) ids.add(`reason-${reason}`);
  for (const kind of STATUSES) {
    ids.add(`status-${kind}-title`);
    if (kind !== 'needs-resubmission') ids.add(`status-${kind}-body`);
  }
  return [...ids].sort();
}

const missingIn = (bundle, ids) => ids.filter((id) => !bundle.hasMessage(id));

describe('Fluent catalogues', () => {
  const ids = idsUsedByTheUi();

  it('find the ids the UI uses (the scan works)', () => {
    for (const id of ['form-continue', 'start-needs-phone', 'wizard-progress', 'status-needs-resubmission-body']) {
      assert.ok(ids.includes(id), id);
    }
    assert.equal(GUIDANCE_CODES.length, 18, `the guidance codes are read from types.ts: ${GUIDANCE_CODES}`);
    assert.ok(ids.includes('guidance-face-off-centre') && ids.includes('capture-alternative-digits'));
    assert.ok(ids.length > 150, `${ids.length} ids`);
    assert.deepEqual(missingIn(catalogue('fa'), ['no-such-id']), ['no-such-id']);
  });

  for (const locale of ['fa', 'en']) {
    it(`have every id the UI uses in ${locale}`, () => {
      assert.deepEqual(missingIn(catalogue(locale), ids), []);
    });
  }

  it('define the same ids in fa/ehraz-app.ftl and en/ehraz-app.ftl', () => {
    const idsOf = (locale) =>
      [...readFileSync(join(ROOT, 'i18n', locale, 'ehraz-app.ftl'), 'utf8').matchAll(/^([a-z][a-zA-Z0-9_-]*) =/gm)]
        .map((m) => m[1])
        .sort();
    assert.deepEqual(idsOf('fa'), idsOf('en'));
  });
});

describe('test server', () => {
  it('sends exactly the CSP of the app', async () => {
    const server = await startServer();
    try {
      const res = await fetch(server.url);
      assert.equal(res.headers.get('content-security-policy'), CSP);
      // The review picture is a blob: URL; nothing else is loosened.
      assert.match(CSP, /(^|; )img-src 'self' data: blob:(;|$)/);
      assert.match(CSP, /(^|; )script-src 'self'(;|$)/);
      assert.match(CSP, /(^|; )style-src 'self'(;|$)/);
      assert.match(CSP, /(^|; )connect-src 'self' ipc: http:\/\/ipc\.localhost(;|$)/);
      assert.doesNotMatch(CSP, /unsafe-|\*/);
      const html = await res.text();
      assert.match(html, /<html dir="rtl" lang="fa">/);
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');
      assert.doesNotMatch(html, /<style|style=/, 'no inline styles');
      assert.doesNotMatch(html, /https?:\/\//, 'no remote URLs');
    } finally {
      await server.close();
    }
  });
});
