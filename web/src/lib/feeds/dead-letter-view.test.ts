import { describe, expect, it } from 'vitest';
import { base64Bytes, BASE64_SHOWN_CHARS, csvColumns, deadLetterState, mappingOf, payloadView, PAYLOAD_SHOWN_CHARS, replayOptions, replayOutcome, sourcesToFilter } from './dead-letter-view.ts';
import { deadLettersQuery } from './feeds-api.ts';

describe('a dead letter’s payload', () => {
  it('shows text as it is, with its size in bytes, and only the start of a long one', () => {
    expect(payloadView({ encoding: 'utf8', text: '<Siri>é</Siri>' })).toEqual({ kind: 'text', text: '<Siri>é</Siri>', bytes: 15, cut: false });
    const long = payloadView({ encoding: 'utf8', text: 'x'.repeat(PAYLOAD_SHOWN_CHARS + 5) });
    expect(long).toMatchObject({ kind: 'text', bytes: PAYLOAD_SHOWN_CHARS + 5, cut: true });
    expect(long.kind === 'text' && long.text.length).toBe(PAYLOAD_SHOWN_CHARS);
  });

  it('says a binary payload is binary, with its size and the start of its base64', () => {
    const b64 = btoa(String.fromCharCode(...Array.from({ length: 400 }, (_, i) => i % 256)));
    const v = payloadView({ encoding: 'base64', text: b64 });
    expect(v).toMatchObject({ kind: 'binary', bytes: 400, cut: true });
    expect(v.kind === 'binary' && v.start).toBe(b64.slice(0, BASE64_SHOWN_CHARS));
    expect([base64Bytes('AA=='), base64Bytes('AAA='), base64Bytes('AAAA'), base64Bytes('')]).toEqual([1, 2, 3, 0]);
    expect(payloadView({ error: 'unsupported state or unable to authenticate data' })).toEqual({ kind: 'error', message: 'unsupported state or unable to authenticate data' });
  });
});

describe('replaying a CSV dead letter', () => {
  it('offers the file’s columns, split as the server splits them', () => {
    expect(csvColumns('\uFEFFref;when;kind\nR1;28/11/2026 21:00;Rixe\n')).toEqual(['ref', 'when', 'kind']);
    expect(csvColumns('a,b;c,d\n')).toEqual(['a', 'b;c', 'd']);
    expect(csvColumns('"n°; main courante";"date, heure";nature\r\n1;2;3')).toEqual(['n°; main courante', 'date, heure', 'nature']);
    expect(csvColumns('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
    expect(csvColumns('\n')).toEqual([]);
  });

  it('starts from the mapping the message was read with, and sends only the fields given', () => {
    expect(mappingOf({ 'map.id': 'ref', 'map.time': 'when', import: 'true' })).toEqual({ id: 'ref', time: 'when' });
    expect(mappingOf(undefined)).toEqual({});
    expect(replayOptions({ id: ' ref ', time: 'when', type: '', text: '  ' })).toEqual({ 'map.id': 'ref', 'map.time': 'when' });
  });
});

describe('a replay’s answer', () => {
  it('reads what was stored, or the refusal with its items', () => {
    expect(replayOutcome({ status: 202, body: { accepted: 2, duplicates: 1, rejected: [] } })).toEqual({ kind: 'stored', accepted: 2, duplicates: 1, rejected: [] });
    const item = { index: 1, error: { code: 'VIGIE_VALIDATION', message: 'time: required', field: 'time', reason: { key: 'required' as const } } };
    expect(replayOutcome({ status: 400, body: { error: { code: 'VIGIE_EVENT_INVALID', message: 'no valid item', details: { accepted: 0, rejected: [item] } } } }))
      .toMatchObject({ kind: 'refused', status: 400, code: 'VIGIE_EVENT_INVALID', rejected: [item] });
    expect(replayOutcome({ status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED', message: 'truncated' } } })).toMatchObject({ kind: 'refused', code: 'VIGIE_FEED_MALFORMED', rejected: [] });
    expect(replayOutcome({ status: 500, body: null })).toMatchObject({ kind: 'refused', code: 'HTTP_500' });
  });

  it('tells where a dead letter stands: pending, replayed, partly replayed, replay refused', () => {
    expect(deadLetterState({ replayedAt: null, replay: null })).toBe('pending');
    const at = '2026-11-28T21:00:00Z';
    expect(deadLetterState({ replayedAt: at, replay: { status: 202, body: { accepted: 2, duplicates: 0, rejected: [] } } })).toBe('replayed');
    expect(deadLetterState({ replayedAt: at, replay: { status: 202, body: { accepted: 1, duplicates: 0, rejected: [{ index: 1, error: { code: 'X', message: 'x' } }] } } })).toBe('partial');
    expect(deadLetterState({ replayedAt: at, replay: { status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED', message: 'x' } } } })).toBe('failed');
  });
});

describe('the dead letters’ filter', () => {
  it('asks for a source and pending ones only when chosen', () => {
    expect(deadLettersQuery({ pending: false })).toBe('');
    expect(deadLettersQuery({ source: ' rtm ', pending: true, limit: 200 })).toBe('?source=rtm&pending=1&limit=200');
    expect(deadLettersQuery({ source: '', pending: false, limit: 50 })).toBe('?limit=50');
  });

  it('offers the feeds’ sources and the dead letters’ own, once each, sorted, keeping the one chosen', () => {
    expect(sourcesToFilter([{ source: 'rtm' }, { source: 'csu' }], [{ source: 'x' }, { source: null }, { source: 'csu' }], 'gone')).toEqual(['csu', 'gone', 'rtm', 'x']);
  });
});
