import { type Adapter, FeedFormatError, parseJsonBody } from '../adapter.ts';
import { parseXml } from '../xml.ts';
import { siriToEvents } from './siri-mapping.ts';

/** SIRI 2.x XML (French profile): GeneralMessage and SituationExchange deliveries. */
export const siriAdapter: Adapter = {
  format: 'siri',
  contentTypes: ['application/xml', 'text/xml'],
  decode(body, ctx) {
    const root = parseXml(body, ctx.options?.charset);
    if (!root.Siri) throw new FeedFormatError('not a SIRI document: the root element must be <Siri>', 'Siri');
    if (!(root.Siri as Record<string, unknown>).ServiceDelivery) throw new FeedFormatError('a SIRI document without ServiceDelivery', 'Siri.ServiceDelivery');
    return siriToEvents(root, ctx);
  },
};

/** SIRI Lite: the same deliveries as JSON (`{"Siri": {"ServiceDelivery": …}}`). */
export const siriLiteAdapter: Adapter = {
  format: 'siri-lite',
  contentTypes: ['application/json'],
  decode(body, ctx) {
    const root = parseJsonBody(body);
    const siri = (root as { Siri?: { ServiceDelivery?: unknown } } | null)?.Siri;
    if (!siri || typeof siri !== 'object') throw new FeedFormatError('not a SIRI Lite document: "Siri" is missing', 'Siri');
    if (!siri.ServiceDelivery || typeof siri.ServiceDelivery !== 'object') throw new FeedFormatError('a SIRI Lite document without ServiceDelivery', 'Siri.ServiceDelivery');
    return siriToEvents(root as Record<string, unknown>, ctx);
  },
};
