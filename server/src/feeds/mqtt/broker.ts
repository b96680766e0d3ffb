import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export type Broker = { port: number; close(): Promise<void> };

/** The in-process MQTT broker (aedes) used when no external MQTT_URL is configured. */
export async function startBroker(port: number, host = '0.0.0.0'): Promise<Broker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
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
