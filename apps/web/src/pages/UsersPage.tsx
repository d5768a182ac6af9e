import { useState } from 'react';
import { fieldErrors } from '../api/errors';
import type { AdminUserView, BudgetPeriod, ModelWarnings } from '../api/types';
import { BudgetFields, ModelPicker, ModelWarningsNotice, SpendBar, useModelIds } from '../components/governance';
import { BadgeCell, CardTable, Empty, ErrorNotice, Field, Notice, PageHeader, Section, SubmitButton } from '../components/ui';
import { useFormAction, useResource, useScrolledIntoView } from '../hooks';
import { formatBudgetLimit, formatModelList, parseBudget, parseModelList, timeAgo } from '../lib/format';
import { useSession } from '../session';

const ROLES = ['user', 'operator', 'admin'] as const;
const EDIT_SECTION = 'edit-user';

/** Admins only (the menu hides it from others): every account with its role, models, budget and spend. */
export function UsersPage() {
  const { client } = useSession();
  const users = useResource((signal) => client.json<AdminUserView[]>('GET', '/admin/users', { signal }), [client]);
  const models = useModelIds();
  const [editingId, setEditingId] = useState<string | null>(null);
  const list = users.data ?? [];
  const editing = list.find((user) => user.id === editingId);
  return (
    <>
      <PageHeader title="Users">Every account: its role, whether it may sign in, the models it and its keys may call, and what it may spend. A user&apos;s models and budget cap those of their keys.</PageHeader>
      <Section title="All users">
        <ErrorNotice error={users.error} />
        {users.loading && !users.data ? <p role="status">Loading users…</p> : null}
        {users.data && list.length === 0 ? <Empty>No users.</Empty> : null}
        {list.length > 0 ? (
          <CardTable caption="Users, oldest first" columns={['Email', 'Role', 'Status', 'Models', 'Spend', 'Created']} actions>
            {list.map((user) => (
              <tr key={user.id} aria-label={user.email}>
                <th scope="row" data-label="Email">
                  {user.email}
                </th>
                <td data-label="Role">{user.role}</td>
                <BadgeCell label="Status" value={user.disabled ? 'disabled' : 'active'} />
                <td data-label="Models">{formatModelList(user.allowedModels)}</td>
                <td data-label="Spend">
                  <SpendBar name={user.email} spend={user.spend} budget={user.budget} />
                </td>
                <td data-label="Created">{timeAgo(user.createdAt)}</td>
                <td className="cell-actions">
                  <div className="row-actions">
                    <button type="button" className="button button--small" aria-label={`Edit ${user.email}`} onClick={() => setEditingId(user.id)}>
                      Edit
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </CardTable>
        ) : null}
      </Section>
      {editing ? <EditUser key={editing.id} user={editing} models={models} onSaved={users.reload} onClose={() => setEditingId(null)} /> : null}
    </>
  );
}

/** Changes a user's role, sign-in, models and budget; only what was changed is sent. */
function EditUser({ user, models: known, onSaved, onClose }: { user: AdminUserView; models: readonly string[]; onSaved: () => void; onClose: () => void }) {
  const { client } = useSession();
  const [role, setRole] = useState(user.role);
  const [disabled, setDisabled] = useState(user.disabled);
  const [models, setModels] = useState((user.allowedModels ?? []).join(', '));
  const [budgetLimit, setBudgetLimit] = useState(formatBudgetLimit(user.budget));
  const [period, setPeriod] = useState<BudgetPeriod>(user.budget?.period ?? 'month');
  const save = useFormAction(async () => {
    const body: Record<string, unknown> = {};
    if (role !== user.role) body.role = role;
    if (disabled !== user.disabled) body.disabled = disabled;
    const allowedModels = parseModelList(models) ?? null;
    if (JSON.stringify(allowedModels) !== JSON.stringify(user.allowedModels ?? null)) body.allowedModels = allowedModels;
    const budget = parseBudget(budgetLimit, period);
    if (JSON.stringify(budget) !== JSON.stringify(user.budget ?? null)) body.budget = budget;
    if (Object.keys(body).length === 0) return { changed: false, warnings: undefined };
    const answer = await client.json<AdminUserView & ModelWarnings>('PATCH', `/admin/users/${user.id}`, { body });
    onSaved();
    return { changed: true, warnings: answer.warnings };
  });
  const errors = fieldErrors(save.error);
  useScrolledIntoView(EDIT_SECTION);
  return (
    <Section
      id={EDIT_SECTION}
      title={`Edit ${user.email}`}
      actions={
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      }
    >
      <form className="form form--grid" onSubmit={save.submit}>
        <Field label="Role" error={errors.role} hint="Caps the scopes of the user's keys.">
          {(id, describedBy) => (
            <select id={id} value={role} onChange={(e) => setRole(e.target.value as AdminUserView['role'])} aria-describedby={describedBy}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field field--check">
          <label>
            <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} /> Disabled (cannot sign in, keys stop working)
          </label>
          {errors.disabled ? <small className="field-error">{errors.disabled}</small> : null}
        </div>
        <ModelPicker label="Models" value={models} onChange={setModels} known={known} error={errors.allowedModels} />
        <BudgetFields limit={budgetLimit} period={period} onLimit={setBudgetLimit} onPeriod={setPeriod} errors={errors} />
        <div className="form-actions">
          <SubmitButton pending={save.pending} busy="Saving…">
            Save changes
          </SubmitButton>
        </div>
      </form>
      <ErrorNotice error={save.error} />
      {save.outcome ? <Notice>{save.outcome.changed ? `Saved ${user.email}.` : 'Nothing changed.'}</Notice> : null}
      <ModelWarningsNotice answer={save.outcome} />
    </Section>
  );
}
