// WebCrypto's crypto.subtle exists only in secure contexts: http://localhost and http://127.0.0.1 are,
// but http://some-host:9100 (glue-local in a container, opened from another machine) is not. There
// aws4fetch would fail, so this supplies the three calls it makes (SHA-256 digest, HMAC-SHA-256
// importKey/sign) from @noble/hashes (audited, no dependencies).

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

type Bytes = Uint8Array;

function bytes(data: BufferSource): Bytes {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data as ArrayBuffer);
}

function buffer(b: Bytes): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

const fallback = {
  async digest(algorithm: string | { name: string }, data: BufferSource): Promise<ArrayBuffer> {
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
    if (name.toUpperCase() !== 'SHA-256') throw new Error(`digest ${name} is not supported`);
    return buffer(sha256(bytes(data)));
  },
  async importKey(_format: string, key: BufferSource): Promise<{ raw: Bytes }> {
    return { raw: bytes(key).slice() };
  },
  async sign(_algorithm: unknown, key: { raw: Bytes }, data: BufferSource): Promise<ArrayBuffer> {
    return buffer(hmac(sha256, key.raw, bytes(data)));
  },
};

/** True when the fallback had to be installed (for the console's status line). */
export let usingFallbackCrypto = false;

export function ensureSubtleCrypto(): void {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && c.subtle) return;
  usingFallbackCrypto = true;
  if (c) {
    Object.defineProperty(c, 'subtle', { value: fallback, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'crypto', { value: { subtle: fallback }, configurable: true });
  }
}
