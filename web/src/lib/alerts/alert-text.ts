import type { Alert } from '@vigie/rules';
import type { Lang } from '../i18n/translate.ts';

type Worded = Pick<Alert, 'title' | 'actions' | 'translations'>;

/** An alert's title in the console's language: its rule's translation where it has one, else the rule's own words. */
export const alertTitle = (a: Pick<Worded, 'title' | 'translations'>, lang: Lang): string => a.translations?.[lang]?.title ?? a.title;

/** An alert's actions in the console's language, as its title. */
export const alertActions = (a: Worded, lang: Lang): string[] => a.translations?.[lang]?.actions ?? a.actions;

/** Every title an alert has, in every language: what a search of the queue looks through. */
export const alertTitles = (a: Pick<Worded, 'title' | 'translations'>): string[] => [a.title, ...Object.values(a.translations ?? {}).map((t) => t.title)];
