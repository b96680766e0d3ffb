import { describe, expect, it } from 'vitest';
import { historyActor } from './explain.ts';
import { NO_PEOPLE, peopleFrom, personName } from './people.ts';

describe('people by their display names', () => {
  const people = peopleFrom([
    { username: 'operator', displayName: 'Opératrice de démonstration' },
    { username: 'supervisor', displayName: 'Superviseur de démonstration' },
    { username: 'blank', displayName: '  ' },
  ]);

  it('says a known username by its display name, anyone else as written', () => {
    expect(personName('operator', people)).toBe('Opératrice de démonstration');
    expect(personName('Patrouille 2', people)).toBe('Patrouille 2');
    expect(personName('blank', people)).toBe('blank');
    expect(personName('operator', NO_PEOPLE)).toBe('operator');
  });

  it("names a history entry's author by display name, the engine and the server's jobs by their own names", () => {
    expect(historyActor('supervisor', 'fr', people)).toBe('Superviseur de démonstration');
    expect(historyActor('someone', 'fr', people)).toBe('someone');
    expect(historyActor('engine', 'fr', people)).not.toBe('engine');
    expect(historyActor('supervisor', 'fr')).toBe('supervisor');
  });
});
