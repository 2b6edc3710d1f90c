import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, totpAt, verifyTotp, hotp } from './totp.js';

/** RFC 6238 Appendix B test vectors (8 digits; the seed for each HMAC is the ASCII string repeated). */
const SEED = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 test vectors for SHA-1, SHA-256 and SHA-512', () => {
    for (const [t, s1, s256, s512] of VECTORS) {
      expect(totpAt(SEED.sha1, t * 1000, 8, 'sha1')).toBe(s1);
      expect(totpAt(SEED.sha256, t * 1000, 8, 'sha256')).toBe(s256);
      expect(totpAt(SEED.sha512, t * 1000, 8, 'sha512')).toBe(s512);
    }
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, i) => expect(hotp(SEED.sha1, i)).toBe(code));
  });

  it('base32 round-trips (RFC 4648 vectors)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
  });

  it('accepts ±1 step, refuses ±2 steps and any step at or before the last used one', () => {
    const key = SEED.sha1;
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    for (const d of [-1, 0, 1]) expect(verifyTotp(key, hotp(key, step + d), now, null)).toBe(step + d);
    for (const d of [-2, 2]) expect(verifyTotp(key, hotp(key, step + d), now, null)).toBeNull();
    expect(verifyTotp(key, hotp(key, step), now, step)).toBeNull(); // replay of the same code
    expect(verifyTotp(key, hotp(key, step - 1), now, step - 1)).toBeNull();
    expect(verifyTotp(key, hotp(key, step + 1), now, step)).toBe(step + 1);
    expect(verifyTotp(key, 'abcdef', now, null)).toBeNull();
  });
});
