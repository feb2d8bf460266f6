/**
 * Hash routes: #/market, #/fund/<id>, #/account, #/listings, #/listing/<id>, #/transfers, #/transfer/<id>, #/inbox, #/users, #/members,
 * #/admission, #/nav-reports, #/login, #/public (no sign-in).
 */
import type { Route } from './state';

const PATTERNS: [string, RegExp, string[]][] = [
  ['market', /^\/?(market)?$/, []],
  ['fund', /^\/fund\/([^/]+)$/, ['id']],
  ['account', /^\/account$/, []],
  ['listings', /^\/listings$/, []],
  ['listing', /^\/listing\/([^/]+)$/, ['id']],
  ['transfers', /^\/transfers$/, []],
  ['transfer', /^\/transfer\/([^/]+)$/, ['id']],
  ['inbox', /^\/inbox$/, []],
  ['users', /^\/users$/, []],
  ['members', /^\/members$/, []],
  ['admission', /^\/admission$/, []],
  ['nav-reports', /^\/nav-reports$/, []],
  ['pledges', /^\/pledges$/, []],
  ['distributions', /^\/distributions$/, []],
  ['login', /^\/login$/, []],
  ['public', /^\/public$/, []],
];

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '');
  for (const [name, re, keys] of PATTERNS) {
    const m = re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    keys.forEach((k, i) => {
      params[k] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { name, params };
  }
  return { name: 'market', params: {} };
}
