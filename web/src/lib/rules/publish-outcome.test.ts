import { describe, expect, it } from 'vitest';
import { publishedMessage } from './publish-outcome.ts';

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
