/**
 * Idempotency keys (R13): one key per change a person means to make, so that a request sent
 * again after a network error answers as the first time instead of changing things twice.
 */

/** A new random key (a UUID). */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context (HTTPS or localhost); getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The key of one intended change in a form that can be sent more than once (after an error):
 * the same input gets the same key, so sending it again is a retry; other input is another
 * change and gets a new key.
 */
export class Intent {
  #key = null;
  #input = null;

  keyFor(input) {
    const text = JSON.stringify(input);
    if (this.#key === null || text !== this.#input) {
      this.#key = newIdempotencyKey();
      this.#input = text;
    }
    return this.#key;
  }

  /** Forget the key: the next request is a new change (after success, or a refused key). */
  reset() {
    this.#key = null;
    this.#input = null;
  }
}
