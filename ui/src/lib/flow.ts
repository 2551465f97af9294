// Reading a flow definition: which fields and steps the answers show, and how a field is
// typed. Everything on screen is derived from the flow data, never from a flow's id.

import type { Condition, Field, FieldKind, Step, WizardView } from './backend/types';

export function holds(when: Condition | undefined, values: Record<string, string>): boolean {
  return !when || values[when.field] === when.equals;
}

export function stepById(view: WizardView, id: string | null): Step | undefined {
  return id === null ? undefined : view.flow.steps.find((s) => s.id === id);
}

export function fieldsOf(step: Step): Field[] {
  return step.kind === 'form' || step.kind === 'commitments' ? step.fields : [];
}

/** The step whose form asks this field (to go back and correct it). */
export function stepAsking(view: WizardView, field: string): Step | undefined {
  return view.flow.steps.find((s) => fieldsOf(s).some((f) => f.id === field));
}

export interface InputShape {
  inputmode: 'numeric' | 'tel' | 'text';
  autocomplete: string;
  /** Numbers and Latin codes are typed left to right, inside the right-to-left page. */
  ltr: boolean;
  multiline: boolean;
  hint: boolean;
}

const NUMERIC: InputShape = { inputmode: 'numeric', autocomplete: 'off', ltr: true, multiline: false, hint: true };

export function inputShape(kind: FieldKind): InputShape {
  switch (kind) {
    case 'mobile':
      return { ...NUMERIC, inputmode: 'tel', autocomplete: 'tel-national' };
    case 'landline':
      return { ...NUMERIC, inputmode: 'tel', autocomplete: 'home tel-national' };
    case 'postal-code':
      return { ...NUMERIC, autocomplete: 'postal-code' };
    case 'bank-card':
      return { ...NUMERIC, autocomplete: 'cc-number' };
    case 'card-serial':
      return { ...NUMERIC, inputmode: 'text' };
    // The purpose named for assistive technology and autofill (WCAG 1.3.5); a Gregorian
    // date filled in gets its own message asking for the Persian calendar.
    case 'birth-date':
      return { ...NUMERIC, inputmode: 'text', autocomplete: 'bday' };
    case 'address':
      return { inputmode: 'text', autocomplete: 'street-address', ltr: false, multiline: true, hint: true };
    case 'choice':
    case 'consent':
      return { inputmode: 'text', autocomplete: 'off', ltr: false, multiline: false, hint: false };
    default:
      return NUMERIC;
  }
}
