/** Chinese and English strings; `t(lang, key)` falls back to the key so a missing string is visible. */
import type { Lang } from '../state';
import { en } from './en';
import { zh, type StringKey } from './zh';

export type { StringKey };

const tables: Record<Lang, Record<string, string>> = { zh, en };

export function t(lang: Lang, key: StringKey | string): string {
  return tables[lang][key] ?? tables.en[key] ?? key;
}
