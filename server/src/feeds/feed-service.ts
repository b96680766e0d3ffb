import { randomBytes } from 'node:crypto';
import { feedSender } from '../auth/feed-sender.ts';
import type { FeedIngest } from '../ingest/feed-ingest.ts';
import type { Logger } from '../logger.ts';
import { addressOf } from '../startup.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listFeedConfigs, type FeedConfig } from './feed-configs-repo.ts';
import { FeedPoller } from './gtfs-rt/poller.ts';
import { type Broker, startBroker } from './mqtt/broker.ts';
import { MqttBridge } from './mqtt/bridge.ts';
import { topicMatches } from './mqtt/topics.ts';

export type FeedServiceOptions = {
  /** External broker; unset starts the in-process one on `brokerPort`. */
  mqttUrl?: string;
  brokerPort: number;
  brokerHost?: string;
  /** This node's MQTT client id, for a persistent session (unset: an ephemeral node, a clean session). */
  clientId?: string;
  /**
   * On the external broker only: the shared-subscription group of the nodes, so that each
   * message goes to one of them (unset or empty: every node gets every message). The
   * in-process broker serves one node and does not support shared subscriptions.
   */
  shareGroup?: string;
};

/** The feeds that Vigie fetches or subscribes to: GTFS-RT polls and MQTT mappings, reloaded on change. */
export class FeedService {
  readonly poller: FeedPoller;
  bridge?: MqttBridge;
  broker?: Broker;

  /** `allowHosts`: VIGIE_FEED_ALLOW_HOSTS, the hosts polled although loopback or link-local. */
  constructor(private readonly db: SqlClient, private readonly feeds: FeedIngest, private readonly log: Logger, now: () => Date, allowHosts: readonly string[] = []) {
    this.poller = new FeedPoller(db, feeds, log, now, allowHosts);
  }

  /** The configurations in force (the in-process broker lets a feed publish only to a mapped topic). */
  private configs: FeedConfig[] = [];

  /**
   * Whether this node polls the configured URLs. With several nodes only the one leading the
   * engine does (vigie.ts), so that a feed's server is asked once per interval, not once per
   * node; the others read each poll's outcome from the database, as feed health does (the
   * configuration's last poll and error, the feed's minutes). A node alone leads: it polls.
   */
  private pollsHere = true;

  get polling(): boolean {
    return this.pollsHere;
  }

  /**
   * Starts or stops this node's polls: stopped at once (a poll under way ends, recorded as any);
   * started on the configurations in force, each polled at once and then on its interval.
   */
  polls(on: boolean): void {
    if (on === this.pollsHere) return;
    this.pollsHere = on;
    if (!this.running) return;
    this.applyPolls(this.configs);
    this.log.info(on ? 'feeds: this node polls the configured URLs' : 'feeds: this node no longer polls (the leading node does)');
  }

  /** The polls this node runs: every enabled one while it polls, none otherwise. */
  private applyPolls(configs: FeedConfig[]): void {
    this.poller.reload(this.pollsHere ? configs : []);
  }

  /** The source an enabled MQTT mapping gives the topic, if any. */
  private sourceOf(topic: string): string | undefined {
    return this.configs.find((c) => c.kind === 'mqtt' && c.enabled && topicMatches(c.topic, topic))?.source;
  }

  async start(o: FeedServiceOptions): Promise<void> {
    this.running = true;
    let url = o.mqttUrl;
    // The bridge's own sign-in on the in-process broker: made at each start, known to nobody else.
    const bridge = { username: 'vigie-bridge', password: randomBytes(24).toString('base64url') };
    if (!url) {
      try {
        this.configs = await listFeedConfigs(this.db);
        this.broker = await startBroker(o.brokerPort, o.brokerHost ?? '0.0.0.0', {
          bridge,
          sender: (token) => feedSender(this.db, token),
          log: this.log,
          source: (topic) => this.sourceOf(topic),
        });
      } catch (e) {
        // A taken port must not take the whole node down: HTTP feeds still work; say it loudly.
        this.log.error('mqtt: the in-process broker cannot listen; MQTT feeds are off (set VIGIE_MQTT_PORT or MQTT_URL)', { port: o.brokerPort, error: String(e) });
        this.applyPolls(await listFeedConfigs(this.db));
        return;
      }
      url = `mqtt://127.0.0.1:${this.broker.port}`;
      this.log.info('mqtt broker listening', { port: this.broker.port });
    }
    this.bridge = new MqttBridge(url, this.feeds, this.log, undefined, {
      clientId: o.clientId, shareGroup: o.mqttUrl ? o.shareGroup : undefined, credentials: o.mqttUrl ? undefined : bridge,
      broker: o.mqttUrl ? `MQTT_URL (${addressOf(o.mqttUrl, 1883)})` : `the in-process broker (${url})`,
    });
    await this.bridge.start();
    await this.reload();
  }

  /** Between `start` and `stop`: a change heard from another node before or after applies nothing (no poll on a node not running). */
  private running = false;

  async reload(): Promise<void> {
    if (!this.running) return;
    const configs = await listFeedConfigs(this.db);
    this.configs = configs;
    this.applyPolls(configs);
    await this.bridge?.reload(configs);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poller.stop();
    await this.bridge?.stop();
    await this.broker?.close();
  }
}
