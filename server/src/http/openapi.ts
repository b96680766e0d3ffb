import { z } from 'zod';
import { Alert, Event, Zone } from '@vigie/rules';
import { ERRORS } from '../errors/catalogue.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const errors = { default: { description: 'an error', content: json('Error') } };

/** The HTTP API, described once from the same zod schemas that validate it. */
export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Vigie', version, description: 'Live console of a public-safety observatory.' },
    components: {
      securitySchemes: {
        feedToken: { type: 'http', scheme: 'bearer', description: 'a feed token' },
        session: { type: 'apiKey', in: 'cookie', name: 'vigie_sid' },
      },
      schemas: {
        Event: schema(Event),
        Alert: schema(Alert),
        Zone: schema(Zone),
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { enum: Object.keys(ERRORS) }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
        },
        IngestResult: {
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            duplicates: { type: 'integer' },
            rejected: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, error: { type: 'object' } } } },
          },
        },
      },
    },
    paths: {
      '/api/v1/events': {
        post: {
          summary: 'Send one event or a batch (at most 1000 items and 1 MiB)',
          security: [{ feedToken: [] }, { session: [] }],
          requestBody: { content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Event' }, { type: 'array', items: { $ref: '#/components/schemas/Event' }, maxItems: 1000 }] } } } },
          responses: { 202: { description: 'stored durably; rejected items listed by index', content: json('IngestResult') }, ...errors },
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
        post: { summary: 'ack, assign, comment, resolve or dismiss, with the alert version (409 when stale)', security: [{ session: [] }], responses: { 200: { description: 'the updated alert', content: json('Alert') }, ...errors } },
      },
      '/api/v1/auth/login': { post: { summary: 'Sign in: sets the session cookie, returns the CSRF token', responses: { 200: { description: '{user, csrfToken}' }, ...errors } } },
      '/api/v1/auth/logout': { post: { summary: 'Sign out', responses: { 204: { description: 'signed out' }, ...errors } } },
      '/api/v1/auth/me': { get: { summary: 'Who is signed in', responses: { 200: { description: '{user, csrfToken}' }, ...errors } } },
      '/api/v1/rules': { get: { summary: 'Rules in force and rule files refused', responses: { 200: { description: '{rules, errors}' }, ...errors } } },
      '/api/v1/rules/validate': { post: { summary: 'Validate a rule written in YAML', responses: { 200: { description: '{ok, errors: [{line, column, field, message}]}' }, ...errors } } },
      '/api/v1/zones': { get: { summary: 'Zones', responses: { 200: { description: '{zones}' }, ...errors } } },
      '/api/v1/zones/import': { post: { summary: 'Import a GeoJSON FeatureCollection of Polygon/MultiPolygon zones', responses: { 200: { description: '{imported, rejected}' }, ...errors } } },
      '/api/v1/places': { get: { summary: 'Named places', responses: { 200: { description: '{places}' }, ...errors } } },
      '/api/v1/feeds': { get: { summary: 'Health of each feed', responses: { 200: { description: '{feeds}' }, ...errors } } },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
      '/readyz': { get: { summary: 'Readiness (database reachable)', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text format' } } } },
    },
  };
}
