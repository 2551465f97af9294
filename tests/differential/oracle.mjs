// Reads one JSON string per line on standard input and answers, one JSON object per line,
// what @persian-tools/persian-tools says of it. Digits are first converted to ASCII with
// the library's own converters, as a user of the library would do.
import { createInterface } from 'node:readline';
import {
  digitsArToEn,
  digitsFaToEn,
  isPhoneNumberValid,
  phoneNumberNormalizer,
  verifyCardNumber,
  verifyIranianNationalId,
} from '@persian-tools/persian-tools';

// The library's documented mobile pattern, to tell a refused shape from a refused prefix.
const MOBILE_SHAPE = /^(\+98|98|0098|0)?9(\d{2})\d{7}$/;

const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    return { thrown: String(e && e.message) };
  }
};

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  const input = JSON.parse(line);
  const ascii = digitsArToEn(digitsFaToEn(input));
  const mobileValid = isPhoneNumberValid(ascii);
  out.push(
    JSON.stringify({
      ascii,
      nationalCode: attempt(() => verifyIranianNationalId(ascii, { checkPrefix: false }) === true),
      mobileValid,
      mobileShape: MOBILE_SHAPE.test(ascii),
      mobile: mobileValid ? attempt(() => phoneNumberNormalizer(ascii, '0')) : null,
      card: attempt(() => verifyCardNumber(ascii) === true),
    }),
  );
  if (out.length >= 4096) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
