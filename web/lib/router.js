/** A small hash router: `#/licenses`, `#/history`, `#/plan`, `#/settings`, `#/api-tokens`. */

export const ROUTES = ['licenses', 'history', 'plan', 'settings', 'api-tokens'];
const FALLBACK = 'licenses';

export function currentRoute() {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.includes(name) ? name : FALLBACK;
}

export function hrefFor(route) {
  return `#/${route}`;
}

/** Calls `listener(route)` on every change; returns a function that stops listening. */
export function onRouteChange(listener) {
  const handle = () => listener(currentRoute());
  window.addEventListener('hashchange', handle);
  return () => window.removeEventListener('hashchange', handle);
}
