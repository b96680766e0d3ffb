import { translate, type Lang } from '../i18n/translate.ts';

/**
 * A version's comment in the console's language: the server writes its own (a rule seeded or
 * updated from a library file, a rollback without a comment) in English, as data for every
 * client; a supervisor's comment is shown as written.
 */
export function versionComment(lang: Lang, comment: string): string {
  const seeded = /^seeded from (.+)$/.exec(comment);
  if (seeded) return translate(lang, 'rules.versions.comment.seeded', { file: seeded[1]! });
  const library = /^library update from (.+)$/.exec(comment);
  if (library) return translate(lang, 'rules.versions.comment.library', { file: library[1]! });
  const rollback = /^rollback to version (\d+)$/.exec(comment);
  if (rollback) return translate(lang, 'rules.versions.rollbackComment', { version: rollback[1]! });
  return comment;
}
