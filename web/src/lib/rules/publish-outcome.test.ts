import { describe, expect, it } from 'vitest';
import { blockedReason, createdMessage, publishedMessage } from './publish-outcome.ts';

const RULE = 'id: vols\ntitle: Vols\nseverity: high\nkind: threshold\nwhere: { type: "incident.theft" }\ngroupBy: zone\nwindow: 30m\ncount: { gte: 5 }\n';

describe('what the editor says of a published version', () => {
  it('goes on from the windows when only the wording changed', () => {
    expect(publishedMessage(RULE, RULE.replace('title: Vols', 'title: Vols en série').replace('severity: high', 'severity: critical'))).toEqual({ key: 'rules.editor.publishedKept' });
  });

  it('is rebuilt from the stored events of its window when it detects otherwise, or is new', () => {
    expect(publishedMessage(RULE, RULE.replace('gte: 5', 'gte: 4'))).toEqual({ key: 'rules.editor.publishedRebuilt', span: '30 min' });
    expect(publishedMessage(null, RULE)).toEqual({ key: 'rules.editor.publishedRebuilt', span: '30 min' });
    expect(publishedMessage(null, 'id: q\ntitle: Q\nseverity: low\nkind: absence\ngroupBy: source\nfor: 2h\n')).toEqual({ key: 'rules.editor.publishedRebuilt', span: '4 h' });
  });

  it('says that the alerts of the former kind are ended when the rule changes kind, window or none', () => {
    const MATCH = 'id: vols\ntitle: Vols\nseverity: high\nkind: match\nwhere: { type: "incident.theft" }\n';
    expect(publishedMessage(RULE, MATCH)).toEqual({ key: 'rules.editor.publishedKindChanged', from: 'threshold', to: 'match' });
    expect(publishedMessage(MATCH, RULE)).toEqual({ key: 'rules.editor.publishedKindChanged', from: 'match', to: 'threshold' });
  });

  it('says only that it applies for a rule with no window (match), or a text it cannot read', () => {
    expect(publishedMessage(null, 'id: m\ntitle: M\nseverity: low\nkind: match\n')).toEqual({ key: 'rules.editor.published' });
    const MATCH = 'id: m\ntitle: M\nseverity: low\nkind: match\n';
    expect(publishedMessage(MATCH, MATCH.replace('title: M', 'title: N'))).toEqual({ key: 'rules.editor.published' });
    expect(publishedMessage(RULE, 'kind: ???')).toEqual({ key: 'rules.editor.published' });
  });
});

describe('what the page of a rule just created says', () => {
  it('in shadow mode, that its alerts are only recorded; else that it applies, its windows built from the stored events', () => {
    expect(createdMessage(RULE, true)).toEqual({ key: 'rules.editor.createdShadow' });
    expect(createdMessage(RULE, false)).toEqual({ key: 'rules.editor.createdRebuilt', span: '30 min' });
    expect(createdMessage('id: m\ntitle: M\nseverity: low\nkind: match\n', false)).toEqual({ key: 'rules.editor.createdLive' });
  });
});

describe('why publishing waits', () => {
  const base = { errors: 0, template: false, text: RULE, shadow: false, comment: 'plus bas', inForce: { yaml: RULE, shadow: false } };

  it('refuses the text of the version in force, shadow mode included, and lets a change of either through', () => {
    expect(blockedReason(base)).toBe('rules.editor.blocked.unchanged');
    expect(blockedReason({ ...base, shadow: true })).toBeNull(); // turning shadow mode on is a new version
    expect(blockedReason({ ...base, text: RULE.replace('gte: 5', 'gte: 4') })).toBeNull();
    expect(blockedReason({ ...base, inForce: null })).toBeNull(); // a new rule
  });

  it('says the first reason: errors, the template, nothing changed, no comment', () => {
    expect(blockedReason({ ...base, errors: 2, template: true })).toBe('rules.editor.blocked.errors');
    expect(blockedReason({ ...base, template: true, inForce: null })).toBe('rules.editor.blocked.template');
    expect(blockedReason({ ...base, comment: '  ' })).toBe('rules.editor.blocked.unchanged');
    expect(blockedReason({ ...base, text: `${RULE}# x\n`, comment: '  ' })).toBe('rules.editor.blocked.comment');
  });
});
