// Every user-facing string comes from the Fluent catalogues in i18n/<locale>/*.ftl, the
// same files the Rust side embeds. Numbers are shown in Persian digits in the Persian UI.

import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import type { CommandError } from './backend/types';
import { toPersianDigits } from './digits';

export type Locale = 'fa' | 'en';

const SOURCES: Record<Locale, Record<string, string>> = {
  fa: import.meta.glob('../../../i18n/fa/*.ftl', { query: '?raw', import: 'default', eager: true }),
  en: import.meta.glob('../../../i18n/en/*.ftl', { query: '?raw', import: 'default', eager: true }),
};

function bundleOf(locale: Locale): FluentBundle {
  const bundle = new FluentBundle(locale === 'fa' ? 'fa-IR' : 'en-GB');
  for (const [path, text] of Object.entries(SOURCES[locale])) {
    const errors = bundle.addResource(new FluentResource(text));
    for (const e of errors) console.error(`${path}: ${e.message}`);
  }
  return bundle;
}

const bundles: Record<Locale, FluentBundle> = { fa: bundleOf('fa'), en: bundleOf('en') };

const current = $state({ locale: 'fa' as Locale });

export function setLocale(locale: Locale): void {
  current.locale = locale;
  const root = document.documentElement;
  root.lang = locale;
  root.dir = locale === 'fa' ? 'rtl' : 'ltr';
}

export function locale(): Locale {
  return current.locale;
}

/** Whether the catalogue of the current locale has this id. */
export function has(id: string): boolean {
  return bundles[current.locale].hasMessage(id);
}

/** A number as the current locale writes it (Persian digits in fa). */
export function num(value: number | string): string {
  return current.locale === 'fa' ? toPersianDigits(value) : String(value);
}

/** The message `id` with `args`; digits of the result in the locale's script. */
export function t(id: string, args?: Record<string, FluentVariable>): string {
  const bundle = bundles[current.locale];
  const message = bundle.getMessage(id);
  if (!message?.value) {
    console.error(`missing message: ${id} (${current.locale})`);
    return id;
  }
  const errors: Error[] = [];
  const text = bundle.formatPattern(message.value, args ?? null, errors);
  for (const e of errors) console.error(`${id}: ${e.message}`);
  return num(text);
}

/** Minutes and seconds, e.g. 1:05, for countdowns. */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  return num(`${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`);
}

/** The message for a failed call: `error-<code>`, else `<code>` itself, else `error-unknown`. */
export function errorMessage(error: CommandError): string {
  const args: Record<string, FluentVariable> = {
    attempts: error.attempts_left ?? 0,
    seconds: error.retry_after_seconds ?? 0,
  };
  if (has(`error-${error.code}`)) return t(`error-${error.code}`, args);
  if (has(error.code)) return t(error.code, args);
  return t('error-unknown');
}

/** A field's refusal: a validation id of ehraz-core (e.g. `national-code-checksum`). */
export function problemMessage(code: string, args?: Record<string, FluentVariable>): string {
  return has(code) ? t(code, args) : has(`error-${code}`) ? t(`error-${code}`, args) : t('error-unknown');
}

/** A reason an operator gave, with the fallback `reason-other`. */
export function reasonMessage(reason: string): string {
  return has(`reason-${reason}`) ? t(`reason-${reason}`) : t('reason-other');
}
