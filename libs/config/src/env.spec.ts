import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/imprimatur',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'imprimatur',
      bootstrapAdmin: null,
      workflow: {
        requiredSignoffs: 2,
        reviewIntervalDays: 365,
        referenceMaxAgeYears: 10,
        patientReadingGradeMax: 8,
        signoffReauth: true,
      },
      publicationSigning: { signingKeyPem: null },
      outbound: {
        allowHosts: [],
        linkCheckTimeoutMs: 10000,
        doiResolverUrl: 'https://doi.org',
        pubmedUrl: 'https://pubmed.ncbi.nlm.nih.gov',
      },
      rateLimitPerMinute: null,
      webhooks: { maxAttempts: 10, backoffMs: null, timeoutMs: 15000, logRetentionDays: 90, leaseMarginMs: 30000 },
      evidence: {
        crossrefUrl: 'https://api.crossref.org',
        eutilsUrl: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils',
        contactEmail: null,
        recheckHours: 168,
        cacheTtlSeconds: 3600,
      },
      docsEnabled: true,
    });
    expect(config.jwt.secretWasGenerated).toBe(true);
    expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('generates a different JWT secret per start when none is set', () => {
    expect(loadConfig({}).jwt.secret).not.toBe(loadConfig({}).jwt.secret);
  });

  it('reads and converts every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      REQUIRED_SIGNOFFS: '3',
      SIGNOFF_REAUTH: 'false',
      EDITORIAL_SIGNOFFS: '2',
      OUTBOUND_ALLOW_HOSTS: 'Localhost, 127.0.0.1 ,',
      RATE_LIMIT_PER_MINUTE: '600',
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2500',
      DOCS_ENABLED: 'false',
      ADMIN_EMAIL: 'root@example.org',
      ADMIN_PASSWORD: 'twelve-chars-long',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
    });
    expect(config.port).toBe(8080);
    expect(config.workflow.requiredSignoffs).toBe(3);
    expect(config.workflow.signoffReauth).toBe(false);
    expect(config.workflow.editorialSignoffs).toBe(2);
    expect(config.outbound.allowHosts).toEqual(['localhost', '127.0.0.1']);
    expect(config.rateLimitPerMinute).toBe(600);
    expect(config.webhooks.backoffMs).toBe(50);
    expect(config.webhooks.timeoutMs).toBe(2500);
    expect(config.docsEnabled).toBe(false);
    expect(config.bootstrapAdmin).toEqual({ email: 'root@example.org', password: 'twelve-chars-long' });
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', RATE_LIMIT_PER_MINUTE: ' ' })).toMatchObject({
      port: 3000,
      rateLimitPerMinute: null,
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REQUIRED_SIGNOFFS: '0',
        DOCS_ENABLED: 'maybe',
        QUEUE_PREFIX: 'a:b',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.split(' ')[0]);
    expect(names.sort()).toEqual(['DATABASE_URL', 'DOCS_ENABLED', 'PORT', 'QUEUE_PREFIX', 'REQUIRED_SIGNOFFS']);
    expect((error as ConfigError).message).toContain('PORT must be a whole number');
  });

  it('reads PATIENT_READING_GRADE_MAX as a grade with at most one decimal, from 1 to 30', () => {
    expect(loadConfig({ PATIENT_READING_GRADE_MAX: '6' }).workflow.patientReadingGradeMax).toBe(6);
    expect(loadConfig({ PATIENT_READING_GRADE_MAX: '8.5' }).workflow.patientReadingGradeMax).toBe(8.5);
    expect(() => loadConfig({ PATIENT_READING_GRADE_MAX: 'eight' })).toThrow(
      /PATIENT_READING_GRADE_MAX must be a number with at most one decimal/,
    );
    expect(() => loadConfig({ PATIENT_READING_GRADE_MAX: '8.25' })).toThrow(/at most one decimal/);
    expect(() => loadConfig({ PATIENT_READING_GRADE_MAX: '-1' })).toThrow(/at most one decimal/);
    expect(() => loadConfig({ PATIENT_READING_GRADE_MAX: '0.5' })).toThrow(
      /PATIENT_READING_GRADE_MAX must be at least 1/,
    );
    expect(() => loadConfig({ PATIENT_READING_GRADE_MAX: '31' })).toThrow(
      /PATIENT_READING_GRADE_MAX must be at most 30/,
    );
  });

  it('reads the registries of the evidence check (contract §16), without trailing slashes', () => {
    const config = loadConfig({
      CROSSREF_API_URL: 'http://127.0.0.1:8080/crossref/',
      EUTILS_URL: 'https://eutils.example/entrez/eutils/',
      CONTACT_EMAIL: 'desk@publisher.example',
      EVIDENCE_RECHECK_HOURS: '24',
      EVIDENCE_CACHE_TTL_SECONDS: '60',
    });
    expect(config.evidence).toEqual({
      crossrefUrl: 'http://127.0.0.1:8080/crossref',
      eutilsUrl: 'https://eutils.example/entrez/eutils',
      contactEmail: 'desk@publisher.example',
      recheckHours: 24,
      cacheTtlSeconds: 60,
    });
    expect(() => loadConfig({ CONTACT_EMAIL: 'not an address' })).toThrow(/CONTACT_EMAIL/);
    expect(() => loadConfig({ CROSSREF_API_URL: 'ftp://crossref.example' })).toThrow(/CROSSREF_API_URL/);
    expect(() => loadConfig({ EVIDENCE_RECHECK_HOURS: '0' })).toThrow(/EVIDENCE_RECHECK_HOURS/);
  });

  it('reads SECRETS_KEY and SECRETS_KEY_PREVIOUS as 32-byte keys, and requires SECRETS_KEY in production', () => {
    const current = Buffer.alloc(32, 1);
    const previous = Buffer.alloc(32, 2);
    const config = loadConfig({
      SECRETS_KEY: current.toString('base64'),
      SECRETS_KEY_PREVIOUS: ` ${previous.toString('base64url')} ,`,
    });
    expect(config.secrets.current?.equals(current)).toBe(true);
    expect(config.secrets.previous.map((k) => k.equals(previous))).toEqual([true]);
    expect(loadConfig({}).secrets).toEqual({ current: null, previous: [] });
    expect(() => loadConfig({ SECRETS_KEY: 'too-short' })).toThrow(/SECRETS_KEY/);
    expect(() => loadConfig({ SECRETS_KEY_PREVIOUS: Buffer.alloc(16).toString('base64') })).toThrow(
      /SECRETS_KEY_PREVIOUS/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /SECRETS_KEY is required when NODE_ENV=production/,
    );
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: key }).jwt.secretWasGenerated,
    ).toBe(false);
  });

  it('reads REFRESH_TTL_HOURS (contract §19) as whole hours, 12 by default, from 1 to 90 days', () => {
    expect(loadConfig({}).refreshTtlHours).toBe(12);
    expect(loadConfig({ REFRESH_TTL_HOURS: '1' }).refreshTtlHours).toBe(1);
    expect(loadConfig({ REFRESH_TTL_HOURS: '2160' }).refreshTtlHours).toBe(2160);
    expect(() => loadConfig({ REFRESH_TTL_HOURS: '0' })).toThrow(/REFRESH_TTL_HOURS must be at least 1/);
    expect(() => loadConfig({ REFRESH_TTL_HOURS: '2161' })).toThrow(/REFRESH_TTL_HOURS must be at most 2160/);
    expect(() => loadConfig({ REFRESH_TTL_HOURS: '1.5' })).toThrow(/REFRESH_TTL_HOURS must be a whole number/);
  });

  it('refuses a short admin password and a half-set admin', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.org', ADMIN_PASSWORD: 'short' })).toThrow(
      /ADMIN_PASSWORD must be at least 12/,
    );
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.org' })).toThrow(/ADMIN_PASSWORD must be set together/);
  });
});
