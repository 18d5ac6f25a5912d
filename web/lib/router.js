/** A small hash router: `#/licenses`, `#/history`, `#/plan`, `#/settings`, `#/api-tokens`,
 * `#/webhooks`, `#/person/<id>`, `#/unused`. */

export const ROUTES = [
  'licenses',
  'history',
  'plan',
  'settings',
  'api-tokens',
  'webhooks',
  'person',
  'unused',
];
const FALLBACK = 'licenses';

export function currentRoute() {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.includes(name) ? name : FALLBACK;
}

/** What follows the route's name (`#/person/<id>` → the id), decoded; '' when nothing does. */
export function routeParam() {
  const [, param = ''] = window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/');
  return decodeURIComponent(param);
}

export function hrefFor(route, param) {
  return param === undefined ? `#/${route}` : `#/${route}/${encodeURIComponent(param)}`;
}

/** Calls `listener(route)` on every change; returns a function that stops listening. */
export function onRouteChange(listener) {
  const handle = () => listener(currentRoute());
  window.addEventListener('hashchange', handle);
  return () => window.removeEventListener('hashchange', handle);
}
