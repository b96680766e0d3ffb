/** The wire types of `/api/v1/rules` (see server/src/http/rules-routes.ts), typed once in @vigie/rules. */
export type { RuleQuality, RuleSummary, RuleList, StoredRule, RuleVersion, BacktestAlert, BacktestResult, BacktestProgress, ShadowAlert } from '@vigie/rules';
