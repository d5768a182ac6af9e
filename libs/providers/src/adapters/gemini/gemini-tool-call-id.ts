/**
 * Gemini function calls carry no id (newer models may) but Gemini 3 requires the `thoughtSignature`
 * of a call back with it on the next turn. OpenAI clients echo tool call ids verbatim, so the
 * signature rides inside the id: `<id>__thought__<signature>`.
 */
const SIGNATURE_SEPARATOR = '__thought__';

/** A documented placeholder for calls that did not come from Gemini (history from another provider). */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** `call_<index>` (the call's position in the answer) unless Gemini named the call itself. */
export function encodeToolCallId(index: number, geminiId: string | undefined, thoughtSignature: string | undefined): string {
  const base = geminiId || `call_${index}`;
  return thoughtSignature ? `${base}${SIGNATURE_SEPARATOR}${thoughtSignature}` : base;
}

export function thoughtSignatureOf(toolCallId: string): string | undefined {
  const at = toolCallId.indexOf(SIGNATURE_SEPARATOR);
  return at === -1 ? undefined : toolCallId.slice(at + SIGNATURE_SEPARATOR.length) || undefined;
}
