import { describe, expect, it } from 'vitest';
import { versionComment } from './version-comment.ts';

describe("a version's comment", () => {
  it("words the server's own comments in the console's language, a supervisor's as written", () => {
    expect(versionComment('fr', 'seeded from assault-injured.yaml')).toBe('Créée depuis le fichier assault-injured.yaml');
    expect(versionComment('fr', 'library update from assault-injured.yaml')).toBe('Mise à jour de la bibliothèque (assault-injured.yaml)');
    expect(versionComment('fr', 'rollback to version 3')).toBe('Retour à la version 3');
    expect(versionComment('en', 'rollback to version 3')).toBe('Back to version 3');
    expect(versionComment('fr', 'plus grave, titre plus clair')).toBe('plus grave, titre plus clair');
  });
});
