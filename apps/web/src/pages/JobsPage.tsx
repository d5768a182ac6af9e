import { useState } from 'react';
import type { JobView, ModelList } from '../api/types';
import { BadgeCell, CardTable, Empty, ErrorNotice, Field, IdCell, Notice, PageHeader, Section, SubmitButton } from '../components/ui';
import { useFormAction, useInterval, useResource } from '../hooks';
import { shortId, timeAgo } from '../lib/format';
import { useLiveEvents, useSession } from '../session';

/** What a finished job produced, in a line: the reply of an ai job, the output of an adb one. */
function summary(job: JobView): string {
  if (job.error) return `${job.error.code}: ${job.error.message}`;
  const result = job.result as { reply?: string; stdout?: string; exitCode?: number | null } | undefined;
  if (!result) return '';
  if (typeof result.reply === 'string') return result.reply;
  if (typeof result.stdout === 'string') return `exit ${result.exitCode ?? '—'}: ${result.stdout.trim()}`;
  return JSON.stringify(result);
}

export function JobsPage() {
  const { client, can } = useSession();
  const jobs = useResource((signal) => client.json<JobView[]>('GET', '/jobs?limit=50', { signal }), [client]);
  useInterval(jobs.reload, 5000);
  useLiveEvents(['job.completed', 'job.failed'], jobs.reload);
  const list = jobs.data ?? [];

  return (
    <>
      <PageHeader title="Jobs">Your queued work: chat requests sent with mode async, and device commands run as jobs. Results are kept for a day.</PageHeader>
      {can('chat') ? <QueueChatJob onQueued={jobs.reload} /> : null}
      <Section title="Recent jobs">
        <ErrorNotice error={jobs.error} />
        {jobs.loading && !jobs.data ? <p role="status">Loading jobs…</p> : null}
        {jobs.data && list.length === 0 ? <Empty>No jobs yet.</Empty> : null}
        {list.length > 0 ? (
          <CardTable caption="Your jobs, newest first" columns={['Job', 'Type', 'Status', 'Attempts', 'Created', 'Result']}>
            {list.map((job) => (
              <tr key={job.id}>
                <IdCell label="Job" id={job.id} />
                <td data-label="Type">{job.type}</td>
                <BadgeCell label="Status" value={job.status} />
                <td data-label="Attempts">{job.attempts}</td>
                <td data-label="Created">
                  <time dateTime={job.createdAt}>{timeAgo(job.createdAt)}</time>
                </td>
                <td data-label="Result" className="cell-result">
                  {job.status === 'completed' || job.status === 'failed' ? (
                    <details>
                      <summary>{summary(job) || 'details'}</summary>
                      <pre tabIndex={0}>{JSON.stringify(job.result ?? job.error, null, 2)}</pre>
                    </details>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </CardTable>
        ) : null}
      </Section>
    </>
  );
}

function QueueChatJob({ onQueued }: { onQueued: () => void }) {
  const { client } = useSession();
  const models = useResource((signal) => client.json<ModelList>('GET', '/models', { signal }), [client]);
  const [message, setMessage] = useState('');
  const [model, setModel] = useState('auto');
  const queue = useFormAction(async () => {
    const accepted = await client.json<{ jobId: string }>('POST', '/relay', { body: { message: message.trim(), model, mode: 'async' } });
    setMessage('');
    onQueued();
    return accepted.jobId;
  });
  return (
    <Section title="Queue a chat job">
      <form className="form form--inline" onSubmit={queue.submit}>
        <Field label="Job message">{(id) => <input id={id} required value={message} onChange={(e) => setMessage(e.target.value)} />}</Field>
        <Field label="Job model">
          {(id) => (
            <select id={id} value={model} onChange={(e) => setModel(e.target.value)}>
              <option value="auto">auto</option>
              {(models.data?.data ?? []).map((m) => (
                <option key={m.id}>{m.id}</option>
              ))}
            </select>
          )}
        </Field>
        <SubmitButton pending={queue.pending}>Queue job</SubmitButton>
      </form>
      <ErrorNotice error={queue.error} />
      {queue.outcome ? <Notice>Queued job {shortId(queue.outcome)}; it shows below and updates when a worker finishes it.</Notice> : null}
    </Section>
  );
}
