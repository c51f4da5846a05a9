/**
 * A password on its way into one request. TanStack Query keeps a mutation's variables after it
 * settles (in its state and its cache, for minutes), and anything may print them; this holds the
 * password only until the request body is built, and prints as `[password]`.
 */
export class OneTimeSecret {
  #value: string | null;

  constructor(value: string) {
    this.#value = value;
  }

  /** The password, the first time; '' afterwards. */
  take(): string {
    const value = this.#value ?? '';
    this.#value = null;
    return value;
  }

  toString(): string {
    return '[password]';
  }

  toJSON(): string {
    return '[password]';
  }
}
