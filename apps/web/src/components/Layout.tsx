import type { ReactNode } from 'react';
import { Link, PAGES } from '../router';
import { useSession } from '../session';

const LIVE_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Live updates off' } as const;

export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const { me, signOut, live, can } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/chat" className="brand">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="24" height="24">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M9 10h14M9 16h10M9 22h6" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
          </svg>
          <span>
            ISH Chat <span className="brand-sub">console</span>
          </span>
        </Link>
        <span className={`live live--${live}`} role="status" title="Updates from /api/v1/events">
          <span className="live-dot" aria-hidden="true" />
          {LIVE_TEXT[live]}
        </span>
        <div className="account">
          <span className="account-who">
            <span className="account-email">{me.email}</span> <span className="account-role">{me.role}</span>
          </span>
          <button type="button" className="button button--quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Console">
        <ul>
          {PAGES.filter((page) => !page.scope || can(page.scope)).map((page) => (
            <li key={page.path}>
              <Link to={page.path} aria-current={path === page.path ? 'page' : undefined}>
                {page.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
