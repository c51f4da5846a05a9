import 'reflect-metadata';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { WORKER_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import { loadConfig } from '@imprimatur/config';
import { applyWorkerOptions, configuredWorkerOptions } from './worker-settings';

@Processor('first', { concurrency: 4 })
class First extends WorkerHost {
  async process(): Promise<void> {}
}

@Processor('second')
class Second extends WorkerHost {
  async process(): Promise<void> {}
}

describe('worker settings from the configuration', () => {
  it("defaults to BullMQ's own 30 s lock and stalled-check interval", () => {
    expect(configuredWorkerOptions(loadConfig({}))).toEqual({ lockDuration: 30_000, stalledInterval: 30_000 });
  });

  it('adds WORKER_LOCK_DURATION_MS and WORKER_STALLED_INTERVAL_MS to every processor, keeping what each declares', () => {
    applyWorkerOptions(
      [First, Second],
      loadConfig({ WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '1500' }),
    );
    expect(Reflect.getMetadata(WORKER_METADATA, First)).toEqual({
      concurrency: 4,
      lockDuration: 4_000,
      stalledInterval: 1_500,
    });
    expect(Reflect.getMetadata(WORKER_METADATA, Second)).toEqual({ lockDuration: 4_000, stalledInterval: 1_500 });
  });

  it('refuses settings BullMQ cannot work with', () => {
    expect(() => loadConfig({ WORKER_LOCK_DURATION_MS: '10' })).toThrow(/WORKER_LOCK_DURATION_MS/);
    expect(() => loadConfig({ WORKER_STALLED_INTERVAL_MS: '0' })).toThrow(/WORKER_STALLED_INTERVAL_MS/);
  });
});
