import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest. Each value is stored as `v1.<keyId>.<iv>.<ciphertext>.<tag>`
 * (base64url parts), so that keys can rotate: the current key encrypts, old keys still decrypt.
 * Associated data binds a value to its table, column and row, so a ciphertext copied into another
 * row or column fails to decrypt instead of silently impersonating it.
 */
export interface SecretRef {
  table: string;
  column: string;
  row: string;
}

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

const FORMAT = 'v1';
const KEY_BYTES = 32;

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function parseKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`an encryption key must be ${KEY_BYTES} bytes in base64`);
  return key;
}

export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function associatedData(ref: SecretRef): Buffer {
  return Buffer.from(`${ref.table}.${ref.column}:${ref.row}`, 'utf8');
}

export class KeyRing {
  private readonly current: { id: string; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(currentKeyBase64: string, oldKeysBase64: string[] = []) {
    const key = parseKey(currentKeyBase64);
    this.current = { id: keyIdOf(key), key };
    for (const k of [key, ...oldKeysBase64.map(parseKey)]) this.byId.set(keyIdOf(k), k);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, ref: SecretRef): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(associatedData(ref));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [FORMAT, this.current.id, ...parts].join('.');
  }

  decrypt(stored: string, ref: SecretRef): string {
    const [format, keyId, iv, body, tag] = stored.split('.');
    if (format !== FORMAT || !keyId || iv === undefined || body === undefined || !tag) {
      throw new DecryptionError(`${ref.table}.${ref.column} is not an encrypted value`);
    }
    const key = this.byId.get(keyId);
    if (!key) {
      throw new DecryptionError(
        `${ref.table}.${ref.column} was encrypted with key ${keyId}, which is neither TOKEN_ENCRYPTION_KEY nor in TOKEN_ENCRYPTION_OLD_KEYS`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(associatedData(ref));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new DecryptionError(
        `${ref.table}.${ref.column} failed authentication (wrong key or moved value)`,
      );
    }
  }

  encryptOptional(plaintext: string | null | undefined, ref: SecretRef): string | null {
    return plaintext == null ? null : this.encrypt(plaintext, ref);
  }

  decryptOptional(stored: string | null | undefined, ref: SecretRef): string | null {
    return stored == null ? null : this.decrypt(stored, ref);
  }

  /** True when the value was written with an old key and `npm run ops -- reencrypt` should rewrite it. */
  isStale(stored: string): boolean {
    return stored.split('.')[1] !== this.current.id;
  }
}
