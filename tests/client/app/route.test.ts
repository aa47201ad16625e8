import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { useHashRoute } from '../../../client/src/app/App';
import type { Route } from '../../../client/src/shared/routes';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Probe({ route }: { route: Route }) {
  useHashRoute(route);
  return null;
}

function render(route: Route) {
  const host = document.createElement('div');
  const root = createRoot(host);
  act(() => root.render(createElement(Probe, { route })));
  return () => act(() => root.unmount());
}

afterEach(() => window.history.replaceState(null, '', '#'));

describe('the address bar and the page', () => {
  it('when a signed-out user opens a bookmarked page, the login page should keep it in the address for after signing in', () => {
    window.history.replaceState(null, '', '#/knowledge');
    const unmount = render('login');
    expect(window.location.hash).toBe('#/knowledge');
    unmount();
  });

  it('when a page is shown, the address should name it', () => {
    window.history.replaceState(null, '', '#/seat');
    const unmount = render('calls');
    expect(window.location.hash).toBe('#/calls');
    unmount();
  });
});
