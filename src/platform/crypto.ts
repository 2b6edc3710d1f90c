import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Personal data at rest (ARCHITECTURE.md "Data and scale"; GB/T 39786-2021): ID numbers, mobiles and
 * addresses are encrypted and exact search goes through blind indexes under a separate derived key.
 * The database stores a key check value so a process with another key or provider refuses to start
 * rather than write rows nobody can decrypt.
 *
 * Two software providers behind one interface (a certified cryptographic device can be registered
 * as another provider later, see registerCryptoProvider):
 * - `aes-gcm`: AES-256-GCM, random 96-bit nonce; blind index HMAC-SHA256 (keys by HKDF-SHA256);
 * - `sm4`: SM4-CTR with a random 128-bit IV, then HMAC-SM3 over (prefix ‖ IV ‖ ciphertext)
 *   (encrypt-then-MAC; Node 20's OpenSSL has no SM4-GCM); blind index HMAC-SM3 (keys by HKDF-SM3).
 * Every ciphertext names its provider and key version (`v1:` is aes-gcm key 1, the original format;
 * then `aes.<n>:` and `sm4.<n>:`), so rows written under an older provider or key version still
 * decrypt; `zhibu keys rotate` re-encrypts everything under a new version (keyRotation.ts).
 */
export interface Cipher {
  readonly provider: CryptoProviderName;
  readonly keyVersion: number;
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(kind: 'idNumber' | 'mobile', normalized: string): string;
  keyCheck(): string;
}

export const CRYPTO_PROVIDERS = ['aes-gcm', 'sm4'] as const;
export type CryptoProviderName = (typeof CRYPTO_PROVIDERS)[number] | (string & {});

/** One provider at one key version: what a hardware module would implement. */
export interface CryptoProvider {
  prefix: string;
  encrypt(plain: string): string;
  /** `body` is the stored value after the prefix. */
  decrypt(body: string): string;
  blindIndex(kind: string, normalized: string): string;
  keyCheck(): string;
}
export type CryptoProviderFactory = (secret: string, version: number) => CryptoProvider;

const factories = new Map<string, CryptoProviderFactory>();
export function registerCryptoProvider(name: string, factory: CryptoProviderFactory): void {
  factories.set(name, factory);
}

const hkdf = (digest: string, ikm: Buffer, label: string, len: number) => Buffer.from(hkdfSync(digest, ikm, 'zhibu', label, len));

registerCryptoProvider('aes-gcm', (secret, version) => {
  const ikm = Buffer.from(secret, 'utf8');
  const encKey = hkdf('sha256', ikm, `zhibu/aes-256-gcm/v${version}`, 32);
  const macKey = hkdf('sha256', ikm, `zhibu/blind-index/v${version}`, 32);
  const prefix = version === 1 ? 'v1:' : `aes.${version}:`;
  return {
    prefix,
    encrypt(plain) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey, nonce);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `${prefix}${Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64')}`;
    },
    decrypt(body) {
      const buf = Buffer.from(body, 'base64');
      const d = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(buf.length - 16));
      return Buffer.concat([d.update(buf.subarray(12, buf.length - 16)), d.final()]).toString('utf8');
    },
    blindIndex(kind, normalized) {
      return createHmac('sha256', macKey).update(`${kind}:${normalized}`).digest('hex').slice(0, 32);
    },
    keyCheck() {
      const kc = createHmac('sha256', encKey).update('zhibu-key-check').digest('hex').slice(0, 16);
      return version === 1 ? kc : `aes.${version}:${kc}`;
    },
  };
});

registerCryptoProvider('sm4', (secret, version) => {
  const ikm = Buffer.from(secret, 'utf8');
  const encKey = hkdf('sm3', ikm, `zhibu/sm4-ctr/v${version}`, 16);
  const macKey = hkdf('sm3', ikm, `zhibu/sm4-hmac-sm3/v${version}`, 32);
  const bidxKey = hkdf('sm3', ikm, `zhibu/blind-index-sm3/v${version}`, 32);
  const prefix = `sm4.${version}:`;
  const tag = (iv: Buffer, ct: Buffer) => createHmac('sm3', macKey).update(prefix).update(iv).update(ct).digest();
  return {
    prefix,
    encrypt(plain) {
      const iv = randomBytes(16);
      const c = createCipheriv('sm4-ctr', encKey, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `${prefix}${Buffer.concat([iv, ct, tag(iv, ct)]).toString('base64')}`;
    },
    decrypt(body) {
      const buf = Buffer.from(body, 'base64');
      const iv = buf.subarray(0, 16);
      const ct = buf.subarray(16, buf.length - 32);
      const mac = buf.subarray(buf.length - 32);
      const want = tag(iv, ct);
      if (mac.length !== 32 || !timingSafeEqual(mac, want)) throw new Error('ciphertext integrity check failed (HMAC-SM3)');
      const d = createDecipheriv('sm4-ctr', encKey, iv);
      return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
    },
    blindIndex(kind, normalized) {
      return createHmac('sm3', bidxKey).update(`${kind}:${normalized}`).digest('hex').slice(0, 32);
    },
    keyCheck() {
      return `sm4.${version}:${createHmac('sm3', macKey).update('zhibu-key-check').digest('hex').slice(0, 16)}`;
    },
  };
});

/** Parse a stored prefix: `v1:` → aes-gcm 1, `aes.3:` → aes-gcm 3, `sm4.2:` → sm4 2. */
export function ciphertextVersion(stored: string): { provider: string; version: number } | null {
  if (stored.startsWith('v1:')) return { provider: 'aes-gcm', version: 1 };
  const m = /^([a-z0-9-]+)\.(\d+):/.exec(stored);
  if (!m) return null;
  return { provider: m[1] === 'aes' ? 'aes-gcm' : m[1], version: Number(m[2]) };
}

/** The secret of the last cipher made in this process (audit.ts falls back to it; see auditAnchor). */
let lastSecret: string | null = null;
export const lastCipherSecret = () => lastSecret;

export function createCipher(secret: string, opts: { provider?: CryptoProviderName; keyVersion?: number } = {}): Cipher {
  lastSecret = secret;
  const provider = opts.provider ?? 'aes-gcm';
  const keyVersion = opts.keyVersion ?? 1;
  const make = (name: string, version: number) => {
    const f = factories.get(name);
    if (!f) throw new Error(`未知的密码提供者：${name}（可用：${[...factories.keys()].join('、')}）`);
    return f(secret, version);
  };
  const current = make(provider, keyVersion);
  const cache = new Map<string, CryptoProvider>([[`${provider}#${keyVersion}`, current]]);
  return {
    provider,
    keyVersion,
    encrypt: (plain) => current.encrypt(plain),
    decrypt(stored) {
      const v = ciphertextVersion(stored);
      if (!v) throw new Error('unknown ciphertext version');
      const k = `${v.provider}#${v.version}`;
      let p = cache.get(k);
      if (!p) {
        p = make(v.provider, v.version);
        cache.set(k, p);
      }
      return p.decrypt(stored.slice(p.prefix.length));
    },
    blindIndex: (kind, normalized) => current.blindIndex(kind, normalized),
    keyCheck: () => current.keyCheck(),
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
