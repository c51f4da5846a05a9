import { createPrivateKey, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Imprimatur reads, validated in one place. This is the only module that
 * looks at `process.env`; everything else receives an `AppConfig`.
 */

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

// A number with at most one decimal (`8`, `8.5`): the precision a reading grade is reported with.
const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d)?$/, 'must be a number with at most one decimal, like 8 or 8.5')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const bool = z.enum(['true', 'false', '1', '0'], 'must be true or false').transform((v) => v === 'true' || v === '1');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL (${protocols.join(' or ')})`,
  );

// An Ed25519 private key in PKCS#8 PEM; `\n` escapes count as line breaks (env files hold one line).
const ed25519Pem = z
  .string()
  .transform((v) => v.replace(/\\n/g, '\n'))
  .refine((pem) => {
    try {
      return createPrivateKey(pem).asymmetricKeyType === 'ed25519';
    } catch {
      return false;
    }
  }, 'must be an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)');

// 32 random bytes in base64 (or base64url): `openssl rand -base64 32`.
const SECRETS_KEY_HINT = 'must be 32 bytes in base64 (openssl rand -base64 32)';
const isSecretsKey = (value: string) =>
  /^[A-Za-z0-9+/_-]{43}=?$/.test(value.trim()) && Buffer.from(value.trim(), 'base64').length === 32;
const secretsKey = z.string().refine(isSecretsKey, SECRETS_KEY_HINT);
const secretsKeys = z
  .string()
  .refine((v) => v.split(',').every((k) => k.trim() === '' || isSecretsKey(k)), `each key ${SECRETS_KEY_HINT}`);

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean),
);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(1, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_BASE_URL: url(['http:', 'https:']).optional(),
    DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/imprimatur'),
    APP_DATABASE_URL: url(['postgres:', 'postgresql:'])
      .refine(
        (value) => URL.canParse(value) && new URL(value).username !== '',
        'must name the role (postgres://role:password@host/database)',
      )
      .optional(),
    APP_DATABASE_ROLE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be 1-63 lower-case letters, digits or "_", not starting with a digit')
      .default('imprimatur_app'),
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, "_", "." or "-"')
      .default('imprimatur'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_TTL_SECONDS: int(60, 7 * 24 * 3600).default(3600),
    // Contract §19: how long a sign-in lasts in the browser (the refresh cookie), from the sign-in on.
    REFRESH_TTL_HOURS: int(1, 24 * 90).default(12),
    ADMIN_EMAIL: z.email('must be an email address').optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    REQUIRED_SIGNOFFS: int(1, 50).default(2),
    EDITORIAL_SIGNOFFS: int(1, 50).default(1),
    SIGNOFF_REAUTH: bool.default(true),
    PUBLICATION_SIGNING_KEY: ed25519Pem.optional(),
    REVIEW_INTERVAL_DAYS: int(1, 3650).default(365),
    REFERENCE_MAX_AGE_YEARS: int(1, 200).default(10),
    PATIENT_READING_GRADE_MAX: decimal(1, 30).default(8),
    OUTBOUND_ALLOW_HOSTS: list.default([]),
    LINK_CHECK_TIMEOUT_MS: int(1, 600_000).default(10_000),
    LINK_CHECK_RETRIES: int(0, 10).default(2),
    LINK_CHECK_RETRY_BASE_MS: int(1, 600_000).default(1_000),
    LINK_CHECK_MAX_RETRY_AFTER_MS: int(0, 3_600_000).default(60_000),
    LINK_CHECK_HOST_CONCURRENCY: int(1, 100).default(2),
    LINK_CHECK_HOST_SPACING_MS: int(0, 60_000).default(250),
    LINK_CHECK_CACHE_TTL_SECONDS: int(1, 30 * 24 * 3600).default(6 * 3600),
    LINK_RECHECK_INTERVAL_HOURS: int(1, 24 * 365).default(24),
    REVIEW_DUE_SCAN_CRON: z.string().min(9).default('0 3 * * *'),
    AUDIT_DIGEST_KEY: ed25519Pem.optional(),
    AUDIT_DIGEST_CRON: z.string().min(9).default('0 0 * * *'),
    DOI_RESOLVER_URL: url(['http:', 'https:']).default('https://doi.org'),
    PUBMED_URL: url(['http:', 'https:']).default('https://pubmed.ncbi.nlm.nih.gov'),
    CROSSREF_API_URL: url(['http:', 'https:']).default('https://api.crossref.org'),
    EUTILS_URL: url(['http:', 'https:']).default('https://eutils.ncbi.nlm.nih.gov/entrez/eutils'),
    CONTACT_EMAIL: z.email('must be an email address').optional(),
    REVIEW_SLA_DAYS: int(1, 365).default(7),
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    MAIL_FROM: z.string().min(3).default('Imprimatur <no-reply@imprimatur.invalid>'),
    DIGEST_CRON: z.string().min(9).default('0 7 * * *'),
    OVERDUE_SCAN_CRON: z.string().min(9).default('0 6 * * *'),
    AUTO_RE_REVIEW: bool.default(true),
    EVIDENCE_RECHECK_HOURS: int(1, 24 * 365).default(168),
    EVIDENCE_CACHE_TTL_SECONDS: int(1, 7 * 24 * 3600).default(3600),
    RATE_LIMIT_PER_MINUTE: int(1).optional(),
    LOGIN_FAILURES_PER_ACCOUNT: int(1).default(5),
    LOGIN_FAILURES_PER_ACCOUNT_TOTAL: int(1).default(50),
    LOGIN_FAILURES_PER_ADDRESS: int(1).default(20),
    LOGIN_THROTTLE_WINDOW_SECONDS: int(1).default(900),
    TRUST_PROXY: z.string().default('false'),
    WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(10),
    WEBHOOK_BACKOFF_MS: int(1).optional(),
    WEBHOOK_TIMEOUT_MS: int(1, 600_000).default(15_000),
    WEBHOOK_LOG_RETENTION_DAYS: int(1, 3650).default(90),
    // How long past WEBHOOK_TIMEOUT_MS an attempt's lease keeps other runs off its delivery.
    WEBHOOK_LEASE_MARGIN_MS: int(1_000, 600_000).default(30_000),
    // BullMQ's stalled-job detection (its defaults): how soon a dead worker's jobs run elsewhere.
    WORKER_LOCK_DURATION_MS: int(1_000, 600_000).default(30_000),
    WORKER_STALLED_INTERVAL_MS: int(500, 600_000).default(30_000),
    SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
    // How often a worker looks for the marker that tells a Redis which lost its data (RedisLossSweeper).
    REDIS_LOSS_CHECK_MS: int(100, 600_000).default(5_000),
    // The API's in-memory copy of live documents (0: none); PostgreSQL's notifications invalidate it.
    READ_CACHE_TTL_MS: int(0, 3_600_000).default(30_000),
    READ_CACHE_MAX_MB: int(1, 4_096).default(64),
    SECRETS_KEY: secretsKey.optional(),
    SECRETS_KEY_PREVIOUS: secretsKeys.optional(),
    DOCS_ENABLED: bool.default(true),
    WEB_ROOT: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.NODE_ENV === 'production' && !env.SECRETS_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_KEY'],
        message: `is required when NODE_ENV=production (it encrypts webhook secrets and signing keys at rest; ${SECRETS_KEY_HINT})`,
      });
    }
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      const missing = env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set together with the other ADMIN_ variable' });
    }
  });

type Env = z.output<typeof schema>;

export interface AppConfig {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  /** Where readers reach this API: links in the feed and webhook events point here. */
  publicBaseUrl: string;
  /** The role that owns the schema: creates the database, migrates, grants (DATABASE_URL). */
  databaseUrl: string;
  /**
   * The role the application's queries run as, which must not own audit_log: `url` when the operator
   * names it (APP_DATABASE_URL), else `role` on DATABASE_URL's server (see libs/database app-role.ts).
   */
  appDatabase: { url: string | null; role: string };
  redisUrl: string;
  queuePrefix: string;
  jwt: { secret: string; ttlSeconds: number; secretWasGenerated: boolean };
  /** REFRESH_TTL_HOURS: a sign-in's refresh cookie works this long after the sign-in; refreshing does not extend it. */
  refreshTtlHours: number;
  bootstrapAdmin: { email: string; password: string } | null;
  workflow: {
    requiredSignoffs: number;
    reviewIntervalDays: number;
    referenceMaxAgeYears: number;
    /** PATIENT_READING_GRADE_MAX: a patient or caregiver variant above this Flesch–Kincaid grade is a readability warning. */
    patientReadingGradeMax: number;
    /** SIGNOFF_REAUTH: the reviewer's password is asked for on every sign-off (21 CFR Part 11 §11.200). */
    signoffReauth: boolean;
    /** EDITORIAL_SIGNOFFS: approvals an editorial revision of a live article needs (contract §15). */
    editorialSignoffs: number;
  };
  /** signingKeyPem: PUBLICATION_SIGNING_KEY, or null to use the active key generated and kept in the database. */
  publicationSigning: { signingKeyPem: string | null };
  outbound: {
    allowHosts: string[];
    linkCheckTimeoutMs: number;
    doiResolverUrl: string;
    pubmedUrl: string;
  };
  linkCheck: {
    retries: number;
    retryBaseMs: number;
    maxRetryAfterMs: number;
    hostConcurrency: number;
    hostSpacingMs: number;
    cacheTtlSeconds: number;
    recheckIntervalHours: number;
  };
  /**
   * Contract §16: the registries, the address their etiquette asks callers to give, how often live
   * articles are checked again, and how long one answer serves every article that cites the paper.
   */
  evidence: {
    crossrefUrl: string;
    eutilsUrl: string;
    contactEmail: string | null;
    recheckHours: number;
    cacheTtlSeconds: number;
  };
  /**
   * Contract §17: how long a reviewer has by default, email (smtpUrl null: none), when the daily
   * digest and overdue reminders go out, and whether the review-due scan opens re-reviews itself.
   */
  board: {
    reviewSlaDays: number;
    smtpUrl: string | null;
    mailFrom: string;
    digestCron: string;
    overdueScanCron: string;
    autoReReview: boolean;
  };
  /**
   * Secrets at rest: `current` seals new values (SECRETS_KEY), `previous` only opens old ones
   * (SECRETS_KEY_PREVIOUS, while rotating); no current key: stored as they are (outside production only).
   */
  secrets: { current: Buffer | null; previous: Buffer[] };
  reviewDueScanCron: string;
  /** signingKeyPem: AUDIT_DIGEST_KEY, or null to use the key generated and kept in the database. */
  auditDigest: { signingKeyPem: string | null; cron: string };
  rateLimitPerMinute: number | null;
  /** perAccount: one account from one address; perAccountTotal: one account from all addresses together. */
  loginThrottle: { perAccount: number; perAccountTotal: number; perAddress: number; windowSeconds: number };
  trustProxy: boolean | string[];
  /**
   * timeoutMs: one delivery attempt, from connecting to the end of the answer (WEBHOOK_TIMEOUT_MS);
   * logRetentionDays: finished deliveries and their attempts are pruned after this (WEBHOOK_LOG_RETENTION_DAYS);
   * leaseMarginMs: an attempt holds its delivery for timeoutMs + this, so that a worker that died mid-attempt
   * blocks the retry no longer than that (WEBHOOK_LEASE_MARGIN_MS).
   */
  webhooks: {
    maxAttempts: number;
    backoffMs: number | null;
    timeoutMs: number;
    logRetentionDays: number;
    leaseMarginMs: number;
  };
  /**
   * BullMQ worker settings: a job's lock lives lockDurationMs (renewed every half of it while the
   * worker lives); every stalledIntervalMs a worker moves jobs whose lock ran out back to waiting.
   */
  queueWorkers: { lockDurationMs: number; stalledIntervalMs: number };
  /** How long a stopping process may finish its work before it forces the rest (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /** How often a worker checks whether Redis lost its data and re-issues the unfinished jobs (REDIS_LOSS_CHECK_MS). */
  redisLossCheckMs: number;
  /**
   * The live documents (JSON and reader pages) each API process keeps as ready bytes: ttlMs 0 is
   * none; otherwise an entry lives ttlMs at most (READ_CACHE_TTL_MS), within maxBytes (READ_CACHE_MAX_MB).
   */
  readCache: { ttlMs: number; maxBytes: number };
  docsEnabled: boolean;
  /** The built web app (`vite build`), served at /app/; absolute. */
  webRoot: string;
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "unset", as it does in most shells' and compose files' eyes.
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`);
    throw new ConfigError([...new Set(problems)].sort());
  }
  const env = parsed.data;
  const trust = env.TRUST_PROXY.toLowerCase();
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL,
    appDatabase: { url: env.APP_DATABASE_URL ?? null, role: env.APP_DATABASE_ROLE },
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX,
    jwt: {
      secret: env.JWT_SECRET ?? randomBytes(48).toString('base64url'),
      ttlSeconds: env.JWT_TTL_SECONDS,
      secretWasGenerated: !env.JWT_SECRET,
    },
    refreshTtlHours: env.REFRESH_TTL_HOURS,
    bootstrapAdmin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : null,
    workflow: {
      requiredSignoffs: env.REQUIRED_SIGNOFFS,
      reviewIntervalDays: env.REVIEW_INTERVAL_DAYS,
      referenceMaxAgeYears: env.REFERENCE_MAX_AGE_YEARS,
      patientReadingGradeMax: env.PATIENT_READING_GRADE_MAX,
      signoffReauth: env.SIGNOFF_REAUTH,
      editorialSignoffs: env.EDITORIAL_SIGNOFFS,
    },
    publicationSigning: { signingKeyPem: env.PUBLICATION_SIGNING_KEY ?? null },
    outbound: {
      allowHosts: env.OUTBOUND_ALLOW_HOSTS,
      linkCheckTimeoutMs: env.LINK_CHECK_TIMEOUT_MS,
      doiResolverUrl: env.DOI_RESOLVER_URL,
      pubmedUrl: env.PUBMED_URL,
    },
    linkCheck: {
      retries: env.LINK_CHECK_RETRIES,
      retryBaseMs: env.LINK_CHECK_RETRY_BASE_MS,
      maxRetryAfterMs: env.LINK_CHECK_MAX_RETRY_AFTER_MS,
      hostConcurrency: env.LINK_CHECK_HOST_CONCURRENCY,
      hostSpacingMs: env.LINK_CHECK_HOST_SPACING_MS,
      cacheTtlSeconds: env.LINK_CHECK_CACHE_TTL_SECONDS,
      recheckIntervalHours: env.LINK_RECHECK_INTERVAL_HOURS,
    },
    evidence: {
      crossrefUrl: env.CROSSREF_API_URL.replace(/\/+$/, ''),
      eutilsUrl: env.EUTILS_URL.replace(/\/+$/, ''),
      contactEmail: env.CONTACT_EMAIL ?? null,
      recheckHours: env.EVIDENCE_RECHECK_HOURS,
      cacheTtlSeconds: env.EVIDENCE_CACHE_TTL_SECONDS,
    },
    board: {
      reviewSlaDays: env.REVIEW_SLA_DAYS,
      smtpUrl: env.SMTP_URL ?? null,
      mailFrom: env.MAIL_FROM,
      digestCron: env.DIGEST_CRON,
      overdueScanCron: env.OVERDUE_SCAN_CRON,
      autoReReview: env.AUTO_RE_REVIEW,
    },
    secrets: {
      current: env.SECRETS_KEY ? Buffer.from(env.SECRETS_KEY.trim(), 'base64') : null,
      previous: (env.SECRETS_KEY_PREVIOUS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
        .map((k) => Buffer.from(k, 'base64')),
    },
    reviewDueScanCron: env.REVIEW_DUE_SCAN_CRON,
    auditDigest: { signingKeyPem: env.AUDIT_DIGEST_KEY ?? null, cron: env.AUDIT_DIGEST_CRON },
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? null,
    loginThrottle: {
      perAccount: env.LOGIN_FAILURES_PER_ACCOUNT,
      perAccountTotal: env.LOGIN_FAILURES_PER_ACCOUNT_TOTAL,
      perAddress: env.LOGIN_FAILURES_PER_ADDRESS,
      windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS,
    },
    trustProxy:
      trust === 'true'
        ? true
        : trust === 'false'
          ? false
          : trust
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
    webhooks: {
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS ?? null,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      logRetentionDays: env.WEBHOOK_LOG_RETENTION_DAYS,
      leaseMarginMs: env.WEBHOOK_LEASE_MARGIN_MS,
    },
    queueWorkers: { lockDurationMs: env.WORKER_LOCK_DURATION_MS, stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    redisLossCheckMs: env.REDIS_LOSS_CHECK_MS,
    readCache: { ttlMs: env.READ_CACHE_TTL_MS, maxBytes: env.READ_CACHE_MAX_MB * 1024 * 1024 },
    docsEnabled: env.DOCS_ENABLED,
    webRoot: resolve(env.WEB_ROOT ?? 'dist/web'),
    logLevel: env.LOG_LEVEL,
  };
}
