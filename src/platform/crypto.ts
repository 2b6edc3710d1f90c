import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Personal data at rest (ARCHITECTURE.md "Data and scale"): ID numbers, mobiles and addresses are
 * AES-256-GCM with a random 96-bit nonce; exact search goes through HMAC-SHA256 blind indexes under a
 * separate derived key. The database stores a key check value so a process with another key refuses
 * to start rather than write rows nobody can decrypt.
 */
export interface Cipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(kind: 'idNumber' | 'mobile', normalized: string): string;
  keyCheck(): string;
}

export function createCipher(secret: string): Cipher {
  const ikm = Buffer.from(secret, 'utf8');
  const encKey = Buffer.from(hkdfSync('sha256', ikm, 'zhibu', 'zhibu/aes-256-gcm/v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', ikm, 'zhibu', 'zhibu/blind-index/v1', 32));
  return {
    encrypt(plain) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey, nonce);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1:${Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64')}`;
    },
    decrypt(stored) {
      if (!stored.startsWith('v1:')) throw new Error('unknown ciphertext version');
      const buf = Buffer.from(stored.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(buf.length - 16));
      return Buffer.concat([d.update(buf.subarray(12, buf.length - 16)), d.final()]).toString('utf8');
    },
    blindIndex(kind, normalized) {
      return createHmac('sha256', macKey).update(`${kind}:${normalized}`).digest('hex').slice(0, 32);
    },
    keyCheck() {
      return createHmac('sha256', encKey).update('zhibu-key-check').digest('hex').slice(0, 16);
    },
  };
}

/** ZHIBU_SECRET, else `<dataDir>/secret.key`, generated on first start. */
export function loadOrCreateSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZHIBU_SECRET) return env.ZHIBU_SECRET;
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');
