// Owns the app shell: header with navigation, time zone and connection state, and choosing the page for the URL.
import { ConnectionIndicator } from './components/connection-indicator';
import { Link } from './components/link';
import { TimeZoneSelect } from './components/time-zone-select';
import { AgentsPage } from './pages/agents-page';
import { ArtifactsPage } from './pages/artifacts-page';
import { DashboardPage } from './pages/dashboard-page';
import { ExecutionPage } from './pages/execution-page';
import { HistoryPage } from './pages/history-page';
import { SignInPage } from './pages/sign-in-page';
import { onLinkClick, useLocation } from './router';
import { signOut, useSession, type SessionInfo } from './session';
import { useDocumentTitle } from './use-document-title';

function NotFound({ path }: { path: string }) {
  useDocumentTitle('Not found — StepFlow');
  return (
    <main class="page">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <Link href="/">Back to the dashboard</Link>
      </p>
    </main>
  );
}

function Page({ path }: { path: string }) {
  const execution = /^\/executions\/(\d+)\/?$/.exec(path);
  if (execution) return <ExecutionPage key={execution[1]} id={Number(execution[1])} />;
  if (path === '/' || path === '') return <DashboardPage />;
  if (path === '/history') return <HistoryPage />;
  if (path === '/artifacts') return <ArtifactsPage />;
  if (path === '/agents') return <AgentsPage />;
  return <NotFound path={path} />;
}

function NavLink({ href, label, path }: { href: string; label: string; path: string }) {
  const current = href === '/' ? path === '/' : path.startsWith(href);
  return (
    <a href={href} class={current ? 'current' : ''} aria-current={current ? 'page' : undefined} onClick={onLinkClick}>
      {label}
    </a>
  );
}

function Account({ info }: { info: SessionInfo }) {
  if (!info.auth_enabled) return null;
  return (
    <span class="account">
      <span data-testid="account">
        {info.name} · {info.role}
      </span>
      <button type="button" class="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </span>
  );
}

/** The whole dashboard: the sign-in page until the API accepts us, then the shell. */
export function App() {
  const { path } = useLocation();
  const session = useSession();
  if (session.status === 'loading')
    return (
      <p class="page" role="status">
        Loading…
      </p>
    );
  if (session.status === 'signed-out') return <SignInPage message={session.message} />;
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand">
          ▸ StepFlow
        </Link>
        <nav aria-label="Main">
          <NavLink href="/" label="Dashboard" path={path} />
          <NavLink href="/history" label="History" path={path} />
          <NavLink href="/artifacts" label="Artifacts" path={path} />
          <NavLink href="/agents" label="Agents" path={path} />
        </nav>
        <TimeZoneSelect />
        <ConnectionIndicator />
        <Account info={session.info} />
      </header>
      <div id="main">
        <Page path={path} />
      </div>
    </>
  );
}
