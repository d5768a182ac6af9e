import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AdminUserView, ApiKeyView, InstanceView, UsageGrouping, UsageInterval, UsageReport } from '../api/types';
import { USAGE_INTERVALS } from '../api/types';
import { CardTable, Empty, ErrorNotice, Field, PageHeader, Section } from '../components/ui';
import { useResource } from '../hooks';
import { shortId } from '../lib/format';
import { bucketLabel, chartData, count, dayRange, seriesColours, seriesTotals, usagePath, usd, utcDay, type SeriesLabel, type UsageMetric } from '../lib/usage';
import { useSession } from '../session';

const GROUPINGS: { value: UsageGrouping; label: string; scope?: string }[] = [
  { value: 'model', label: 'model' },
  { value: 'apiKey', label: 'API key' },
  { value: 'instance', label: 'instance' },
  { value: 'user', label: 'user', scope: 'admin' },
];
/** distinct on white and for the common kinds of colour blindness (Okabe–Ito, darkened for contrast) */
const COLOURS = ['#1f4e8c', '#d55e00', '#009e73', '#cc79a7', '#8a6d00', '#0072b2', '#5b6675', '#b42318'];
const CHARTS: { metric: UsageMetric; title: string; format: (n: number) => string }[] = [
  { metric: 'requests', title: 'Requests', format: count },
  { metric: 'tokens', title: 'Tokens', format: count },
  { metric: 'costUsd', title: 'Cost (USD)', format: usd },
];

/** Names for the keys of the chosen grouping: key names, instance names, user emails; a model is its own name. */
function useSeriesLabels(groupBy: UsageGrouping): SeriesLabel {
  const { client, can } = useSession();
  const names = useResource(async (signal): Promise<Record<string, string>> => {
    if (groupBy === 'apiKey') return Object.fromEntries((await client.json<ApiKeyView[]>('GET', '/auth/api-keys', { signal })).map((k) => [k.id, k.name]));
    if (groupBy === 'instance' && can('instances:read')) return Object.fromEntries((await client.json<InstanceView[]>('GET', '/instances', { signal })).map((i) => [i.id, i.name]));
    if (groupBy === 'user' && can('admin')) return Object.fromEntries((await client.json<AdminUserView[]>('GET', '/admin/users', { signal })).map((u) => [u.id, u.email]));
    return {};
  }, [client, groupBy]);
  return (key) => (key === null ? '(none)' : (names.data?.[key] ?? (groupBy === 'model' ? key : shortId(key))));
}

