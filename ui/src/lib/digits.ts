// Digits on screen and in what people type. Persian ۰–۹ (U+06F0–U+06F9) and Arabic-Indic
// ٠–٩ (U+0660–U+0669) are accepted everywhere; the Rust side normalises them.

const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;

/** ASCII digits to Persian ones, for showing numbers in the Persian interface. */
export function toPersianDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (d) => String.fromCharCode(PERSIAN_ZERO + d.charCodeAt(0) - 48));
}

/** Persian and Arabic-Indic digits to ASCII; every other character is kept. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (d) => {
    const code = d.charCodeAt(0);
    const zero = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String.fromCharCode(48 + code - zero);
  });
}

/** Only the digits (any script, as ASCII) of a typed or pasted text. */
export function digitsOnly(text: string): string {
  return toAsciiDigits(text).replace(/[^0-9]/g, '');
}
