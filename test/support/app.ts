import { randomInt } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { App } from 'supertest/types';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@imprimatur/config';
import { PublishingService, PublishOutcome } from '@imprimatur/publishing';
import type { JobPayloads } from '@imprimatur/queue';
import { createApiApp } from '../../apps/api/src/app.factory';
import { LiveChanges } from '../../apps/api/src/public/live-changes.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface TestApi {
  app: NestFastifyApplication;
  config: AppConfig;
  http: App;
  close(): Promise<void>;
}

/** The real API (same factory as `main`) on the run's database, with optional env overrides. */
export async function startApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const config = loadConfig({ ...process.env, ...overrides });
  const app = await createApiApp(config);
  return { app, config, http: app.getHttpServer() as App, close: () => app.close() };
}

/**
 * Publishes an approval as the worker's job would, in this process, and waits until the API's read
 * cache has heard of it: the publication came from outside the API's requests, like the worker's.
 */
export async function publishAsWorker(
  api: Pick<TestApi, 'app'>,
  approval: JobPayloads['article.approved'],
): Promise<PublishOutcome> {
  const outcome = await api.app.get(PublishingService).publish(approval);
  await api.app.get(LiveChanges).sync();
  return outcome;
}

/** The real worker (same module as `main`), in this process, on the environment given (usually an isolated one). */
export function startWorker(env: Record<string, string>): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig({ ...process.env, ...env })), {
    logger: false,
    abortOnError: false,
  });
}

export const ADMIN = {
  email: process.env.ADMIN_EMAIL ?? 'admin@imprimatur.test',
  password: process.env.ADMIN_PASSWORD ?? 'admin-password-for-tests',
};

/** An address of its own per call (in the 198.18.0.0/15 benchmarking range), so one test's failed logins do not throttle another's. */
export const freshAddress = () => `198.${18 + randomInt(2)}.${randomInt(256)}.${randomInt(1, 255)}`;

export async function login(http: App, email: string, password: string): Promise<string> {
  const res = await request(http)
    .post('/auth/login')
    .set('x-forwarded-for', freshAddress())
    .send({ email, password })
    .expect(200);
  return (res.body as { accessToken: string }).accessToken;
}

export const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@imprimatur.test`;

export async function createUser(
  http: App,
  adminToken: string,
  fields: { roles: string[]; email?: string; password?: string; name?: string },
): Promise<{ id: string; email: string; password: string; token: () => Promise<string> }> {
  const email = fields.email ?? uniqueEmail(fields.roles.join('-'));
  const password = fields.password ?? 'a-long-enough-password';
  const res = await request(http)
    .post('/users')
    .auth(adminToken, { type: 'bearer' })
    .send({ email, password, name: fields.name ?? 'Test User', roles: fields.roles })
    .expect(201);
  const id = (res.body as { id: string }).id;
  return { id, email, password, token: () => login(http, email, password) };
}
