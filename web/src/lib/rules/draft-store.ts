/**
 * A rule's unpublished text, kept in the browser (localStorage) while it differs from the
 * version in force, so that a reload, a closed tab or a session that ended (sign in again,
 * come back) does not lose it. Per rule and per person: a shared control-room workstation
 * does not show one supervisor's draft to another.
 */
export type RuleDraft = {
  text: string;
  comment: string;
  shadow: boolean;
  /** The version the text was written over (null: a new rule); publishing says so to the server, which refuses it if another came since. */
  baseVersion: number | null;
  by: string;
  savedAt: string;
};

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyOf = (ruleId: string) => `vigie.rules.draft.${ruleId}`;

/** Keeps the draft; a storage full or refused (private mode) keeps nothing, silently. */
export function saveDraft(storage: StorageLike, ruleId: string, draft: RuleDraft): void {
  try {
    storage.setItem(keyOf(ruleId), JSON.stringify(draft));
  } catch {
    /* nothing kept */
  }
}

/** This person's draft of the rule, if one is kept and readable. */
export function draftOf(storage: StorageLike, ruleId: string, by: string): RuleDraft | null {
  let d: Partial<RuleDraft> | null;
  try {
    d = JSON.parse(storage.getItem(keyOf(ruleId)) ?? 'null') as Partial<RuleDraft> | null;
  } catch {
    return null;
  }
  if (!d || typeof d !== 'object' || typeof d.text !== 'string' || d.by !== by || typeof d.savedAt !== 'string') return null;
  return {
    text: d.text,
    comment: typeof d.comment === 'string' ? d.comment : '',
    shadow: d.shadow === true,
    baseVersion: typeof d.baseVersion === 'number' ? d.baseVersion : null,
    by,
    savedAt: d.savedAt,
  };
}

export function forgetDraft(storage: StorageLike, ruleId: string): void {
  try {
    storage.removeItem(keyOf(ruleId));
  } catch {
    /* nothing to forget */
  }
}
