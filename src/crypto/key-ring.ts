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

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The settings a ring's keys come from, named in its errors. */
export interface KeyRingNames {
  current: string;
  old: string;
}

export class KeyRing {
  private readonly current: { id: string; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(
    currentKeyBase64: string,
    oldKeysBase64: string[] = [],
    private readonly names: KeyRingNames = {
      current: 'TOKEN_ENCRYPTION_KEY',
      old: 'TOKEN_ENCRYPTION_OLD_KEYS',
    },
  ) {
    const key = parseKey(currentKeyBase64);
    this.current = { id: keyIdOf(key), key };
    for (const k of [key, ...oldKeysBase64.map(parseKey)]) this.byId.set(keyIdOf(k), k);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** Bytes under the current key, as `iv ‖ ciphertext ‖ tag`, with the key id to store beside them. */
  sealBytes(plaintext: Uint8Array, aad: Buffer): { keyId: string; sealed: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.current.id, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  /** The inverse of sealBytes, with whichever key of the ring has that id. */
  openBytes(keyId: string, sealed: Uint8Array, aad: Buffer, what: string): Buffer {
    const key = this.keyFor(keyId, what);
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (bytes.length < IV_BYTES + TAG_BYTES)
      throw new DecryptionError(`${what} is too short to be encrypted`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(aad);
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new DecryptionError(`${what} failed authentication (wrong key or altered value)`);
    }
  }

  private keyFor(keyId: string, what: string): Buffer {
    const key = this.byId.get(keyId);
    if (!key) {
      throw new DecryptionError(
        `${what} was encrypted with key ${keyId}, which is neither ${this.names.current} nor in ${this.names.old}`,
      );
    }
    return key;
  }

  encrypt(plaintext: string, ref: SecretRef): string {
    const iv = randomBytes(IV_BYTES);
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
    const key = this.keyFor(keyId, `${ref.table}.${ref.column}`);
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
