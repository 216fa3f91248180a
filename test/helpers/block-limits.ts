/**
 * Slack's Block Kit limits, checked independently of the renderer's own
 * constants (the numbers are Slack's, from its Block Kit reference).
 */

type Json = Record<string, unknown>;

/** Every way a message or view breaks Slack's limits; empty when it is within them. */
export function limitViolations(message: { text?: unknown; blocks?: unknown }, maxBlocks = 50): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as Json[];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  if ('text' in message && (typeof message.text !== 'string' || message.text.length === 0)) {
    problems.push('no plain-text fallback');
  }
  blocks.forEach((block, i) => {
    const at = `block ${i} (${String(block.type)})`;
    const text = block.text as Json | undefined;
    const length = typeof text?.text === 'string' ? text.text.length : 0;
    if (block.type === 'section' && (length < 1 || length > 3000))
      problems.push(`${at}: text length ${length}`);
    if (block.type === 'header' && (length < 1 || length > 150))
      problems.push(`${at}: header length ${length}`);
    if (block.type === 'context') {
      const elements = block.elements as Json[];
      if (elements.length < 1 || elements.length > 10) problems.push(`${at}: ${elements.length} elements`);
      for (const e of elements) {
        const n = String(e.text ?? '').length;
        if (n < 1 || n > 3000) problems.push(`${at}: element length ${n}`);
      }
    }
    if (block.type === 'actions') {
      const elements = block.elements as Json[];
      if (elements.length < 1 || elements.length > 25) problems.push(`${at}: ${elements.length} buttons`);
      for (const e of elements) {
        const label = String((e.text as Json).text);
        if (label.length > 75) problems.push(`${at}: button text ${label.length}`);
        if (String(e.value ?? '').length > 2000) problems.push(`${at}: button value too long`);
      }
    }
  });
  return problems;
}

/** All the text a message shows (its fallback and every `text` field), joined by newlines. */
export function allText(message: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [key, value] of Object.entries(v)) {
        if (key === 'text' && typeof value === 'string') out.push(value);
        else walk(value);
      }
    }
  };
  walk(message);
  return out.join('\n');
}
