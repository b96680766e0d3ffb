import mqtt, { type MqttClient } from 'mqtt';
import type { FeedAnswer, FeedIngest, FeedMessage, Prechecked } from '../../ingest/feed-ingest.ts';
import type { Logger } from '../../logger.ts';
import { addressOf } from '../../startup.ts';
import { isRefusedByDatabase } from '../../storage/sql-client.ts';
import type { FeedConfig } from '../feed-configs-repo.ts';
import { topicMatches } from './topics.ts';

type Mapping = Extract<FeedConfig, { kind: 'mqtt' }>;
type Decoded = { message: FeedMessage } & ({ pre: Prechecked } | { error: unknown });
/** A received message waiting for its turn, and how to acknowledge it to the broker once handled. */
type Pending = { topic: string; payload: Buffer; ack?: () => void };
/** How a write that failed (the database, not the message) is tried again: waits double from `firstMs` up to `maxMs`. */
export type RetryPolicy = { attempts: number; firstMs: number; maxMs: number };
/** About three minutes in all before the message becomes a dead letter. */
const RETRY: RetryPolicy = { attempts: 10, firstMs: 500, maxMs: 30_000 };
/**
 * `clientId`: this node's stable MQTT client id, for a persistent session (the broker keeps
 * the subscriptions and the unacknowledged messages while the node is away, and sends them
 * again when it is back); without one, a fresh id and a clean session (an ephemeral node).
 * `shareGroup`: subscribe as a member of this shared-subscription group
 * (`$share/<group>/<filter>`, MQTT 5, and Mosquitto for MQTT 3.1.1 clients too): the broker
 * gives each message to one member of the group instead of to every node; unset or empty,
 * plain subscriptions. Only for a broker that supports them (not the in-process aedes).
 * `credentials`: how the bridge signs in (the in-process broker's; an external broker's are in its URL).
 * `broker`: how the logs name the broker (`MQTT_URL (host:port)`); by default its address.
 */
export type BridgeOptions = { retry?: RetryPolicy; clientId?: string; shareGroup?: string; credentials?: { username: string; password: string }; broker?: string };

/** A message the bridge stopped before storing: left unacknowledged, for the broker to send again. */
class LeftToBroker extends Error {}

/**
 * Subscribes to the configured topic filters on a broker (in-process or external) and sends
 * each message through its mapping's adapter and the one ingest pipeline. Messages are written
 * in order, one at a time, and each is acknowledged to the broker (QoS 1 PUBACK) only once it
 * is stored, as events or as a dead letter: mqtt.js takes the next message only then, so a
 * slow database slows the subscription instead of piling up, and a node that stops or crashes
 * in between gets the message again from the broker (persistent session), stored once by its
 * (source, id). A write that fails (the database unreachable) is tried again, and after the
 * last attempt the message is kept as a dead letter. When the dead letter cannot be stored
 * either (the database still down), the message is held and tried again until the database
 * answers: none is dropped, and the broker keeps what follows.
 */
