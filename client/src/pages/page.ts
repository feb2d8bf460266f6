/** What a page is: what it loads, which quote channels it wants, and its view (mount → render, unbind). */
import type { Ctx } from '../data';
import type { AppState } from '../state';
import type { Unbind } from '../dom';

export interface View {
  render(state: AppState): void;
  unbind: Unbind;
}

export interface Page {
  /** Roles that see it in the navigation (undefined: everyone signed in). */
  title: string;
  load(ctx: Ctx, params: Record<string, string>): Promise<void>;
  /** Quote channels wanted now (re-evaluated on every render: may depend on loaded data). */
  channels(params: Record<string, string>, state: AppState): string[];
  mount(root: HTMLElement, ctx: Ctx, params: Record<string, string>): View;
}
