import type { FeedIngest } from '../ingest/feed-ingest.ts';
import type { FeedRateLimiter } from '../ingest/rate-limit.ts';
import type { Sealer } from '../ingest/seal.ts';

/** What the HTTP layer needs of the feeds: the ingest, the dead-letter sealer, the rate limits, a reload. */
export type FeedsDeps = {
  ingest: FeedIngest;
  sealer: Sealer;
  limiter: FeedRateLimiter;
  /** Applies changed feed configurations (polls, MQTT mappings). */
  reload: () => Promise<void>;
};
