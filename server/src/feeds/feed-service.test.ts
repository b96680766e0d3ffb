import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedIngest } from '../ingest/feed-ingest.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import { Pseudonymiser } from '../ingest/pseudonymise.ts';
import { FeedRateLimiter } from '../ingest/rate-limit.ts';
import { Sealer } from '../ingest/seal.ts';
import type { Logger } from '../logger.ts';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { FeedService } from './feed-service.ts';

let tdb: TestDatabase;
beforeAll(async () => { tdb = await memoryDatabase(); });
afterAll(async () => { await tdb?.drop(); });

describe('FeedService', () => {
  it('keeps the node up, MQTT off and says why, when the broker port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const errors: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn() {}, error: (m) => { errors.push(m); } };
    const p = new Pseudonymiser('feed-service-test-key-0123', 'k1');
    const now = () => new Date();
    const feeds = new FeedIngest({ db: tdb.db, pipeline: new IngestPipeline(tdb.db, p, now), sealer: new Sealer(p.keyring), limiter: new FeedRateLimiter(0), log, now, timeZone: 'Europe/Paris', onZones: async () => {} });
    const service = new FeedService(tdb.db, feeds, log, now);
    try {
      await service.start({ brokerPort: (taken.address() as { port: number }).port, brokerHost: '127.0.0.1' });
      expect(service.broker).toBeUndefined();
      expect(service.bridge).toBeUndefined();
      expect(errors).toEqual([expect.stringContaining('cannot listen')]);
      await service.reload(); // still works without MQTT
    } finally {
      await service.stop();
      await new Promise((r) => taken.close(r));
    }
  });
});
