/** One answer ready to send: the bytes as they go on the wire and the validator that names them. */
export interface ServedBytes {
  etag: string;
  body: Buffer;
  /** The headers the answer went out with, to replay on a hit (the JSON documents' fast path). */
  headers?: Record<string, string>;
}

export interface ServedCacheOptions {
  /** How long an entry may be served without a word from PostgreSQL: the net under a lost notification. */
  ttlMs: number;
  /** Bodies kept in all, across every article and form; the least recently read articles go first. */
  maxBytes: number;
  now?: () => number;
}

interface Entry {
  value: ServedBytes;
  expiresAt: number;
}

/** Every form of one article that was asked for (JSON per audience, the reader page per audience). */
interface Article {
  forms: Map<string, Entry>;
  bytes: number;
}

/**
 * The live documents readers ask for, as ready bytes, per slug and form. Invalidated per slug by
 * the publisher's notifications (see LiveChanges); in between, a hit needs no database at all.
 *
 * Nothing is served or stored while the cache is disabled (no notification channel: it could not
 * hear of a change). A read takes a token before it goes to the database and may store its answer
 * only if no invalidation happened since: an unpublish committed while the read was under way can
 * never leave the old document behind it.
 */
export class ServedCache {
  private readonly articles = new Map<string, Article>();
  private bytes = 0;
  private generation = 0;
  private enabled = false;
  private readonly now: () => number;

  constructor(private readonly options: ServedCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): { articles: number; bytes: number } {
    return { articles: this.articles.size, bytes: this.bytes };
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  get(slug: string, form: string): ServedBytes | null {
    if (!this.enabled) return null;
    const article = this.articles.get(slug);
    const entry = article?.forms.get(form);
    if (!article || !entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.removeForm(slug, article, form, entry);
      return null;
    }
    // Map order is the eviction order: a read makes the article the most recent.
    this.articles.delete(slug);
    this.articles.set(slug, article);
    return entry.value;
  }

  /** What a read takes before it asks the database; store() wants it back. */
  token(): number {
    return this.generation;
  }

  /** Keeps the answer unless something was invalidated since `token` was taken; says whether it did. */
  store(slug: string, form: string, value: ServedBytes, token: number): boolean {
    if (!this.enabled || token !== this.generation) return false;
    const size = value.body.length;
    if (size > this.options.maxBytes) return false;
    let article = this.articles.get(slug);
    if (!article) {
      article = { forms: new Map(), bytes: 0 };
    } else {
      this.articles.delete(slug);
      const previous = article.forms.get(form);
      if (previous) {
        article.bytes -= previous.value.body.length;
        this.bytes -= previous.value.body.length;
      }
    }
    article.forms.set(form, { value, expiresAt: this.now() + this.options.ttlMs });
    article.bytes += size;
    this.bytes += size;
    this.articles.set(slug, article);
    this.evict();
    return true;
  }

  /** Forgets one article (every form of it), or everything for `null`. */
  invalidate(slug: string | null): void {
    this.generation++;
    if (slug === null) {
      this.articles.clear();
      this.bytes = 0;
      return;
    }
    const article = this.articles.get(slug);
    if (!article) return;
    this.articles.delete(slug);
    this.bytes -= article.bytes;
  }

  /** The notification channel is up: from now on every change is heard. */
  enable(): void {
    this.invalidate(null);
    this.enabled = true;
  }

  /** The channel is down: changes could go unheard, so nothing is served from memory until it is back. */
  disable(): void {
    this.enabled = false;
    this.invalidate(null);
  }

  private removeForm(slug: string, article: Article, form: string, entry: Entry): void {
    article.forms.delete(form);
    article.bytes -= entry.value.body.length;
    this.bytes -= entry.value.body.length;
    if (article.forms.size === 0) this.articles.delete(slug);
  }

  private evict(): void {
    for (const [slug, article] of this.articles) {
      if (this.bytes <= this.options.maxBytes) return;
      this.articles.delete(slug);
      this.bytes -= article.bytes;
    }
  }
}
