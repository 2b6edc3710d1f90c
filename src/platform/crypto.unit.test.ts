import { describe, expect, it } from 'vitest';
import { createHmac, hkdfSync } from 'node:crypto';
import { ciphertextVersion, createCipher } from './crypto.js';

describe('crypto providers', () => {
  it('aes-gcm key 1 keeps the original format and key check value (existing databases still open)', () => {
    const c = createCipher('s3cret');
    const enc = c.encrypt('330102199001011234');
    expect(enc.startsWith('v1:')).toBe(true);
    const encKey = Buffer.from(hkdfSync('sha256', Buffer.from('s3cret'), 'zhibu', 'zhibu/aes-256-gcm/v1', 32));
    expect(c.keyCheck()).toBe(createHmac('sha256', encKey).update('zhibu-key-check').digest('hex').slice(0, 16));
    expect(c.decrypt(enc)).toBe('330102199001011234');
  });

  it('SM4-CTR + HMAC-SM3 round trip, prefixed with provider and key version; a changed byte is refused', () => {
    const c = createCipher('s3cret', { provider: 'sm4', keyVersion: 2 });
    const enc = c.encrypt('浙江省杭州市西湖区 13800138000');
    expect(enc.startsWith('sm4.2:')).toBe(true);
    expect(ciphertextVersion(enc)).toEqual({ provider: 'sm4', version: 2 });
    expect(c.decrypt(enc)).toBe('浙江省杭州市西湖区 13800138000');
    expect(c.encrypt('x')).not.toBe(c.encrypt('x'));
    const buf = Buffer.from(enc.slice(6), 'base64');
    buf[18] ^= 1;
    expect(() => c.decrypt(`sm4.2:${buf.toString('base64')}`)).toThrow(/integrity/);
    expect(c.blindIndex('mobile', '13800138000')).toMatch(/^[0-9a-f]{32}$/);
    expect(c.blindIndex('mobile', '13800138000')).not.toBe(createCipher('s3cret').blindIndex('mobile', '13800138000'));
    expect(c.keyCheck()).not.toBe(createCipher('s3cret').keyCheck());
  });

  it('a cipher of a newer version or another provider still decrypts older rows', () => {
    const old = createCipher('s3cret');
    const sm4 = createCipher('s3cret', { provider: 'sm4', keyVersion: 2 });
    const aes3 = createCipher('s3cret', { provider: 'aes-gcm', keyVersion: 3 });
    const a = old.encrypt('甲');
    const b = sm4.encrypt('乙');
    expect(sm4.decrypt(a)).toBe('甲');
    expect(aes3.decrypt(b)).toBe('乙');
    expect(aes3.encrypt('丙').startsWith('aes.3:')).toBe(true);
    expect(() => createCipher('other').decrypt(a)).toThrow();
  });
});
