import { describe, expect, it } from 'vitest';
import { csvBody, detectDelimiter, planChunks, splitCsv, utf8Length } from './csv-records.ts';

describe('splitCsv', () => {
  it('splits a semicolon export into its header and records, with record numbers and lines', () => {
    const s = splitCsv('numero;nature;date\r\nA1;vol;28/11/2026\r\nA2;rixe;28/11/2026\r\n');
    expect(s.delimiter).toBe(';');
    expect(s.header).toBe('numero;nature;date');
    expect(s.columns).toEqual(['numero', 'nature', 'date']);
    expect(s.records.map((r) => [r.number, r.line, r.text])).toEqual([[1, 2, 'A1;vol;28/11/2026'], [2, 3, 'A2;rixe;28/11/2026']]);
    expect(s.records.every((r) => r.problem === undefined)).toBe(true);
  });

  it('keeps quoted fields whole: delimiters, newlines and doubled quotes inside them', () => {
    const text = 'id,text,n\n1,"a, b",2\n2,"two\nlines and ""quotes""",3\n3,"crlf\r\ninside",4\n4,last,5';
    const s = splitCsv(text);
    expect(s.delimiter).toBe(',');
    expect(s.records.map((r) => r.text)).toEqual(['1,"a, b",2', '2,"two\nlines and ""quotes""",3', '3,"crlf\r\ninside",4', '4,last,5']);
    expect(s.records.map((r) => r.line)).toEqual([2, 3, 5, 7]);
    expect(s.records.map((r) => r.fields)).toEqual([3, 3, 3, 3]);
    expect(s.records.every((r) => !r.problem)).toBe(true);
  });

  it('skips empty lines (as the server does) without counting them as records', () => {
    const s = splitCsv('\uFEFF\na;b\n\n1;2\n   \n3;4\n\n');
    expect(s.header).toBe('a;b');
    expect(s.records.map((r) => [r.number, r.line, r.text])).toEqual([[1, 4, '1;2'], [2, 6, '3;4']]);
  });

  it('reports the records the server would not read: wrong field count, stray or unclosed quote', () => {
    const s = splitCsv('a;b;c\n1;2;3\n1;2\n1;2;3;4\nx"y;2;3\n"ok" ;2;3\n"q"z;2;3\n5;6;7\n6;"never closed;8\n');
    expect(s.records.map((r) => r.problem ?? null)).toEqual([
      null,
      { kind: 'columns', found: 2, expected: 3 },
      { kind: 'columns', found: 4, expected: 3 },
      { kind: 'quote' },
      null,
      { kind: 'quote' },
      null,
      { kind: 'unterminated' },
    ]);
    expect(s.records.at(-1)!.text).toBe('6;"never closed;8\n');
  });

  it('handles lone CR line endings and a missing final newline', () => {
    const s = splitCsv('a,b\r1,2\r3,4');
    expect(s.records.map((r) => [r.line, r.text])).toEqual([[2, '1,2'], [3, '3,4']]);
  });

  it('an empty text has no header and no records', () => {
    expect(splitCsv('')).toEqual({ delimiter: ',', header: '', columns: [], records: [] });
  });
});

describe('detectDelimiter', () => {
  it('takes the more frequent of ";" and ","', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
    expect(detectDelimiter('one')).toBe(',');
  });
});

describe('planChunks', () => {
  const file = (n: number) => ['id;t', ...Array.from({ length: n }, (_, i) => `${i + 1};x`)].join('\n');

  it('cuts into consecutive chunks of at most maxRecords records, covering every record once', () => {
    const s = splitCsv(file(2500));
    const chunks = planChunks(s, { maxRecords: 1000, maxBytes: 1 << 20 });
    expect(chunks).toEqual([{ start: 0, end: 1000 }, { start: 1000, end: 2000 }, { start: 2000, end: 2500 }]);
  });

  it('keeps each body under maxBytes (a record alone may be larger)', () => {
    const s = splitCsv(`id;t\n1;${'é'.repeat(40)}\n2;short\n3;short\n4;${'x'.repeat(300)}\n5;y`);
    const limits = { maxRecords: 1000, maxBytes: 100 };
    const chunks = planChunks(s, limits);
    for (const c of chunks) {
      const records = s.records.slice(c.start, c.end);
      if (records.length > 1) expect(utf8Length(csvBody(s.header, records))).toBeLessThanOrEqual(limits.maxBytes);
    }
    expect(chunks.map((c) => [c.start, c.end])).toEqual([[0, 2], [2, 3], [3, 4], [4, 5]]);
  });

  it('does not count records with a problem (they are not sent) but keeps them in their chunk', () => {
    const s = splitCsv('a;b\n1;2\nbad\n3;4\n5;6');
    expect(planChunks(s, { maxRecords: 2, maxBytes: 1 << 20 })).toEqual([{ start: 0, end: 3 }, { start: 3, end: 4 }]);
  });

  it('plans nothing for a file without records', () => {
    expect(planChunks(splitCsv('a;b\n'))).toEqual([]);
  });
});

describe('utf8Length and csvBody', () => {
  it('counts UTF-8 bytes like TextEncoder', () => {
    for (const s of ['', 'abc', 'Dégradation', '€', '🚓 x', 'a\u0300']) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });

  it('a body is the header then one record per line', () => {
    const s = splitCsv('a;b\n1;"x\ny"\n2;3');
    expect(csvBody(s.header, s.records)).toBe('a;b\n1;"x\ny"\n2;3\n');
    expect(splitCsv(csvBody(s.header, s.records)).records.map((r) => r.text)).toEqual(s.records.map((r) => r.text));
  });
});
