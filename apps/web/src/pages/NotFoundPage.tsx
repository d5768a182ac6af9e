import { PageHeader } from '../components/ui';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found">There is no console page at {window.location.pathname}.</PageHeader>
      <p>
        <Link to="/chat">Go to the chat playground</Link>
      </p>
    </>
  );
}
