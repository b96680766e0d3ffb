import { z } from 'zod';
import { Alert, Event, Zone } from '@vigie/rules';
import { ERRORS } from '../errors/catalogue.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const errors = { default: { description: 'an error', content: json('Error') } };

/** The HTTP API, described once from the same zod schemas that validate it. */
export function openApiDocument(version: string) {
  const doc = {
    openapi: '3.1.0',
    info: { title: 'Vigie', version, description: 'Live console of a public-safety observatory.' },
    // A signed-in session unless an operation says otherwise (a feed token, a display token, or none: security []).
    security: [{ session: [] }],
    components: {
      securitySchemes: {
        feedToken: { type: 'http', scheme: 'bearer', description: 'a feed token' },
        session: { type: 'apiKey', in: 'cookie', name: 'vigie_sid' },
        displayToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'a wall screen\'s display token: Authorization: Display <token> (or ?token=)' },
      },
      schemas: {
        Event: schema(Event),
        Alert: schema(Alert),
        Zone: schema(Zone),
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { enum: Object.keys(ERRORS) }, message: { type: 'string' }, details: { type: 'object', description: 'what more there is to say, as data ({} when nothing): the fields refused (issues), the items of a batch (accepted, duplicates, rejected), a route\'s body limit (limitBytes, with VIGIE_BATCH_TOO_LARGE), …' } }, required: ['code', 'message', 'details'] } },
        },
        /** One refused item of a batch, a feed message or a file (events, zone features): why, as data. */
        RejectedItem: {
          type: 'object',
          properties: { index: { type: 'integer', description: 'its place in what was sent (from 0)' }, error: { type: 'object', properties: {
            code: { type: 'string' }, message: { type: 'string', description: 'in English, the field first' }, field: { type: 'string', description: 'the item\'s bad member (an event\'s location.lat, a zone feature\'s properties.name or geometry.coordinates.0)' },
            reason: { type: 'object', description: 'the reason as data, for a client to word in its language: {key} with key one of required, datetime, lat_lon_pair, nul, lone_surrogate, forbidden_source, conflict, type, format, unknown_field, invalid, not_found, in_past, closed, weak, taken; {key: too_big|too_small|too_long|too_short|hours_ahead|time_range, limit}; {key: one_of, values}', properties: { key: { type: 'string' }, limit: { type: 'number' }, values: { type: 'array', items: { type: 'string' } } }, required: ['key'] },
          }, required: ['code', 'message'] } },
          required: ['index', 'error'],
        },
        IngestResult: {
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            duplicates: { type: 'integer' },
            rejected: { type: 'array', items: { $ref: '#/components/schemas/RejectedItem' } },
          },
        },
        ZoneImportResult: {
          type: 'object',
          properties: {
            imported: { type: 'integer' },
            rejected: { type: 'array', items: { $ref: '#/components/schemas/RejectedItem' }, description: 'the features not imported, code VIGIE_VALIDATION, field properties.<idProperty>, properties.<nameProperty> or geometry…; features sharing an id have reason conflict' },
          },
        },
      },
    },
    paths: {
      '/api/v1/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'the OpenAPI 3.1 document' } } } },
      '/api/v1/events': {
        post: {
          summary: 'Send one event or a batch (at most 1000 items and 1 MiB)',
          security: [{ feedToken: [] }, { session: [] }],
          requestBody: { content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Event' }, { type: 'array', items: { $ref: '#/components/schemas/Event' }, maxItems: 1000 }] } } } },
          responses: { 202: { description: 'stored durably; rejected items listed by index (and kept as a dead letter of format events, for an admin to replay after a fix)', content: json('IngestResult') }, ...errors },
        },
        get: {
          summary: 'Stored events (pseudonymised), newest first, paged',
          security: [{ session: [] }],
          parameters: ['source', 'type', 'since', 'until', 'limit', 'cursor'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
          responses: { 200: { description: '{events, nextCursor}' }, ...errors },
        },
      },
      '/api/v1/alerts': { get: { summary: 'Alerts, filtered by status, since, zone, severity', security: [{ session: [] }], responses: { 200: { description: '{alerts, lastSeq}' }, ...errors } } },
      '/api/v1/alerts/{id}': { get: { summary: 'One alert', security: [{ session: [] }], responses: { 200: { description: 'the alert', content: json('Alert') }, ...errors } } },
      '/api/v1/alerts/{id}/{action}': {
        post: { summary: 'ack, assign, comment, resolve, dismiss or reopen {version, note} (a resolved or dismissed alert back to open, note required), with the alert version (409 when stale)', security: [{ session: [] }], responses: { 200: { description: 'the updated alert', content: json('Alert') }, ...errors } },
      },
      '/api/v1/silences': {
        get: { summary: 'Active silences (?all=1: every one), supervisor', security: [{ session: [] }], responses: { 200: { description: '{silences}' }, ...errors } },
        post: { summary: 'Silence a rule, zone or key {matcher, value, ruleId?, reason, until | untilAlert}, supervisor', security: [{ session: [] }], responses: { 201: { description: 'the silence' }, ...errors } },
      },
      '/api/v1/silences/{id}': { delete: { summary: 'End a silence now, supervisor', security: [{ session: [] }], responses: { 200: { description: 'the ended silence' }, ...errors } } },
      '/api/v1/audit': { get: { summary: 'Audit log, newest first: ?actor=&action=(prefix*)&target=&since=&until=&before=&limit=, supervisor', security: [{ session: [] }], responses: { 200: { description: '{entries, next}' }, ...errors } } },
      '/api/v1/auth/login': { post: { security: [], summary: 'Sign in: sets the session cookie, returns the CSRF token', responses: { 200: { description: '{user, csrfToken}' }, ...errors } } },
      '/api/v1/auth/logout': { post: { summary: 'Sign out', responses: { 204: { description: 'signed out' }, ...errors } } },
      '/api/v1/auth/me': { get: { summary: 'Who is signed in', responses: { 200: { description: '{user, csrfToken}' }, ...errors } } },
      '/api/v1/rules': {
        get: {
          summary: 'Rules in force (with shadow flag and quality over 30 days) and stored versions refused',
          parameters: [{ name: 'quality', in: 'query', required: false, schema: { enum: ['0', '1'] }, description: '0: without the quality figures (quality null), cheaper' }],
          responses: { 200: { description: '{qualityDays, rules, errors}' }, ...errors },
        },
        post: { summary: 'Create a rule from {yaml, comment?, shadow?} (supervisor): its version 1', responses: { 201: { description: '{rule, version}' }, ...errors } },
      },
      '/api/v1/rules/validate': { post: { summary: 'Validate a rule written in YAML', responses: { 200: { description: '{ok, errors: [{line, column, field, message, reason}], warnings: [{zone, message, reason}]}: warnings name the zones a valid rule names that the city does not have' }, ...errors } } },
      '/api/v1/rules/backtest': { post: { summary: 'Run {yaml, from, to} over stored events beside the version in force; ?stream=1 answers NDJSON progress lines then the result', responses: { 200: { description: '{result} or application/x-ndjson' }, ...errors } } },
      '/api/v1/rules/{id}': {
        get: { summary: 'The version in force, as YAML', responses: { 200: { description: '{rule}' }, ...errors } },
        put: { summary: 'Publish a new version from {yaml, comment?, shadow?, baseVersion?} (supervisor); applies on every node; with baseVersion, 409 VIGIE_RULE_CONFLICT (details.current) if another version was published since', responses: { 200: { description: '{rule, version}' }, ...errors } },
      },
      '/api/v1/rules/{id}/versions': { get: { summary: 'Every version with author, time, comment and diff', responses: { 200: { description: '{versions}' }, ...errors } } },
      '/api/v1/rules/{id}/versions/{version}': { get: { summary: 'One version', responses: { 200: { description: '{version}' }, ...errors } } },
      '/api/v1/rules/{id}/rollback': { post: { summary: 'Publish {version} again as the next version (supervisor); with baseVersion, 409 VIGIE_RULE_CONFLICT if another version is in force', responses: { 200: { description: '{rule, version}' }, ...errors } } },
      '/api/v1/rules/{id}/shadow': { post: { summary: 'Shadow mode on or off: {shadow} (supervisor)', responses: { 200: { description: '{rule}' }, ...errors } } },
      '/api/v1/rules/{id}/shadow-alerts': { get: { summary: 'Alerts recorded in shadow mode (supervisor)', responses: { 200: { description: '{alerts}' }, ...errors } } },
      '/api/v1/config': { get: { security: [], summary: 'What the console needs before signing in (no authentication): the city (name, centre, zoom), the map tiles and their attribution (tileUrl empty: vector layers only), demo mode, the city\'s time zone', responses: { 200: { description: '{city, tileUrl, tileAttribution, demo, timeZone}' } } } },
      '/api/v1/public/indicators': { get: { security: [], summary: 'The anonymised public indicators (no authentication, any origin; cached 10 minutes): the last whole week, Monday to Sunday on the city clock, due the Monday after at 06:00 (publishedAt) with the events received by then; counts per category (incident, accident, citizen, lighting, transport, crowd; never health) per day and in all for the city, and in all per permanent zone; every count rounded to a multiple of roundedTo, up or down at random in proportion', responses: { 200: { description: '{city, timeZone, from, to, roundedTo, categories, days: [{date, counts}], totals, zones: [{id, name, kind, counts}], publishedAt}' } } } },
      '/api/v1/public/zones': { get: { security: [], summary: 'The zones the public indicators name, for a map (no authentication, any origin; cached 10 minutes): the city\'s permanent zones as a GeoJSON FeatureCollection (application/geo+json), each Feature\'s id the zone\'s, properties {name, kind}', responses: { 200: { description: 'GeoJSON FeatureCollection' } } } },
      '/api/v1/zones': { get: { summary: 'Zones', responses: { 200: { description: '{zones}' }, ...errors } } },
      '/api/v1/zones/import': {
        post: {
          summary: 'Import a GeoJSON FeatureCollection of Polygon/MultiPolygon zones (supervisor; at most 20 MiB); each zone\'s id is <kind>-<the feature\'s id>, features sharing an id are all refused, the rest imported',
          security: [{ session: [] }],
          parameters: [
            { name: 'kind', in: 'query', required: true, schema: { type: 'string', pattern: '^[a-z0-9_-]{1,50}$' }, description: 'the kind of every zone of the file (e.g. arrondissement, quartier)' },
            { name: 'idProperty', in: 'query', schema: { type: 'string', default: 'id' }, description: 'the feature property holding its id (a string or a number, unique in the file)' },
            { name: 'nameProperty', in: 'query', schema: { type: 'string', default: 'name' }, description: 'the feature property holding its name (the id when absent)' },
            { name: 'tags', in: 'query', schema: { type: 'string' }, description: 'tags given to every zone, comma-separated' },
          ],
          responses: { 200: { description: '{imported, rejected: [{index, error: {code, message, field, reason}}]}; 400 VIGIE_VALIDATION when no feature could be imported, with that answer in details', content: json('ZoneImportResult') }, ...errors },
        },
      },
      '/api/v1/places': { get: { summary: 'Named places', responses: { 200: { description: '{places}' }, ...errors } } },
      // feeds (issue 4)
      '/api/v1/feeds': {
        get: { summary: 'Health of each feed (status, last message, ratePerMinute, errorRate, lagSeconds; lateLastHour, futureLastHour and their worst in seconds: events the rules saw out of time); admins also get the configurations and the formats an MQTT mapping may name', responses: { 200: { description: '{feeds, configs?, formats?}' }, ...errors } },
        post: { summary: 'Configure a polled GTFS-RT URL {kind: "gtfs-rt-poll", id, source, url, intervalSeconds} or an MQTT mapping {kind: "mqtt", id, source, format, topic} (admin)', responses: { 201: { description: 'the configuration' }, ...errors } },
      },
      '/api/v1/feeds/{id}': { put: { summary: 'Change a feed configuration (admin)', responses: { 200: { description: 'the configuration' }, ...errors } } },
      '/api/v1/feeds/dead-letters': { get: { summary: 'Refused payloads and items with the reason, newest first (admin); ?pending=1 (not replayed, or replayed without everything stored)&source=', responses: { 200: { description: '{deadLetters}' }, ...errors } } },
      '/api/v1/feeds/dead-letters/{id}': { get: { summary: 'One dead letter with its payload (admin)', responses: { 200: { description: 'the dead letter' }, ...errors } } },
      '/api/v1/feeds/dead-letters/{id}/replay': { post: { summary: 'Run a dead letter through its adapter again, optionally with {options} (admin)', responses: { 202: { description: '{accepted, duplicates, rejected}' }, ...errors } } },
      '/api/v1/feeds/gtfs-static': { post: { summary: 'Import a GTFS static zip (?source=): stops as places (events of that source naming a stop and no position are placed there), routes with shapes (admin)', responses: { 200: { description: '{stops, routes, shapes, rejected}' }, ...errors } } },
      '/api/v1/feeds/gtfs-static/routes': { get: { summary: 'Imported transit routes with names, colours and shapes', responses: { 200: { description: '{routes}' }, ...errors } } },
      '/api/v1/ingest/{format}': { post: { summary: 'A message in a standard format (gtfs-rt, siri, siri-lite, cap, ngsi-ld, csv, events: canonical JSON events) for ?source=, with a feed token; CSV columns mapped with map.<field>=<column>; import=true for a one-off upload (listed as imported by feed health, never late or silent)', security: [{ feedToken: [] }], responses: { 202: { description: '{accepted, duplicates, rejected: [{index, error}]}' }, ...errors } } },
      '/api/v1/ingest/csv/preview': { post: { summary: 'How the first rows of a CSV map, without storing anything', security: [{ feedToken: [] }], responses: { 200: { description: '{rows, columns, mapping, preview}' }, ...errors } } },
      '/api/v1/alerts/{id}.cap': { get: { summary: 'An alert as CAP 1.2 XML', security: [{ session: [] }], responses: { 200: { description: 'application/cap+xml' }, ...errors } } },
      '/api/v1/alerts.atom': { get: { summary: 'An Atom feed of alerts linking their CAP messages', security: [{ session: [] }], responses: { 200: { description: 'application/atom+xml' }, ...errors } } },
      '/api/v1/wall/bootstrap': { get: { security: [{ displayToken: [] }, { session: [] }], summary: "A wall screen's configuration, city and zones, by display token (Authorization: Display <token> or ?token=); no personal data", responses: { 200: { description: '{screen, city, zones, places}' }, ...errors } } },
      '/api/v1/wall/state': { get: { security: [{ displayToken: [] }, { session: [] }], summary: 'Key figures for a wall: open alerts by severity, feeds, incidents this hour against the usual, live major events, warnings in force (CAP areas)', responses: { 200: { description: 'WallState' }, ...errors } } },
      '/api/v1/wall/alerts': { get: { security: [{ displayToken: [] }, { session: [] }], summary: 'Active alerts, redacted for a wall', responses: { 200: { description: '{alerts, lastSeq}' }, ...errors } } },
      '/api/v1/wall/screens': { get: { summary: 'Wall screens and their views (supervisor)', responses: { 200: { description: '{screens}' }, ...errors } } },
      '/api/v1/wall/screens/{name}': { put: { summary: "Set a screen's views and dwell time (supervisor)", responses: { 200: { description: 'the screen' }, ...errors } } },
      '/api/v1/calendar': {
        get: {
          summary: 'Major events whose window (arrival to departure) overlaps [from, to), by start time then id, paged: follow nextCursor (null on the last page) to get them all',
          security: [{ session: [] }],
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'default: 30 days ago' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'default: 365 days ahead' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 2000, default: 500 }, description: 'events per page' },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'the nextCursor of the page before (opaque; it continues that list, in its window)' },
          ],
          responses: { 200: { description: '{events, nextCursor}' }, ...errors },
        },
        post: { summary: 'Add a major event: venue, perimeter, start, end, attendance, kind, phases (supervisor)', security: [{ session: [] }], responses: { 201: { description: 'the event' }, ...errors } },
      },
      '/api/v1/calendar/import': { post: { summary: 'Import an iCalendar (.ics) file: time zones, recurring events (supervisor)', security: [{ session: [] }], responses: { 200: { description: '{imported, updated, rejected}' }, ...errors } } },
      '/api/v1/calendar/{id}': {
        get: { summary: 'One major event', security: [{ session: [] }], responses: { 200: { description: 'the event' }, ...errors } },
        put: { summary: 'Change a major event (supervisor); with If-Match: "<updatedAt>", 409 VIGIE_CALENDAR_CONFLICT if it changed since; If-Match: * replaces any current version', security: [{ session: [] }], responses: { 200: { description: 'the event' }, ...errors } },
        delete: { summary: 'Remove a major event (supervisor)', security: [{ session: [] }], responses: { 204: { description: 'removed' }, ...errors } },
      },
      '/api/v1/calendar/{id}/view': { get: { summary: "An event's view: perimeter, incidents inside and around, serving lines, crowd indicators, timeline", security: [{ session: [] }], responses: { 200: { description: 'EventView' }, ...errors } } },
      '/api/v1/calendar/{id}/briefing': { get: { summary: 'A briefing from comparable past events: expected incidents per hour and where, agents and barriers (supervisor)', security: [{ session: [] }], responses: { 200: { description: 'Briefing' }, ...errors } } },
      '/open311/v2/services.json': { get: { security: [], summary: 'Open311 GeoReport v2 services', responses: { 200: { description: '[service]' } } } },
      '/open311/v2/requests.json': {
        get: { summary: 'Open311 service requests (?service_request_id, service_code, start_date, end_date, status)', security: [], responses: { 200: { description: '[request]' } } },
        post: { summary: 'An Open311 service request, form-encoded or JSON, api_key = a feed token (in the body)', security: [], responses: { 201: { description: '[{service_request_id, service_notice}]' }, 400: { description: '[{code, description}]' } } },
      },
      '/open311/v2/requests/{id}.json': {
        get: {
          summary: 'One Open311 service request by its service_request_id, whatever its age',
          security: [],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: '[request]' }, 404: { description: '[{code, description}]' } },
        },
      },
      '/api/v1/users': {
        get: { summary: 'Accounts, each with lastSignInAt (admin)', responses: { 200: { description: '{users}' }, ...errors } },
        post: { summary: 'Make an account {username, displayName, role, password} (admin); a taken username is 409 VIGIE_ACCOUNT_EXISTS', responses: { 201: { description: 'the account' }, ...errors } },
      },
      '/api/v1/people': { get: { summary: 'Every account\'s username and display name, nothing else (any signed-in account): how consoles name the people alerts and rule versions carry', responses: { 200: { description: '{people: [{username, displayName}]}' }, ...errors } } },
      '/api/v1/users/{username}': { patch: { summary: 'Change an account: any of displayName, role, disabled, password (admin); never leaves the city without an enabled administrator (409 VIGIE_LAST_ADMIN)', responses: { 200: { description: 'the account' }, ...errors } } },
      '/api/v1/feed-tokens': {
        get: { summary: 'Feed tokens, each with createdBy and lastUsedAt (admin)', responses: { 200: { description: '{tokens}' }, ...errors } },
        post: { summary: 'Make a feed token {name, sources} (sources: a list of source names, or null for any), admin; the token is in this answer only', responses: { 201: { description: '{id, name, sources, createdBy, createdAt, lastUsedAt, token}' }, ...errors } },
      },
      '/api/v1/feed-tokens/{id}': { delete: { summary: 'Revoke a feed token (admin)', responses: { 204: { description: 'revoked' }, ...errors } } },
      '/api/v1/display-tokens': {
        get: { summary: 'Display tokens of wall screens (admin)', responses: { 200: { description: '{tokens}' }, ...errors } },
        post: { summary: 'Make a display token {name} (admin): a wall screen is set up by its name, so a name taken is 409 VIGIE_TOKEN_NAME_TAKEN; the token is in this answer only', responses: { 201: { description: '{id, name, createdBy, createdAt, lastUsedAt, token}' }, ...errors } },
      },
      '/api/v1/display-tokens/{id}': { delete: { summary: 'Revoke a display token: its walls go dark at once (admin)', responses: { 204: { description: 'revoked' }, ...errors } } },
      '/healthz': { get: { security: [], summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
      '/readyz': { get: { security: [], summary: 'Readiness (database reachable)', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/metrics': { get: { security: [], summary: 'Prometheus metrics', responses: { 200: { description: 'text format' } } } },
    },
  };
  return { ...doc, paths: withPathParameters(doc.paths) };
}

type PathParameter = { name: string; in: string };
/** The members of an OpenAPI path item that are operations (the others: summary, parameters…). */
export const HTTP_VERBS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Each `{name}` of a path declared as a path parameter (OpenAPI 3.1 requires it), on the path
 * item for its every operation, unless the operations declare it themselves.
 */
function withPathParameters<P extends Record<string, object>>(paths: P): P {
  const out: Record<string, object> = {};
  for (const [path, item] of Object.entries(paths)) {
    const names = [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!);
    const ops = Object.entries(item).filter(([k]) => HTTP_VERBS.has(k)).map(([, op]) => op as { parameters?: PathParameter[] });
    const missing = names.filter((name) => !ops.every((op) => op.parameters?.some((p) => p.in === 'path' && p.name === name)));
    out[path] = missing.length ? { ...item, parameters: missing.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) } : item;
  }
  return out as P;
}
