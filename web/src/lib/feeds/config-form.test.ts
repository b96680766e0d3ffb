import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import { configErrors, configFormChanged, emptyConfigForm, formFromConfig, formToInput } from './config-form.ts';
import type { FeedConfig } from './feeds-api.ts';

const stored = (over: Partial<FeedConfig> = {}): FeedConfig => ({
  kind: 'gtfs-rt-poll', id: 'rtm-vp', source: 'rtm', url: 'https://rtm.example/vp.pb', intervalSeconds: 15, enabled: true,
  format: 'gtfs-rt', etag: null, lastModified: null, lastPollAt: null, lastError: null, createdAt: '2026-11-28T20:00:00Z', updatedAt: '2026-11-28T20:00:00Z',
  ...over,
} as FeedConfig);

describe('the feed configuration form', () => {
  it('sends every field of its kind, trimmed, the interval as a number', () => {
    const poll = { ...emptyConfigForm('gtfs-rt-poll'), id: ' rtm-vp ', source: 'rtm ', url: ' https://rtm.example/vp.pb', intervalSeconds: '15', topic: 'ignored' };
    expect(formToInput(poll)).toEqual({ kind: 'gtfs-rt-poll', id: 'rtm-vp', source: 'rtm', url: 'https://rtm.example/vp.pb', intervalSeconds: 15, enabled: true });
    const mqtt = { ...emptyConfigForm('mqtt'), id: 'fiware', source: 'fiware', format: 'ngsi-ld', topic: ' city/+/ngsi ', enabled: false, url: 'ignored' };
    expect(formToInput(mqtt)).toEqual({ kind: 'mqtt', id: 'fiware', source: 'fiware', format: 'ngsi-ld', topic: 'city/+/ngsi', enabled: false });
  });

  it('starts with the server’s default interval, and sends one that is not a number as typed (the server names the field)', () => {
    expect(emptyConfigForm('gtfs-rt-poll').intervalSeconds).toBe('30');
    expect(formToInput({ ...emptyConfigForm('gtfs-rt-poll'), intervalSeconds: '7,5' })).toMatchObject({ intervalSeconds: 7.5 });
    expect(formToInput({ ...emptyConfigForm('gtfs-rt-poll'), intervalSeconds: 'ten' })).toMatchObject({ intervalSeconds: 'ten' });
    expect(formToInput({ ...emptyConfigForm('gtfs-rt-poll'), intervalSeconds: '' })).toMatchObject({ intervalSeconds: '' });
  });

  it('edits a stored configuration as it is, and knows when something was changed', () => {
    const form = formFromConfig(stored());
    expect(form).toMatchObject({ kind: 'gtfs-rt-poll', id: 'rtm-vp', source: 'rtm', url: 'https://rtm.example/vp.pb', intervalSeconds: '15', enabled: true });
    expect(configFormChanged(form, { ...form })).toBe(false);
    expect(configFormChanged({ ...form, enabled: false }, form)).toBe(true);
    expect(configFormChanged({ ...form, url: 'https://other/' }, form)).toBe(true);
    // A field the kind does not show is no change to lose.
    expect(configFormChanged({ ...form, topic: 'x/#' }, form)).toBe(false);
    expect(configFormChanged({ ...form, kind: 'mqtt' }, form)).toBe(true);
    expect(formFromConfig(stored({ kind: 'mqtt', format: 'siri', topic: 'a/#' } as Partial<FeedConfig>))).toMatchObject({ kind: 'mqtt', format: 'siri', topic: 'a/#' });
  });
});

describe('the server’s refusals of a configuration', () => {
  const refusal = (issues: unknown[], extra: Record<string, unknown> = {}) => new ApiError(400, 'VIGIE_VALIDATION', 'refused', { issues, ...extra });

  it('go beside their fields, in French, the rules of ids, URLs and topics said plainly', () => {
    const out = configErrors(refusal([
      { field: 'url', message: 'Invalid URL', reason: { key: 'format' } },
      { field: 'intervalSeconds', message: 'Too small', reason: { key: 'too_small', limit: 1 } },
      { field: 'id', message: 'lower-case letters', reason: { key: 'format' } },
      { field: 'topic', message: 'an MQTT topic filter', reason: { key: 'invalid' } },
      { field: 'format', message: 'Invalid option', reason: { key: 'one_of', values: ['siri', 'cap'] } },
    ]), 'fr');
    expect(out.general).toBeNull();
    expect(out.fields).toEqual({
      url: 'une adresse complète en http:// ou https://',
      intervalSeconds: 'au moins 1',
      id: 'lettres minuscules, chiffres, «\u00a0_\u00a0», «\u00a0.\u00a0» ou «\u00a0-\u00a0»\u00a0; 64 au plus',
      topic: 'un filtre de sujet MQTT\u00a0: «\u00a0+\u00a0» pour tout un niveau, «\u00a0#\u00a0» seulement en dernier',
      format: 'une valeur parmi : siri, cap'.replace(' :', '\u00a0:'),
    });
    expect(configErrors(refusal([{ field: 'url', reason: { key: 'format' } }]), 'en').fields.url).toBe('a full http:// or https:// URL');
  });

  it('say a taken id beside the id', () => {
    const out = configErrors(refusal([{ field: 'id', message: 'exists', reason: { key: 'conflict' } }], { field: 'id' }), 'fr');
    expect(out.fields.id).toBe('un flux porte déjà cet identifiant\u00a0: modifiez-le plutôt');
    // An older server named the field only.
    expect(configErrors(new ApiError(400, 'VIGIE_VALIDATION', 'id: a feed "x" exists', { field: 'id' }), 'en').fields.id).toBe('id: a feed "x" exists');
  });

  it('put a field the form has not, and any other error, in one line', () => {
    expect(configErrors(refusal([{ field: 'colour', message: 'unknown field', reason: { key: 'unknown_field' } }]), 'fr')).toEqual({ fields: {}, general: 'colour\u00a0: champ inconnu' });
    expect(configErrors(new ApiError(403, 'VIGIE_FORBIDDEN', 'admin only'), 'fr')).toEqual({ fields: {}, general: 'Votre rôle ne permet pas cette action' });
    expect(configErrors(new ApiError(404, 'VIGIE_NOT_FOUND', 'no feed x'), 'en').general).toMatch(/^Not found/);
  });
});
