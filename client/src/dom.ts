/** Tiny DOM helpers. Every binding returns its unbind, so a page can release all it bound. */
export type Unbind = () => void;
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

type EventMap = HTMLElementEventMap & WindowEventMap;

export function on<K extends keyof EventMap>(
  target: EventTarget,
  type: K,
  fn: (e: EventMap[K]) => void,
  opts?: AddEventListenerOptions,
): Unbind {
  const listener = fn as EventListener;
  target.addEventListener(type, listener, opts);
  return () => target.removeEventListener(type, listener, opts);
}

/** Delegated click on elements matching `selector` inside `root`. */
export function onClick(root: Element, selector: string, fn: (el: HTMLElement, e: MouseEvent) => void): Unbind {
  return on(root, 'click', (e) => {
    const el = (e.target as Element | null)?.closest(selector);
    if (el instanceof HTMLElement && root.contains(el)) fn(el, e);
  });
}

export function unbindAll(list: Unbind[]): Unbind {
  return () => {
    for (const u of list.splice(0)) u();
  };
}

/** Replaces the children of `el` only when the new content differs (keeps focus and selection elsewhere). */
export function replace(el: Element | null, ...children: (Child | Child[])[]): void {
  if (!el) return;
  const tmp = h('div', {}, ...children);
  if (tmp.innerHTML === el.innerHTML) return;
  el.replaceChildren(...Array.from(tmp.childNodes));
}

export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', { class: 'hint' }, hint) : null);
}

/**
 * A refusal shown beside what caused it: the message goes into an alert right after `near` (a field,
 * a button, a form), replaced by the next one. False when `near` is no longer on the page.
 */
export function showNearError(near: HTMLElement, message: string): boolean {
  if (!near.isConnected) return false;
  let box = near.nextElementSibling;
  if (!(box instanceof HTMLElement && box.classList.contains('near-error'))) {
    box = h('p', { class: 'near-error', role: 'alert', 'data-testid': 'near-error' });
    near.after(box);
  }
  box.textContent = message;
  return true;
}

export function clearNearError(near: HTMLElement | null | undefined): void {
  const box = near?.nextElementSibling;
  if (box instanceof HTMLElement && box.classList.contains('near-error')) box.remove();
}