export function UsagePage() {
  const { client, can } = useSession();
  const [fromDay, setFromDay] = useState(() => utcDay(new Date(), 6));
  const [toDay, setToDay] = useState(() => utcDay(new Date()));
  const [interval, setBucket] = useState<UsageInterval>('day');
  const [groupBy, setGroupBy] = useState<UsageGrouping>('model');
  const range = dayRange(fromDay, toDay);
  const path = usagePath({ ...range, interval, groupBy });
  const usage = useResource((signal) => client.json<UsageReport>('GET', path, { signal }), [client, path]);
  const labelOf = useSeriesLabels(groupBy);
  const report = usage.data;
  const grouping = GROUPINGS.find((g) => g.value === groupBy)?.label ?? groupBy;
  return (
    <>
      <PageHeader title="Usage">Requests, tokens and estimated cost over time{can('admin') ? ', of every user' : ', of your account'}, by model, key or instance. Buckets are UTC hours or days.</PageHeader>
      <Section
        title="Range"
        actions={
          <button type="button" className="button button--quiet" onClick={usage.reload}>
            Refresh
          </button>
        }
      >
        <form className="form form--inline" onSubmit={(e) => e.preventDefault()}>
          <Field label="From">{(id) => <input id={id} type="date" value={fromDay} max={toDay} onChange={(e) => e.target.value && setFromDay(e.target.value)} />}</Field>
          <Field label="To">{(id) => <input id={id} type="date" value={toDay} min={fromDay} onChange={(e) => e.target.value && setToDay(e.target.value)} />}</Field>
          <Field label="Interval">
            {(id) => (
              <select id={id} value={interval} onChange={(e) => setBucket(e.target.value as UsageInterval)}>
                {USAGE_INTERVALS.map((i) => (
                  <option key={i} value={i}>
                    {i}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Group by">
            {(id) => (
              <select id={id} value={groupBy} onChange={(e) => setGroupBy(e.target.value as UsageGrouping)}>
                {GROUPINGS.filter((g) => !g.scope || can(g.scope)).map((g) => (
                  <option key={g.value} value={g.value}>
                    {g.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
        <ErrorNotice error={usage.error} />
      </Section>
      {usage.loading && !report ? <p role="status">Loading usage…</p> : null}
      {report ? (
        <>
          <ul className="stats" aria-label="Totals over the range">
            <li>
              <strong>{count(report.totals.requests)}</strong> requests
            </li>
            <li>
              <strong>{count(report.totals.errors)}</strong> errors
            </li>
            <li>
              <strong>{count(report.totals.promptTokens)}</strong> prompt tokens
            </li>
            <li>
              <strong>{count(report.totals.completionTokens)}</strong> completion tokens
            </li>
            <li>
              <strong>{usd(report.totals.costUsd)}</strong> estimated cost
            </li>
          </ul>
          {report.series.length === 0 ? (
            <Section title="Over time">
              <Empty>No calls in this range.</Empty>
            </Section>
          ) : (
            <>
              <div className="charts">
                {CHARTS.map((chart) => (
                  <UsageChart key={chart.metric} report={report} labelOf={labelOf} grouping={grouping} {...chart} />
                ))}
              </div>
              <Section title={`By ${grouping}`}>
                <CardTable caption={`Usage by ${grouping} over the range, costliest first`} columns={[grouping[0].toUpperCase() + grouping.slice(1), 'Requests', 'Errors', 'Prompt tokens', 'Completion tokens', 'Cost']}>
                  {seriesTotals(report, labelOf).map((row) => (
                    <tr key={row.key ?? '(none)'} aria-label={row.name}>
                      <th scope="row" data-label={grouping} title={row.key ?? undefined}>
                        {row.name}
                      </th>
                      <td data-label="Requests">{count(row.requests)}</td>
                      <td data-label="Errors">{count(row.errors)}</td>
                      <td data-label="Prompt tokens">{count(row.promptTokens)}</td>
                      <td data-label="Completion tokens">{count(row.completionTokens)}</td>
                      <td data-label="Cost">{usd(row.costUsd)}</td>
                    </tr>
                  ))}
                </CardTable>
              </Section>
            </>
          )}
        </>
      ) : null}
    </>
  );
}

/** One figure over time, a stacked bar per bucket with a colour per group. */
function UsageChart({ report, labelOf, grouping, metric, title, format }: { report: UsageReport; labelOf: SeriesLabel; grouping: string; metric: UsageMetric; title: string; format: (n: number) => string }) {
  const { rows, names } = chartData(report, metric, labelOf);
  const colourOf = seriesColours(report, labelOf, COLOURS);
  return (
    <Section title={title}>
      <figure className="chart" role="figure" aria-label={`${title} per ${report.interval} by ${grouping}`}>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="t" tickFormatter={(t: string) => bucketLabel(t, report.interval)} minTickGap={16} fontSize={12} />
            <YAxis tickFormatter={(n: number) => format(n)} width={72} fontSize={12} allowDecimals={metric === 'costUsd'} />
            <Tooltip labelFormatter={(t) => bucketLabel(String(t), report.interval)} formatter={(value) => format(Number(value))} />
            <Legend />
            {names.map((name) => (
              // a function, not the name: recharts reads a string key as a path, and model names hold dots
              <Bar key={name} name={name} dataKey={(row: Record<string, number>) => row[name]} stackId="usage" fill={colourOf(name)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </Section>
  );
}
