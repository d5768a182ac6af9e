import type { JobView, RelayReply } from '@ish/contracts';
import { call } from './client';
import { mapLimit, sleep } from './figures';
import { Outcome } from './load';

export interface SubmittedJob {
  jobId: string;
  conversationId: string;
  /** the message sent: the job's reply must echo it (provider-sim replies with the last user message) */
  message: string;
  acceptedAt: number;
}

/** POST /api/v1/relay in async mode; the job when it was accepted (202). */
export async function submitJob(token: string, model: string, message: string): Promise<Outcome & { job?: SubmittedJob }> {
  const answer = await call<{ jobId: string; conversationId: string; status: string }>('POST', '/api/v1/relay', { token, body: { message, model, mode: 'async' } });
  if (answer.status !== 202) return { ...answer, ok: false, code: answer.code ?? `status_${answer.status}` };
  return { ...answer, ok: true, job: { jobId: answer.body.jobId, conversationId: answer.body.conversationId, message, acceptedAt: Date.now() } };
}

/**
 * Polls GET /api/v1/jobs/{id} until every job is completed or failed, or `timeoutMs` passed.
 * Answers the last view of each job (undefined: never found).
 */
export async function settleJobs(token: string, jobs: readonly SubmittedJob[], timeoutMs: number, log?: (line: string) => void): Promise<Map<string, JobView | undefined>> {
  const views = new Map<string, JobView | undefined>(jobs.map((j) => [j.jobId, undefined]));
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const open = jobs.filter((j) => !isSettled(views.get(j.jobId)));
    if (open.length === 0 || Date.now() > deadline) return views;
    await mapLimit(open, 8, async (job) => {
      const view = await call<JobView>('GET', `/api/v1/jobs/${job.jobId}`, { token, timeoutMs: 10_000 });
      if (view.status === 200) views.set(job.jobId, view.body);
    });
    if (log && Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log(`jobs: ${jobs.length - jobs.filter((j) => !isSettled(views.get(j.jobId))).length}/${jobs.length} finished`);
    }
    await sleep(500);
  }
}

function isSettled(view: JobView | undefined): boolean {
  return view?.status === 'completed' || view?.status === 'failed';
}

export interface JobCheck {
  completed: number;
  failed: number;
  /** accepted but never finished (or gone) */
  lost: number;
  /** completed with a result that is not its own (wrong id or reply) */
  wrongResult: number;
  /** completed, but its conversation holds its answer more than once (the job ran to the end twice) */
  duplicateResults: number;
  /** what failed jobs said, and what was wrong with wrong results */
  failures: string[];
}

/**
 * Checks each job: completed, with its own result, and that result recorded once — the conversation
 * each async job opened holds exactly one assistant message.
 */
export async function checkJobs(token: string, jobs: readonly SubmittedJob[], views: Map<string, JobView | undefined>): Promise<JobCheck> {
  const check: JobCheck = { completed: 0, failed: 0, lost: 0, wrongResult: 0, duplicateResults: 0, failures: [] };
  await mapLimit(jobs, 8, async (job) => {
    const view = views.get(job.jobId);
    if (view?.status === 'failed') {
      check.failed++;
      check.failures.push(`${job.jobId}: ${view.error?.code ?? 'unknown'}`);
      return;
    }
    if (view?.status !== 'completed') {
      check.lost++;
      return;
    }
    check.completed++;
    const result = view.result as RelayReply | undefined;
    if (!result || result.id !== job.jobId || !result.reply.includes(job.message)) {
      check.wrongResult++;
      check.failures.push(`${job.jobId}: result ${JSON.stringify(result)?.slice(0, 200)} is not its own`);
      return;
    }
    const conversation = await call<{ messages: { role: string; content: string }[] }>('GET', `/api/v1/conversations/${job.conversationId}`, { token, timeoutMs: 10_000 });
    if (conversation.status !== 200) {
      check.wrongResult++;
      check.failures.push(`${job.jobId}: its conversation answered ${conversation.status} ${conversation.code ?? ''}`);
      return;
    }
    const answers = conversation.body.messages.filter((m) => m.role === 'assistant').length;
    if (answers > 1) check.duplicateResults++;
    if (answers === 0) {
      check.wrongResult++;
      check.failures.push(`${job.jobId}: its conversation holds no answer`);
    }
  });
  return check;
}
