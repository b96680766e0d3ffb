import { CALENDAR_KINDS, type CalendarKind } from '@vigie/rules';
import { translate, type Lang } from '../i18n/translate.ts';

/** A major event's kind as the console names it ("Foire / marché"); any other value as it is. */
export const kindLabel = (lang: Lang) => (value: string): string =>
  (CALENDAR_KINDS as readonly string[]).includes(value) ? translate(lang, `kind.${value as CalendarKind}`) : value;
