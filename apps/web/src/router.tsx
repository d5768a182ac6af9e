import { useCallback, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** The console's pages, in menu order; the gateway serves index.html for any of them. `scope`: shown only to credentials holding it. */
export const PAGES: readonly { path: string; title: string; scope?: string }[] = [
  { path: '/chat', title: 'Chat' },
  { path: '/usage', title: 'Usage' },
  { path: '/logs', title: 'Logs' },
  { path: '/instances', title: 'Instances' },
  { path: '/settings', title: 'Routing & scaling' },
  { path: '/devices', title: 'Devices' },
  { path: '/jobs', title: 'Jobs' },
  { path: '/webhooks', title: 'Webhooks' },
  { path: '/keys', title: 'API keys' },
  { path: '/users', title: 'Users', scope: 'admin' },
];

export function navigate(to: string): void {
  if (to === window.location.pathname) return;
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, following links and the back button. */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** An ordinary link (open in a new tab still works) that changes pages without reloading. */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(event);
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(to);
    },
    [to, onClick],
  );
  return <a href={to} onClick={handle} {...rest} />;
}