export class MqttBridge {
  private client?: MqttClient;
  private mappings: Mapping[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending[] = [];
  private stopped = false;
  /** `held`: messages whose dead letter could not be stored either, then tried again (database down). */
  readonly counters = { messages: 0, unmapped: 0, refused: 0, retries: 0, unwritten: 0, held: 0 };
  private readonly retry: RetryPolicy;
  private readonly clientId?: string;
  private readonly shareGroup?: string;
  private readonly credentials?: { username: string; password: string };
  private readonly broker: string;
  /** A message is being written (taken out of `pending`). */
  private writing = false;

  constructor(
    private readonly url: string, private readonly feeds: FeedIngest, private readonly log: Logger,
    private readonly onAnswer?: (topic: string, a: FeedAnswer) => void, opts: BridgeOptions = {},
  ) {
    this.retry = opts.retry ?? RETRY;
    this.clientId = opts.clientId;
    this.shareGroup = opts.shareGroup || undefined;
    this.credentials = opts.credentials;
    this.broker = opts.broker ?? addressOf(url, 1883);
  }

  /**
   * What is subscribed for a mapping's topic filter: the filter itself, or the group's shared
   * subscription to it. Messages come with their own topic either way (never `$share/…`),
   * which the mappings' filters take as they are.
   */
  private filter(topic: string): string {
    return this.shareGroup ? `$share/${this.shareGroup}/${topic}` : topic;
  }

  /**
   * Subscribes to the mappings' `topics`. In a group, the plain subscriptions to them are
   * dropped afterwards: a persistent session from before the group (a node upgraded, or run
   * with the group empty) still holds them at the broker, and would still bring this node
   * every message, the others' share included. Dropped after the shared subscription is in
   * place, so that no message goes to nobody meanwhile.
   */
  private async subscribe(client: MqttClient, topics: string[]): Promise<void> {
    await client.subscribeAsync(topics.map((t) => this.filter(t)), { qos: 1 });
    if (this.shareGroup) await client.unsubscribeAsync(topics);
  }

  /** Messages received and not yet written (the one being written included). */
  get waiting(): number {
    return this.pending.length + (this.writing ? 1 : 0);
  }

  /**
   * Connects in the background (an unreachable broker must not stop the node from starting)
   * and subscribes to the mapped topics on every (re)connection.
   */
  async start(): Promise<void> {
    this.client = mqtt.connect(this.url, {
      clientId: this.clientId ?? `vigie-${Math.random().toString(36).slice(2, 10)}`, clean: this.clientId === undefined, reconnectPeriod: 2000,
      ...this.credentials,
    });
    // An unreachable broker is tried again every 2 s (its feeds may come back): said once until
    // it answers again, not at every attempt.
    let away = false;
    this.client.on('error', (e) => {
      // A refusal of the sign-in (CONNACK 4 or 5) is not an unreachable broker: MQTT_URL's user or password is wrong.
      const code = (e as { code?: unknown }).code;
      if ((code === 4 || code === 5) && !away) {
        away = true;
        return this.log.error(`mqtt: the broker of ${this.broker} refuses the sign-in (check the user and password of MQTT_URL); trying again every 2 s`, { error: String(e) });
      }
      if (away) return this.log.debug('mqtt: error', { broker: this.broker, error: String(e) });
      away = true;
      this.log.warn(`mqtt: cannot reach the broker of ${this.broker}; trying again every 2 s`, { error: String(e) });
    });
    this.client.on('connect', () => {
      if (away) this.log.info(`mqtt: connected to the broker of ${this.broker} again`);
      away = false;
      const topics = [...new Set(this.mappings.map((m) => m.topic))];
      if (topics.length && this.client) this.subscribe(this.client, topics).catch((e: unknown) => this.log.warn('mqtt: subscribe failed', { error: String(e) }));
    });
    // Give a reachable broker a moment, so that subscriptions are in place when start resolves.
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 3000);
      t.unref();
      this.client!.once('connect', () => { clearTimeout(t); resolve(); });
    });
    this.client.on('message', (topic, payload) => {
      this.pending.push({ topic, payload });
      this.queue = this.queue.then(() => this.handleNext())
        .catch((e: unknown) => this.log.error('mqtt: message failed', { topic, error: String(e) }));
    });
    // mqtt.js acknowledges a message, and reads the next, once this calls back: after the
    // message is handled (it emits 'message' for the packet just before calling this).
    this.client.handleMessage = (_packet, callback) => {
      const last = this.pending[this.pending.length - 1];
      if (last && !last.ack) last.ack = () => callback();
      else callback();
    };
  }

  /** Applies a new set of mappings: subscribes to the new filters, drops the old ones. */
  async reload(configs: FeedConfig[]): Promise<void> {
    const next = configs.filter((c): c is Mapping => c.kind === 'mqtt' && c.enabled);
    const before = new Set(this.mappings.map((m) => m.topic));
    const after = new Set(next.map((m) => m.topic));
    this.mappings = next;
    if (!this.client?.connected) return; // subscribed on connection
    const gone = [...before].filter((t) => !after.has(t));
    const added = [...after].filter((t) => !before.has(t));
    if (gone.length) await this.client.unsubscribeAsync(gone.map((t) => this.filter(t)));
    if (added.length) await this.subscribe(this.client, added);
  }

  /** Resolves once every message received so far is handled. */
  idle(): Promise<unknown> {
    return this.queue;
  }

  /** The message's mapping and its decoding (pure), or null when no mapping takes the topic. */
  private decode(topic: string, payload: Buffer): Decoded | null {
    const m = this.mappings.find((x) => topicMatches(x.topic, topic));
    if (!m) return null;
    const message: FeedMessage = { format: m.format, source: m.source, body: payload, sender: { name: `mqtt:${m.id}`, sources: [m.source] }, unattended: true };
    try {
      return { message, pre: this.feeds.precheck(message, { prepare: true }) };
    } catch (e) {
      return { message, error: e };
    }
  }

  private async handleNext(): Promise<void> {
    const item = this.pending.shift()!;
    this.writing = true;
    let ack = true;
    try {
      await this.handle(item);
    } catch (e) {
      if (e instanceof LeftToBroker) ack = false;
      else throw e; // logged with the topic; acknowledged all the same, or the subscription would stall
    } finally {
      this.writing = false;
      // Stored (as events or a dead letter), or not for us: the broker may forget it.
      if (ack) item.ack?.();
    }
  }

  private async handle(item: Pending): Promise<void> {
    this.counters.messages++;
    const d = this.decode(item.topic, item.payload);
    if (!d) {
      this.counters.unmapped++;
      return;
    }
    if ('error' in d) throw d.error;
    const answer = await this.write(item.topic, d.message, d.pre);
    if (answer.status >= 300) this.counters.refused++;
    this.onAnswer?.(item.topic, answer);
  }

  /**
   * Writes a message, trying again while it fails; a dead letter after the last attempt (at
   * once when the database refuses the statement itself: trying again cannot help). If
   * the dead letter cannot be stored either, the message is held: tried again every `maxMs`
   * (the write, then the dead letter) until one of them is stored, or the bridge stops.
   */
  private async write(topic: string, message: FeedMessage, pre: Prechecked): Promise<FeedAnswer> {
    let held = false;
    for (let attempt = 1, wait = this.retry.firstMs; ; attempt++, wait = Math.min(wait * 2, this.retry.maxMs)) {
      try {
        const answer = await this.feeds.receiveChecked(message, pre);
        if (held) this.log.warn('mqtt: held message written', { topic, attempts: attempt });
        return answer;
      } catch (e) {
        if (this.stopped && this.clientId !== undefined) {
          // A persistent session: the broker sends it again when this node is back.
          this.log.warn('mqtt: stopped before the message was stored: left to the broker', { topic });
          throw new LeftToBroker();
        }
        // A statement the database refuses (not an outage) would be refused again: a dead letter at once.
        if (attempt >= this.retry.attempts || this.stopped || isRefusedByDatabase(e)) {
          const answer = await this.feeds.unwritten(message, e);
          if (answer.deadLetter !== undefined) {
            this.counters.unwritten++;
            this.log.error('mqtt: message not written, kept as a dead letter', { topic, attempts: attempt, deadLetter: answer.deadLetter, error: String(e) });
            return answer;
          }
          if (this.stopped) {
            this.log.error('mqtt: stopped while the database was unreachable: message not stored', { topic, bytes: message.body.length, error: String(e) });
            return answer;
          }
          if (!held) {
            held = true;
            this.counters.held++;
            this.log.error('mqtt: neither the message nor its dead letter could be stored: held, trying again', { topic, waitMs: this.retry.maxMs, error: String(e) });
          }
          await new Promise((resolve) => setTimeout(resolve, this.retry.maxMs));
          continue;
        }
        this.counters.retries++;
        this.log.warn('mqtt: write failed, trying again', { topic, attempt, waitMs: wait, error: String(e) });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.endAsync(true);
    this.client = undefined;
  }
}
