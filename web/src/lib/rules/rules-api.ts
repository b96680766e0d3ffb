import type { Http } from '../api/http.ts';
import type { RuleList, RuleVersion, ShadowAlert, StoredRule } from './types.ts';

const BASE = '/api/v1/rules';
const at = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export const fetchRules = (http: Http) => http.get<RuleList>(BASE);
/** The rules without their quality figures (`quality` null): cheaper, for naming them. */
export const fetchRuleNames = (http: Http) => http.get<RuleList>(`${BASE}?quality=0`);
export const fetchRule = async (http: Http, id: string) => (await http.get<{ rule: StoredRule }>(at(id))).rule;
export const fetchVersions = async (http: Http, id: string) => (await http.get<{ versions: RuleVersion[] }>(`${at(id)}/versions`)).versions;

export type Published = { rule: StoredRule; version: RuleVersion };
/** `baseVersion`: the version in force the text started from (409 VIGIE_RULE_CONFLICT if another one is in force now). */
export type PublishInput = { yaml: string; comment: string; shadow?: boolean; baseVersion?: number };

/** A new rule (`id` null) or a new version of rule `id`. */
export const publishRule = (http: Http, id: string | null, body: PublishInput) =>
  id === null ? http.post<Published>(BASE, body) : http.request<Published>('PUT', at(id), body);

export const rollbackRule = (http: Http, id: string, version: number, comment = '', baseVersion?: number) =>
  http.post<Published>(`${at(id)}/rollback`, { version, comment, ...(baseVersion ? { baseVersion } : {}) });

export const setShadow = async (http: Http, id: string, shadow: boolean) =>
  (await http.post<{ rule: StoredRule }>(`${at(id)}/shadow`, { shadow })).rule;

/** The latest alerts rule `id` recorded in shadow mode, newest first. */
export const fetchShadowAlerts = async (http: Http, id: string) => (await http.get<{ alerts: ShadowAlert[] }>(`${at(id)}/shadow-alerts`)).alerts;
