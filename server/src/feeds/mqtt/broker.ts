import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Sender } from '../../ingest/pipeline.ts';
import { createLogger, type Logger } from '../../logger.ts';
import { MqttSignInLimits, PER_ACCOUNT, PER_ADDRESS, SPAN_MS } from './sign-in-limits.ts';

export type Broker = { port: number; close(): Promise<void> };

/**
 * Who may use the in-process broker. The node's own bridge signs in with `bridge` (a secret
 * made at each start, never shown): it alone subscribes. A feed signs in with a feed token as
 * its password (any user name): `sender` says which sources the token may write, or nothing
 * for an unknown token (refused). A feed only publishes, and only to a topic that `source`
 * maps to one of its sources (a topic nobody maps, or another source's: the feed is
 * disconnected, as MQTT 3.1.1 has no other way to refuse a message).
 */
export type BrokerAccess = {
  /** The bridge's sign-in, and the client ids it connects under (`vigie-…`): no feed may take one (its session holds the feeds' messages). */
  bridge: { username: string; password: string; clientIdPrefix?: string };
  sender(token: string): Promise<Sender | undefined>;
  source(topic: string): string | undefined;
  /** How long a feed's token is taken as read before it is read again (default RECHECK_MS). */
  recheckMs?: number;
  /**
   * Failed sign-ins, per client address and user name: past the limits (sign-in-limits.ts) the
   * broker refuses (CONNACK "not authorised") without reading the token. Default: a count of
   * this broker's own.
   */
  limits?: MqttSignInLimits;
  /** Where an address held by the limits is told, once per hold (default: nowhere). */
  log?: Logger;
};

/** A refusal of the connection itself: CONNACK "identifier rejected" (2), "bad user name or password" (4) or "not authorised" (5). */
const refused = (returnCode: 2 | 4 | 5, message: string): AuthenticateError => Object.assign(new Error(message), { returnCode });

/** A feed signed in: its token, what it may send, and when that was last read (a token revoked meanwhile stops it). */
type Feed = { token: string; sender: Sender; checkedAt: number };
/** What a signed-in connection is: the bridge, or a feed. */
const signedIn = new WeakMap<Client, 'bridge' | Feed>();
/** How long a feed's token is taken as read before it is read again (a revoked token stops publishing within this). */
const RECHECK_MS = 30_000;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The in-process MQTT broker (aedes) used when no external MQTT_URL is configured; only the bridge and feed tokens get in. */
export async function startBroker(port: number, host: string, access: BrokerAccess): Promise<Broker> {
  const limits = access.limits ?? new MqttSignInLimits();
  const log = access.log ?? createLogger('silent');
  /** Each connection's remote address, read as it comes (a socket closed meanwhile no longer has one). */
  const addresses = new WeakMap<object, string>();
  const aedes = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const secret = password?.toString('utf8');
      if (!secret) return done(refused(4, 'a feed token is required as the MQTT password'), false);
      const bridgeId = client.id.startsWith(access.bridge.clientIdPrefix ?? 'vigie-');
      // Before the limits: failures from the node's own address never keep its bridge out (its secret is not guessable).
      if (username === access.bridge.username && sameSecret(secret, access.bridge.password)) {
        signedIn.set(client, 'bridge');
        return done(null, true);
      }
      const address = addresses.get(client.conn) ?? '', user = username ?? '';
      const held = limits.wait(address, user);
      if (held) return done(refused(5, `too many failed sign-ins${held.scope === 'address' ? ' from this address' : ''}: try again in ${Math.ceil(held.ms / 60_000)} min`), false);
      // The node's own client ids are the bridge's: a feed under one would take over its session (and the messages queued for it).
      if (bridgeId) return done(refused(2, 'this client id is reserved for Vigie itself'), false);
      const attempt = limits.begin(address, user);
      access.sender(secret).then((sender) => {
        if (!sender) {
          for (const scope of attempt.failed()) {
            log.warn('mqtt: sign-ins refused for a while after repeated failures (wrong feed tokens)', scope === 'address'
              ? { address, scope, failures: PER_ADDRESS, minutes: SPAN_MS / 60_000, note: 'whatever the user name, but for those that signed in from there lately' }
              : { address, scope, failures: PER_ACCOUNT, minutes: SPAN_MS / 60_000, note: 'for one user name' });
          }
          return done(refused(4, 'unknown feed token'), false);
        }
        attempt.succeeded();
        signedIn.set(client, { token: secret, sender, checkedAt: Date.now() });
        done(null, true);
      }, () => {
        attempt.unknown();
        done(refused(5, 'the feed token could not be checked'), false);
      });
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker's own (a will)
      const who = signedIn.get(client);
      if (who === 'bridge') return done(new Error('the bridge does not publish'));
      // `$` topics are the broker's ($SYS); a wildcard mapping must not take them (MQTT-4.7.2-1).
      if (packet.topic.startsWith('$')) return done(new Error('topics starting with $ are the broker\'s'));
      const source = access.source(packet.topic);
      if (!who || source === undefined) return done(new Error(`no feed is mapped to the topic ${packet.topic}`));
      // Not kept by the broker: a retained message would come to the bridge again at each subscription, stored as often.
      packet.retain = false;
      const judge = (sender: Sender) => {
        if (sender.sources && !sender.sources.includes(source)) return done(new Error(`this feed token may not send for source "${source}"`));
        done(null);
      };
      if (Date.now() - who.checkedAt < (access.recheckMs ?? RECHECK_MS)) return judge(who.sender);
      access.sender(who.token).then((sender) => {
        if (!sender) return done(new Error('the feed token was revoked'));
        who.sender = sender;
        who.checkedAt = Date.now();
        judge(sender);
      }, () => done(new Error('the feed token could not be checked')));
    },
    authorizeSubscribe: (client, subscription, done) => {
      // Only the bridge reads: a feed's messages are not for other feeds to see (they hold personal data before pseudonymisation).
      done(null, signedIn.get(client) === 'bridge' ? subscription : null);
    },
  });
  const server: Server = createServer((socket: Socket) => {
    addresses.set(socket, (socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '')); // an IPv4 client on a dual-stack socket: its IPv4 address
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => {
      aedes.close(() => server.close(() => resolve()));
    }),
  };
}
