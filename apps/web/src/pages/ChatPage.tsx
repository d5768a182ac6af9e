import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { streamChat, type ChatTurn, type StreamedReply } from '../api/chat';
import type { ModelList } from '../api/types';
import { Empty, ErrorNotice, Field, PageHeader, SubmitButton } from '../components/ui';
import { useAction, useResource } from '../hooks';
import { useSession } from '../session';

interface Message extends ChatTurn {
  id: number;
  /** set on a reply once it is complete */
  meta?: string;
  streaming?: boolean;
}

let nextId = 1;

export function ChatPage() {
  const { client, can } = useSession();
  const models = useResource((signal) => client.json<ModelList>('GET', '/models', { signal }), [client]);
  const [model, setModel] = useState('auto');
  const [systemPrompt, setSystemPrompt] = useState('');
  const [draft, setDraft] = useState('');
  const [messages, setMessages] = useState<Message[]>([]);
  const abort = useRef<AbortController | null>(null);
  const log = useRef<HTMLOListElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages]);

  const send = useAction(async (text: string) => {
    const history: ChatTurn[] = [
      ...(systemPrompt.trim() ? [{ role: 'system' as const, content: systemPrompt.trim() }] : []),
      ...messages.filter((m) => !m.streaming).map(({ role, content }) => ({ role, content })),
      { role: 'user', content: text },
    ];
    const replyId = nextId++;
    setMessages((list) => [...list, { id: nextId++, role: 'user', content: text }, { id: replyId, role: 'assistant', content: '', streaming: true }]);
    const update = (reply: StreamedReply, done = false) =>
      setMessages((list) =>
        list.map((m) =>
          m.id === replyId
            ? { ...m, content: reply.content, streaming: !done, meta: done ? [reply.model, reply.usage ? `${reply.usage.total_tokens} tokens` : null, reply.finishReason === 'length' ? 'cut at max tokens' : null].filter(Boolean).join(' · ') : undefined }
            : m,
        ),
      );
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    try {
      const reply = await streamChat(client, { model, messages: history }, (r) => update(r), controller.signal);
      update({ ...reply, model: `${reply.model ?? model} · ${Math.round(performance.now() - started)} ms` }, true);
    } catch (error) {
      // keep what arrived; drop an empty reply bubble
      setMessages((list) => list.filter((m) => m.id !== replyId || m.content !== '').map((m) => (m.id === replyId ? { ...m, streaming: false, meta: 'stopped' } : m)));
      throw error;
    } finally {
      abort.current = null;
    }
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || send.pending) return;
    setDraft('');
    void send.run(text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit();
  };
  const modelIds = (models.data?.data ?? []).map((m) => m.id).sort();

  return (
    <>
      <PageHeader title="Chat">Try the models the healthy instances serve. Replies stream in as the provider writes them.</PageHeader>
      {!can('chat') ? <ErrorNotice error={new Error('This credential lacks the chat scope.')} /> : null}
      <div className="chat">
        <div className="chat-controls">
          <Field label="Model" hint={models.data ? `${modelIds.length} model(s) from healthy instances` : undefined}>
            {(id, hint) => (
              <select id={id} value={model} onChange={(e) => setModel(e.target.value)} aria-describedby={hint}>
                <option value="auto">auto (any healthy instance)</option>
                {modelIds.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="System prompt" hint="Optional; sent before the conversation.">
            {(id, hint) => <textarea id={id} rows={2} value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} aria-describedby={hint} />}
          </Field>
          <button type="button" className="button button--quiet" disabled={messages.length === 0 || send.pending} onClick={() => setMessages([])}>
            New conversation
          </button>
          <ErrorNotice error={models.error} />
        </div>

        <section className="chat-thread" aria-label="Conversation">
          {messages.length === 0 ? <Empty>No messages yet. Ask something below.</Empty> : null}
          <ol className="messages" ref={log} aria-live="polite" aria-relevant="additions text">
            {messages.map((m) => (
              <li key={m.id} className={`message message--${m.role}`} aria-busy={m.streaming || undefined}>
                <span className="message-role">{m.role === 'user' ? 'You' : 'Assistant'}</span>
                <div className="message-text">
                  {m.content}
                  {m.streaming ? <span className="caret" aria-hidden="true" /> : null}
                </div>
                {m.meta ? <span className="message-meta">{m.meta}</span> : null}
              </li>
            ))}
          </ol>
          <ErrorNotice error={send.error} onDismiss={send.clearError} />
          <form className="composer" onSubmit={submit}>
            <Field label="Message" hint="Enter sends, Shift+Enter starts a new line.">
              {(id, hint) => <textarea id={id} rows={3} value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} aria-describedby={hint} />}
            </Field>
            <div className="composer-actions">
              {send.pending ? (
                <button type="button" className="button" onClick={() => abort.current?.abort()}>
                  Stop
                </button>
              ) : null}
              <SubmitButton pending={send.pending} busy="Streaming…" disabled={draft.trim() === ''}>Send</SubmitButton>
            </div>
          </form>
        </section>
      </div>
    </>
  );
}
